"""The 360Giving file as the standard has it: checked against the standard's own package
schema (version 1.4.3, vendored in tests/trusts/schemas), its column titles, its metadata,
planned dates and identifiers; a round with nothing to publish gets a clear message rather
than a file the standard rejects; and each 2003 council's beneficiary location is the GSS
code of the same area."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from accounts.models import Role
from reference.models import LocalAuthority
from tests import factories
from trusts.enums import AwardState
from trusts.exports.formats import build_bytes
from trusts.exports.giving import GIVING_COLUMNS, LICENCE, months_after

from .conftest import award_in_state
from .test_exports import csv_rows
from .test_programme_pages import spread  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"


def schema(name):
    return json.loads((SCHEMAS / name).read_text())


def validator():
    grant_schema = schema("360-giving-schema.json")
    # The schemas name their dialect with an http:// address the library does not know:
    # it is draft 2020-12, said here.
    resource = Resource(contents=grant_schema, specification=DRAFT202012)
    registry = Registry().with_resource(grant_schema["$id"], resource)
    return Draft202012Validator(
        schema("360-giving-package-schema.json"),
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def problems(package):
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator().iter_errors(package)
    ]


def test_the_package_is_valid_against_the_standards_schema(spread):  # noqa: F811
    funding_round, _ = spread
    package = json.loads(build_bytes("360giving", funding_round))
    assert problems(package) == []
    assert len(package["grants"]) == 5
    # The schema checks what it can; these are what a department publishes with.
    assert package["version"] == "1.4"
    assert package["license"] == LICENCE
    assert package["publisher"]["identifier"] == "GB-GOR-D12"
    assert package["publisher"]["name"] == "Department of Health"


def test_the_schema_check_is_real():
    assert problems({"grants": []})  # a package of no grants is rejected by the standard
    assert problems({"grants": [{"id": "x"}]})
    assert problems(
        {
            "grants": [
                {
                    "id": "360G-DoH-1",
                    "title": "t",
                    "description": "d",
                    "currency": "GBP",
                    "amountAwarded": 1,
                    "awardDate": "2003-07-01",
                    "recipientOrganization": [{"id": "GB-LAE-KEN", "name": "Kent"}],
                    "fundingOrganization": [{"id": "GB-GOR-D12", "name": "DoH"}],
                    "plannedDates": [{"startDate": "31/12/2003"}],
                }
            ]
        }
    )


def schema_titles():
    """Every column title the standard defines for a flat file: "Title" and "Parent:Child"."""
    grant_schema = schema("360-giving-schema.json")
    definitions = grant_schema["$defs"]
    titles = set()
    for prop in grant_schema["properties"].values():
        if "$ref" in prop:  # a property defined once in $defs (currency)
            prop = definitions[prop["$ref"].rsplit("/", 1)[1]]
        if "title" not in prop:
            continue
        titles.add(prop["title"])
        ref = (prop.get("items") or {}).get("$ref", "")
        if ref.startswith("#/$defs/"):
            for child in definitions[ref.rsplit("/", 1)[1]].get("properties", {}).values():
                if "title" in child:
                    titles.add(f"{prop['title']}:{child['title']}")
    return titles


def test_every_csv_column_is_titled_exactly_as_the_standard_titles_it(spread):  # noqa: F811
    funding_round, _ = spread
    header = csv_rows(build_bytes("360giving-csv", funding_round))[0]
    assert header == GIVING_COLUMNS
    assert set(header) - schema_titles() == set()
    assert {"From An Open Call?", "Last Modified", "Planned Dates:Duration (months)"} <= set(header)


def test_the_csv_rows_carry_the_planned_dates(spread):  # noqa: F811
    funding_round, _ = spread
    rows = csv_rows(build_bytes("360giving-csv", funding_round))
    start, end, months = (
        rows[0].index(f"Planned Dates:{title}") for title in ("Start Date", "End Date", "Duration (months)")
    )
    assert {(row[start], row[end], row[months]) for row in rows[1:]} == {
        (
            funding_round.operational_on.isoformat(),
            months_after(funding_round.operational_on, 36).isoformat(),
            "36",
        )
    }


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2003, 12, 31), 36, date(2006, 12, 30)),
        (date(2004, 1, 1), 12, date(2004, 12, 31)),
        (
            date(2003, 11, 30),
            3,
            date(2004, 2, 28),
        ),  # 30 February does not exist: clamped, then the day before
        (date(2004, 1, 31), 1, date(2004, 2, 28)),  # a leap year: 29 February is the same day a month on
    ],
)
def test_a_pilot_ends_the_day_before_the_same_day_its_period_later(start, months, end):
    assert months_after(start, months) == end


def test_identifiers_are_the_same_in_any_database(lead):
    award = award_in_state(AwardState.OFFERED, lead=lead, council=factories.user(Role.COUNCIL, "KEN"))
    (grant,) = json.loads(build_bytes("360giving", award.bid.funding_round))["grants"]
    assert grant["id"] == f"360G-DoH-{award.bid.reference}" and str(award.pk) not in grant["id"].split("-")


def test_a_round_with_no_standing_awards_is_told_so_not_given_a_file(client_for, lead, open_round):
    award_in_state(
        AwardState.DECLINED, lead=lead, council=factories.user(Role.COUNCIL, "KEN"), funding_round=open_round
    )
    client = client_for(lead)
    for fmt in ("360giving", "360giving-csv"):
        response = client.post(reverse("trusts:reports"), {"format": fmt, "funding_round": open_round.slug})
        page = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in page
        assert f"{open_round.name} has no awards that stand" in page.replace("&#x27;", "'")
        assert f'value="{open_round.slug}" selected' in page  # what was chosen is kept
    # The awards themselves can still be exported.
    response = client.post(reverse("trusts:reports"), {"format": "csv", "funding_round": open_round.slug})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


SAME_AREA = {
    "BKM": "E10000002",
    "DOR": "E10000009",
    "NYK": "E10000023",
    "SOM": "E10000027",
    "CMA": "E10000006",
    "NTH": "E10000021",
    "BMH": "E06000028",
    "POL": "E06000029",
    "CON": "E06000052",
    "DUR": "E06000047",
    "NBL": "E06000057",
    "SHR": "E06000051",
    "WIL": "E06000054",
}


def test_each_council_has_the_gss_code_of_its_own_area():
    codes = dict(LocalAuthority.objects.values_list("code", "gss_code"))
    assert {code: codes[code] for code in SAME_AREA} == SAME_AREA
    # Only the two councils whose areas were split in 2009, before GSS codes began, have none.
    assert sorted(code for code, gss in codes.items() if not gss) == ["BEDS", "CHES"]
    counties = LocalAuthority.objects.filter(kind="county").exclude(
        code__in=["CON", "DUR", "NBL", "SHR", "WIL"]
    )
    assert all(
        gss.startswith("E10") for gss in counties.exclude(gss_code="").values_list("gss_code", flat=True)
    )


def test_every_2003_grant_has_a_beneficiary_location(lead):
    for code in ("BKM", "DOR", "NYK", "SOM", "CMA", "NTH", "BMH", "POL"):
        award_in_state(AwardState.OFFERED, lead=lead, council=factories.user(Role.COUNCIL, code))
    package = json.loads(build_bytes("360giving", None))
    assert problems(package) == []
    assert {grant["beneficiaryLocation"][0]["geoCode"] for grant in package["grants"]} == {
        SAME_AREA[code] for code in ("BKM", "DOR", "NYK", "SOM", "CMA", "NTH", "BMH", "POL")
    }
    assert Decimal(str(package["grants"][0]["amountAwarded"])) > 0
