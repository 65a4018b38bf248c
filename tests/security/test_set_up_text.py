"""Finding 6 (low): set-up text (a criterion's name or guidance, a round's name) containing
HTML was rendered as HTML on the scoring page, and a round named `Pilots 2004 <b>` broke
the programme summary PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests import factories
from trusts.exports import formats

pytestmark = pytest.mark.django_db

NAME = '<b>Joint</b> working <img src=x onerror="alert(1)">'
GUIDANCE = "<script>alert('guidance')</script> Look for pooled budgets & joint teams."


def test_criterion_names_and_guidance_show_as_text_on_the_scoring_page(
    client_for, open_round, assessor, other_assessor
):
    criterion = open_round.criteria.order_by("position").first()
    criterion.name, criterion.guidance = NAME, GUIDANCE
    criterion.save()
    bid = factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor])
    page = client_for(assessor).get(reverse("bids:score", args=[bid.reference])).content.decode()
    assert "<b>Joint</b>" not in page and "<img src=x" not in page
    assert "<script>alert(" not in page
    assert "&lt;b&gt;Joint&lt;/b&gt; working" in page
    assert "&lt;script&gt;alert(" in page and "pooled budgets &amp; joint teams" in page


def test_a_round_named_with_markup_still_gets_its_summary_pdf(lead):
    funding_round = factories.open_round(name="Pilots 2004 <b>")
    pdf = formats.build_bytes("pdf", funding_round)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Pilots 2004 <b>" in text


def test_a_round_named_with_markup_downloads_its_summary_from_the_reports_page(client_for, lead):
    funding_round = factories.open_round(name="Pilots 2004 <b> & <i>")
    response = client_for(lead).post(
        reverse("trusts:reports"), {"format": "pdf", "funding_round": funding_round.slug}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
