"""The award letter as a department would send it: on one page for a plain award, on the
Department's letterhead, to a named person, with no £0 supplement line, and with words
that fit where the award now stands; its link comes from SITE_URL."""

import io

import pytest
from pypdf import PdfReader

from accounts.models import Role
from tests import factories
from trusts.enums import AwardState
from trusts.letters import award_letter

from .conftest import award_in_state

pytestmark = pytest.mark.django_db


def read(pdf):
    pages = PdfReader(io.BytesIO(pdf)).pages
    return len(pages), " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def kent(db):
    return factories.user(Role.COUNCIL, "KEN")


def test_a_plain_award_is_one_page_on_the_letterhead_without_a_supplement_line(lead, kent, settings):
    settings.SITE_URL = "https://bids.example.gov.uk"
    award = award_in_state(AwardState.OFFERED, lead=lead, council=kent)
    pages, text = read(award_letter(award))
    assert pages == 1
    assert "Department of Health Wellington House 133-155 Waterloo Road London SE1 8UG" in text
    assert f"Dear {award.bid.lead_name}," in text
    # To the council's postal address from its bid, under the person's name and the council's.
    assert f"{award.bid.lead_name} Kent County Council Sessions House County Road Maidstone ME14 1XQ" in text
    assert "Supplement" not in text and "£0" not in text
    assert "Base award £60,000" in text and "Total award £60,000" in text
    assert (
        f"accept or decline this offer by signing in to the service: https://bids.example.gov.uk/awards/{award.pk}"
        in text
    )
    assert text.endswith("Department of Health")


def test_a_supplement_has_its_line_and_reason(lead, kent):
    award = award_in_state(AwardState.OFFERED, lead=lead, council=kent, supplement=40000)
    pages, text = read(award_letter(award))
    assert pages == 1
    assert "Supplement for a large or complex trust Covers three primary care trusts. £40,000" in text
    assert "Total award £100,000" in text


@pytest.mark.parametrize(
    ("state", "says"),
    [
        (AwardState.ACCEPTED, "You accepted this offer on"),
        (AwardState.CONDITIONS_MET, "The consultation condition was met on"),
        (AwardState.PAID, "The award was paid in full on"),
        (AwardState.DECLINED, "Kent County Council declined this offer on"),
        (AwardState.WITHDRAWN, "This offer was withdrawn on"),
    ],
)
def test_what_happens_next_fits_where_the_award_stands(state, says, lead, kent):
    award = award_in_state(state, lead=lead, council=kent)
    _, text = read(award_letter(award))
    assert says in text
    assert "accept or decline" not in text
