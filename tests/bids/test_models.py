from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, models, transaction

from bids import drafting, workflow
from bids.models import Bid, BidState
from tests import factories

pytestmark = pytest.mark.django_db


def test_2003_round_is_seeded_with_the_dates_and_amounts_from_the_articles():
    funding_round = factories.pilot_round()
    # 31 March 2003 was in British Summer Time: 23:59:59 BST is 22:59:59 UTC.
    assert funding_round.closes_at == datetime(2003, 3, 31, 22, 59, 59, tzinfo=UTC)
    assert (funding_round.interviews_start_on.month, funding_round.interviews_end_on.month) == (5, 5)
    assert funding_round.base_award == Decimal("60000")
    assert funding_round.max_supplement == Decimal("40000")
    weights = {c.name: c.weight for c in funding_round.criteria.all()}
    assert sum(weights.values()) == Decimal("100")
    assert weights["Joint working across social services, education and health"] == Decimal("30")


def test_the_database_allows_one_bid_per_authority_per_round(open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.create(funding_round=open_round, authority=bid.authority, reference="CTP-X-KEN-DUP")


def test_starting_twice_returns_the_existing_bid(open_round, kent_user):
    first, created = drafting.start_bid(open_round, kent_user.local_authority, kent_user)
    again, created_again = drafting.start_bid(open_round, kent_user.local_authority, kent_user)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert first.reference == f"CTP-{open_round.code}-KEN"


def test_a_withdrawn_bid_makes_room_for_a_fresh_one(open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    workflow.change_state(bid, "withdraw", kent_user, reason="Starting again")
    again, created = drafting.start_bid(open_round, kent_user.local_authority, kent_user)
    assert created and again.reference == f"{bid.reference}-2"
    assert Bid.objects.get(pk=bid.pk).state == BidState.WITHDRAWN


def test_state_cannot_be_written_directly(open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    with pytest.raises(AttributeError):
        bid.state = BidState.APPROVED


def test_reloading_a_bid_never_unprotects_the_state_of_other_bids(kent_user, open_round, monkeypatch):
    """django-fsm's own reload switches protection off on the shared field while it runs,
    so another thread's bid could be written directly, or fail, in that moment."""

    bid = factories.draft_bid(open_round, "KEN", kent_user)
    state_field = Bid._meta.get_field("state")
    seen = []
    reload = models.Model.refresh_from_db

    def watching(self, *args, **kwargs):
        seen.append(state_field.protected)
        return reload(self, *args, **kwargs)

    monkeypatch.setattr(models.Model, "refresh_from_db", watching)
    Bid.objects.filter(pk=bid.pk).update(state=BidState.SUBMITTED)
    bid.refresh_from_db()
    assert seen == [True] and state_field.protected
    assert bid.state == BidState.SUBMITTED
    with pytest.raises(AttributeError, match="Direct state modification"):
        bid.state = BidState.DRAFT
