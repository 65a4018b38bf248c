"""What every PDF the Department sends is built on: A4 with its margins, the Department as
author, and set-up text escaped before ReportLab's paragraph parser reads it (a round
named "Pilots 2004 <b>" is text, not markup)."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

from .enums import FUNDER_NAME


def escape(text):
    """Text as ReportLab's paragraph markup shows it, whatever it contains."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def a4_document(out, *, title, subject="", margin=18):
    """A4, `margin` millimetres at the sides and two fewer at top and bottom."""
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin * mm,
        rightMargin=margin * mm,
        topMargin=(margin - 2) * mm,
        bottomMargin=(margin - 2) * mm,
        title=title,
        author=FUNDER_NAME,
        subject=subject,
    )
