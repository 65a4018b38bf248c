"""The grant agreement: an offer carries its round's terms; the council accepts through a named
signatory with authority to commit it, recorded with the exact terms and schedule read, who
and when; the signed agreement is a PDF both sides download."""

import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bids.models import FundingRound
from core.door import Refused
from tests import factories
from trusts import awards
from trusts.enums import AwardState
from trusts.models import FundingAward, GrantAgreement, Trust

pytestmark = pytest.mark.django_db


def read(pdf):
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def supplemented(open_round, kent_user, lead):
    return factories.approved_bid_with_award(
        open_round, "KEN", kent_user, lead, supplement=40000, justification="Twelve districts."
    )


def accept_url(award):
    return reverse("trusts:accept", kwargs={"pk": award.pk})


def test_an_offer_carries_the_rounds_terms_as_they_stood(supplemented, open_round, kent_user):
    assert supplemented.terms == open_round.grant_terms
    FundingRound.objects.filter(pk=open_round.pk).update(grant_terms="1. Changed after the offer.")
    awards.accept(supplemented, kent_user, **factories.SIGNATORY)
    agreement = GrantAgreement.objects.get(award=supplemented)
    assert agreement.terms == supplemented.terms
    assert "Changed after the offer" not in agreement.terms


def test_accepting_signs_the_agreement_with_the_terms_and_schedule_read(supplemented, kent_user):
    awards.accept(
        supplemented, kent_user, signatory_name="  Graham   Badman ", signatory_job_title="Director"
    )
    agreement = GrantAgreement.objects.get(award=supplemented)
    assert (agreement.signatory_name, agreement.signatory_job_title, agreement.signed_by) == (
        "Graham Badman",
        "Director",
        kent_user,
    )
    assert agreement.schedule == [
        {"number": 1, "amount": "60000.00", "when": "When the consultation condition is met"},
        {"number": 2, "amount": "40000.00", "when": "When the first monitoring return is accepted"},
    ]
    document = bytes(agreement.document)
    assert agreement.document_sha256 == hashlib.sha256(document).hexdigest()
    text = read(document)
    assert "Grant agreement: Kent children's trust pilot" in text
    assert "Total grant £100,000" in text
    assert "1. When the consultation condition is met £60,000" in text
    assert "2. When the first monitoring return is accepted £40,000" in text
    assert "Recovery. The Department may withhold payments" in text
    assert "Graham Badman, Director, confirmed that they have authority to commit Kent County Council" in text
    assert kent_user.email in text
    info = PdfReader(io.BytesIO(document)).metadata
    assert info.title == f"Grant agreement {supplemented.bid.reference}"


@pytest.mark.parametrize(
    "name, title, problem",
    [
        ("", "Director", "Enter the full name of the person signing for the council"),
        ("Graham Badman", "  ", "Enter the job title of the person signing for the council"),
    ],
)
def test_no_acceptance_without_a_signatory(supplemented, kent_user, name, title, problem):
    with pytest.raises(Refused) as refused:
        awards.accept(supplemented, kent_user, signatory_name=name, signatory_job_title=title)
    assert refused.value.problems == [problem]
    assert FundingAward.objects.get(pk=supplemented.pk).state == AwardState.OFFERED
    assert not GrantAgreement.objects.exists() and not Trust.objects.exists()


def test_the_accept_page_shows_the_terms_and_schedule(client_for, supplemented, kent_user):
    text = client_for(kent_user).get(accept_url(supplemented)).content.decode()
    assert "Accept the award and sign the grant agreement" in text
    assert "When the first monitoring return is accepted" in text
    assert "Recovery. The Department may withhold payments" in text
    assert 'autocomplete="name"' in text


def test_what_is_missing_is_said_and_what_was_typed_is_kept(client_for, supplemented, kent_user):
    response = client_for(kent_user).post(
        accept_url(supplemented), {"expected_state": "offered", "signatory_job_title": "Chief Executive"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in text
    assert "Enter the full name of the person signing for the council" in text
    assert "Confirm that you have authority to commit Kent County Council" in text
    assert 'value="Chief Executive"' in text
    assert FundingAward.objects.get(pk=supplemented.pk).state == AwardState.OFFERED


def test_both_sides_download_the_signed_agreement_and_no_one_else(
    client_for, supplemented, kent_user, lead, leeds_user
):
    response = client_for(kent_user).post(
        accept_url(supplemented),
        {
            "expected_state": "offered",
            "signatory_name": "Graham Badman",
            "signatory_job_title": "Director of Children's Services",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    url = reverse("trusts:agreement", kwargs={"pk": supplemented.pk})
    stored = bytes(GrantAgreement.objects.get(award=supplemented).document)
    for person in (kent_user, lead):
        download = client_for(person).get(url)
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert download.content == stored
        assert f"grant-agreement-{supplemented.bid.reference}.pdf" in download["Content-Disposition"]
    assert client_for(leeds_user).get(url).status_code == 404
    page = client_for(lead).get(reverse("trusts:award", kwargs={"pk": supplemented.pk})).content.decode()
    assert "Graham Badman, Director of Children&#x27;s Services" in page
    assert "Download the signed grant agreement (PDF)" in page


def test_before_signing_there_is_no_agreement_to_download(client_for, supplemented, kent_user):
    url = reverse("trusts:agreement", kwargs={"pk": supplemented.pk})
    assert client_for(kent_user).get(url).status_code == 404
    page = client_for(kent_user).get(reverse("trusts:award", kwargs={"pk": supplemented.pk})).content.decode()
    assert "govuk-notification-banner" in page and "The terms of the offer" in page
