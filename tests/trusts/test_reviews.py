"""The annual review (GovS 015): the lead continues, amends (within the round's limits and
budget, the schedule following) or stops a pilot (the award withdrawn, any sum to recover
recorded), with reasons the council is told."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bids.models import FundingRound
from trusts import payments, reviews
from trusts.enums import AwardState, InstalmentState, ReviewOutcome
from trusts.models import AnnualReview, AwardEvent, FundingAward

from .conftest import award_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(lead, kent_user, open_round):
    """Kent's pilot: £60,000 and a £20,000 supplement, its consultation condition met."""
    return award_in_state(
        AwardState.CONDITIONS_MET, lead=lead, council=kent_user, funding_round=open_round, supplement=20000
    )


def schedule(award):
    return [(i.number, i.amount, i.state) for i in award.instalments.order_by("number")]


def review(award, lead, outcome, **changes):
    return reviews.record_review(
        award, lead, outcome=outcome, reasons="Returns show strong progress.", **changes
    )


def test_continuing_records_the_review_and_tells_the_council(
    pilot, lead, kent_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        recorded = review(pilot, lead, ReviewOutcome.CONTINUE)
    assert (recorded.number, recorded.outcome, recorded.total_after) == (1, "continue", Decimal("80000"))
    event = AwardEvent.objects.filter(award=pilot).latest("created_at")
    assert event.reason == "Annual review 1: continue as agreed. Returns show strong progress."
    (told,) = [m for m in mail.outbox if "Annual review" in m.subject]
    assert told.to == [kent_user.email]
    assert "The pilot continues as agreed" in told.body and "Returns show strong progress." in told.body
    assert review(pilot, lead, ReviewOutcome.CONTINUE).number == 2


def test_amending_up_adds_an_instalment_payable_now(pilot, lead):
    recorded = review(
        pilot,
        lead,
        ReviewOutcome.AMEND,
        base_amount=Decimal("60000"),
        supplement_amount=Decimal("35000"),
        justification="Two more districts joined the trust.",
    )
    award = FundingAward.objects.get(pk=pilot.pk)
    assert (
        award.total == Decimal("95000")
        and award.supplement_justification == "Two more districts joined the trust."
    )
    assert (recorded.total_before, recorded.total_after) == (Decimal("80000"), Decimal("95000"))
    assert schedule(award) == [
        (1, Decimal("60000"), InstalmentState.SCHEDULED),
        (2, Decimal("20000"), InstalmentState.SCHEDULED),
        (3, Decimal("15000"), InstalmentState.SCHEDULED),
    ]
    assert award.instalments.get(number=3).released_at == award.conditions_met_at


def test_amending_up_an_award_paid_in_full_gives_it_more_to_pay(lead, kent_user, open_round, admin_user):
    paid = award_in_state(AwardState.PAID, lead=lead, council=kent_user, funding_round=open_round)
    review(
        paid,
        lead,
        ReviewOutcome.AMEND,
        base_amount=Decimal("60000"),
        supplement_amount=Decimal("15000"),
        justification="A second district joined.",
    )
    award = FundingAward.objects.get(pk=paid.pk)
    assert award.state == AwardState.CONDITIONS_MET and award.total == Decimal("75000")
    added = award.instalments.get(state=InstalmentState.SCHEDULED)
    assert added.amount == Decimal("15000")
    payments.request(added, lead)
    payments.approve(added, admin_user)
    payments.record_paid(added, admin_user, reference="DH-PAY-2", paid_on=timezone.localdate())
    assert FundingAward.objects.get(pk=paid.pk).state == AwardState.PAID


def test_amending_down_takes_from_the_instalments_not_yet_asked_for_last_first(pilot, lead, admin_user):
    first = pilot.instalments.get(number=1)
    payments.request(first, lead)
    review(pilot, lead, ReviewOutcome.AMEND, base_amount=Decimal("60000"), supplement_amount=Decimal("0"))
    award = FundingAward.objects.get(pk=pilot.pk)
    assert award.total == Decimal("60000")
    assert schedule(award) == [(1, Decimal("60000"), InstalmentState.REQUESTED)]


def test_an_amendment_is_held_to_the_rounds_limits_as_an_approval_is(pilot, lead, open_round):
    with pytest.raises(reviews.ReviewError) as refused:
        review(
            pilot, lead, ReviewOutcome.AMEND, base_amount=Decimal("60000"), supplement_amount=Decimal("45000")
        )
    assert refused.value.problems == [f"The supplement cannot be more than £{open_round.max_supplement:,.0f}"]
    FundingRound.objects.filter(pk=open_round.pk).update(total_budget=Decimal("90000"))
    with pytest.raises(reviews.ReviewError) as refused:
        review(
            pilot, lead, ReviewOutcome.AMEND, base_amount=Decimal("60000"), supplement_amount=Decimal("40000")
        )
    # The pilot's own £80,000 is replaced, not added to: all £90,000 is there for it.
    assert refused.value.problems == [
        f"This award of £100,000 would take {open_round.name} past its budget: £90,000 of £90,000 is left"
    ]
    assert FundingAward.objects.get(pk=pilot.pk).total == Decimal("80000")
    assert not AnnualReview.objects.exists()


def test_an_award_cannot_be_cut_below_what_has_been_asked_for(pilot, lead):
    payments.request(pilot.instalments.get(number=1), lead)
    with pytest.raises(reviews.ReviewError) as refused:
        review(pilot, lead, ReviewOutcome.AMEND, base_amount=Decimal("50000"), supplement_amount=Decimal("0"))
    assert refused.value.problems == [
        "The award cannot be reduced below £60,000, which has already been requested, approved or paid"
    ]


def test_stopping_withdraws_the_award_and_records_the_sum_to_recover(
    pilot, lead, admin_user, kent_user, django_capture_on_commit_callbacks
):
    first = pilot.instalments.get(number=1)
    payments.request(first, lead)
    payments.approve(first, admin_user)
    payments.record_paid(first, admin_user, reference="DH-PAY-1", paid_on=timezone.localdate())
    with pytest.raises(reviews.ReviewError) as refused:
        review(pilot, lead, ReviewOutcome.STOP, to_recover=Decimal("60000.01"))
    assert refused.value.problems == ["The sum to recover cannot be more than the £60,000 paid so far"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        recorded = review(pilot, lead, ReviewOutcome.STOP, to_recover=Decimal("15000"))
    award = FundingAward.objects.get(pk=pilot.pk)
    assert award.state == AwardState.WITHDRAWN and recorded.to_recover == Decimal("15000")
    assert schedule(award) == [(1, Decimal("60000"), InstalmentState.PAID)]
    (told,) = [m for m in mail.outbox if "Annual review" in m.subject]
    assert "The Department will recover £15,000" in told.body


def test_no_review_of_an_award_not_yet_accepted(lead, kent_user, open_round):
    offered = award_in_state(AwardState.OFFERED, lead=lead, council=kent_user, funding_round=open_round)
    with pytest.raises(reviews.ReviewError):
        review(offered, lead, ReviewOutcome.CONTINUE)


def test_the_review_page_reveals_the_choices_and_keeps_what_was_typed(client_for, pilot, lead, kent_user):
    url = reverse("trusts:review", kwargs={"pk": pilot.pk})
    client = client_for(lead)
    assert "What is the review&#x27;s decision?" in client.get(url).content.decode()
    response = client.post(url, {"outcome": "amend", "base_amount": "", "reasons": "KEEP-ME"})
    text = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in text
    assert "Enter the amended base award" in text and "KEEP-ME" in text
    response = client.post(url, {"outcome": "continue", "reasons": "On track.", "base_amount": "nonsense"})
    assert response.status_code == 302
    assert AnnualReview.objects.get(award=pilot).outcome == "continue"
    council = client_for(kent_user).get(reverse("trusts:award", kwargs={"pk": pilot.pk})).content.decode()
    assert "Continue as agreed" in council and "On track." in council
    assert client_for(kent_user).get(url).status_code == 403


def test_the_council_cannot_record_a_review(pilot, kent_user):
    with pytest.raises(reviews.ReviewError):
        review(pilot, kent_user, ReviewOutcome.CONTINUE)
