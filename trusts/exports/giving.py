"""The awards as 360Giving grants, for publishing to GrantNav: a JSON package and its CSV.

Only awards that stand (offered, accepted, condition met or paid) are grants. This module
holds the funder's and each council's 360Giving identifiers and the standard's field names.
"""

import json
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from core.money import money

from ..enums import COMMITTED_STATES, FUNDER_NAME, FUNDER_ORG_ID, GRANT_PREFIX
from ..queries import awards_in
from .cells import csv_chunks, csv_text, iso, json_number, report, write_csv

# 360Giving geoCodeType for each kind of ONS GSS code (the codelist's values).
GEO_CODE_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}

# The standard's version, and the licence public-sector data is published under.
STANDARD_VERSION = "1.4"
LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

# The column titles are the standard's own (360-giving-schema.json's "title"s), which is how
# GrantNav and the Data Quality Tool find each field in a spreadsheet.
GIVING_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Planned Dates:Duration (months)",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "From An Open Call?",
    "Last Modified",
]


def recipient_org_id(authority):
    """The council's org-id: its GB-LAE register code.

    Councils abolished before the register began (Bedfordshire, Cheshire) have no GB-LAE
    code and no other registered identifier. 360Giving's identifier guidance says to use
    the publisher's own 360G prefix with an internal identifier in that case, so they get
    360G-DoH-LA-<our authority code>.
    """
    return authority.org_id or f"{GRANT_PREFIX}-LA-{authority.code}"


def months_after(start, months):
    """The day before the same day `months` later: a pilot of 36 months from 31 December
    2003 runs to 30 December 2006 (the day clamped in shorter months)."""
    return start + relativedelta(months=months) - timedelta(days=1)


def grant_id(award):
    """Stable across databases: the publisher's prefix and the bid's reference, which holds
    the round's code and the council's (360G-DoH-CTP-2003-KEN)."""
    return f"{GRANT_PREFIX}-{award.bid.reference}"


def grant(award):
    """One award as a 360Giving grant (only awards that stand: offered, accepted, met or paid)."""
    bid = award.bid
    authority = bid.authority
    funding_round = bid.funding_round
    description = (
        f"Funding for {authority.name} to run a pilot children's trust, unifying social care, health "
        f"and education services for children, in {funding_round.name}."
    )
    if award.supplement_amount:
        description += (
            f" Includes a supplement of {money(award.supplement_amount)} for a large or complex trust."
        )
    record = {
        "id": grant_id(award),
        "title": f"{authority.short_name} children's trust pilot",
        "description": description,
        "currency": "GBP",
        "amountAwarded": json_number(award.total),
        "awardDate": iso(award.offered_at),
        "plannedDates": [
            {
                "startDate": funding_round.operational_on.isoformat(),
                "endDate": months_after(funding_round.operational_on, funding_round.pilot_months).isoformat(),
                "duration": funding_round.pilot_months,
            }
        ],
        "recipientOrganization": [{"id": recipient_org_id(authority), "name": authority.name}],
        "fundingOrganization": [{"id": FUNDER_ORG_ID, "name": FUNDER_NAME}],
        "grantProgramme": [{"code": funding_round.code, "title": funding_round.name}],
        "fromOpenCall": "Yes",
        "dateModified": timezone.localtime(award.last_changed_at or award.offered_at).isoformat(),
    }
    if award.amount_paid > 0:
        # What has been paid so far: its paid instalments (trusts.queries.awards_in). The
        # standard makes it optional, so a grant with nothing paid yet leaves it out.
        record["amountDisbursed"] = json_number(award.amount_paid)
    if authority.gss_code:
        record["beneficiaryLocation"] = [
            {
                "name": authority.short_name,
                "countryCode": "GB",
                "geoCode": authority.gss_code,
                "geoCodeType": GEO_CODE_TYPES.get(authority.gss_code[:3], ""),
            }
        ]
    return record


def giving_cells(record):
    location = (record.get("beneficiaryLocation") or [{}])[0]
    planned = record["plannedDates"][0]
    return [
        record["id"],
        record["title"],
        record["description"],
        record["currency"],
        Decimal(str(record["amountAwarded"])),
        Decimal(str(record["amountDisbursed"])) if "amountDisbursed" in record else "",
        record["awardDate"],
        planned["startDate"],
        planned["endDate"],
        planned["duration"],
        record["recipientOrganization"][0]["id"],
        record["recipientOrganization"][0]["name"],
        record["fundingOrganization"][0]["id"],
        record["fundingOrganization"][0]["name"],
        location.get("name", ""),
        location.get("countryCode", ""),
        location.get("geoCode", ""),
        location.get("geoCodeType", ""),
        record["grantProgramme"][0]["code"],
        record["grantProgramme"][0]["title"],
        record["fromOpenCall"],
        record["dateModified"],
    ]


def grants_in(funding_round):
    awards = awards_in(funding_round, states=COMMITTED_STATES).iterator(chunk_size=500)
    return map(grant, awards)


def package_metadata(funding_round):
    """What the package says of itself: the standard's version, who publishes it, under
    which licence, and when it was issued."""
    scope = funding_round.name if funding_round is not None else "all rounds"
    return {
        "version": STANDARD_VERSION,
        "title": f"{FUNDER_NAME}: children's trust pilot grants, {scope}",
        "issued": timezone.localdate().isoformat(),
        "publisher": {"identifier": FUNDER_ORG_ID, "name": FUNDER_NAME, "website": settings.SITE_URL},
        "license": LICENCE,
    }


def has_grants(funding_round):
    """Whether there is anything to publish: the standard rejects a package of no grants."""
    return awards_in(funding_round, states=COMMITTED_STATES).exists()


def write_giving_json(funding_round, out, progress=None):
    """A 360Giving package, {metadata..., "grants": [...]}, written one grant at a time."""
    metadata = json.dumps(package_metadata(funding_round), ensure_ascii=False, indent=2)
    out.write(metadata[:-2].encode("utf-8") + b',\n  "grants": [')
    written = 0
    for record in grants_in(funding_round):
        out.write((",\n    " if written else "\n    ").encode())
        out.write(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        written += 1
        report(progress, written)
    out.write(b"\n  ]\n}\n")
    report(progress, written, force=True)
    return written


def giving_csv_rows(funding_round):
    return (csv_text(giving_cells(record)) for record in grants_in(funding_round))


def giving_csv_chunks(funding_round=None, progress=None):
    return csv_chunks(GIVING_COLUMNS, giving_csv_rows(funding_round), progress)


def write_giving_csv(funding_round, out, progress=None):
    return write_csv(GIVING_COLUMNS, giving_csv_rows(funding_round), out, progress)
