"""The award letter: the Department's offer to a council, as a PDF the council can file."""

import io

from django.conf import settings
from django.urls import reverse
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle
from reportlab.platypus.flowables import KeepTogether

from core.london import long_date
from core.money import money

from .enums import CONSULTATION_CONDITION, FUNDER_NAME, AwardState
from .pdf import Paragraph, Table, a4_document, escape

BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")


def styles():
    sheet = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=sheet["Title"], fontName="Helvetica-Bold", fontSize=20,
                                leading=24, alignment=0, textColor=BLACK, spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", parent=sheet["Heading2"], fontName="Helvetica-Bold",
                                  fontSize=13, leading=16, textColor=BLACK, spaceBefore=5 * mm,
                                  spaceAfter=2 * mm),
        "body": ParagraphStyle("body", parent=sheet["BodyText"], fontName="Helvetica", fontSize=10.5,
                               leading=14, textColor=BLACK, spaceAfter=2 * mm),
        "small": ParagraphStyle("small", parent=sheet["BodyText"], fontName="Helvetica", fontSize=9,
                                leading=12, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=sheet["BodyText"], fontName="Helvetica", fontSize=10.5,
                               leading=13, textColor=BLACK),
        "amount": ParagraphStyle("amount", parent=sheet["BodyText"], fontName="Helvetica", fontSize=10.5,
                                 leading=13, textColor=BLACK, alignment=TA_RIGHT),
        "letterhead": ParagraphStyle("letterhead", parent=sheet["BodyText"], fontName="Helvetica-Bold",
                                     fontSize=13, leading=16, textColor=BLACK),
        "numbered": ParagraphStyle("numbered", parent=sheet["BodyText"], fontName="Helvetica", fontSize=10.5,
                                   leading=14, textColor=BLACK, spaceAfter=2 * mm, leftIndent=6 * mm,
                                   bulletIndent=0, bulletFontName="Helvetica", bulletFontSize=10.5),
        "address": ParagraphStyle("address", parent=sheet["BodyText"], fontName="Helvetica", fontSize=9.5,
                                  leading=12, textColor=BLACK, alignment=TA_RIGHT),
    }  # fmt: skip


def letter_filename(award):
    return f"award-letter-{award.bid.reference}.pdf"


# The Department's letterhead (the address the demo's interviews are held at).
LETTERHEAD = ["Wellington House", "133-155 Waterloo Road", "London SE1 8UG"]


def recipient(bid, addressee):
    """Who the letter goes to and where: the named person, the council, and the postal address
    the council gave in its bid (a line naming the council again is not repeated)."""
    lines = [addressee, bid.authority.name]
    for line in (bid.postal_address or "").splitlines():
        line = " ".join(line.split()).rstrip(",")
        if line and line.lower() not in {known.lower() for known in lines}:
            lines.append(line)
    return lines


def what_happens_next(award, link):
    """The letter's closing paragraph, for where the award now stands: a letter downloaded
    after the council accepted, or after payment, does not still ask it to accept."""
    state = award.state
    if state == AwardState.OFFERED:
        return f"Please accept or decline this offer by signing in to the service: {link}"
    if state == AwardState.ACCEPTED:
        return (
            f"You accepted this offer on {long_date(award.accepted_at)}. Record each consultation "
            f"activity in the service, where you can also see what happens next: {link}"
        )
    if state == AwardState.CONDITIONS_MET:
        return (
            f"The consultation condition was met on {long_date(award.conditions_met_at)}; the award "
            f"will now be paid. You can follow it in the service: {link}"
        )
    if state == AwardState.PAID:
        return f"The award was paid in full on {long_date(award.paid_on)}. Its record stays in the service: {link}"
    if state == AwardState.DECLINED:
        return f"{award.bid.authority.name} declined this offer on {long_date(award.responded_at)}."
    return f"This offer was withdrawn on {long_date(award.withdrawn_at)}."


def award_letter(award):
    """The offer letter as PDF bytes: the Department's letterhead, the date, the council,
    the amounts (no supplement line when there is none), the conditions and what happens
    next for the award as it now stands. A plain award fits on one page."""
    bid = award.bid
    funding_round = bid.funding_round
    authority = bid.authority
    lead = award.offered_by
    s = styles()
    buffer = io.BytesIO()
    document = a4_document(
        buffer,
        title=f"Award letter {bid.reference}",
        subject=f"Offer of funding to {authority.name}",
        margin=18,
    )
    letterhead = Table(
        [
            [
                Paragraph(f"<b>{FUNDER_NAME}</b>", s["letterhead"]),
                Paragraph("<br/>".join(LETTERHEAD), s["address"]),
            ]
        ],
        colWidths=[87 * mm, 87 * mm],
        layout=True,
    )
    letterhead.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 2, BLACK)])
    )
    addressee = bid.lead_name or "The Director of Children's Services"
    story = [
        letterhead,
        Spacer(0, 4 * mm),
        Paragraph("<br/>".join(escape(line) for line in recipient(bid, addressee)), s["body"]),
        Spacer(0, 2 * mm),
        Paragraph(f"Date of offer: {long_date(award.offered_at)}", s["body"]),
        Paragraph(f"Reference: {escape(bid.reference)}", s["body"]),
        Paragraph(f"Offer of funding: {escape(authority.short_name)} children's trust pilot", s["title"]),
        Paragraph(f"Dear {escape(addressee)},", s["body"]),
        Paragraph(
            f"I am pleased to tell you that the {FUNDER_NAME} has approved {escape(authority.name)}'s "
            f"bid to run a pilot children's trust in {escape(funding_round.name)}, and offers the "
            "funding below on the conditions set out in this letter.",
            s["body"],
        ),
        Paragraph("The award", s["heading"]),
    ]
    amounts = [[Paragraph("Base award", s["cell"]), Paragraph(money(award.base_amount), s["amount"])]]
    if award.supplement_amount:
        amounts.append(
            [
                Paragraph(
                    "Supplement for a large or complex trust"
                    f"<br/><font color='#505a5f'>{escape(award.supplement_justification)}</font>",
                    s["cell"],
                ),
                Paragraph(money(award.supplement_amount), s["amount"]),
            ]
        )
    amounts.append(
        [Paragraph("<b>Total award</b>", s["cell"]), Paragraph(f"<b>{money(award.total)}</b>", s["amount"])]
    )
    table = Table(amounts, colWidths=[129 * mm, 45 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("LINEABOVE", (0, -1), (-1, -1), 1.2, BLACK),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story += [table, Paragraph("Conditions of the award", s["heading"])]
    conditions = [
        f"{escape(authority.name)} must {CONSULTATION_CONDITION[0].lower()}{escape(CONSULTATION_CONDITION[1:])} "
        "Record each consultation activity in the service; the award is paid in arrears, the first "
        "instalment once the Department confirms that consultation has reached all three groups.",
        f"{escape(authority.name)} remains accountable for the services it delegates to the trust.",
        f"The trust should be operational by {long_date(funding_round.operational_on)}.",
        "The funding is for setting up and running the pilot trust described in the bid.",
    ]
    story += [
        Paragraph(text, s["numbered"], bulletText=f"{number}.")
        for number, text in enumerate(conditions, start=1)
    ]
    link = f"{settings.SITE_URL}{reverse('trusts:award', kwargs={'pk': award.pk})}"
    story += [
        Paragraph("What happens next", s["heading"]),
        Paragraph(escape(what_happens_next(award, link)), s["body"]),
    ]
    signature = [
        Spacer(0, 4 * mm),
        Paragraph("Yours sincerely,", s["body"]),
        Spacer(0, 4 * mm),
        Paragraph(f"<b>{escape(lead.full_name)}</b>", s["body"]),
        Paragraph(escape(lead.job_title or "Programme lead, children's trusts"), s["body"]),
        Paragraph(FUNDER_NAME, s["body"]),
    ]
    story.append(KeepTogether(signature))
    document.build(story)
    return buffer.getvalue()
