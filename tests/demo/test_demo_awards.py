"""The demo's 2003 round ends with its awards made, in several states, so every report has rows."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F

from accounts.models import OutboundEmail
from monitoring.enums import ReturnState
from monitoring.models import MonitoringReturn
from trusts.enums import AwardState, InstalmentState, PaymentTrigger, ReviewOutcome
from trusts.exports import formats
from trusts.models import AnnualReview, AwardEvent, ConsultationActivity, FundingAward, Instalment, Trust

# The demo package's modules run on one worker, which seeds the demo once (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_every_approved_2003_bid_has_an_award_in_a_spread_of_states(seeded):
    awards = FundingAward.objects.filter(bid__funding_round__slug="pilots-2003")
    assert awards.count() == 12
    states = Counter(awards.values_list("state", flat=True))
    # Five were paid in 2003; at their annual reviews one was amended (more to pay) and one stopped.
    assert states == {
        AwardState.PAID: 3,
        AwardState.CONDITIONS_MET: 3,
        AwardState.ACCEPTED: 2,
        AwardState.OFFERED: 1,
        AwardState.DECLINED: 1,
        AwardState.WITHDRAWN: 2,
    }
    for award in awards.filter(state__in=[AwardState.PAID, AwardState.CONDITIONS_MET]):
        assert set(award.consultation_activities.values_list("audience", flat=True)) == {
            "communities",
            "agencies",
            "staff",
        }
    assert Trust.objects.filter(award__in=awards).count() == 10  # every award that was accepted
    assert not OutboundEmail.objects.exists()  # demo history emails nobody


def test_demo_history_is_dated_in_2003_and_told_through_events(seeded):
    paid = FundingAward.objects.filter(state=AwardState.PAID).first()
    # Consultation and payment steps leave the award where it is; these are its changes of state.
    trail = list(AwardEvent.objects.filter(award=paid).exclude(from_state=F("to_state")))
    assert [(event.from_state, event.to_state) for event in trail] == [
        ("", "offered"),
        ("offered", "accepted"),
        ("accepted", "conditions_met"),
        ("conditions_met", "paid"),
    ]
    # What happened in 2004: supplements paid after the first accepted return, and reviews.
    for event in AwardEvent.objects.select_related("instalment"):
        assert event.created_at.year == 2003 or (
            event.created_at.year == 2004
            and (
                "annual review" in event.reason.lower()
                or (event.instalment and event.instalment.trigger == PaymentTrigger.FIRST_RETURN)
                or event.to_state == AwardState.PAID
            )
        ), event.reason
    assert all(activity.held_on.year == 2003 for activity in ConsultationActivity.objects.all())
    assert ConsultationActivity.objects.exclude(evidence="").exists()


def test_the_demo_holds_an_annual_review_of_each_kind(seeded):
    reviews = {review.outcome: review for review in AnnualReview.objects.select_related("award")}
    assert set(reviews) == {ReviewOutcome.CONTINUE, ReviewOutcome.AMEND, ReviewOutcome.STOP}
    assert reviews[ReviewOutcome.CONTINUE].award.state == AwardState.PAID
    amended = reviews[ReviewOutcome.AMEND]
    assert amended.total_after == amended.total_before + 10000 == amended.award.total
    assert amended.award.state == AwardState.CONDITIONS_MET
    assert amended.award.instalments.filter(state=InstalmentState.SCHEDULED).get().amount == 10000
    stopped = reviews[ReviewOutcome.STOP]
    assert stopped.award.state == AwardState.WITHDRAWN and stopped.to_recover == 8500
    assert all(review.reviewed_at.year == 2004 for review in reviews.values())


def test_seeding_again_changes_no_award(seeded):
    before = list(FundingAward.objects.order_by("pk").values_list("pk", "state"))
    events = AwardEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert list(FundingAward.objects.order_by("pk").values_list("pk", "state")) == before
    assert AwardEvent.objects.count() == events


def test_every_report_has_real_rows_from_the_demo(seeded):
    assert formats.row_count("csv", None) == 12
    assert formats.row_count("360giving", None) == 9
    for fmt in formats.FORMATS:
        assert formats.build_bytes(fmt, None)


def test_demo_payments_are_asked_for_by_one_official_and_approved_by_another(seeded):
    instalments = Instalment.objects.filter(award__bid__funding_round__slug="pilots-2003")
    states = set(instalments.values_list("state", flat=True))
    assert states == {
        InstalmentState.SCHEDULED,
        InstalmentState.REQUESTED,
        InstalmentState.APPROVED,
        InstalmentState.PAID,
    }
    asked = instalments.exclude(state=InstalmentState.SCHEDULED)
    assert all(i.requested_by.email == "lead@doh.example" for i in asked)
    assert all(
        i.approved_by.email == "admin@doh.example" for i in asked.exclude(state=InstalmentState.REQUESTED)
    )
    for award in FundingAward.objects.filter(state=AwardState.PAID):
        assert (
            sum(i.amount for i in award.instalments.all() if i.state == InstalmentState.PAID) == award.total
        )
        assert award.paid_on.year in (2003, 2004)
    for supplement in instalments.filter(trigger=PaymentTrigger.FIRST_RETURN, state=InstalmentState.PAID):
        first_return = (
            MonitoringReturn.objects.filter(award=supplement.award, state=ReturnState.ACCEPTED)
            .order_by("decided_at")
            .first()
        )
        assert supplement.released_at == first_return.decided_at
        assert supplement.paid_on > first_return.decided_at.date()
