"""The demo's section times and feedback answers (demo/insights.py), on a round of a few bids:
what seed_demo does to the 2003 round's 45, so the lead's performance page has figures."""

from datetime import timedelta

import pytest

from bids.models import BidSection
from demo.insights import seed_satisfaction, seed_section_timings
from insights.models import SatisfactionAnswer
from insights.queries import performance_of
from tests import factories

pytestmark = pytest.mark.django_db

CODES = ["KEN", "LDS", "MAN", "BIR", "NET", "SOM", "HCK", "BST", "CMD", "DUR"]


@pytest.fixture
def submitted_round():
    funding_round = factories.open_round()
    for code in CODES:
        bid = factories.submitted_bid(funding_round, code)
        bid.events.filter(kind="created").update(created_at=bid.submitted_at - timedelta(days=30))
    factories.draft_bid(funding_round, "LUT")
    return funding_round


def test_each_submitted_bids_sections_are_timed_before_it_was_submitted(submitted_round):
    assert seed_section_timings(submitted_round) == len(CODES) * 9
    for row in BidSection.objects.filter(bid__funding_round=submitted_round).select_related("bid"):
        if row.bid.submitted_at is None:
            assert row.started_at is None  # the draft has no times
            continue
        # Times are to the minute.
        assert row.bid.submitted_at - timedelta(days=30, minutes=1) <= row.started_at <= row.completed_at
        assert row.completed_at < row.bid.submitted_at
    assert all(
        spread.count == len(CODES) for spread in performance_of(submitted_round).section_times.values()
    )
    assert seed_section_timings(submitted_round) == 0  # a second run changes nothing


def test_about_seven_in_ten_submissions_are_answered_once(submitted_round):
    answered = seed_satisfaction(submitted_round)
    assert 3 <= answered <= len(CODES)
    assert SatisfactionAnswer.objects.filter(funding_round=submitted_round).count() == answered
    comments = list(SatisfactionAnswer.objects.exclude(improvement="").values_list("improvement", flat=True))
    assert len(comments) == len(set(comments))  # each suggestion used once
    assert seed_satisfaction(submitted_round) == 0
