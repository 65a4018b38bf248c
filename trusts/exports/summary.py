"""The programme summary PDF: bids by status, their scores, and awards by region with totals.

A report for people rather than spreadsheets, built from the same figures the programme
pages show (trusts/queries.py), so every number in it is the number on the page.
"""

import copy
import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle

from core.money import money
from core.scores import percent

from ..enums import FUNDER_NAME
from ..pdf import Paragraph, Table, a4_document, escape, page_furniture
from ..queries import bid_counts_by_state, figures_for, scores_by_state
from .cells import report


def write_summary_pdf(funding_round, out, progress=None):
    """Bids by status, their scores, and awards by region with totals."""

    sheet = getSampleStyleSheet()
    title = ParagraphStyle(
        "title", parent=sheet["Title"], fontName="Helvetica-Bold", fontSize=18, alignment=0
    )
    # A heading, and the words that introduce a table, stay on the page with what follows.
    heading = ParagraphStyle(
        "heading", parent=sheet["Heading2"], fontName="Helvetica-Bold", fontSize=13, keepWithNext=1
    )
    body = ParagraphStyle("body", parent=sheet["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
    intro = ParagraphStyle("intro", parent=body, keepWithNext=1)
    scope = funding_round.name if funding_round else "All rounds"
    produced = timezone.localtime()

    def table(rows, widths, total_row=True):
        item = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1, header_rows=1)
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
            f"Produced {produced:%-d %B %Y at %H:%M} (UK time).",
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
            intro,
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
            "accepted counts those the council accepted, including any since paid. The money "
            "awarded is scheduled (not yet approved), approved (not yet paid) or paid.",
            intro,
        )
    )
    rows = [["Region", "Pilots", "Awarded", "Accepted", "Scheduled", "Approved", "Paid"]]
    for region in figures.regions:
        rows.append(
            [
                region.label,
                str(region.awarded_count),
                money(region.awarded),
                money(region.accepted),
                money(region.scheduled),
                money(region.approved),
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
            money(totals.scheduled),
            money(totals.approved),
            money(totals.paid),
        ]
    )
    story.append(table(rows, [46, 14, 22, 22, 22, 22, 22]))
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

    # Built twice (flowables are used up by a build, so the first takes a copy): once to count the pages, so that each page's footer can say "Page 2 of 3".
    heading_text = f"Programme summary: {scope}"
    footer_text = f"{FUNDER_NAME}. Produced {produced:%-d %B %Y at %H:%M} (UK time)."
    first = a4_document(io.BytesIO(), title=heading_text, margin=20)
    first.build(copy.deepcopy(story), *page_furniture(heading_text, footer_text, pages=None))
    document = a4_document(out, title=heading_text, margin=20)
    document.build(story, *page_furniture(heading_text, footer_text, pages=first.page))
    written = totals.count
    report(progress, written, force=True)
    return written
