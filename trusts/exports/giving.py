"""The awards as 360Giving grants, for publishing to GrantNav: a JSON package and its CSV.

Only awards that stand (offered, accepted, condition met or paid) are grants. This module
holds the funder's and each council's 360Giving identifiers and the standard's field names.
"""

import json
from decimal import Decimal

from django.utils import timezone

from core.money import money

from ..enums import COMMITTED_STATES, FUNDER_NAME, FUNDER_ORG_ID, GRANT_PREFIX, AwardState
from ..queries import awards_in
from .cells import csv_chunks, iso, json_number, report, write_csv

# 360Giving geoCodeType for each kind of ONS GSS code (the codelist's values).
GEO_CODE_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}

GIVING_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
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
    "From an open call?",
    "Last modified",
]


def recipient_org_id(authority):
    """The council's org-id: its GB-LAE register code.

    Councils abolished before the register began (Bedfordshire, Cheshire) have no GB-LAE
    code and no other registered identifier. 360Giving's identifier guidance says to use
    the publisher's own 360G prefix with an internal identifier in that case, so they get
    360G-DoH-LA-<our authority code>.
    """
    return authority.org_id or f"{GRANT_PREFIX}-LA-{authority.code}"


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
        "id": f"{GRANT_PREFIX}-{award.pk}",
        "title": f"{authority.short_name} children's trust pilot",
        "description": description,
        "currency": "GBP",
        "amountAwarded": json_number(award.total),
        "amountDisbursed": json_number(award.total if award.state == AwardState.PAID else 0),
        "awardDate": iso(award.offered_at),
        "recipientOrganization": [{"id": recipient_org_id(authority), "name": authority.name}],
        "fundingOrganization": [{"id": FUNDER_ORG_ID, "name": FUNDER_NAME}],
        "grantProgramme": [{"code": funding_round.code, "title": funding_round.name}],
        "fromOpenCall": "Yes",
        "dateModified": timezone.localtime(award.last_changed_at or award.offered_at).isoformat(),
    }
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
    return [
        record["id"],
        record["title"],
        record["description"],
        record["currency"],
        Decimal(str(record["amountAwarded"])),
        Decimal(str(record["amountDisbursed"])),
        record["awardDate"],
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


def write_giving_json(funding_round, out, progress=None):
    """A 360Giving package, {"grants": [...]}, written one grant at a time."""
    out.write(b'{\n  "grants": [')
    written = 0
    for record in grants_in(funding_round):
        out.write((",\n    " if written else "\n    ").encode())
        out.write(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        written += 1
        report(progress, written)
    out.write(b"\n  ]\n}\n")
    report(progress, written, force=True)
    return written


def giving_csv_chunks(funding_round=None, progress=None):
    return csv_chunks(GIVING_COLUMNS, map(giving_cells, grants_in(funding_round)), progress)


def write_giving_csv(funding_round, out, progress=None):
    return write_csv(giving_csv_chunks(funding_round, progress), out)
