"""Small builders for test data. Plain functions: read them, then call them.

The plain models (a row with no life cycle of its own: users, rounds, partners, conflicts,
assignments, extensions, placeholder documents) are built by factory_boy factories below;
the functions keep their names and arguments, so `factories.user(Role.LEAD)` reads as it
always did. Anything with a life cycle is taken there through the service's own verbs:
bids are started with `drafting.start_bid` and moved by `workflow`, awards by
`trusts.awards`, conflicts declared (and applied) by `conflicts.declare`.
"""

import io
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook
from reportlab.pdfgen import canvas

from accounts.models import Role, User
from bids import conflicts, drafting, interviews, scoring, workflow
from bids.models import (
    Assignment,
    BidSection,
    ConflictOfInterest,
    DeadlineExtension,
    Decision,
    FundingRound,
    Interview,
    Partner,
    Sector,
    SupportingDocument,
)
from bids.rounds import add_default_criteria
from core.london import LONDON, end_of_day, start_of_day
from reference.models import LocalAuthority, ServiceScope
from trusts import awards, diligence, payments
from trusts.enums import CheckKind, CheckResult

PASSWORD = "correct-horse-battery"  # nosec B105


def authority(code="KEN"):
    return LocalAuthority.objects.get(code=code)


# The plain models ------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A user who signs in with PASSWORD; a council user belongs to Kent unless told."""

    class Meta:
        model = User

    class Params:
        authority_code = factory.LazyAttribute(lambda o: "KEN" if o.role == Role.COUNCIL else None)

    role = Role.COUNCIL
    email = factory.LazyAttributeSequence(lambda o, n: f"{o.role}{n}@example.com")
    password = PASSWORD
    full_name = factory.LazyAttributeSequence(lambda o, n: f"Test {o.role.title()} {n}")
    local_authority = factory.LazyAttribute(
        lambda o: authority(o.authority_code) if o.authority_code else None
    )
    region = ""
    is_staff = (
        False  # the Django admin is for superusers: factories.user(..., is_superuser=True, is_staff=True)
    )

    @classmethod
    def _create(cls, model_class, *args, email, password, **fields):
        # Through the manager, as the service makes users: the email normalised, the password hashed.
        return model_class.objects.create_user(email, password, **fields)


def _first_lead():
    return User.objects.filter(role=Role.LEAD).first() or UserFactory(role=Role.LEAD)


class FundingRoundFactory(DjangoModelFactory):
    """A round open now, closing at 23:59:59 London time `days_left` days from today, with
    the default criteria."""

    class Meta:
        model = FundingRound
        skip_postgeneration_save = True

    class Params:
        days_left = 28
        today = factory.LazyFunction(lambda: timezone.localtime().date())
        closes_on = factory.LazyAttribute(lambda o: o.today + timedelta(days=o.days_left))

    name = factory.Sequence(lambda n: f"Test round {n}")
    slug = factory.Sequence(lambda n: f"test-round-{n}")
    code = factory.Sequence(lambda n: f"T{n}")
    opens_at = factory.LazyAttribute(lambda o: start_of_day(o.today - timedelta(days=30)))
    closes_at = factory.LazyAttribute(lambda o: end_of_day(o.closes_on))
    interviews_start_on = factory.LazyAttribute(lambda o: o.closes_on + timedelta(days=20))
    interviews_end_on = factory.LazyAttribute(lambda o: o.closes_on + timedelta(days=50))
    decision_on = factory.LazyAttribute(lambda o: o.closes_on + timedelta(days=70))
    operational_on = factory.LazyAttribute(lambda o: o.closes_on + timedelta(days=200))
    base_award = Decimal("60000")
    max_supplement = Decimal("40000")
    published_at = factory.LazyAttribute(lambda o: o.opens_at)

    @factory.post_generation
    def default_criteria(funding_round, create, extracted, **kwargs):
        if create:
            add_default_criteria(funding_round, funding_round.criteria.model)


class PartnerFactory(DjangoModelFactory):
    """A partner agency on a bid (pass bid=), added by whoever started the bid."""

    class Meta:
        model = Partner

    sector = Sector.HEALTH
    name = factory.LazyAttribute(lambda o: f"{Sector(o.sector).label} partner")
    role = "Jointly commissions services"
    contact_name = "Pat Contact"
    added_by = factory.LazyAttribute(lambda o: o.bid.created_by)


class SupportingDocumentFactory(DjangoModelFactory):
    """A document's row without a stored file, for a bid that only needs to have one."""

    class Meta:
        model = SupportingDocument

    file = "bid-documents/test"
    original_name = "plan.pdf"
    content_type = "application/pdf"
    size = 10
    sha256 = "0" * 64
    uploaded_by = factory.LazyAttribute(lambda o: o.bid.created_by)


class AssignmentFactory(DjangoModelFactory):
    """An assessor on a bid, as a row: no event recorded (the verbs in bids/assignment.py do that)."""

    class Meta:
        model = Assignment

    assessor = factory.SubFactory(UserFactory, role=Role.ASSESSOR)
    assigned_by = factory.LazyFunction(_first_lead)


class ConflictOfInterestFactory(DjangoModelFactory):
    """A conflict as a bare row, NOT applied: the assessor keeps their assignments and scores.
    That is the state the access rules must hold against; `conflict()` declares one properly."""

    class Meta:
        model = ConflictOfInterest

    assessor = factory.SubFactory(UserFactory, role=Role.ASSESSOR)
    authority = factory.LazyFunction(authority)
    reason = "Former employer"
    declared_by = factory.SelfAttribute("assessor")


class DeadlineExtensionFactory(DjangoModelFactory):
    """An extension as a bare row (no event on the bids): `deadlines.grant_extension` records one."""

    class Meta:
        model = DeadlineExtension

    funding_round = factory.SubFactory(FundingRoundFactory)
    authority = factory.LazyFunction(authority)
    closes_at = factory.LazyAttribute(lambda o: o.funding_round.closes_at + timedelta(days=7))
    reason = "The council's cabinet meets after the closing date."
    granted_by = factory.LazyFunction(_first_lead)


def user(role=Role.COUNCIL, authority_code=None, email=None, region="", **extra):
    fields = {"role": role, "region": region, **extra}
    if authority_code is not None:
        fields["authority_code"] = authority_code
    if email:
        fields["email"] = email
    return UserFactory(**fields)


def open_round(days_left=28, slug=None, **overrides):
    """A round open now, closing at 23:59:59 London time `days_left` days from today."""
    if slug:
        overrides["slug"] = slug
    return FundingRoundFactory(days_left=days_left, **overrides)


def pilot_round():
    return FundingRound.objects.get(slug="pilots-2003")


def draft_bid(funding_round=None, authority_code="KEN", actor=None, complete=False):
    funding_round = funding_round or open_round()
    la = LocalAuthority.objects.get(code=authority_code)
    actor = actor or user(Role.COUNCIL, authority_code)
    bid, _ = drafting.start_bid(funding_round, la, actor)
    if complete:
        complete_bid(bid, actor)
    return bid


def complete_bid(bid, actor):
    """Fill every section with valid answers, as a council officer would."""
    bid.lead_name = actor.full_name
    bid.lead_job_title = "Planning officer"
    bid.lead_email = actor.email
    bid.lead_phone = "01622 000000"
    bid.director_name = "Dana Director"
    bid.director_job_title = "Director of Social Services"
    bid.postal_address = "Sessions House\nCounty Road\nMaidstone\nME14 1XQ"
    bid.focus = "broad"
    bid.vision = "One team for every child."
    bid.delivery_settings = ["extended_schools"]
    bid.population_covered = 50000
    bid.governance_model = "joint_board"
    bid.member_oversight = "Lead member chairs the board."
    bid.accountability_confirmed = True
    bid.large_or_complex = False
    bid.consultation_communities = "Public meetings."
    bid.consultation_agencies = "Partner workshop."
    bid.consultation_staff = "Staff briefings."
    bid.declaration_confirmed = True
    bid.save()
    bid.service_scopes.set(ServiceScope.objects.filter(allowed=True)[:2])
    for sector in (Sector.SOCIAL_SERVICES, Sector.EDUCATION, Sector.HEALTH):
        PartnerFactory(bid=bid, sector=sector, role="Partner", added_by=actor)
    SupportingDocumentFactory(bid=bid, uploaded_by=actor)
    BidSection.objects.filter(bid=bid).update(completed=True)
    return bid


def submitted_bid(funding_round=None, authority_code="KEN", actor=None):
    actor = actor or user(Role.COUNCIL, authority_code)
    bid = draft_bid(funding_round, authority_code, actor, complete=True)
    return workflow.change_state(bid, "submit", actor)


def assign(bid, assessor, lead=None):
    return AssignmentFactory(bid=bid, assessor=assessor, assigned_by=lead or _first_lead())


# Who signs a grant agreement for the council in tests that accept an award.
SIGNATORY = {"signatory_name": "Graham Badman", "signatory_job_title": "Director of Children's Services"}


def today():
    return date.today()


def approved_bid_with_award(
    funding_round=None,
    authority_code="KEN",
    council=None,
    lead=None,
    supplement=Decimal("0"),
    justification="",
):
    """A bid taken through the whole workflow to approval; returns the FundingAward offered.

    Drives the workflow's door directly (not the officials' pages), doing inside each
    change what it needs: an interview booked and held, a decision, the award.
    """

    lead = lead or User.objects.filter(role=Role.LEAD, is_active=True).first() or user(Role.LEAD)
    funding_round = funding_round or open_round()
    bid = submitted_bid(funding_round, authority_code, council)
    workflow.change_state(bid, "begin_assessment", lead)
    workflow.change_state(bid, "shortlist", lead, reason="Scored above the shortlisting line.")
    passed_check(bid, lead)

    with workflow.transition(bid, "schedule_interview", lead) as change:
        interview = Interview.objects.create(
            bid=change.record,
            starts_at=datetime.combine(funding_round.interviews_start_on, time(10), tzinfo=LONDON),
            location="Wellington House, 133-155 Waterloo Road, London SE1 8UG",
            scheduled_by=lead,
        )
        interview.panel.set([lead])

    with workflow.transition(bid, "record_interview", lead) as change:
        interview = change.record.interviews.get(state=Interview.State.SCHEDULED)
        interview.state = Interview.State.HELD
        interview.notes = "The panel explored governance and pooled budgets."
        interview.score = 3
        interview.recorded_by = lead
        interview.recorded_at = timezone.now()
        interview.save()

    with workflow.transition(bid, "approve", lead, reason="Approved as a pilot.") as change:
        Decision.objects.create(
            bid=change.record,
            outcome=Decision.Outcome.APPROVED,
            reasons="Strong joint working across the three core services.",
            feedback="The panel was impressed by the commitment of all three core services.",
            decided_by=lead,
        )
        award = awards.offer(change.record, funding_round.base_award, supplement, justification, lead)
    return award


# Councils' bids: partners and real supporting documents -------------------------------


def partner(bid, sector, actor=None, name=None):
    fields = {"name": name} if name else {}
    return PartnerFactory(bid=bid, sector=sector, added_by=actor or bid.created_by, **fields)


def pdf_bytes(text="Children's services plan"):
    """A small real PDF, as a council's word processor would export it."""

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


def docx_bytes():
    """A minimal Word document with the parts Word itself needs."""
    return _zip(
        [
            (
                "[Content_Types].xml",
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            ),
            (
                "_rels/.rels",
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
            ),
            (
                "word/document.xml",
                '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Plan</w:t></w:r></w:p></w:body></w:document>',
            ),
        ]
    )


def xlsx_bytes():
    workbook = Workbook()
    workbook.active["A1"] = "Budget"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt_bytes():
    """A minimal OpenDocument text: the stored 'mimetype' member comes first."""
    return _zip(
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            (
                "META-INF/manifest.xml",
                '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.text"/></manifest:manifest>',
            ),
            (
                "content.xml",
                '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
                'opendocument:xmlns:office:1.0"/>',
            ),
        ]
    )


# Officials' assessment ------------------------------------------------------------------


def lead_user():
    return User.objects.filter(role=Role.LEAD, is_active=True).first() or user(Role.LEAD)


def under_assessment_bid(funding_round=None, authority_code="KEN", assessors=(), council=None, lead=None):
    """A submitted bid the lead has started assessing, with these assessors assigned."""

    lead = lead or lead_user()
    bid = submitted_bid(funding_round, authority_code, council)
    for assessor in assessors:
        assign(bid, assessor, lead)
    return workflow.change_state(bid, "begin_assessment", lead)


def submit_scores(bid, assessor, values, recommendation="shortlist", submit=True):
    """The assessor scores each criterion in order (values: one 0-4 score per criterion)."""

    criteria = scoring.criteria_for(bid)
    scores = {c.pk: (v, f"Comment on {c.name}") for c, v in zip(criteria, values, strict=True)}
    return scoring.save(
        bid, assessor, scores=scores, recommendation=recommendation, summary="Summary.", submit=submit
    )


def conflict(assessor, authority_code, reason="Former employer", declared_by=None):
    return conflicts.declare(assessor, authority(authority_code), reason, declared_by or assessor)


def interview_time(funding_round, day_offset=1, hour=10):
    day = funding_round.interviews_start_on + timedelta(days=day_offset)
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def shortlisted_bid(funding_round=None, authority_code="KEN", assessors=(), council=None, lead=None):
    lead = lead or lead_user()
    bid = under_assessment_bid(funding_round, authority_code, assessors, council, lead)
    return workflow.change_state(bid, "shortlist", lead, reason="Scored above the line.")


def interview_booked_bid(funding_round=None, authority_code="KEN", assessors=(), council=None, lead=None):
    lead = lead or lead_user()
    bid = shortlisted_bid(funding_round, authority_code, assessors, council, lead)
    interviews.schedule(
        bid,
        lead,
        starts_at=interview_time(bid.funding_round),
        duration_minutes=60,
        location="Wellington House, 133-155 Waterloo Road, London SE1 8UG",
        video_link="",
        panel=[lead, *assessors],
    )
    bid.refresh_from_db()
    return bid


def interviewed_bid(
    funding_round=None, authority_code="KEN", assessors=(), council=None, lead=None, checked=True
):
    """A bid whose interview has been held: ready for the decision. `checked`: with a passed
    due diligence check on its authority, as approving needs."""
    lead = lead or lead_user()
    bid = interview_booked_bid(funding_round, authority_code, assessors, council, lead)
    interviews.record(bid, lead, notes="Strong answers on governance.", score=3, now=interview_over(bid))
    if checked:
        passed_check(bid, lead)
    bid.refresh_from_db()
    return bid


def passed_check(bid, lead, kind=CheckKind.SPOTLIGHT, result=CheckResult.PASSED, note=""):
    """A due diligence check on the bid's authority, recorded through its verb."""
    return diligence.record_check(
        bid, lead, kind=kind, result=result, checked_on=timezone.localdate() - timedelta(days=1), note=note
    )


def approver(requester):
    """An official who may approve what `requester` asked for: an administrator, never them."""
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=requester.pk)
    return admins.first() or user(Role.ADMIN)


def pay_in_full(award, lead, approved_by=None, paid_on=None):
    """Every instalment of an award whose condition is met, through the payments door: the
    lead requests each, another official approves it, and its payment is recorded."""
    approved_by = approved_by or approver(lead)
    payments.release_first_return(award)
    for instalment in award.instalments.order_by("number"):
        payments.request(instalment, lead)
        payments.approve(instalment, approved_by)
        payments.record_paid(
            instalment,
            lead,
            reference=f"DH-PAY-{award.pk:04d}-{instalment.number}",
            paid_on=paid_on or timezone.localdate(),
        )
    award.refresh_from_db()
    return award


# Interview panels --------------------------------------------------------------------------


def interview_over(bid):
    """When the bid's booked interview ends: a `now` at which it may be recorded and scored
    (None, the verbs' default of now, when none is booked)."""
    interview = bid.interviews.filter(state=Interview.State.SCHEDULED).first()
    return interview and interview.starts_at + timedelta(minutes=interview.duration_minutes)
