"""The demo's 2003 pilots have monitoring returns in every state, dated in 2004 and told
through their events, and seeding again changes none of them."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Q

from accounts.models import OutboundEmail
from monitoring.enums import ReturnState
from monitoring.models import MonitoringReturn, ReturnEvent
from trusts.enums import ACCEPTED_STATES, ReviewOutcome
from trusts.models import FundingAward

# The demo package's modules run on one worker, which seeds the demo once (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_every_pilot_sent_returns_and_the_third_ones_show_each_state(seeded):
    # Nine accepted pilots sent returns through 2004; one was stopped at its annual review after.
    pilots = (
        FundingAward.objects.filter(bid__funding_round__slug="pilots-2003")
        .filter(Q(state__in=ACCEPTED_STATES) | Q(reviews__outcome=ReviewOutcome.STOP))
        .distinct()
    )
    assert pilots.count() == 9
    for award in pilots:
        assert list(award.monitoring_returns.order_by("period").values_list("period", "state"))[:2] == [
            (1, ReturnState.ACCEPTED),
            (2, ReturnState.ACCEPTED),
        ]
    third = Counter(MonitoringReturn.objects.filter(period=3).values_list("state", flat=True))
    assert third == {
        ReturnState.CHANGES_REQUESTED: 1,
        ReturnState.AWAITING_CERTIFICATION: 1,
        ReturnState.DRAFT: 1,
        ReturnState.SUBMITTED: 6,
    }
    assert not OutboundEmail.objects.exists()  # demo history emails nobody


def test_each_return_is_certified_by_someone_other_than_its_preparer(seeded):
    for monitoring_return in MonitoringReturn.objects.filter(certified_by__isnull=False):
        assert monitoring_return.certified_by_id != monitoring_return.prepared_by_id
        assert monitoring_return.certified_by.local_authority_id == monitoring_return.award.bid.authority_id
    assert all(event.created_at.year == 2004 for event in ReturnEvent.objects.all())
    returned = MonitoringReturn.objects.get(state=ReturnState.CHANGES_REQUESTED)
    assert "break the spending down by partner" in returned.changes_reason


def test_seeding_again_changes_no_return(seeded):
    before = list(MonitoringReturn.objects.order_by("pk").values_list("pk", "state", "saved_at"))
    call_command("seed_demo", stdout=io.StringIO())
    assert list(MonitoringReturn.objects.order_by("pk").values_list("pk", "state", "saved_at")) == before
