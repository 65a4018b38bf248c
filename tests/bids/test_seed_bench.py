"""seed_bench builds the harness's data set in the shape bench/README.md promises."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.models import Role, User
from bench.data import ASSESSED, ASSESSORS_PER_BID
from bids.models import Assessment, Bid, BidEvent, BidState, CriterionScore, Decision, FundingRound
from monitoring.enums import ReturnState
from monitoring.models import MonitoringReturn
from trusts.enums import ACCEPTED_STATES, AwardState
from trusts.models import FundingAward

pytestmark = pytest.mark.django_db

BIDS = 60


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_bench", bids=BIDS, stdout=io.StringIO())


def bench_bids():
    return Bid.objects.filter(funding_round__slug__startswith="bench-round-")


def test_bids_one_per_authority_per_round(seeded):
    bids = bench_bids()
    assert bids.count() == BIDS
    assert FundingRound.objects.filter(slug__startswith="bench-round-").count() == 1
    per_pair = bids.values("funding_round", "authority").annotate(n=Count("pk"))
    assert {row["n"] for row in per_pair} == {1}
    assert len({bid.reference for bid in bids}) == BIDS


def test_rounds_fill_up_from_the_newest(settings):
    settings.DEBUG = True
    call_command("seed_bench", bids=160, stdout=io.StringIO())
    sizes = [
        r.bids.count()
        for r in FundingRound.objects.filter(slug__startswith="bench-round-").order_by("opens_at")
    ]
    assert sizes == [10, 150]


def test_states_spread_across_the_workflow(seeded):
    states = set(bench_bids().values_list("state", flat=True))
    assert states >= {
        BidState.DRAFT,
        BidState.SUBMITTED,
        BidState.UNDER_ASSESSMENT,
        BidState.NOT_SHORTLISTED,
        BidState.APPROVED,
        BidState.WITHDRAWN,
    }


def test_people(seeded):
    assert User.objects.filter(role=Role.ASSESSOR, email__endswith="@bench.example").count() == 40
    assert User.objects.filter(role=Role.LEAD, email="lead@bench.example").exists()
    council = User.objects.filter(role=Role.COUNCIL, email__endswith="@council.example")
    # Each authority's officer, who writes its bids and prepares its returns, and its director,
    # who certifies them.
    assert council.filter(email__startswith="bids.").count() == 150
    assert council.filter(email__startswith="director.").count() == 150


def test_every_assessed_bid_has_three_assessments_of_every_criterion(seeded):
    assessed = bench_bids().filter(state__in=ASSESSED)
    assert assessed.exists()
    counts = assessed.annotate(n=Count("assessments")).values_list("n", flat=True)
    assert set(counts) == {ASSESSORS_PER_BID}
    assert not Assessment.objects.exclude(bid__state__in=ASSESSED).exists()
    criteria = assessed.first().funding_round.criteria.count()
    assert CriterionScore.objects.count() == assessed.count() * ASSESSORS_PER_BID * criteria
    # A submitted assessment has every score and its total; nobody assesses a bid they are conflicted with.
    submitted = Assessment.objects.filter(state=Assessment.State.SUBMITTED)
    assert not submitted.filter(weighted_total__isnull=True).exists()
    assert not CriterionScore.objects.filter(assessment__in=submitted, score__isnull=True).exists()
    for assessment in Assessment.objects.select_related("assessor", "bid"):
        assert not assessment.assessor.conflicts.filter(authority_id=assessment.bid.authority_id).exists()


def test_awards_for_a_fifth_of_the_bids(seeded):
    approved = bench_bids().filter(state=BidState.APPROVED)
    assert approved.count() == BIDS // 5
    assert FundingAward.objects.filter(bid__in=approved).count() == BIDS // 5
    assert not FundingAward.objects.exclude(bid__state=BidState.APPROVED).exists()
    assert Decision.objects.filter(bid__in=approved, outcome="approved").count() == BIDS // 5
    states = set(FundingAward.objects.values_list("state", flat=True))
    assert {AwardState.OFFERED, AwardState.ACCEPTED, AwardState.PAID} <= states
    paid = FundingAward.objects.filter(state=AwardState.PAID).first()
    assert paid.trust and paid.paid_on and paid.events.count() >= 4
    assert sum(i.amount for i in paid.instalments.all() if i.state == "paid") == paid.total
    assert all(i.requested_by_id != i.approved_by_id for i in paid.instalments.all())


def test_pilots_send_monitoring_returns(seeded):
    returns = MonitoringReturn.objects.all()
    assert returns.exists()
    assert not returns.exclude(award__state__in=ACCEPTED_STATES).exists()
    assert set(returns.values_list("state", flat=True)) >= {ReturnState.ACCEPTED, ReturnState.SUBMITTED}
    accepted = returns.filter(state=ReturnState.ACCEPTED).first()
    assert accepted.prepared_by.local_authority_id == accepted.award.bid.authority_id
    assert accepted.certified_by_id != accepted.prepared_by_id
    assert accepted.milestones.count() == 3
    assert list(accepted.events.values_list("to_state", flat=True)) == [
        "draft",
        "awaiting_certification",
        "submitted",
        "accepted",
    ]


def test_histories_follow_the_workflow(seeded):
    approved = bench_bids().filter(state=BidState.APPROVED, authority__code="KEN").get()
    steps = approved.events.filter(kind="state_changed").order_by("created_at")
    assert list(steps.values_list("to_state", flat=True)) == [
        "submitted",
        "under_assessment",
        "shortlisted",
        "interview_scheduled",
        "interviewed",
        "approved",
    ]
    assert approved.events.filter(kind="assessor_assigned").count() == ASSESSORS_PER_BID
    assert BidEvent.objects.filter(kind="created").count() == BIDS


def test_award_rows_top_up_with_archive_rounds(seeded):
    call_command("seed_bench", award_rows=200, stdout=io.StringIO())
    assert FundingAward.objects.count() == 200
    archive = Bid.objects.filter(funding_round__slug__startswith="archive-round-")
    assert archive.count() == 200 - BIDS // 5
    per_pair = archive.values("funding_round", "authority").annotate(n=Count("pk"))
    assert {row["n"] for row in per_pair} == {1}
    newest = FundingRound.objects.order_by("-opens_at").first()
    assert newest.slug.startswith("bench-round-")


def test_refuses_a_second_seeding(seeded):
    with pytest.raises(CommandError, match="already has bench data"):
        call_command("seed_bench", bids=BIDS, stdout=io.StringIO())


def test_refuses_production_settings(settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="never loaded under production settings"):
        call_command("seed_bench", bids=BIDS, stdout=io.StringIO())
    assert not Bid.objects.exists()
