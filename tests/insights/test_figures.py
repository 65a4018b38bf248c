"""The service's performance worked out on a round built by hand, where every figure can be
checked on paper: bids started and submitted, the quartiles of the time each section and
the whole bid took, where unsubmitted bids stopped, and what councils answered."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import DurationField, ExpressionWrapper, F, Value
from django.utils import timezone

from accounts.models import Role
from bids import drafting, workflow
from bids.models import BidEvent, BidSection, EventKind, Section
from insights.durations import in_words
from insights.enums import Satisfaction
from insights.queries import ALL_COMPLETE, Spread, performance_of, quartiles
from insights.satisfaction import record_answer
from tests import factories

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def started_at(bid, when):
    type(bid).objects.filter(pk=bid.pk).update(created_at=when)


def submitted_at(bid, when):
    BidEvent.objects.filter(bid=bid, kind=EventKind.STATE_CHANGED, to_state="submitted").update(
        created_at=when
    )


def timed(bid, section, start, took):
    BidSection.objects.filter(bid=bid, section=section).update(started_at=start, completed_at=start + took)


@pytest.fixture
def example():
    """Six bids in one round:

    KEN submitted after 2 days; contacts took 1 hour, focus 2 hours.
    LDS submitted after 4 days; contacts took 3 hours, focus 4 hours.
    SOM submitted after 1 day, then withdrawn.
    MAN a draft with contacts (5 hours) and focus completed: stopped at services in scope.
    BIR a draft with every section completed, never submitted.
    NET withdrawn while a draft, nothing completed: stopped at contacts.
    """
    funding_round = factories.open_round()
    start = timezone.now() - timedelta(days=10)
    bids = {}
    for code, took in (("KEN", 2 * DAY), ("LDS", 4 * DAY), ("SOM", DAY)):
        bid = factories.submitted_bid(funding_round, code)
        started_at(bid, start)
        submitted_at(bid, start + took)
        bids[code] = bid
    workflow.change_state(bids["SOM"], "withdraw", bids["SOM"].submitted_by, reason="Not this year.")
    timed(bids["KEN"], Section.CONTACTS, start, HOUR)
    timed(bids["KEN"], Section.FOCUS, start, 2 * HOUR)
    timed(bids["LDS"], Section.CONTACTS, start, 3 * HOUR)
    timed(bids["LDS"], Section.FOCUS, start, 4 * HOUR)
    # Started but never completed: not timed.
    BidSection.objects.filter(bid=bids["LDS"], section=Section.SCOPES).update(started_at=start)

    manchester = factories.draft_bid(funding_round, "MAN")
    BidSection.objects.filter(bid=manchester, section__in=[Section.CONTACTS, Section.FOCUS]).update(
        completed=True
    )
    timed(manchester, Section.CONTACTS, start, 5 * HOUR)
    factories.draft_bid(funding_round, "BIR", complete=True)
    newcastle = factories.draft_bid(funding_round, "NET")
    workflow.change_state(newcastle, "withdraw", newcastle.created_by, reason="Merging with a neighbour.")

    record_answer(bids["KEN"], bids["KEN"].submitted_by, Satisfaction.VERY_SATISFIED, "Clear questions.")
    record_answer(bids["LDS"], bids["LDS"].submitted_by, Satisfaction.SATISFIED)
    som = type(bids["SOM"]).objects.get(pk=bids["SOM"].pk)
    record_answer(som, som.submitted_by, Satisfaction.DISSATISFIED, "Let us save partners in bulk.")
    # Another round's bids and answers are not counted.
    other = factories.submitted_bid(factories.open_round(), "KEN")
    record_answer(other, other.submitted_by, Satisfaction.VERY_DISSATISFIED, "Elsewhere.")
    return funding_round


def test_bids_started_and_submitted_and_the_completion_rate(example):
    figures = performance_of(example)
    assert (figures.completion.started, figures.completion.submitted) == (6, 3)
    assert figures.completion.rate == Decimal("50.0")


def test_each_section_time_is_from_its_first_save_to_first_completion_with_quartiles(example):
    times = performance_of(example).section_times
    # Contacts: 1, 3 and 5 hours.
    assert times[Section.CONTACTS] == Spread(count=3, lower=2 * HOUR, median=3 * HOUR, upper=4 * HOUR)
    # Focus: 2 and 4 hours, interpolated between them.
    assert times[Section.FOCUS] == Spread(
        count=2, lower=timedelta(hours=2.5), median=3 * HOUR, upper=timedelta(hours=3.5)
    )
    # Sections with no timings (started and never completed, or saved before timings were
    # recorded) have no data yet.
    assert times[Section.SCOPES] == Spread()
    assert in_words(times[Section.SCOPES].median) == "No data yet"
    assert list(times) == list(Section)


def test_the_whole_bid_is_timed_from_starting_it_to_first_submitting_it(example):
    # 1, 2 and 4 days.
    assert performance_of(example).bid_time == Spread(
        count=3, lower=timedelta(days=1.5), median=2 * DAY, upper=3 * DAY
    )


def test_a_bid_returned_and_submitted_again_is_timed_to_its_first_submission(example):
    kent = factories.submitted_bid(factories.open_round(), "KEN")
    started_at(kent, kent.submitted_at - DAY)
    lead = factories.lead_user()
    workflow.change_state(kent, "return_to_council", lead, reason="Add your health partner.")
    workflow.change_state(kent, "submit", kent.submitted_by)
    figures = performance_of(kent.funding_round)
    assert figures.bid_time.median == DAY
    assert figures.completion.submitted == 1


def test_where_drafts_stop_counts_the_first_section_not_completed(example):
    stops = {stop.label: stop.count for stop in performance_of(example).stops}
    assert stops == {
        **{section.label: 0 for section in Section},
        Section.SCOPES.label: 1,  # Manchester
        Section.CONTACTS.label: 1,  # Newcastle, withdrawn as a draft
        ALL_COMPLETE: 1,  # Birmingham
    }
    assert performance_of(example).stopped == 3


def test_satisfaction_counts_and_percentages(example):
    satisfaction = performance_of(example).satisfaction
    assert [(option.satisfaction, option.count, option.percent) for option in satisfaction.options] == [
        (Satisfaction.VERY_SATISFIED, 1, Decimal("33.3")),
        (Satisfaction.SATISFIED, 1, Decimal("33.3")),
        (Satisfaction.NEITHER, 0, Decimal("0.0")),
        (Satisfaction.DISSATISFIED, 1, Decimal("33.3")),
        (Satisfaction.VERY_DISSATISFIED, 0, Decimal("0.0")),
    ]
    assert (satisfaction.answers, satisfaction.satisfied, satisfaction.satisfied_percent) == (
        3,
        2,
        Decimal("66.7"),
    )


def test_a_round_with_no_bids_has_no_data_yet():
    figures = performance_of(factories.open_round())
    assert (figures.completion.started, figures.completion.submitted, figures.completion.rate) == (0, 0, None)
    assert figures.bid_time == Spread()
    assert all(spread == Spread() for spread in figures.section_times.values())
    assert figures.stopped == 0
    assert figures.satisfaction.answers == 0 and figures.satisfaction.satisfied_percent is None


def test_quartiles_of_one_bid_are_its_own_time():
    kent = factories.submitted_bid(factories.open_round(), "KEN")
    submitted_at(kent, kent.created_at + 3 * HOUR)
    assert performance_of(kent.funding_round).bid_time == Spread(
        count=1, lower=3 * HOUR, median=3 * HOUR, upper=3 * HOUR
    )


def test_quartiles_take_one_query_however_many_rows(django_assert_num_queries):
    funding_round = factories.open_round()
    for code in ("KEN", "LDS", "MAN", "BIR", "NET"):
        factories.submitted_bid(funding_round, code)
    since_started = ExpressionWrapper(Value(timezone.now()) - F("created_at"), output_field=DurationField())
    with django_assert_num_queries(1):
        spreads = quartiles(funding_round.bids.order_by().annotate(duration=since_started))
    assert spreads[None].count == 5


# Recording the times as councils work -----------------------------------------------------


def test_a_section_records_its_first_save_and_first_completion(open_round_and_kent):
    funding_round, kent_user = open_round_and_kent
    bid, _ = drafting.start_bid(funding_round, kent_user.local_authority, kent_user)
    first = timezone.now() - timedelta(hours=5)
    drafting.save_section(
        bid, Section.FOCUS, kent_user, loaded_version=0, changes={"vision": "Ours"}, now=first
    )
    row = BidSection.objects.get(bid=bid, section=Section.FOCUS)
    assert (row.started_at, row.completed_at) == (first, None)

    later = first + HOUR
    drafting.save_section(
        bid, Section.FOCUS, kent_user, loaded_version=1, changes={"vision": "Ours, better"}, now=later
    )
    completed = later + HOUR
    drafting.set_section_completed(bid, Section.FOCUS, kent_user, True, now=completed)
    row.refresh_from_db()
    assert (row.started_at, row.completed_at) == (first, completed)

    # Reopened and completed again: the first completion is kept.
    drafting.reopen_section(bid, Section.FOCUS)
    drafting.set_section_completed(bid, Section.FOCUS, kent_user, False, now=completed + HOUR)
    drafting.set_section_completed(bid, Section.FOCUS, kent_user, True, now=completed + 2 * HOUR)
    row.refresh_from_db()
    assert (row.started_at, row.completed_at, row.completed) == (first, completed, True)


def test_a_section_completed_at_its_first_save_took_no_time(open_round_and_kent):
    funding_round, kent_user = open_round_and_kent
    bid, _ = drafting.start_bid(funding_round, kent_user.local_authority, kent_user)
    now = timezone.now()
    drafting.set_section_completed(bid, Section.DOCUMENTS, kent_user, True, now=now)
    row = BidSection.objects.get(bid=bid, section=Section.DOCUMENTS)
    assert row.started_at == row.completed_at == now


@pytest.fixture
def open_round_and_kent():
    return factories.open_round(), factories.user(Role.COUNCIL, "KEN")
