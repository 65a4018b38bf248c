"""Award reports: the builders behind the reports page, the Celery task and `export_awards`.

Every builder reads the same querysets the pages read (trusts/queries.py), so each figure in
a file equals the figure on the page. Builders write row by row and report progress, so a
large export can run in a worker while the page shows how far it has got.
"""

import csv
import io
import json
import logging
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.money import money
from core.templatetags.service import percent

from .enums import COMMITTED_STATES, AwardState, ExportFormat, ExportState
from .models import ReportExport
from .queries import AWARDS_PER_PAGE, awards_in, bid_counts_by_state, figures_for, scores_by_state

logger = logging.getLogger(__name__)

# Exports of more awards than one page of the awards list are built by a Celery task.
BACKGROUND_THRESHOLD = AWARDS_PER_PAGE
# How often (in rows) a running export records its progress for the page to show.
PROGRESS_EVERY = 10

# The funder, as 360Giving identifies it: the Department of Health in the UK government
# organisation register (org-id.guide list GB-GOR), and its 360Giving grant prefix.
FUNDER_ORG_ID = "GB-GOR-D12"
FUNDER_NAME = "Department of Health"
GRANT_PREFIX = "360G-DoH"

# 360Giving geoCodeType for each kind of ONS GSS code (the codelist's values).
GEO_CODE_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}

# Characters that make a spreadsheet treat a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that cannot run as a formula: prefix a single quote to risky starts."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
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


# Awards as a table --------------------------------------------------------------------

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


def awards_csv_chunks(funding_round=None, progress=None):
    awards = awards_in(funding_round).iterator(chunk_size=500)
    return csv_chunks([title for title, _ in AWARD_COLUMNS], map(award_cells, awards), progress)


def write_csv(chunks, out):
    written_rows = -1  # the header is not a row
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
        written_rows += 1
    return written_rows


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


# 360Giving ------------------------------------------------------------------------------

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
            f" Includes a supplement of £{award.supplement_amount:,.0f} for a large or complex trust."
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


# Programme summary PDF ------------------------------------------------------------------


def write_summary_pdf(funding_round, out, progress=None):
    """Bids by status, their scores, and awards by region with totals."""

    sheet = getSampleStyleSheet()
    title = ParagraphStyle("t", parent=sheet["Title"], fontName="Helvetica-Bold", fontSize=18, alignment=0)
    heading = ParagraphStyle("h", parent=sheet["Heading2"], fontName="Helvetica-Bold", fontSize=13)
    body = ParagraphStyle("b", parent=sheet["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
    scope = funding_round.name if funding_round else "All rounds"

    def table(rows, widths, total_row=True):
        item = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
        style = [
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ("FONTNAME", (0, 1), (-1, -1), "Helvetica"),
            ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor("#0b0c0c")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor("#b1b4b6")),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if total_row:
            style += [
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.HexColor("#0b0c0c")),
            ]
        item.setStyle(TableStyle(style))
        return item

    story = [
        Paragraph(f"Programme summary: {scope}", title),
        Paragraph(
            f"Children's trust pilot programme, {FUNDER_NAME}. "
            f"Produced {timezone.localtime():%-d %B %Y at %H:%M} (UK time).",
            body,
        ),
        Spacer(0, 4 * mm),
        Paragraph("Bids by status", heading),
    ]
    counts = bid_counts_by_state(funding_round)
    rows = [["Status", "Bids"]] + [[label, str(count)] for label, count in counts]
    rows.append(["Total", str(sum(count for _, count in counts))])
    story.append(table(rows, [110, 40]))

    story.append(Paragraph("Scores", heading))
    story.append(
        Paragraph(
            "The effective score is the programme lead's moderated score where there is one, "
            "otherwise the mean of the assessors' submitted scores. Percentages of the maximum.",
            body,
        )
    )
    score_rows = scores_by_state(funding_round)
    if score_rows:
        rows = [["Status", "Bids scored", "Mean score", "Lowest", "Highest"]]
        rows += [
            [
                row["label"],
                str(row["scored"]),
                percent(row["mean"]),
                percent(row["low"]),
                percent(row["high"]),
            ]
            for row in score_rows
        ]
        story.append(table(rows, [62, 26, 26, 26, 26], total_row=False))
    else:
        story.append(Paragraph("No bids have been scored yet.", body))

    story.append(Paragraph("Awards by region", heading))
    figures = figures_for(funding_round)
    story.append(
        Paragraph(
            "Awarded counts every award that stands (offered, accepted, condition met or paid); "
            "accepted counts those the council accepted, including any since paid.",
            body,
        )
    )
    rows = [["Region", "Pilots", "Awarded", "Accepted", "Paid"]]
    for region in figures.regions:
        rows.append(
            [
                region.label,
                str(region.awarded_count),
                money(region.awarded),
                money(region.accepted),
                money(region.paid),
            ]
        )
    totals = figures.totals
    rows.append(
        [
            "Total",
            str(totals.awarded_count),
            money(totals.awarded),
            money(totals.accepted),
            money(totals.paid),
        ]
    )
    story.append(table(rows, [62, 22, 30, 30, 30]))
    if funding_round is not None and (funding_round.total_budget or funding_round.pilot_places):
        lines = []
        if funding_round.total_budget:
            lines.append(
                f"Budget {money(funding_round.total_budget)}: {money(totals.awarded)} awarded, "
                f"{money(funding_round.total_budget - totals.awarded)} left."
            )
        if funding_round.pilot_places:
            lines.append(f"Pilot places: {totals.awarded_count} of {funding_round.pilot_places} awarded.")
        story.append(Spacer(0, 3 * mm))
        story += [Paragraph(line, body) for line in lines]

    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Programme summary: {scope}",
        author=FUNDER_NAME,
    )
    document.build(story)
    written = totals.count
    report(progress, written, force=True)
    return written


# The formats, and running one ----------------------------------------------------------


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


def storage_name(export):
    """One fixed name per export, so a retry replaces its own file instead of adding another."""
    return f"exports/report-{export.pk}.{FORMATS[export.format].extension}"


def run_export(pk, now=None):
    """Build one ReportExport's file from scratch. Safe to run again: same row, same file name.

    Runs outside a transaction so that progress is visible to the page while it works.
    """
    export = ReportExport.objects.select_related("funding_round").filter(pk=pk).first()
    if export is None or export.state == ExportState.EXPIRED:
        return None
    name = storage_name(export)
    if export.state == ExportState.DONE and export.file and default_storage.exists(export.file.name):
        return export.file.name  # a redelivered message for an export already built
    ReportExport.objects.filter(pk=pk).update(
        state=ExportState.RUNNING,
        rows_total=row_count(export.format, export.funding_round),
        rows_written=0,
        progressed_at=timezone.now(),
        error="",
    )

    def progress(written):
        ReportExport.objects.filter(pk=pk).update(rows_written=written, progressed_at=timezone.now())

    with tempfile.TemporaryFile() as scratch:
        written = build(export.format, export.funding_round, scratch, progress)
        scratch.seek(0)
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, File(scratch, name=name))
    finished = now or timezone.now()
    ReportExport.objects.filter(pk=pk).update(
        state=ExportState.DONE,
        file=saved,
        filename=filename_for(export.format, export.funding_round, export.requested_at),
        rows_total=written,
        rows_written=written,
        finished_at=finished,
        expires_at=finished + timedelta(hours=settings.EXPORT_EXPIRY_HOURS),
    )
    return saved


def mark_failed(pk, error):
    logger.error("Building report export %s failed: %s", pk, error)
    ReportExport.objects.filter(pk=pk).exclude(state=ExportState.DONE).update(
        state=ExportState.FAILED,
        error="The report could not be built. Try again, and contact the service team if it fails again.",
        finished_at=timezone.now(),
    )


def remove_expired(now=None):
    """Delete the files of exports past their expiry; the rows stay as the record of who asked."""
    now = now or timezone.now()
    removed = 0
    for export in ReportExport.objects.filter(state=ExportState.DONE, expires_at__lte=now):
        if export.file and default_storage.exists(export.file.name):
            default_storage.delete(export.file.name)
        ReportExport.objects.filter(pk=export.pk).update(state=ExportState.EXPIRED, file="")
        removed += 1
    return removed


def stalled(now=None, minutes=15):
    """Exports the broker lost: still queued long after they were asked for, or building but
    with no row written for as long (the worker went, and its message with it when Redis
    restarted). A builder writes its progress every few hundred rows, so a live one is never
    this quiet; building again is safe, since an export is rebuilt from scratch."""
    cutoff = (now or timezone.now()) - timedelta(minutes=minutes)
    return ReportExport.objects.filter(
        Q(state=ExportState.QUEUED, requested_at__lte=cutoff)
        | Q(state=ExportState.RUNNING, progressed_at__lte=cutoff)
    ).values_list("pk", flat=True)
