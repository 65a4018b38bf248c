"""The awards as a table: one row per award, as CSV (streamed) or as a formatted XLSX sheet.

Both formats write the same typed cells (`award_cells`), so the CSV and the spreadsheet
always agree with each other and with the awards list.
"""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..queries import awards_in
from .cells import csv_chunks, london_date, neutralise, report, write_csv

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
    ("Paid on", 13),
]
MONEY_COLUMNS = {6, 7, 8}
DATE_COLUMNS = {9, 10, 11}


def award_cells(award):
    """One award as typed values (Decimals, dates); each format writes them its own way."""
    bid = award.bid
    authority = bid.authority
    return [
        bid.reference,
        authority.name,
        authority.get_region_display(),
        authority.gss_code,
        bid.funding_round.name,
        award.get_state_display(),
        award.base_amount,
        award.supplement_amount,
        award.total,
        london_date(award.offered_at),
        london_date(award.accepted_at),
        award.paid_on,
    ]


def awards_csv_chunks(funding_round=None, progress=None):
    awards = awards_in(funding_round).iterator(chunk_size=500)
    return csv_chunks([title for title, _ in AWARD_COLUMNS], map(award_cells, awards), progress)


def write_awards_csv(funding_round, out, progress=None):
    return write_csv(awards_csv_chunks(funding_round, progress), out)


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

    def cell(value, column=None, bold=False, top_rule=False):
        item = WriteOnlyCell(sheet, value=neutralise(value))
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
    totals = [Decimal("0")] * 3
    written = 0
    for award in awards_in(funding_round).iterator(chunk_size=500):
        values = award_cells(award)
        sheet.append([cell(value, column) for column, value in enumerate(values)])
        for offset in range(3):
            totals[offset] += values[6 + offset]
        written += 1
        report(progress, written)
    total_row = [cell(f"Total: {written} award{'s' if written != 1 else ''}", bold=True, top_rule=True)]
    total_row += [cell(None, top_rule=True) for _ in range(5)]
    total_row += [
        cell(amount, column, bold=True, top_rule=True)
        for column, amount in zip((6, 7, 8), totals, strict=True)
    ]
    total_row += [cell(None, top_rule=True) for _ in range(3)]
    sheet.append(total_row)
    workbook.save(out)
    report(progress, written, force=True)
    return written
