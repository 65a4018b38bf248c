"""Hostile input on the administrators' round set-up pages: a new round's details, a
section of a live round, the weights, and adding a criterion. Whatever is posted, a stored
round keeps its dates in order, its money within its budget and its weights at 100%."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bids.models import Criterion, FundingRound
from tests import factories

from .inputs import (
    HOSTILE,
    NUMBERISH,
    assert_handled,
    assert_no_nul,
    client_as,
    field,
    form,
    posting,
    rolled_back,
)

pytestmark = pytest.mark.django_db

MONEY = ["60,000", "£60000", "0", "-1", "0.001", "9" * 13, "1e5", *NUMBERISH]
WEIGHTS = ["20", "25", "100", "100.01", "0", "-20", "33.333", "1e2", *NUMBERISH]


@pytest.fixture
def admin(admin_user):
    return client_as(admin_user)


@pytest.fixture
def live_round(open_round, kent_user):
    """A round Kent has submitted a bid to."""
    factories.submitted_bid(open_round, "KEN", kent_user)
    return open_round


@pytest.fixture
def others_criterion(db):
    """A criterion of another round, whose weight a forged form might post."""
    return factories.open_round().criteria.first()


def date_parts(name, day, *others):
    """A date's three boxes: `day` as a person would type it, or another of `others`, or worse."""
    return {
        f"{name}_day": field(str(day.day), *(str(o.day) for o in others), "31", "32", "0", *NUMBERISH),
        f"{name}_month": field(str(day.month), *(str(o.month) for o in others), "2", "13", *NUMBERISH),
        f"{name}_year": field(str(day.year), "2003", "99999", "03", *NUMBERISH),
    }


def assert_round_in_order(funding_round):
    assert funding_round.closes_at > funding_round.opens_at
    assert funding_round.interviews_start_on > timezone.localtime(funding_round.closes_at).date()
    assert funding_round.interviews_start_on <= funding_round.interviews_end_on <= funding_round.decision_on
    assert funding_round.decision_on <= funding_round.operational_on
    assert funding_round.base_award > 0 and funding_round.max_supplement >= 0
    if funding_round.total_budget is not None:
        assert funding_round.base_award + funding_round.max_supplement <= funding_round.total_budget
    assert 1 <= funding_round.min_assessors <= 10
    assert Decimal("0.1") <= funding_round.leniency_threshold <= 100
    weights = [c.weight for c in funding_round.criteria.all()]
    assert weights and sum(weights) == Decimal("100")
    assert all(Decimal("0") < weight <= Decimal("100") for weight in weights)
    assert_no_nul(
        funding_round.name,
        funding_round.code,
        funding_round.ggis_reference,
        funding_round.council_guidance,
        funding_round.assessor_guidance,
    )


@HOSTILE
@given(data=st.data())
def test_a_new_round_is_stored_only_in_order(data, admin):
    closes = timezone.localdate() + timedelta(days=60)
    posted = data.draw(
        form(
            name=field("Pilots 2099", "P" * 151, "Children's trust pilots 2003"),
            code=field("2099", "C" * 13, "20 99", "2003"),
            ggis_reference=field("", "G2-SCH-2099-01-0001", "#"),
            description=field(""),
            **date_parts("opens_on", timezone.localdate()),
            **date_parts("closes_on", closes),
            **date_parts("interviews_start_on", closes + timedelta(days=20)),
            **date_parts("interviews_end_on", closes + timedelta(days=40)),
            **date_parts("decision_on", closes + timedelta(days=60)),
            **date_parts("operational_on", closes + timedelta(days=200)),
            base_award=field(*MONEY),
            max_supplement=field("40,000", *MONEY),
            total_budget=field("", "1,000,000", *MONEY),
            pilot_places=field("", "10", "0", "-1", *NUMBERISH),
            min_assessors=field("2", "0", "11", *NUMBERISH),
            leniency_threshold=field("10", "0", "100.1", "7.55", *NUMBERISH),
            assessor_guidance=field("Score the bid."),
            council_guidance=field("Tell us about partners."),
        )
    )
    before = set(FundingRound.objects.values_list("pk", flat=True))
    with rolled_back():
        outcome = assert_handled(posting(admin, reverse("bids:new-round"), posted, data.draw(st.booleans())))
        new = list(FundingRound.objects.exclude(pk__in=before))
        assert len(new) == (1 if outcome == "success" else 0)
        for funding_round in new:
            assert not funding_round.is_published
            assert_round_in_order(funding_round)


@HOSTILE
@given(data=st.data())
def test_a_live_round_keeps_its_deadline_and_budget_whatever_is_posted(data, admin, live_round):
    open_round = live_round
    closes = timezone.localtime(open_round.closes_at).date()
    section = data.draw(st.sampled_from(["dates", "funding", "about", "assessment", "councils", "nonsense"]))
    posted = data.draw(
        form(
            name=field(open_round.name, "", "N" * 151),
            code=field(open_round.code, "OTHER"),
            **date_parts("opens_on", timezone.localtime(open_round.opens_at).date()),
            **date_parts("closes_on", closes + timedelta(days=3), closes - timedelta(days=3)),
            **date_parts("interviews_start_on", open_round.interviews_start_on),
            **date_parts("interviews_end_on", open_round.interviews_end_on),
            **date_parts("decision_on", open_round.decision_on),
            **date_parts("operational_on", open_round.operational_on),
            base_award=field(*MONEY),
            max_supplement=field(*MONEY),
            total_budget=field("", *MONEY),
            min_assessors=field("2", *NUMBERISH),
            council_guidance=field("", "word " * 501),
        )
    )
    with rolled_back():
        url = reverse("bids:round-section", args=[open_round.slug, section])
        response = posting(admin, url, posted)
        if section == "nonsense":
            assert response.status_code == 404
            return
        assert_handled(response)
        stored = FundingRound.objects.get(pk=open_round.pk)
        assert stored.closes_at >= open_round.closes_at  # extended or left, never brought forward
        assert stored.opens_at == open_round.opens_at and stored.code == open_round.code
        assert_round_in_order(stored)


@HOSTILE
@given(data=st.data())
def test_weights_always_add_up_to_100(data, admin, open_round, others_criterion):
    criteria = list(open_round.criteria.all())
    posted = data.draw(
        form(
            **{f"weight_{c.pk}": field(str(c.weight), *WEIGHTS) for c in criteria},
            **{f"weight_{others_criterion.pk}": field("", "50")},
        )
    )
    with rolled_back():
        assert_handled(posting(admin, reverse("bids:weights", args=[open_round.slug]), posted))
        assert_round_in_order(FundingRound.objects.get(pk=open_round.pk))


@HOSTILE
@given(data=st.data())
def test_a_new_criterion_keeps_the_weights_at_100(data, admin, open_round):
    criteria = list(open_round.criteria.all())
    posted = data.draw(
        form(
            name=field("Value for money", "", "N" * 201, criteria[0].name),
            guidance=field(""),
            weight=field("10", *WEIGHTS),
            **{f"level_{n}": field(f"Level {n}", "", "word " * 61) for n in range(5)},
            **{
                f"weight_{c.pk}": field(str(c.weight - (10 if n == 0 else 0)), *WEIGHTS)
                for n, c in enumerate(criteria)
            },
        )
    )
    with rolled_back():
        outcome = assert_handled(
            posting(admin, reverse("bids:add-criterion", args=[open_round.slug]), posted)
        )
        assert Criterion.objects.filter(funding_round=open_round).count() == len(criteria) + (
            outcome == "success"
        )
        assert_round_in_order(FundingRound.objects.get(pk=open_round.pk))
