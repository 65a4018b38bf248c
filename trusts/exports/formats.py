"""The export formats the reports page offers, and building one.

The registry (`FORMATS`) is the one place a format is named: its file name, content type,
builder, whether it can be streamed, and which awards it covers. The page, the Celery job
and `export_awards` all build through `build` here.
"""

import io
from dataclasses import dataclass

from django.utils import timezone

from ..enums import COMMITTED_STATES, ExportFormat
from ..queries import AWARDS_PER_PAGE, awards_in
from .awards_table import awards_csv_chunks, write_awards_csv, write_awards_xlsx
from .giving import giving_csv_chunks, write_giving_csv, write_giving_json
from .summary import write_summary_pdf

# Exports of more awards than one page of the awards list are built by a Celery task.
BACKGROUND_THRESHOLD = AWARDS_PER_PAGE


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    content_type: str
    stem: str
    write: object  # (funding_round, out, progress) -> rows written
    stream: object = None  # (funding_round) -> chunks of text, for formats sent as they are written
    states: tuple = ()  # award states the file covers; empty for all

    @property
    def label(self):
        return ExportFormat(self.key).label


FORMATS = {
    ExportFormat.CSV: Format(
        "csv", "csv", "text/csv; charset=utf-8", "awards", write_awards_csv, stream=awards_csv_chunks
    ),
    ExportFormat.XLSX: Format(
        "xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "awards",
        write_awards_xlsx,
    ),
    ExportFormat.GIVING_JSON: Format(
        "360giving",
        "json",
        "application/json",
        "360giving-grants",
        write_giving_json,
        states=tuple(COMMITTED_STATES),
    ),
    ExportFormat.GIVING_CSV: Format(
        "360giving-csv",
        "csv",
        "text/csv; charset=utf-8",
        "360giving-grants",
        write_giving_csv,
        stream=giving_csv_chunks,
        states=tuple(COMMITTED_STATES),
    ),
    ExportFormat.PDF: Format("pdf", "pdf", "application/pdf", "programme-summary", write_summary_pdf),
}


def row_count(fmt, funding_round):
    """How many awards the export covers: what decides whether it is built in the background."""
    return awards_in(funding_round, states=FORMATS[fmt].states or None).count()


def filename_for(fmt, funding_round, now=None):
    spec = FORMATS[fmt]
    scope = funding_round.slug if funding_round else "all-rounds"
    day = timezone.localtime(now or timezone.now()).date().isoformat()
    return f"{spec.stem}-{scope}-{day}.{spec.extension}"


def build(fmt, funding_round, out, progress=None):
    """Write the export to the binary file `out`. Returns the number of award rows written."""
    return FORMATS[fmt].write(funding_round, out, progress)


def build_bytes(fmt, funding_round):
    buffer = io.BytesIO()
    build(fmt, funding_round, buffer)
    return buffer.getvalue()
