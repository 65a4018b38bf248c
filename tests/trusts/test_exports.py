"""Every export format: its shape, its safety, the 360Giving values, and that its figures are the pages'."""

import csv
import io
import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from bids.models import Assessment, Bid, BidState, Moderation
from reference.models import LocalAuthority
from tests import factories
from trusts import payments
from trusts.enums import AwardState
from trusts.exports.awards_table import AWARD_COLUMNS, awards_csv_chunks
from trusts.exports.cells import iso, neutralise
from trusts.exports.formats import build_bytes
from trusts.exports.giving import GIVING_COLUMNS, months_after
from trusts.models import FundingAward

from .conftest import award_in_state, pounds, tables
from .test_programme_pages import SPREAD, spread  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def csv_rows(raw):
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def pdf_text(raw):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages).split())


def build(fmt, funding_round=None):
    return build_bytes(fmt, funding_round)


# CSV ----------------------------------------------------------------------------------


def test_awards_csv_has_one_row_per_award(spread):  # noqa: F811
    funding_round, made = spread
    rows = csv_rows(build("csv", funding_round))
    assert rows[0] == [
        "Reference",
        "Local authority",
        "Region",
        "GSS code",
        "Round",
        "Status",
        "Base award (£)",
        "Supplement (£)",
        "Total award (£)",
        "Offered on",
        "Accepted on",
        "Amount paid (£)",
        "Last paid on",
        "GGIS grant reference",
    ]
    assert len(rows) == 1 + len(SPREAD)
    kent = next(row for row in rows if row[1] == "Kent County Council")
    award = next(award for award in made if award.bid.authority.code == "KEN")
    assert kent == [
        award.bid.reference,
        "Kent County Council",
        "South East",
        "E10000016",
        funding_round.name,
        "Paid",
        "60000.00",
        "25000.00",
        "85000.00",
        iso(award.offered_at),
        iso(award.responded_at),
        "85000.00",
        award.paid_on.isoformat(),
        "",  # no GGIS grant reference given
    ]
    declined = next(row for row in rows if row[1] == "Leeds City Council")
    assert declined[5] == "Declined" and declined[10:13] == ["", "0.00", ""]


def test_csv_is_written_one_row_at_a_time(spread):  # noqa: F811
    funding_round, _ = spread
    written = []
    chunks = list(awards_csv_chunks(funding_round, progress=written.append))
    assert len(chunks) == 1 + len(SPREAD)
    assert chunks[0].startswith("\ufeffReference,")
    assert written[-1] == len(SPREAD)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_could_run_as_formulas_are_neutralised(start, lead):
    LocalAuthority.objects.filter(code="KEN").update(name=f'{start}HYPERLINK("http://evil.example","Kent")')
    award_in_state(AwardState.PAID, lead=lead, council=factories.user(Role.COUNCIL, "KEN"))
    rows = csv_rows(build("csv"))
    assert rows[1][1] == f'\'{start}HYPERLINK("http://evil.example","Kent")'
    giving = csv_rows(build("360giving-csv"))
    assert giving[1][GIVING_COLUMNS.index("Recipient Org:Name")].startswith(f"'{start}")
    sheet = load_workbook(io.BytesIO(build("xlsx"))).active
    # (the XML inside an XLSX stores a carriage return as a line feed)
    assert sheet["B2"].value[0] == "'" and sheet["B2"].value.endswith(
        'HYPERLINK("http://evil.example","Kent")'
    )
    assert sheet["B2"].data_type == "s"


def test_neutralise_leaves_ordinary_values_alone():
    assert neutralise("Kent County Council") == "Kent County Council"
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise(Decimal("-5")) == Decimal("-5")  # numbers are numbers, not text


# XLSX ---------------------------------------------------------------------------------


SUMIF = re.compile(r'SUMIF\(([A-Z])(\d+):[A-Z](\d+),"([^"]+)",([A-Z])\d+:[A-Z]\d+\)')


def spreadsheet_value(sheet, row, column):
    """A totals cell's value as a spreadsheet works it out: each SUMIF term of its formula
    sums the amount column over the rows whose status cell holds the named state."""
    formula = sheet.cell(row, column).value
    assert formula.startswith("="), formula
    total = Decimal("0")
    terms = SUMIF.findall(formula)
    assert (
        "+".join(f'SUMIF({t[0]}{t[1]}:{t[0]}{t[2]},"{t[3]}",{t[4]}{t[1]}:{t[4]}{t[2]})' for t in terms)
        == formula[1:]
    )
    for status, first, last, state, amount in terms:
        for number in range(int(first), int(last) + 1):
            if sheet[f"{status}{number}"].value == state:
                total += Decimal(str(sheet[f"{amount}{number}"].value))
    return total


def test_xlsx_is_a_formatted_sheet_with_totals(spread):  # noqa: F811
    funding_round, made = spread
    sheet = load_workbook(io.BytesIO(build("xlsx", funding_round))).active
    assert sheet.title == "Awards"
    assert [cell.value for cell in sheet[1]] == [title for title, _ in AWARD_COLUMNS]
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("0B0C0C")
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 40
    assert sheet["G2"].number_format == '"£"#,##0.00' and sheet["J2"].number_format == "d mmm yyyy"
    assert sheet.max_row == 1 + len(SPREAD) + 3
    awarded, declined, withdrawn = (sheet.max_row - 2, sheet.max_row - 1, sheet.max_row)
    assert sheet.cell(awarded, 1).value == "Awarded (offered, accepted, conditions met, paid)"
    assert sheet.cell(awarded, 1).font.bold
    # The totals are formulas over the rows above, by status, so a correction in the sheet
    # carries into them; worked out here as a spreadsheet would.
    assert sheet.cell(awarded, 9).value.startswith('=SUMIF(F2:F8,"Offered",I2:I8)+')
    standing = [award for award in made if award.state not in (AwardState.DECLINED, AwardState.WITHDRAWN)]
    assert spreadsheet_value(sheet, awarded, 9) == sum(award.total for award in standing)
    assert spreadsheet_value(sheet, awarded, 7) == Decimal("60000") * len(standing)
    assert sheet.cell(declined, 1).value == "Declined, not counted as awarded"
    assert spreadsheet_value(sheet, declined, 9) == Decimal("70000")
    assert spreadsheet_value(sheet, withdrawn, 9) == Decimal("60000")
    assert isinstance(sheet["J2"].value, datetime)


# 360Giving ----------------------------------------------------------------------------


def grants(funding_round=None):
    return json.loads(build("360giving", funding_round))["grants"]


def test_360giving_package_has_the_standards_required_fields(spread):  # noqa: F811
    funding_round, made = spread
    package = grants(funding_round)
    standing = [award for award in made if award.state not in (AwardState.DECLINED, AwardState.WITHDRAWN)]
    assert len(package) == len(standing) == 5
    for grant in package:
        assert {
            "id",
            "title",
            "description",
            "currency",
            "amountAwarded",
            "awardDate",
            "recipientOrganization",
            "fundingOrganization",
        } <= set(grant)


def test_360giving_field_values(spread):  # noqa: F811
    funding_round, made = spread
    kent_award = next(award for award in made if award.bid.authority.code == "KEN")
    # The identifier is built from the bid's reference, so it is the same in any database.
    kent = next(
        grant for grant in grants(funding_round) if grant["id"] == f"360G-DoH-{kent_award.bid.reference}"
    )
    assert kent["title"] == "Kent children's trust pilot"
    assert "Kent County Council" in kent["description"] and funding_round.name in kent["description"]
    assert kent["currency"] == "GBP"
    assert kent["amountAwarded"] == 85000 and isinstance(kent["amountAwarded"], int)
    assert kent["amountDisbursed"] == 85000
    assert kent["awardDate"] == iso(kent_award.offered_at)
    assert kent["recipientOrganization"] == [{"id": "GB-LAE-KEN", "name": "Kent County Council"}]
    assert kent["fundingOrganization"] == [{"id": "GB-GOR-D12", "name": "Department of Health"}]
    assert kent["beneficiaryLocation"] == [
        {"name": "Kent", "countryCode": "GB", "geoCode": "E10000016", "geoCodeType": "CTY"}
    ]
    assert kent["grantProgramme"] == [{"code": funding_round.code, "title": funding_round.name}]
    start = funding_round.operational_on
    assert kent["plannedDates"] == [
        {
            "startDate": start.isoformat(),
            "endDate": months_after(start, 36).isoformat(),
            "duration": 36,
        }
    ]
    types = {
        grant["recipientOrganization"][0]["id"]: grant["beneficiaryLocation"][0]["geoCodeType"]
        for grant in grants(funding_round)
    }
    assert types == {
        "GB-LAE-BST": "UA",
        "GB-LAE-BIR": "MD",
        "GB-LAE-CMD": "LONB",
        "GB-LAE-DUR": "UA",
        "GB-LAE-KEN": "CTY",
    }
    offered = next(
        grant for grant in grants(funding_round) if grant["recipientOrganization"][0]["id"] == "GB-LAE-DUR"
    )
    assert "amountDisbursed" not in offered  # nothing paid yet: the optional field is left out


def test_360giving_award_date_is_the_london_date(lead):
    award = award_in_state(AwardState.OFFERED, lead=lead, council=factories.user(Role.COUNCIL, "KEN"))
    FundingAward.objects.filter(pk=award.pk).update(offered_at=datetime(2003, 6, 30, 23, 30, tzinfo=UTC))
    assert grants()[0]["awardDate"] == "2003-07-01"


def test_council_without_register_codes_gets_our_own_identifier_and_no_location(lead):
    award_in_state(AwardState.OFFERED, lead=lead, council=factories.user(Role.COUNCIL, "BEDS"))
    (grant,) = grants()
    assert grant["recipientOrganization"] == [
        {"id": "360G-DoH-LA-BEDS", "name": "Bedfordshire County Council"}
    ]
    assert "beneficiaryLocation" not in grant
    row = csv_rows(build("360giving-csv"))[1]
    assert row[GIVING_COLUMNS.index("Beneficiary Location:Geographic Code")] == ""


def test_360giving_csv_uses_the_standards_column_titles(spread):  # noqa: F811
    funding_round, _ = spread
    rows = csv_rows(build("360giving-csv", funding_round))
    for title in [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Funding Org:Identifier",
        "Funding Org:Name",
        "Beneficiary Location:Geographic Code",
        "Beneficiary Location:Geographic Code Type",
    ]:
        assert title in rows[0], title
    by_id = {grant["id"]: grant for grant in grants(funding_round)}
    assert len(rows) == 1 + len(by_id)
    for row in rows[1:]:
        record = dict(zip(rows[0], row, strict=True))
        grant = by_id[record["Identifier"]]
        assert Decimal(record["Amount Awarded"]) == Decimal(grant["amountAwarded"])
        assert record["Award Date"] == grant["awardDate"]
        assert record["Recipient Org:Identifier"] == grant["recipientOrganization"][0]["id"]
        assert record["Funding Org:Identifier"] == "GB-GOR-D12"
        assert record["Beneficiary Location:Geographic Code"] == grant["beneficiaryLocation"][0]["geoCode"]


# Programme summary PDF ----------------------------------------------------------------


def test_summary_pdf_has_bids_by_state_scores_and_awards_by_region(spread, lead, assessor):  # noqa: F811
    funding_round, made = spread
    factories.submitted_bid(funding_round, "LIV")
    bristol, birmingham = made[0].bid, made[1].bid
    Assessment.objects.create(bid=bristol, assessor=assessor, state="submitted", weighted_total=Decimal("60"))
    Assessment.objects.create(bid=bristol, assessor=lead, state="submitted", weighted_total=Decimal("70"))
    Assessment.objects.create(
        bid=birmingham, assessor=assessor, state="submitted", weighted_total=Decimal("10"), set_aside=True
    )
    Assessment.objects.create(bid=birmingham, assessor=lead, state="draft", weighted_total=Decimal("20"))
    Moderation.objects.create(bid=birmingham, score=Decimal("80"), reason="Panel view", moderated_by=lead)
    text = pdf_text(build("pdf", funding_round))
    assert f"Programme summary: {funding_round.name}" in text
    assert "Submitted 1" in text and "Approved 7" in text and "Total 8" in text
    assert "Approved 2 72.5% 65.0% 80.0%" in text  # mean of 65 (assessors) and 80 (moderated)
    assert "Budget £1,000,000: £385,000 awarded, £615,000 left." in text
    assert "Pilot places: 5 of 10 awarded." in text


def test_every_figure_in_every_export_is_the_pages_figure(spread, client_for, lead):  # noqa: F811
    funding_round, _ = spread
    for code, state in [("WIL", AwardState.ACCEPTED), ("POL", AwardState.PAID)]:  # more in the South West
        award_in_state(
            state, lead=lead, council=factories.user(Role.COUNCIL, code), funding_round=funding_round
        )
    client = client_for(lead)
    listed = tables(
        client.get(reverse("trusts:awards"), {"funding_round": funding_round.slug}).content.decode()
    )["awards"]
    page_rows = {row[0].split("CTP-")[0]: [pounds(cell) for cell in row[3:6]] for row in listed[1:-3]}
    page_totals = [pounds(cell) for cell in listed[-3][1:4]]  # awarded: the awards that stand
    budget_page = client.get(
        reverse("trusts:budget", kwargs={"round_slug": funding_round.slug})
    ).content.decode()
    regions = {row[0]: row[1:] for row in tables(budget_page)["budget-by-region"][1:]}

    # CSV: each award's amounts, and their sums, are the awards list's.
    rows = csv_rows(build("csv", funding_round))[1:]
    assert {row[1]: [Decimal(cell) for cell in row[6:9]] for row in rows} == page_rows
    standing = [row for row in rows if row[5] not in ("Declined", "Withdrawn")]
    assert [sum(Decimal(row[index]) for row in standing) for index in (6, 7, 8)] == page_totals
    # The budget page's "awarded" is the list's.
    assert pounds(regions["Total"][1]) == page_totals[2]

    # XLSX: the awarded row is the awards list's awarded row.
    sheet = load_workbook(io.BytesIO(build("xlsx", funding_round))).active
    assert [spreadsheet_value(sheet, sheet.max_row - 2, column) for column in (7, 8, 9)] == page_totals

    # 360Giving: what it says was awarded and disbursed is the budget view's awarded and paid.
    package = grants(funding_round)
    assert len(package) == int(regions["Total"][0])
    assert sum(Decimal(str(grant["amountAwarded"])) for grant in package) == pounds(regions["Total"][1])
    assert sum(Decimal(str(grant.get("amountDisbursed", 0))) for grant in package) == pounds(
        regions["Total"][5]
    )
    giving_rows = csv_rows(build("360giving-csv", funding_round))
    column = giving_rows[0].index("Amount Awarded")
    assert sum(Decimal(row[column]) for row in giving_rows[1:]) == pounds(regions["Total"][1])

    # PDF: every region's line is the budget view's row.
    text = pdf_text(build("pdf", funding_round))
    for region, cells in regions.items():
        assert f"{region} {' '.join(cells)}" in text, region


def test_the_budget_pages_payment_figures_are_the_exports(client_for, lead, admin_user):
    """Scheduled, approved and paid: one definition (trusts.queries), the same on the budget
    page, in the awards list's totals, the CSV and XLSX, 360Giving and the summary PDF."""
    funding_round = factories.open_round(total_budget=Decimal("1000000"))

    def met(code, supplement=0):
        return award_in_state(
            AwardState.CONDITIONS_MET,
            lead=lead,
            council=factories.user(Role.COUNCIL, code),
            funding_round=funding_round,
            supplement=supplement,
        )

    requested = met("KEN", 40000)  # £60,000 requested, £40,000 scheduled
    payments.request(requested.instalments.get(number=1), lead)
    approved = met("BST")  # £60,000 approved, not paid
    payments.request(approved.instalments.get(), lead)
    payments.approve(approved.instalments.get(), admin_user)
    part_paid = met("CMD", 20000)  # £60,000 paid, £20,000 still scheduled
    instalment = part_paid.instalments.get(number=1)
    payments.request(instalment, lead)
    payments.approve(instalment, admin_user)
    payments.record_paid(instalment, lead, reference="DH-1", paid_on=timezone.localdate())
    factories.pay_in_full(met("DUR", 10000), lead, admin_user)  # £70,000 paid
    withdrawn = award_in_state(
        AwardState.WITHDRAWN,
        lead=lead,
        council=factories.user(Role.COUNCIL, "LDS"),
        funding_round=funding_round,
    )
    assert withdrawn.instalments.count() == 1  # its £60,000 stays scheduled but does not stand

    client = client_for(lead)
    budget_page = client.get(
        reverse("trusts:budget", kwargs={"round_slug": funding_round.slug})
    ).content.decode()
    figures = {
        name: pounds(re.search(rf'data-figure="{name}">([^<]+)<', budget_page).group(1))
        for name in ("awarded", "scheduled", "approved", "paid")
    }
    assert figures == {
        "awarded": Decimal("310000"),
        "scheduled": Decimal("120000"),  # KEN's two (one requested) and CMD's second
        "approved": Decimal("60000"),
        "paid": Decimal("130000"),
    }
    assert figures["scheduled"] + figures["approved"] + figures["paid"] == figures["awarded"]
    listed = client.get(reverse("trusts:awards"), {"funding_round": funding_round.slug}).content.decode()
    for name in ("scheduled", "approved", "paid"):
        assert pounds(re.search(rf'data-total="{name}">([^<]+)<', listed).group(1)) == figures[name]

    rows = csv_rows(build("csv", funding_round))
    paid_column = rows[0].index("Amount paid (£)")
    assert sum(Decimal(row[paid_column]) for row in rows[1:]) == figures["paid"]
    last_paid = rows[0].index("Last paid on")
    assert [row[last_paid] for row in rows[1:] if row[last_paid]] == [timezone.localdate().isoformat()] * 2

    sheet = load_workbook(io.BytesIO(build("xlsx", funding_round))).active
    assert sheet.cell(1, paid_column + 1).value == "Amount paid (£)"
    assert spreadsheet_value(sheet, sheet.max_row - 2, paid_column + 1) == figures["paid"]  # the awarded row

    package = grants(funding_round)
    assert sum(Decimal(str(grant.get("amountDisbursed", 0))) for grant in package) == figures["paid"]
    assert sorted(grant.get("amountDisbursed") for grant in package if "amountDisbursed" in grant) == [
        60000,
        70000,
    ]

    text = pdf_text(build("pdf", funding_round))
    assert "Total 4 £310,000 £310,000 £120,000 £60,000 £130,000" in text


def test_bids_by_state_in_the_summary_match_the_database(spread):  # noqa: F811
    funding_round, _ = spread
    text = pdf_text(build("pdf", funding_round))
    for state in BidState:
        count = Bid.objects.filter(funding_round=funding_round, state=state).count()
        assert f"{state.label} {count}" in text


# The management command ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "360giving", "360giving-csv", "pdf"])
def test_export_awards_command_uses_the_same_builders(fmt, spread, tmp_path):  # noqa: F811
    funding_round, _ = spread
    out = tmp_path / f"export.{fmt}"
    stdout = io.StringIO()
    call_command(
        "export_awards", "--format", fmt, "--output", str(out), "--round", funding_round.slug, stdout=stdout
    )
    assert out.read_bytes() == build(fmt, funding_round) or fmt in ("xlsx", "pdf")
    expected = 5 if fmt.startswith("360giving") else len(SPREAD)
    assert f"{expected} awards written to {out}" in stdout.getvalue()
    if fmt == "xlsx":
        assert load_workbook(out).active.max_row == 1 + len(SPREAD) + 3  # awarded, declined, withdrawn
    if fmt == "pdf":
        assert "Awards by region" in pdf_text(out.read_bytes())


def test_export_awards_command_covers_all_rounds_without_a_round(spread, lead, tmp_path):  # noqa: F811
    award_in_state(AwardState.PAID, lead=lead, council=factories.user(Role.COUNCIL, "LIV"))
    out = tmp_path / "all.csv"
    call_command("export_awards", "--format", "csv", "--output", str(out), stdout=io.StringIO())
    assert len(csv_rows(out.read_bytes())) == 1 + len(SPREAD) + 1


def test_export_awards_command_explains_an_unknown_round(tmp_path, open_round):
    with pytest.raises(CommandError, match=f"There is no round called 'nope'. Rounds: .*{open_round.slug}"):
        call_command(
            "export_awards", "--format", "csv", "--output", str(tmp_path / "x.csv"), "--round", "nope"
        )
    with pytest.raises(CommandError):
        call_command("export_awards", "--format", "docx", "--output", str(tmp_path / "x.csv"))
