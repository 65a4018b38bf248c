"""The demo's 2003 round ends with its awards made, in several states, so every report has rows."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from accounts.models import OutboundEmail
from trusts.enums import AwardState
from trusts.exports import formats
from trusts.models import AwardEvent, ConsultationActivity, FundingAward, Trust

# One worker runs the whole module under xdist (--dist loadgroup), so the demo is seeded once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_awards")]


@pytest.fixture
def seeded(demo_seeded):
    """The demo, seeded once for this module (tests/conftest.py); each test's changes are rolled back."""


def test_every_approved_2003_bid_has_an_award_in_a_spread_of_states(seeded):
    awards = FundingAward.objects.filter(bid__funding_round__slug="pilots-2003")
    assert awards.count() == 12
    states = Counter(awards.values_list("state", flat=True))
    assert states == {
        AwardState.PAID: 5,
        AwardState.CONDITIONS_MET: 2,
        AwardState.ACCEPTED: 2,
        AwardState.OFFERED: 1,
        AwardState.DECLINED: 1,
        AwardState.WITHDRAWN: 1,
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
    trail = list(AwardEvent.objects.filter(award=paid).exclude(from_state="accepted", to_state="accepted"))
    assert [(event.from_state, event.to_state) for event in trail] == [
        ("", "offered"),
        ("offered", "accepted"),
        ("accepted", "conditions_met"),
        ("conditions_met", "paid"),
    ]
    assert all(event.created_at.year == 2003 for event in AwardEvent.objects.all())
    assert all(activity.held_on.year == 2003 for activity in ConsultationActivity.objects.all())
    assert ConsultationActivity.objects.exclude(evidence="").exists()


def test_seeding_again_changes_no_award(seeded):
    before = list(FundingAward.objects.order_by("pk").values_list("pk", "state"))
    events = AwardEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert list(FundingAward.objects.order_by("pk").values_list("pk", "state")) == before
    assert AwardEvent.objects.count() == events


def test_every_report_has_real_rows_from_the_demo(seeded):
    assert formats.row_count("csv", None) == 12
    assert formats.row_count("360giving", None) == 10
    for fmt in formats.FORMATS:
        assert formats.build_bytes(fmt, None)
