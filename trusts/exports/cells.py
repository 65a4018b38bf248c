"""The cell and CSV helpers every export format shares.

Each format turns an award into typed values (Decimals, dates, text); this module says how
such a value is written safely (no formula injection, London dates, pounds with pence), how
CSV text is streamed row by row or written to a file in batches, and how a builder reports
its progress.
"""

import csv
import io
from decimal import Decimal
from itertools import islice

from django.utils import timezone

# How often (in rows) a running export records its progress for the page to show.
PROGRESS_EVERY = 10
# Rows handed to the csv module at a time when writing a file: enough that the cost of each
# call vanishes, few enough that memory stays flat however many awards there are.
WRITE_ROWS = 2000
BYTE_ORDER_MARK = "\ufeff"  # so that Excel reads the CSV as UTF-8

# Characters that make a spreadsheet treat a cell as a formula (CSV injection, OWASP), in
# their ASCII and full-width forms; spreadsheets skip leading spaces, tabs, line breaks and
# non-breaking spaces before deciding, so those are looked past.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
SKIPPED_BEFORE = " \t\r\n\u00a0\u2007\u202f\u3000\ufeff"
# A text whose first character is none of these is safe as it is, which is almost every text:
# checking that first keeps neutralising cheap on a million cells.
LOOKED_AT = FORMULA_STARTS | frozenset(SKIPPED_BEFORE)


def neutralise(value):
    """A text cell that cannot run as a formula: a single quote before a risky start, or
    before a tab or carriage return that some spreadsheets read as one."""
    if not isinstance(value, str) or not value or value[0] not in LOOKED_AT:
        return value
    first = value.lstrip(SKIPPED_BEFORE)[:1]
    if first in FORMULA_STARTS or value[0] in "\t\r":
        return "'" + value
    return value


def london_date(value):
    return timezone.localtime(value).date() if value else None


def iso(value):
    if value is None:
        return ""
    return (london_date(value) if hasattr(value, "hour") else value).isoformat()


def pounds(value):
    return f"{value:.2f}"


def json_number(value):
    """360Giving amounts are JSON numbers: whole pounds as integers, otherwise pounds and pence."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def report(progress, written, force=False):
    if progress is not None and (force or written % PROGRESS_EVERY == 0):
        progress(written)


class Echo:
    """A file-like object whose write returns what it was given, for streaming csv rows."""

    def write(self, value):
        return value


def csv_text(cells):
    """Typed cells as CSV text, whatever type each is: for formats whose columns are mixed."""
    out = []
    for cell in cells:
        if isinstance(cell, Decimal):
            out.append(pounds(cell))
        elif hasattr(cell, "isoformat"):
            out.append(cell.isoformat())
        elif cell is None:
            out.append("")
        else:
            out.append(neutralise(str(cell)))
    return out


# The same conversions one column at a time, for a format that knows each column's type and
# so need not ask what each cell is.


def text_cell(value):
    """Text that cannot run as a formula; nothing as an empty cell."""
    if value.__class__ is str and (not value or value[0] not in LOOKED_AT):
        return value  # the usual case, answered without a further call
    return "" if value is None else neutralise(str(value))


def pounds_cell(value):
    """Pounds with pence, from a Decimal or from text the database already wrote that way."""
    if value.__class__ is str:
        return value
    return "" if value is None else pounds(value)


def date_cell(value):
    """An ISO date, from a date or from text the database already wrote that way."""
    if value.__class__ is str:
        return value
    return "" if value is None else value.isoformat()


def counted(rows, progress):
    """The rows, reporting progress as each one is handed on, and at the end."""
    written = 0
    for row in rows:
        yield row
        written += 1
        report(progress, written)
    report(progress, written, force=True)


def csv_chunks(header, rows, progress=None):
    """UTF-8 CSV text of rows of text cells, one chunk per row, starting with a byte order
    mark: for a response that sends each row as it is read."""
    writer = csv.writer(Echo())
    yield BYTE_ORDER_MARK + writer.writerow(header)
    for cells in counted(rows, progress):
        yield writer.writerow(cells)


def write_csv(header, rows, out, progress=None):
    """Write rows of text cells as UTF-8 CSV to the binary file `out`, a batch of rows at a
    time; the same bytes as `csv_chunks`. Returns the number of rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text)
        text.write(BYTE_ORDER_MARK)
        writer.writerow(header)
        rows = iter(rows if progress is None else counted(rows, progress))
        written = 0
        while batch := list(islice(rows, WRITE_ROWS)):
            writer.writerows(batch)
            written += len(batch)
        text.flush()
    finally:
        text.detach()  # `out` stays open: it belongs to the caller
    return written
