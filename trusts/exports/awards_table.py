"""The awards as a table: one row per award, as CSV (streamed) or as a formatted XLSX sheet.

Both formats write the same typed cells (`award_cells`), so the CSV and the spreadsheet
always agree with each other and with the awards list.
"""

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..enums import COMMITTED_STATES, NOT_STANDING_STATES
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
    ("Amount paid (£)", 16),
    ("Last paid on", 13),
    ("GGIS grant reference", 24),
]
MONEY_COLUMNS = {6, 7, 8, 11}
DATE_COLUMNS = {9, 10, 12}


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
        award.amount_paid,  # its paid instalments (trusts.queries.awards_in)
        award.last_paid_on,
        award.ggis_reference,
    ]


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
    for award in awards_in(funding_round).iterator(chunk_size=500):
        sheet.append([cell(value, column) for column, value in enumerate(award_cells(award))])
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
