"""The awards as a table: one row per award, as CSV (streamed) or as a formatted XLSX sheet.

Both formats write the same cells (`award_cells`), so the CSV and the spreadsheet always
agree with each other and with the awards list.

The rows are read as plain values in one query (`award_rows`), not as model instances: at a
million awards, building an award, its bid, authority and round for each row was most of the
time an export took. The figures are still the awards list's own (`trusts.queries.awards_in`,
with its paid amount and last payment), and the London dates are worked out by the database.
On PostgreSQL the CSV also has the database write its money and dates as text, the very text
it would write from the Decimals and dates (tests/trusts/test_exports_csv.py holds the two to
each other), which saves converting a million of each twice.
"""

from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.db.models import CharField, Func, TextField
from django.db.models.functions import Cast, TruncDate
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.london import LONDON
from reference.models import LocalAuthority

from ..enums import COMMITTED_STATES, NOT_STANDING_STATES, AwardState
from ..models import FundingAward
from ..queries import awards_in
from .cells import csv_chunks, date_cell, neutralise, pounds_cell, report, text_cell, write_csv

AWARD_COLUMNS = [
    ("Reference", 18),
    ("Local authority", 40),
    ("Region", 24),
    ("GSS code", 12),
    ("Round", 32),
    ("Status", 16),
    ("Base award (£)", 16),
    ("Supplement (£)", 16),
    ("Total award (£)", 16),
    ("Offered on", 13),
    ("Accepted on", 13),
    ("Amount paid (£)", 16),
    ("Last paid on", 13),
    ("GGIS grant reference", 24),
]
MONEY_COLUMNS = {6, 7, 8, 11}
DATE_COLUMNS = {9, 10, 12}
HEADER = [title for title, _ in AWARD_COLUMNS]

# What each row is read from, in `award_cells`' order: the award list's query, its paid amount
# and last payment (awards_in's annotations), and the London days of the offer and the reply.
AWARD_FIELDS = (
    "bid__reference",
    "bid__authority__name",
    "bid__authority__region",
    "bid__authority__gss_code",
    "bid__funding_round__name",
    "state",
    "base_amount",
    "supplement_amount",
    "total",
    "offered_on",
    "responded_on",
    "amount_paid",
    "last_paid_on",
    "ggis_reference",
)
# Rows fetched from the database at a time (through a server-side cursor on PostgreSQL).
FETCH_ROWS = 5000

# The words get_region_display() and get_state_display() show, from the fields' own choices.
REGION_LABELS = {value: str(label) for value, label in LocalAuthority._meta.get_field("region").flatchoices}
STATE_LABELS = {value: str(label) for value, label in FundingAward._meta.get_field("state").flatchoices}


@contextmanager
def without_jit():
    """PostgreSQL compiles a query it expects to be costly, as this one is at many awards, into
    machine code before running it: 0.5 to 1 s of compiling (a third of a 100,000-row CSV, and
    seconds on a busy machine) that a scan with joins never wins back. Off for this connection
    while the rows are read, then back to the server's setting."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET jit")
        except DatabaseError:
            # The reading failed with its transaction or its connection: rolling the one back
            # undoes the setting, and Django closes the other. Let that first error be seen.
            pass


class IsoDay(Func):
    """A date as PostgreSQL writes it in ISO form (2003-12-31), as date.isoformat() does."""

    function = "to_char"
    template = "%(function)s(%(expressions)s, 'YYYY-MM-DD')"
    output_field = CharField()


def as_written(column):
    """The money or date in `column` as text PostgreSQL writes exactly as the CSV would: an
    amount is numeric with two places, so it prints as "60000.00"; a day in ISO form."""
    name = AWARD_FIELDS[column]
    return Cast(name, TextField()) if column in MONEY_COLUMNS else IsoDay(name)


def award_rows(funding_round=None, text=False):
    """Each award of the round (or of all rounds) as a tuple of AWARD_FIELDS, in the list's order.

    The money is Decimal pounds and the dates are dates, unless `text` is asked for on
    PostgreSQL: then they come as the text the CSV writes, so that neither the driver nor Python
    has to convert a million of each (on SQLite they stay typed, and the CSV formats them).
    """
    awards = awards_in(funding_round).annotate(
        offered_on=TruncDate("offered_at", tzinfo=LONDON),
        responded_on=TruncDate("responded_at", tzinfo=LONDON),
    )
    fields = AWARD_FIELDS
    if text and connection.vendor == "postgresql":
        written = {
            f"{AWARD_FIELDS[column]}_text": as_written(column) for column in MONEY_COLUMNS | DATE_COLUMNS
        }
        awards = awards.annotate(**written)
        fields = [f"{name}_text" if f"{name}_text" in written else name for name in AWARD_FIELDS]
    with without_jit():
        yield from awards.values_list(*fields).iterator(chunk_size=FETCH_ROWS)


def award_cells(row):
    """One award (a row of AWARD_FIELDS) as typed values (Decimals, dates); each format
    writes them its own way. (The money and dates stay the text the database wrote when the
    CSV read them as text: see award_rows.)"""
    (
        reference,
        authority,
        region,
        gss_code,
        round_name,
        state,
        base,
        supplement,
        total,
        offered_on,
        responded_on,
        paid,
        last_paid_on,
        ggis_reference,
    ) = row
    return [
        reference,
        authority,
        REGION_LABELS.get(region, region),
        gss_code,
        round_name,
        STATE_LABELS.get(state, state),
        base,
        supplement,
        total,
        offered_on,
        # Accepted on: the reply, unless the reply was to decline (FundingAward.accepted_at).
        None if state == AwardState.DECLINED else responded_on,
        paid,  # its paid instalments (trusts.queries.awards_in)
        last_paid_on,
        ggis_reference,
    ]


def csv_cells(cells):
    """An award's typed cells as the CSV's text: pounds with pence, ISO dates, neutralised text."""
    (
        reference,
        authority,
        region,
        gss_code,
        round_name,
        status,
        base,
        supplement,
        total,
        offered_on,
        accepted_on,
        paid,
        last_paid_on,
        ggis_reference,
    ) = cells
    return (
        text_cell(reference),
        text_cell(authority),
        text_cell(region),
        text_cell(gss_code),
        text_cell(round_name),
        text_cell(status),
        pounds_cell(base),
        pounds_cell(supplement),
        pounds_cell(total),
        date_cell(offered_on),
        date_cell(accepted_on),
        pounds_cell(paid),
        date_cell(last_paid_on),
        text_cell(ggis_reference),
    )


def csv_rows(funding_round):
    """Each award as the CSV's text cells."""
    for row in award_rows(funding_round, text=True):
        yield csv_cells(award_cells(row))


STATUS_COLUMN = 5


def total_rows():
    """(label, state labels summed) for the rows under the sheet: what is awarded (the awards
    that stand, as on the budget page), then each state that does not, on its own."""
    standing = [state.label for state in COMMITTED_STATES]
    rows = [(f"Awarded ({', '.join(standing).lower()})", standing)]
    rows += [(f"{state.label}, not counted as awarded", [state.label]) for state in NOT_STANDING_STATES]
    return rows


def sum_formula(column, states, rows):
    """A spreadsheet formula summing `column` over the award rows whose status is one of
    `states`, so the totals follow any correction made in the sheet."""
    if not rows:
        return 0
    letter, status = get_column_letter(column + 1), get_column_letter(STATUS_COLUMN + 1)
    last = rows + 1
    return "=" + "+".join(
        f'SUMIF({status}2:{status}{last},"{state}",{letter}2:{letter}{last})' for state in states
    )


def awards_csv_chunks(funding_round=None, progress=None):
    return csv_chunks(HEADER, csv_rows(funding_round), progress)


def write_awards_csv(funding_round, out, progress=None):
    return write_csv(HEADER, csv_rows(funding_round), out, progress)


def write_awards_xlsx(funding_round, out, progress=None):
    """A formatted sheet: bold header, money and date formats, widths, frozen header, totals."""

    # Write-only mode streams rows to disk, so memory stays flat however many awards there are.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Awards")
    sheet.freeze_panes = "A2"
    for index, (_, width) in enumerate(AWARD_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0B0C0C")
    money_format = '"£"#,##0.00'
    date_format = "d mmm yyyy"

    def cell(value, column=None, bold=False, top_rule=False, formula=False):
        # Text from the database is neutralised; only our own totals are formulas.
        item = WriteOnlyCell(sheet, value=value if formula else neutralise(value))
        if column in MONEY_COLUMNS:
            item.number_format = money_format
        elif column in DATE_COLUMNS:
            item.number_format = date_format
        if bold:
            item.font = Font(bold=True)
        if top_rule:
            item.border = Border(top=Side(style="medium"))
        return item

    header = []
    for title, _ in AWARD_COLUMNS:
        item = WriteOnlyCell(sheet, value=title)
        item.font = header_font
        item.fill = header_fill
        item.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(item)
    sheet.append(header)
    written = 0
    for row in award_rows(funding_round):
        sheet.append([cell(value, column) for column, value in enumerate(award_cells(row))])
        written += 1
        report(progress, written)
    for label, states in total_rows():
        row = [cell(label, bold=True, top_rule=True)]
        row += [
            cell(sum_formula(column, states, written), column, bold=True, top_rule=True, formula=True)
            if column in MONEY_COLUMNS
            else cell(None, top_rule=True)
            for column in range(1, len(AWARD_COLUMNS))
        ]
        sheet.append(row)
    workbook.save(out)
    report(progress, written, force=True)
    return written
