"""The cell and CSV helpers every export format shares.

Each format turns an award into typed values (Decimals, dates, text); this module says how
such a value is written safely (no formula injection, London dates, pounds with pence), how
CSV text is streamed row by row, and how a builder reports its progress.
"""

import csv
from decimal import Decimal

from django.utils import timezone

# How often (in rows) a running export records its progress for the page to show.
PROGRESS_EVERY = 10

# Characters that make a spreadsheet treat a cell as a formula (CSV injection).
# Characters that make a spreadsheet treat a cell as a formula (CSV injection, OWASP), in
# their ASCII and full-width forms; spreadsheets skip leading spaces, tabs, line breaks and
# non-breaking spaces before deciding, so those are looked past.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
SKIPPED_BEFORE = " \t\r\n\u00a0\u2007\u202f\u3000\ufeff"


def neutralise(value):
    """A text cell that cannot run as a formula: a single quote before a risky start, or
    before a tab or carriage return that some spreadsheets read as one."""
    if not isinstance(value, str) or not value:
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


def csv_chunks(header, rows, progress=None):
    """UTF-8 CSV text, one chunk per row, starting with a byte order mark so Excel reads it as UTF-8."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(header)
    written = 0
    for cells in rows:
        written += 1
        yield writer.writerow(csv_text(cells))
        report(progress, written)
    report(progress, written, force=True)


def write_csv(chunks, out):
    written_rows = -1  # the header is not a row
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
        written_rows += 1
    return written_rows
