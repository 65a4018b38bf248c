"""The programme summary PDF: bids by status, their scores, and awards by region with totals.

A report for people rather than spreadsheets, built from the same figures the programme
pages show (trusts/queries.py), so every number in it is the number on the page.
"""

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from core.money import money
from core.templatetags.service import percent

from ..enums import FUNDER_NAME
from ..pdf import a4_document, escape
from ..queries import bid_counts_by_state, figures_for, scores_by_state
from .cells import report


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
        Paragraph(f"Programme summary: {escape(scope)}", title),
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

    document = a4_document(out, title=f"Programme summary: {scope}")
    document.build(story)
    written = totals.count
    report(progress, written, force=True)
    return written
