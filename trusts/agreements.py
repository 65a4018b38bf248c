"""The grant agreement: what the council's signatory accepts, and the PDF both sides keep.

An offer carries its round's grant terms (copied onto the award when it is made, so a later
change to the round's terms does not change an offer in flight). Accepting the award is
signing the agreement: a person with authority to commit the council gives their name and
job title and confirms; the award door (trusts/awards.py) calls `sign` inside the
acceptance's transaction, which records the exact terms and payment schedule they read,
who signed and when, and keeps the agreement as a PDF made at that moment.
"""

import hashlib
import io
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle
from reportlab.platypus.flowables import KeepTogether

from core.london import london, long_date
from core.money import money

from . import schedules
from .enums import FUNDER_NAME
from .letters import BLACK, LETTERHEAD, RULE, styles
from .models import GrantAgreement, Instalment
from .pdf import Paragraph, Table, a4_document, escape

SIGNATORY_FIELDS = ("signatory_name", "signatory_job_title")


def schedule_of(award):
    """The award's payment schedule as the signatory reads it: number, amount, when."""
    return [
        {
            "number": instalment.number,
            "amount": str(instalment.amount),
            "when": schedules.payable_from(instalment),
        }
        for instalment in Instalment.objects.filter(award=award).order_by("number")
    ]


def clauses(terms):
    """The terms as the paragraphs the administrator wrote, separated by blank lines."""
    return [" ".join(paragraph.split()) for paragraph in terms.split("\n\n") if paragraph.strip()]


def signatory_problems(details):
    problems = []
    if not (details.get("signatory_name") or "").strip():
        problems.append("Enter the full name of the person signing for the council")
    if not (details.get("signatory_job_title") or "").strip():
        problems.append("Enter the job title of the person signing for the council")
    return problems


def sign(change):
    """Record the agreement the council's signatory accepts with the award (the award door's
    `accept` edge, inside its transaction)."""
    award, details = change.record, change.details
    agreement = GrantAgreement(
        award=award,
        terms=award.terms,
        schedule=schedule_of(award),
        signatory_name=" ".join(details["signatory_name"].split()),
        signatory_job_title=" ".join(details["signatory_job_title"].split()),
        signed_by=change.actor,
        signed_at=change.now,
    )
    document = agreement_pdf(agreement)
    agreement.document = document
    agreement.document_sha256 = hashlib.sha256(document).hexdigest()
    agreement.save()
    return agreement


def agreement_filename(award):
    return f"grant-agreement-{award.bid.reference}.pdf"


def agreement_pdf(agreement):
    """The signed agreement: the parties, the award, the payment schedule, the terms word for
    word, and the signature block (who, their job title, who signed in, when)."""
    award = agreement.award
    bid = award.bid
    authority = bid.authority
    s = styles()
    buffer = io.BytesIO()
    document = a4_document(
        buffer,
        title=f"Grant agreement {bid.reference}",
        subject=f"Grant agreement between the {FUNDER_NAME} and {authority.name}",
    )
    story = [
        Paragraph(f"<b>{FUNDER_NAME}</b>", s["letterhead"]),
        Paragraph(", ".join(LETTERHEAD), s["small"]),
        Paragraph(f"Grant agreement: {escape(authority.short_name)} children's trust pilot", s["title"]),
        Paragraph(
            f"Between the {FUNDER_NAME} and {escape(authority.name)}, for {escape(bid.funding_round.name)}. "
            f"Bid reference {escape(bid.reference)}"
            + (f", GGIS grant reference {escape(award.ggis_reference)}" if award.ggis_reference else "")
            + f". Offered on {long_date(award.offered_at)}.",
            s["body"],
        ),
        Paragraph("The grant", s["heading"]),
        money_table(award_rows(award, s), s),
        Paragraph("Payment schedule", s["heading"]),
        Paragraph("The grant is paid in arrears, in these instalments.", s["body"]),
        money_table(
            [
                [
                    Paragraph(f"{row['number']}. {escape(row['when'])}", s["cell"]),
                    money_cell(row["amount"], s),
                ]
                for row in agreement.schedule
            ],
            s,
            total=False,
        ),
        Paragraph("Terms", s["heading"]),
        *[Paragraph(escape(clause), s["body"]) for clause in clauses(agreement.terms)],
    ]
    signer = agreement.signed_by
    story.append(
        KeepTogether(
            [
                Paragraph("Signed for the council", s["heading"]),
                Paragraph(
                    f"{escape(agreement.signatory_name)}, {escape(agreement.signatory_job_title)}, "
                    f"confirmed that they have authority to commit {escape(authority.name)} to this "
                    "agreement, and accepted the grant on these terms.",
                    s["body"],
                ),
                Paragraph(
                    f"Accepted in the service at {london(agreement.signed_at)} (UK time) by "
                    f"{escape(signer.full_name or signer.email)} ({escape(signer.email)}).",
                    s["body"],
                ),
                Spacer(0, 2 * mm),
            ]
        )
    )
    document.build(story)
    return buffer.getvalue()


def award_rows(award, s):
    rows = [[Paragraph("Base award", s["cell"]), money_cell(award.base_amount, s)]]
    if award.supplement_amount:
        rows.append(
            [
                Paragraph("Supplement for a large or complex trust", s["cell"]),
                money_cell(award.supplement_amount, s),
            ]
        )
    rows.append([Paragraph("<b>Total grant</b>", s["cell"]), money_cell(award.total, s, bold=True)])
    return rows


def money_cell(amount, s, bold=False):
    text = money(Decimal(amount))
    return Paragraph(f"<b>{text}</b>" if bold else text, s["amount"])


def money_table(rows, s, total=True):
    table = Table(rows, colWidths=[129 * mm, 45 * mm])
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if total:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, BLACK))
    table.setStyle(TableStyle(style))
    return table
