"""The awards CSV byte for byte on a small fixed example, through every way it is built.

Pinned before the CSV builder was made fast (one query of plain values, batches of rows), so
the speed-up provably changed nothing: the same columns, money as Decimal pounds with pence,
London dates on either side of midnight in summer and winter, formula-looking text
neutralised, CSV quoting, the byte order mark and CRLF line ends.
"""

import hashlib
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from reference.models import LocalAuthority
from tests import factories
from trusts import payments
from trusts.enums import AwardState, ExportState
from trusts.exports import awards_table, cells, jobs
from trusts.exports.awards_table import (
    award_cells,
    award_rows,
    awards_csv_chunks,
    csv_cells,
    write_awards_csv,
)
from trusts.exports.cells import neutralise
from trusts.exports.formats import build_bytes
from trusts.models import FundingAward, ReportExport

from .conftest import award_in_state

pytestmark = pytest.mark.django_db

# 23:30 UTC: the same day in London in winter (GMT), the next day in summer (BST).
WINTER = datetime(2024, 1, 10, 23, 30, tzinfo=UTC)
SUMMER = datetime(2024, 7, 15, 23, 30, tzinfo=UTC)
# Only the base instalment of one summer award is paid, a fortnight later.
PAID_AT = datetime(2024, 8, 1, 12, tzinfo=UTC)

NAMES = {
    "KEN": '=HYPERLINK("http://evil.example","Kent")',
    "DUR": ' +Durham, "County"\nCouncil',
    "CMD": "Camden Café",
}


@pytest.fixture
def pinned_awards(lead):
    """Two rounds, a winter one and a summer one, with awards in every state, each taken there
    through the real verbs."""
    for code, name in NAMES.items():
        LocalAuthority.objects.filter(code=code).update(name=name)

    def council(code):
        return factories.user(Role.COUNCIL, code)

    with time_machine.travel(WINTER, tick=False):
        winter = factories.open_round(name='Winter round, "2024"', slug="winter-2024", code="W24")
        award_in_state(
            AwardState.PAID, lead=lead, council=council("KEN"), funding_round=winter, supplement="25000.50"
        )
        award_in_state(AwardState.DECLINED, lead=lead, council=council("LDS"), funding_round=winter)
        offered = award_in_state(AwardState.OFFERED, lead=lead, council=council("BST"), funding_round=winter)
        FundingAward.objects.filter(pk=offered.pk).update(ggis_reference="-GGIS-0001")
    with time_machine.travel(SUMMER, tick=False):
        summer = factories.open_round(name="Summer round", slug="summer-2024", code="S24")
        award_in_state(
            AwardState.ACCEPTED,
            lead=lead,
            council=council("BIR"),
            funding_round=summer,
            supplement="39999.99",
        )
        award_in_state(AwardState.WITHDRAWN, lead=lead, council=council("NFK"), funding_round=summer)
        award_in_state(AwardState.PAID, lead=lead, council=council("DUR"), funding_round=summer)
        part_paid = award_in_state(
            AwardState.CONDITIONS_MET,
            lead=lead,
            council=council("CMD"),
            funding_round=summer,
            supplement=20000,
        )
        FundingAward.objects.filter(pk=part_paid.pk).update(ggis_reference="G-2024, 17")
    with time_machine.travel(PAID_AT, tick=False):
        base = part_paid.instalments.get(number=1)
        payments.request(base, lead)
        payments.approve(base, factories.approver(lead))
        payments.record_paid(base, lead, reference="DH-PAY-CMD-1", paid_on=PAID_AT.date())
    return winter, summer


HEADER = (
    "\ufeffReference,Local authority,Region,GSS code,Round,Status,Base award (£),Supplement (£),"
    "Total award (£),Offered on,Accepted on,Amount paid (£),Last paid on,GGIS grant reference\r\n"
)
WINTER_ROWS = (
    'CTP-W24-KEN,"\'=HYPERLINK(""http://evil.example"",""Kent"")",South East,E10000016,'
    '"Winter round, ""2024""",Paid,60000.00,25000.50,85000.50,2024-01-10,2024-01-10,85000.50,2024-01-10,\r\n'
    'CTP-W24-BST,Bristol City Council,South West,E06000023,"Winter round, ""2024""",Offered,'
    "60000.00,0.00,60000.00,2024-01-10,,0.00,,'-GGIS-0001\r\n"
    'CTP-W24-LDS,Leeds City Council,Yorkshire and the Humber,E08000035,"Winter round, ""2024""",Declined,'
    "60000.00,0.00,60000.00,2024-01-10,,0.00,,\r\n"
)
SUMMER_ROWS = (
    'CTP-S24-DUR,"\' +Durham, ""County""\nCouncil",North East,E06000047,Summer round,Paid,'
    "60000.00,0.00,60000.00,2024-07-16,2024-07-16,60000.00,2024-07-16,\r\n"
    "CTP-S24-BIR,Birmingham City Council,West Midlands,E08000025,Summer round,Accepted,"
    "60000.00,39999.99,99999.99,2024-07-16,2024-07-16,0.00,,\r\n"
    "CTP-S24-CMD,Camden Café,London,E09000007,Summer round,Conditions met,"
    '60000.00,20000.00,80000.00,2024-07-16,2024-07-16,60000.00,2024-08-01,"G-2024, 17"\r\n'
    "CTP-S24-NFK,Norfolk County Council,East of England,E10000020,Summer round,Withdrawn,"
    "60000.00,0.00,60000.00,2024-07-16,2024-07-16,0.00,,\r\n"
)


def test_one_round_is_pinned_byte_for_byte(pinned_awards):
    winter, summer = pinned_awards
    assert build_bytes("csv", winter) == (HEADER + WINTER_ROWS).encode("utf-8")
    assert build_bytes("csv", summer) == (HEADER + SUMMER_ROWS).encode("utf-8")


def test_all_rounds_are_pinned_byte_for_byte_newest_round_first(pinned_awards):
    assert build_bytes("csv", None) == (HEADER + SUMMER_ROWS + WINTER_ROWS).encode("utf-8")


def test_the_streamed_csv_is_the_built_csv(pinned_awards):
    winter, _ = pinned_awards
    streamed = "".join(awards_csv_chunks(winter)).encode("utf-8")
    assert streamed == build_bytes("csv", winter) == (HEADER + WINTER_ROWS).encode("utf-8")


def test_the_background_job_writes_the_same_bytes(pinned_awards, admin_user):
    export = ReportExport.objects.create(format="csv", requested_by=admin_user)
    jobs.run_export(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.rows_written == export.rows_total == 7
    with export.file.open("rb") as stored:
        assert stored.read() == (HEADER + SUMMER_ROWS + WINTER_ROWS).encode("utf-8")


def test_an_empty_round_is_the_header_alone(lead):
    empty = factories.open_round()
    assert build_bytes("csv", empty) == HEADER.encode("utf-8")
    assert "".join(awards_csv_chunks(empty)).encode("utf-8") == HEADER.encode("utf-8")


def test_the_360giving_csv_sharing_the_csv_helpers_is_unchanged(pinned_awards):
    """The 360Giving CSV is written by the same helpers (cells.csv_chunks); pinned by its digest."""
    raw = build_bytes("360giving-csv", None)
    assert raw.startswith("\ufeffIdentifier,Title,".encode())
    assert (len(raw), hashlib.sha256(raw).hexdigest()) == (
        2734,
        "aa67b5da4f0f7aab0c801d80012faa1668d808821089246a33ab405e6359e4c5",
    )


# How it is built fast, and that each shortcut writes what the plain way writes --------------


def test_the_database_written_money_and_dates_are_the_ones_python_writes(pinned_awards):
    """On PostgreSQL the CSV takes its money and dates as text the database wrote (`text=True`);
    they must be exactly what the CSV writes from the typed values (on SQLite both are typed)."""
    written = [csv_cells(award_cells(row)) for row in award_rows(None, text=True)]
    typed = [csv_cells(award_cells(row)) for row in award_rows(None)]
    assert written == typed
    assert len(written) == 7


def test_the_spreadsheet_still_gets_typed_values(pinned_awards):
    winter, _ = pinned_awards
    kent = next(award_cells(row) for row in award_rows(winter) if row[0] == "CTP-W24-KEN")
    assert kent[6:13] == [
        Decimal("60000.00"),
        Decimal("25000.50"),
        Decimal("85000.50"),
        date(2024, 1, 10),
        date(2024, 1, 10),
        Decimal("85000.50"),
        date(2024, 1, 10),
    ]


def test_building_the_csv_takes_the_same_queries_however_many_awards(lead):
    funding_round = factories.open_round()
    award_in_state(
        AwardState.PAID, lead=lead, council=factories.user(Role.COUNCIL, "KEN"), funding_round=funding_round
    )
    with CaptureQueriesContext(connection) as one:
        build_bytes("csv", funding_round)
    for code in ["BST", "BIR", "CMD", "DUR"]:
        award_in_state(
            AwardState.OFFERED,
            lead=lead,
            council=factories.user(Role.COUNCIL, code),
            funding_round=funding_round,
        )
    with CaptureQueriesContext(connection) as five:
        assert build_bytes("csv", funding_round).count(b"\r\n") == 1 + 5
    assert len(five) == len(one)


def test_a_file_written_in_batches_is_the_streamed_csv(pinned_awards, monkeypatch):
    monkeypatch.setattr(cells, "WRITE_ROWS", 2)  # seven rows: batches of 2, 2, 2 and 1
    out = io.BytesIO()
    assert write_awards_csv(None, out) == 7
    assert out.getvalue() == "".join(awards_csv_chunks(None)).encode("utf-8")
    assert out.getvalue() == (HEADER + SUMMER_ROWS + WINTER_ROWS).encode("utf-8")


def test_writing_leaves_the_file_open_for_its_owner():
    out = io.BytesIO()
    cells.write_csv(["A", "B"], [["1", "2"]], out)
    assert not out.closed
    assert out.getvalue() == "\ufeffA,B\r\n1,2\r\n".encode()


def test_progress_is_reported_as_rows_are_written_and_at_the_end(pinned_awards, monkeypatch):
    monkeypatch.setattr(cells, "PROGRESS_EVERY", 3)
    seen = []
    assert write_awards_csv(None, io.BytesIO(), progress=seen.append) == 7
    assert seen == [3, 6, 7]


def slow_neutralise(value):
    """neutralise() as it was before it looked at the first character first."""
    if not isinstance(value, str) or not value:
        return value
    first = value.lstrip(cells.SKIPPED_BEFORE)[:1]
    if first in cells.FORMULA_STARTS or value[0] in "\t\r":
        return "'" + value
    return value


def test_the_quick_look_at_the_first_character_changes_no_cell():
    risky = "=+-@\uff1d\uff0b\uff0d\uff20"
    starts = [chr(code) for code in range(0x250)] + list(cells.SKIPPED_BEFORE) + list(risky)
    texts = [start + rest for start in starts for rest in ("", "x", "=1", " +1", "\t@", "Kent")]
    texts += ["  \u00a0=SUM(A1)", "\ufeff-1", "\u3000\uff20x", " \t\r\n"]
    for text in texts:
        assert neutralise(text) == slow_neutralise(text), repr(text)
        assert cells.text_cell(text) == slow_neutralise(text), repr(text)
    assert cells.text_cell(None) == ""


def test_money_and_dates_the_database_wrote_are_kept_as_they_are():
    assert cells.pounds_cell(Decimal("25000.5")) == "25000.50"
    assert cells.pounds_cell("25000.50") == "25000.50"
    assert cells.pounds_cell(None) == ""
    assert cells.date_cell(date(2024, 7, 16)) == "2024-07-16"
    assert cells.date_cell("2024-07-16") == "2024-07-16"
    assert cells.date_cell(None) == ""


def test_a_background_export_records_its_progress_a_bounded_number_of_times(
    pinned_awards, admin_user, monkeypatch
):
    """Each record of progress is an UPDATE: a million rows must not make a million of them."""
    monkeypatch.setattr(cells, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(jobs, "PROGRESS_STEPS", 3)  # seven rows: a record every 7 // 3 = 2 rows
    export = ReportExport.objects.create(format="csv", requested_by=admin_user)
    recorded = []
    real_cells = awards_table.award_cells

    def watched(row):
        recorded.append(ReportExport.objects.values_list("rows_written", flat=True).get(pk=export.pk))
        return real_cells(row)

    monkeypatch.setattr(awards_table, "award_cells", watched)
    jobs.run_export(export.pk)
    assert recorded == [0, 0, 2, 2, 4, 4, 6]  # the seventh is recorded with the file
    export.refresh_from_db()
    assert (export.state, export.rows_written) == (ExportState.DONE, 7)
