"""The demo's people, words and documents: who signs in, which 2003 councils bid and how far
each got, the phrases their bids are written in, and a small PDF to attach. The bench data set
(bench/data.py) borrows them."""

from accounts.models import Role
from bids.models import BidState, Sector
from reference.models import Region

# The published demo sign-in (README.md); seed_demo refuses to run in production.
DEMO_PASSWORD = "trusts-demo-2003"  # noqa: S105  # nosec B105
# The demo officials' authenticator key (README.md), in base32 as an app takes it; the
# current code is also printed by `manage.py demo_code EMAIL`.
DEMO_TOTP_KEY = "CTPDEMOKEYFORTRUSTPILOTS234567AB"

DEMO_USERS = [
    ("kent@council.example", "Karen Ellis", Role.COUNCIL, "KEN", "", "Head of Children's Services Strategy"),
    (
        "leeds@council.example",
        "Liam Osei",
        Role.COUNCIL,
        "LDS",
        "",
        "Partnerships Manager, Children's Services",
    ),
    ("assessor1@doh.example", "Aisha Rahman", Role.ASSESSOR, None, Region.LONDON, "Policy Adviser"),
    ("assessor2@doh.example", "Ben Hughes", Role.ASSESSOR, None, Region.NORTH_WEST, "Social Care Inspector"),
    (
        "lead@doh.example",
        "Margaret Lowe",
        Role.LEAD,
        None,
        Region.LONDON,
        "Programme Lead, Children's Trusts",
    ),
    ("admin@doh.example", "Tom Price", Role.ADMIN, None, "", "Programme Administrator"),
]

# Further officials who cannot sign in, so assessment is spread as it would be.
OTHER_ASSESSORS = [
    ("assessor3@doh.example", "Claire Dunn", Region.YORKSHIRE_HUMBER),
    ("assessor4@doh.example", "David Okafor", Region.WEST_MIDLANDS),
    ("assessor5@doh.example", "Eleanor Shaw", Region.SOUTH_WEST),
    ("assessor6@doh.example", "Farid Malik", Region.EAST_OF_ENGLAND),
]

# Assessors whose scores run high or low, so calibration has someone to flag: Claire Dunn
# scores a point higher, and David Okafor a point lower, than their own reading of a bid.
LENIENT_ASSESSOR = "assessor3@doh.example"
HARSH_ASSESSOR = "assessor4@doh.example"

# The 45 authorities that bid in 2003, and how far each got.
PILOT_OUTCOMES = {
    BidState.APPROVED: ["BST", "BRY", "CMD", "DUR", "ESX", "GAT", "HRW", "HRT", "LIV", "NFK", "SHF", "WIL"],
    BidState.REJECTED: ["BOL", "NGM", "POR", "SFK"],
    BidState.INTERVIEWED: ["BBD", "CAM", "TOB"],
    BidState.INTERVIEW_SCHEDULED: ["DEV", "HAM"],
    BidState.SHORTLISTED: ["LUT", "MAN", "YOR"],
    BidState.NOT_SHORTLISTED: [
        "BNS",
        "BAS",
        "CLD",
        "COV",
        "DAL",
        "EAL",
        "HCK",
        "KIR",
        "LEC",
        "NTH",
        "OXF",
        "WRL",
    ],
    BidState.UNDER_ASSESSMENT: ["LEW", "NBL", "SLF", "STE"],
    BidState.SUBMITTED: ["SWK", "TAM"],
    BidState.WITHDRAWN: ["MDW", "WLV", "RDG"],
}

# Bids whose assessors disagreed by 2 on a criterion, and bids the lead moderated.
DISAGREEMENTS = ["LEW", "SLF", "BBD", "COV", "LUT"]
MODERATED = ["BBD", "COV", "LUT", "SHF"]

SCORE_COMMENTS = {
    0: "Not addressed in the bid.",
    1: "Mentioned, with little evidence.",
    2: "Adequately covered, with some gaps.",
    3: "Well evidenced, with named partners and plans.",
    4: "Excellent: specific, costed and agreed by every partner.",
}

PATHS = {
    BidState.SUBMITTED: [],
    BidState.WITHDRAWN: ["withdraw"],
    BidState.UNDER_ASSESSMENT: ["begin_assessment"],
    BidState.NOT_SHORTLISTED: ["begin_assessment", "not_shortlist"],
    BidState.SHORTLISTED: ["begin_assessment", "shortlist"],
    BidState.INTERVIEW_SCHEDULED: ["begin_assessment", "shortlist", "schedule_interview"],
    BidState.INTERVIEWED: ["begin_assessment", "shortlist", "schedule_interview", "record_interview"],
    BidState.APPROVED: ["begin_assessment", "shortlist", "schedule_interview", "record_interview", "approve"],
    BidState.REJECTED: ["begin_assessment", "shortlist", "schedule_interview", "record_interview", "reject"],
}

CLIENT_GROUPS = [
    "Disabled children and their families",
    "Children with special educational needs, from diagnosis to school leaving age",
    "Children in need of protection and children at risk of family breakdown",
    "Children with speech, language and communication needs",
    "Children and young people with emotional and mental health difficulties",
]

PARTNER_TEMPLATES = [
    (
        Sector.SOCIAL_SERVICES,
        "{name} Social Services Department",
        "Leads assessment and care planning and hosts the joint team.",
    ),
    (
        Sector.EDUCATION,
        "{name} Local Education Authority",
        "Brings school support, educational psychology and special needs services.",
    ),
    (
        Sector.HEALTH,
        "{short} Primary Care Trust",
        "Commissions community health services and leads on child health.",
    ),
    (
        Sector.HEALTH,
        "{short} and District Child and Adolescent Mental Health Service",
        "Provides specialist mental health input to the joint team.",
    ),
    (
        Sector.VOLUNTARY,
        "{short} Council for Voluntary Service",
        "Brings local voluntary groups into planning and delivery.",
    ),
    (
        Sector.COMMUNITY,
        "{short} Neighbourhood Centres Network",
        "Hosts services in community venues close to families.",
    ),
    (
        Sector.PRIVATE,
        "Brightstart Childcare Ltd",
        "Runs extended day care and holiday provision under contract.",
    ),
]

FIRST_NAMES = [
    "Helen",
    "James",
    "Priya",
    "Mark",
    "Susan",
    "David",
    "Grace",
    "Robert",
    "Fatima",
    "Paul",
    "Ruth",
    "Simon",
]
SURNAMES = [
    "Baker",
    "Clarke",
    "Patel",
    "Evans",
    "Walsh",
    "Murphy",
    "Khan",
    "Turner",
    "Lewis",
    "Green",
    "Hall",
    "Wood",
]


def minimal_pdf(title):
    """A small, valid one-page PDF, so demo documents open in a viewer."""
    text = title.replace("(", "").replace(")", "")[:80]
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def partner_rows(authority, rng, extra):
    """A bid's partners as the demo and the bench write them: the three core sectors, then
    `extra` (a range) of the community, private and voluntary ones, named for the authority."""
    rows = PARTNER_TEMPLATES[:3] + rng.sample(PARTNER_TEMPLATES[3:], k=rng.randint(*extra))
    return [
        {
            "name": name.format(name=authority.name, short=authority.short_name),
            "sector": sector,
            "role": role,
            "contact_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        }
        for sector, name, role in rows
    ]


SECOND_ROUND_COUNCIL_GUIDANCE = """\
Send an expression of interest if your authority, with its partners in health and education, \
wants to run a pilot children's trust. Tell us which children and services the trust would \
cover, who your partners are, how the trust would be governed, and how you would consult \
local communities, agencies and staff.

Every bid must involve social services, education and health. Youth offending teams are not \
part of the trusts.

You can save your bid and come back to it. You can change it until the closing date, and \
withdraw it until a decision is made."""

SECOND_ROUND_ASSESSOR_GUIDANCE = """\
Score each criterion from 0 to 4 using what each score means on that criterion, and say why \
in a comment. Score what the bid says, not what you know of the authority from elsewhere.

Declare a conflict of interest before you start if you have worked for, or have close \
family at, an authority whose bid you have been given."""
