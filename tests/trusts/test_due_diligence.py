"""Due diligence before an offer (GovS 015): the lead records checks on the bidding
authority, and no award is offered unless the latest check was passed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bids.models import Bid, BidState
from core.door import Refused
from tests import factories
from tests.queries import queries_for
from trusts import approvals, diligence
from trusts.enums import CheckKind, CheckResult
from trusts.models import DueDiligenceCheck, FundingAward

pytestmark = pytest.mark.django_db


@pytest.fixture
def unchecked(open_round, kent_user, assessor, lead):
    return factories.interviewed_bid(open_round, "KEN", [assessor], kent_user, lead, checked=False)


def page_url(bid):
    return reverse("trusts:due-diligence", kwargs={"reference": bid.reference})


def approve(bid, lead):
    return approvals.approve(
        bid,
        lead,
        base_amount=bid.funding_round.base_award,
        supplement_amount=0,
        justification="",
        reasons="The strongest joint working of the round.",
        feedback="The panel was impressed by your partnership.",
    )


def check(bid, lead, result=CheckResult.PASSED, days_ago=1, kind=CheckKind.SPOTLIGHT):
    return diligence.record_check(
        bid,
        lead,
        kind=kind,
        result=result,
        checked_on=timezone.localdate() - timedelta(days=days_ago),
        note="" if result == CheckResult.PASSED else "Spotlight flagged an open fraud inquiry.",
    )


# The rule ----------------------------------------------------------------------------------


def test_an_offer_without_any_check_is_refused_and_nothing_is_saved(unchecked, lead):
    with pytest.raises(Refused) as refused:
        approve(unchecked, lead)
    assert refused.value.problems == [
        "Record a passed due diligence check on Kent County Council before you approve its bid and offer an award"
    ]
    assert Bid.objects.get(pk=unchecked.pk).state == BidState.INTERVIEWED
    assert not FundingAward.objects.exists()


def test_a_failed_check_after_a_passed_one_stops_the_offer(unchecked, lead):
    check(unchecked, lead, CheckResult.PASSED, days_ago=5)
    check(unchecked, lead, CheckResult.FAILED, days_ago=2)
    with pytest.raises(Refused) as refused:
        approve(unchecked, lead)
    day = timezone.localdate() - timedelta(days=2)
    assert refused.value.problems == [
        f"The latest due diligence check on Kent County Council (spotlight check on {day.day} {day:%B %Y}) "
        "was not passed. Record a passed check before you offer an award"
    ]


def test_a_passed_check_after_a_failed_one_lets_the_offer_go(unchecked, lead):
    check(unchecked, lead, CheckResult.FAILED, days_ago=5)
    check(unchecked, lead, CheckResult.PASSED, kind=CheckKind.FRAUD, days_ago=1)
    award = approve(unchecked, lead)
    assert award.bid.state == BidState.APPROVED


def test_only_the_lead_records_checks_and_only_before_the_decision(unchecked, lead, admin_user, kent_user):
    for person in (admin_user, kent_user):
        with pytest.raises(Refused):
            check(unchecked, person)
    check(unchecked, lead)
    approve(unchecked, lead)
    with pytest.raises(Refused) as refused:
        check(Bid.objects.get(pk=unchecked.pk), lead)
    assert refused.value.problems == [
        "Due diligence can only be recorded before a decision; this bid is approved"
    ]


def test_a_check_cannot_be_dated_in_the_future(unchecked, lead):
    with pytest.raises(Refused) as refused:
        check(unchecked, lead, days_ago=-1)
    assert refused.value.problems == ["The date of the check must be today or in the past"]


# The page ----------------------------------------------------------------------------------


def form(**changes):
    today = timezone.localdate()
    data = {
        "kind": "spotlight",
        "result": "passed",
        "checked_on_day": str(today.day),
        "checked_on_month": str(today.month),
        "checked_on_year": str(today.year),
        "note": "Spotlight report SPT-0117: no issues.",
    }
    data.update(changes)
    return data


def test_the_approval_page_warns_and_links_to_the_checks(client_for, unchecked, lead):
    page = client_for(lead).get(reverse("trusts:approve", kwargs={"reference": unchecked.reference}))
    text = page.content.decode()
    assert "No checks recorded" in text
    assert "Record a passed due diligence check on Kent County Council" in text
    assert page_url(unchecked) in text


def test_approving_without_a_check_keeps_what_was_typed(client_for, unchecked, lead):
    response = client_for(lead).post(
        reverse("trusts:approve", kwargs={"reference": unchecked.reference}),
        {
            "expected_state": "interviewed",
            "base_amount": "60,000",
            "supplement_amount": "0",
            "reasons": "INTERNAL: strongest joint working.",
            "feedback": "The panel was impressed by your partnership.",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text
    assert "Record a passed due diligence check on Kent County Council" in text
    assert "INTERNAL: strongest joint working." in text
    assert not FundingAward.objects.exists()


def test_the_lead_records_a_check_on_the_page(client_for, unchecked, lead):
    client = client_for(lead)
    response = client.post(page_url(unchecked), form())
    assert response.status_code == 302
    recorded = DueDiligenceCheck.objects.get(bid=unchecked)
    assert (recorded.kind, recorded.result, recorded.checked_on, recorded.recorded_by) == (
        CheckKind.SPOTLIGHT,
        CheckResult.PASSED,
        timezone.localdate(),
        lead,
    )
    page = client.get(response.url).content.decode()
    assert "Spotlight check on Kent County Council recorded: passed" in page
    assert "Spotlight report SPT-0117: no issues." in page
    assert "approve the bid and offer an award" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"kind": "", "result": "", "checked_on_day": "", "checked_on_month": "", "checked_on_year": ""},
            None,
        ),
        ({"result": "failed", "note": ""}, "Say what the check found, as it was not passed"),
        ({"kind": "astrology"}, "Select a valid choice. astrology is not one of the available choices."),
        ({"checked_on_year": str(timezone.localdate().year + 1)}, "must be today or in the past"),
    ],
)
def test_what_is_wrong_with_a_check_is_said_and_what_was_typed_is_kept(
    client_for, unchecked, lead, changes, message
):
    response = client_for(lead).post(page_url(unchecked), form(**changes))
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text
    if message is None:
        assert "Select which check you made" in text
        assert "Select the result of the check" in text
        assert "Enter the date of the check" in text
    else:
        assert message in text
    assert "Spotlight report SPT-0117: no issues." in text or changes.get("note") == ""
    assert not DueDiligenceCheck.objects.exists()


def test_the_administrator_reads_the_checks_but_records_none(client_for, unchecked, lead, admin_user):
    check(unchecked, lead)
    client = client_for(admin_user)
    text = client.get(page_url(unchecked)).content.decode()
    assert "Spotlight check" in text and "Record a check" not in text
    assert client.post(page_url(unchecked), form()).status_code == 403
    assert DueDiligenceCheck.objects.count() == 1


def test_the_checks_cost_the_same_queries_however_many(client_for, unchecked, lead):
    client = client_for(lead)
    check(unchecked, lead)
    one = queries_for(client, page_url(unchecked))
    check(unchecked, lead, kind=CheckKind.FINANCIAL)
    check(unchecked, lead, kind=CheckKind.FRAUD)
    assert queries_for(client, page_url(unchecked)) == one


def test_the_lead_sees_the_link_from_the_bid(client_for, unchecked, lead):
    page = client_for(lead).get(reverse("bids:bid", kwargs={"reference": unchecked.reference}))
    assert "Record due diligence checks" in page.content.decode()
