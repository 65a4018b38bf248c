"""The lead's decision: approving with an award (within the round's limits, or refused with
everything typed kept), rejecting, and what the council may and may not see."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bids import interviews, moderation, workflow
from bids.models import Bid, BidState, Decision
from tests import factories
from trusts.exports.awards_table import awards_csv_chunks
from trusts.models import FundingAward

pytestmark = pytest.mark.django_db


def url(name, bid):
    return reverse(name if ":" in name else f"bids:{name}", kwargs={"reference": bid.reference})


@pytest.fixture
def interviewed(open_round, kent_user, assessor, lead):
    return factories.interviewed_bid(open_round, "KEN", [assessor], kent_user, lead)


def approval(**changes):
    data = {
        "expected_state": "interviewed",
        "base_amount": "60,000",
        "supplement_amount": "£40,000",
        "supplement_justification": "The trust covers three districts and two primary care trusts.",
        "reasons": "INTERNAL-REASONS: the strongest joint working we saw.",
        "feedback": "The panel was impressed by your partnership.",
    }
    data.update(changes)
    return data


def test_the_approval_page_is_prefilled_from_the_bid(client_for, interviewed, lead):
    Bid.objects.filter(pk=interviewed.pk).update(
        large_or_complex=True,
        supplement_requested=Decimal("25000"),
        supplement_justification="Three districts.",
    )
    page = client_for(lead).get(url("trusts:approve", interviewed)).content.decode()
    assert 'value="60,000"' in page and 'value="25,000"' in page
    assert "Three districts." in page
    assert "govuk-input__prefix" in page


def test_approving_with_a_100000_award(client_for, interviewed, lead):
    response = client_for(lead).post(url("trusts:approve", interviewed), approval())
    assert response.status_code == 302
    bid = Bid.objects.get(pk=interviewed.pk)
    assert bid.state == BidState.APPROVED
    decision = Decision.objects.get(bid=bid)
    assert decision.outcome == Decision.Outcome.APPROVED and decision.decided_by == lead
    award = FundingAward.objects.get(bid=bid)
    assert (award.base_amount, award.supplement_amount) == (Decimal("60000"), Decimal("40000"))
    assert award.state == "offered"
    assert bid.events.latest("pk").reason == "The panel was impressed by your partnership."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"base_amount": ""}, "Enter the base award"),
        ({"base_amount": "sixty"}, "Enter the base amount in pounds, like 60,000"),
        ({"base_amount": "70000"}, "The base award cannot be more than £60,000"),
        ({"base_amount": "0"}, "Enter a base award greater than £0"),
        ({"supplement_amount": "40001"}, "The supplement cannot be more than £40,000"),
        ({"supplement_justification": ""}, "Explain why this large or complex trust needs a supplement"),
        ({"reasons": ""}, "Enter the reasons for the decision"),
        ({"feedback": ""}, "Enter the feedback to share with the council"),
    ],
)
def test_approval_form_errors(client_for, interviewed, lead, changes, message):
    response = client_for(lead).post(url("trusts:approve", interviewed), approval(**changes))
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page and message in page
    assert Bid.objects.get(pk=interviewed.pk).state == BidState.INTERVIEWED
    assert not Decision.objects.exists()


def test_no_supplement_needs_no_justification(client_for, interviewed, lead):
    response = client_for(lead).post(
        url("trusts:approve", interviewed), approval(supplement_amount="", supplement_justification="")
    )
    assert response.status_code == 302
    assert FundingAward.objects.get(bid=interviewed).supplement_amount == 0


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"total_budget": Decimal("150000")}, "would take"),
        ({"pilot_places": 1}, "pilot places"),
    ],
)
def test_an_award_past_the_rounds_limits_is_refused_keeping_what_was_typed(
    client_for, kent_user, lead, limits, message
):
    funding_round = factories.open_round(**limits)
    factories.approved_bid_with_award(funding_round, "LDS", lead=lead)
    bid = factories.interviewed_bid(funding_round, "KEN", council=kent_user, lead=lead)
    response = client_for(lead).post(url("trusts:approve", bid), approval())
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert message in re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S).group(1)
    assert "INTERNAL-REASONS: the strongest joint working we saw." in page
    assert "The trust covers three districts" in page
    bid.refresh_from_db()
    assert bid.state == BidState.INTERVIEWED
    assert not Decision.objects.filter(bid=bid).exists() and not FundingAward.objects.filter(bid=bid).exists()


def test_rejecting(client_for, interviewed, lead):
    client = client_for(lead)
    errors = client.post(url("reject", interviewed), {"expected_state": "interviewed"}).content.decode()
    assert "Enter the reasons for the decision" in errors
    assert "Enter the feedback to share with the council" in errors
    response = client.post(
        url("reject", interviewed),
        {"expected_state": "interviewed", "reasons": "INTERNAL", "feedback": "Involve health more."},
    )
    assert response.status_code == 302
    assert Bid.objects.get(pk=interviewed.pk).state == BidState.REJECTED
    assert Decision.objects.get(bid=interviewed).outcome == Decision.Outcome.REJECTED


def test_a_decision_made_meanwhile_is_reported_and_nothing_is_half_done(client_for, interviewed, lead):
    client = client_for(lead)
    client.post(
        url("reject", interviewed), {"expected_state": "interviewed", "reasons": "R", "feedback": "F"}
    )
    response = client.post(url("trusts:approve", interviewed), approval())
    assert "has changed since you opened it" in response.content.decode()
    assert not FundingAward.objects.filter(bid=interviewed).exists()
    assert Decision.objects.get(bid=interviewed).outcome == Decision.Outcome.REJECTED


def test_the_council_never_sees_scores_assessors_or_internal_notes(
    client_for, open_round, kent_user, assessor, other_assessor, lead
):
    bid = factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor], kent_user, lead)
    factories.submit_scores(bid, assessor, [4, 3, 3, 3, 3])
    factories.submit_scores(bid, other_assessor, [2, 3, 3, 3, 3])
    moderation.moderate(bid, lead, Decimal("77.7"), "MODERATION-NOTE")
    workflow.change_state(bid, "shortlist", lead, reason="SHORTLIST-NOTE")
    interviews.schedule(
        bid,
        lead,
        starts_at=factories.interview_time(open_round),
        duration_minutes=60,
        location="Wellington House",
        video_link="",
        panel=[lead, assessor],
    )
    interviews.record(bid, assessor, notes="PANEL-NOTES", score=3, now=factories.interview_over(bid))
    factories.passed_check(bid, lead, note="DILIGENCE-NOTE")
    client_for(lead).post(url("trusts:approve", bid), approval())
    page = client_for(kent_user).get(url("bid", bid)).content.decode()
    assert "DILIGENCE-NOTE" not in page and "Spotlight" not in page
    assert "The panel was impressed by your partnership." in page  # the feedback is theirs
    for secret in [
        assessor.full_name,
        other_assessor.full_name,
        "MODERATION-NOTE",
        "SHORTLIST-NOTE",
        "PANEL-NOTES",
        "INTERNAL-REASONS",
        "77.7",
        "82.5",
        "Score",
        "Comment on",
    ]:
        assert secret not in page, secret


def test_the_award_carries_its_ggis_grant_reference_to_its_page_and_the_exports(
    client_for, interviewed, lead
):
    client = client_for(lead)
    refused = client.post(url("trusts:approve", interviewed), approval(ggis_reference="G2/GRA 2026?"))
    page = refused.content.decode()
    assert "Enter the GGIS reference as GGIS shows it" in page and 'value="G2/GRA 2026?"' in page
    assert not FundingAward.objects.filter(bid=interviewed).exists()

    client.post(url("trusts:approve", interviewed), approval(ggis_reference=" g2-gra-2026-11-0001 "))
    award = FundingAward.objects.get(bid=interviewed)
    assert award.ggis_reference == "G2-GRA-2026-11-0001"
    assert "G2-GRA-2026-11-0001" in client.get(reverse("trusts:award", args=[award.pk])).content.decode()
    text = "".join(awards_csv_chunks(interviewed.funding_round)).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "GGIS grant reference" and rows[1][-1] == "G2-GRA-2026-11-0001"
