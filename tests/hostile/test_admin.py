"""Hostile input on the administrators' forms in the Django admin: funding rounds with
their criteria, service scopes and users. The admin is not on the GOV.UK template, so a
refused form shows the admin's own error note instead of a GOV.UK error summary."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given, settings
from hypothesis import strategies as st

from accounts.models import Role, User
from bids.models import FundingRound
from reference.models import Region, ServiceScope
from tests import factories

from .inputs import (
    HOSTILE,
    NOT_THERE_IDS,
    NUMBERISH,
    assert_escaped,
    assert_no_nul,
    client_as,
    field,
    form,
    last_text,
    page_text,
    posting,
    rolled_back,
)

pytestmark = pytest.mark.django_db


def assert_admin_handled(response):
    status = response.status_code
    assert status < 500, f"server error {status}"
    if status == 302:
        event("outcome: success")
        return "success"
    assert status == 200, f"unexpected status {status}"
    text = page_text(response)
    assert 'class="errornote"' in text or 'class="errorlist' in text, (
        "the admin form came back without an error"
    )
    assert_escaped(text)
    event("outcome: invalid")
    return "invalid"


@pytest.fixture
def admin(admin_user):
    return client_as(admin_user)


MONEY = ["60000", "60000.00", "0", "-1", "0.001", "9" * 13, "1e5", *NUMBERISH]
DATES = ["2099-04-01", "2099-13-01", "01/04/2099", "2099-02-30", "0001-01-01", "9999-12-31", *NUMBERISH]


def criteria_forms(count):
    """The criteria inline's management form and `count` rows."""
    rows = {
        "criteria-TOTAL_FORMS": field(str(count), "0", "-1", "1001", "abc"),
        "criteria-INITIAL_FORMS": field("0", "5", "-1"),
        "criteria-MIN_NUM_FORMS": field("0"),
        "criteria-MAX_NUM_FORMS": field("1000"),
    }
    for n in range(count):
        rows[f"criteria-{n}-position"] = field(str(n + 1), "-1", "70000", *NUMBERISH)
        rows[f"criteria-{n}-name"] = field(f"Criterion {n}", "Same name", "N" * 201)
        rows[f"criteria-{n}-weight"] = field("50", "25", "100", "100.01", "0", "-50", "33.333", *NUMBERISH)
        rows[f"criteria-{n}-guidance"] = field("What good looks like.")
    return rows


@settings(HOSTILE, max_examples=10)  # the round's admin page is the slowest page to draw
@given(data=st.data())
def test_a_round_saved_in_the_admin_keeps_its_dates_money_and_weights_in_order(data, admin):
    count = data.draw(st.integers(min_value=0, max_value=3))
    posted = data.draw(
        form(
            name=field("Pilots 2099", "P" * 151),
            slug=field("pilots-2099", "Pilots 2099", "pilots/2099"),
            code=field("2099", "C" * 13),
            description=field(""),
            opens_at_0=field("2099-01-01", *DATES),
            opens_at_1=field("00:00:00", "25:00", *NUMBERISH),
            closes_at_0=field("2099-03-31", "2098-12-31", *DATES),
            closes_at_1=field("23:59:59"),
            interviews_start_on=field("2099-05-01", *DATES),
            interviews_end_on=field("2099-05-31", "2099-04-30", *DATES),
            decision_on=field("2099-06-30", *DATES),
            operational_on=field("2099-10-01", *DATES),
            base_award=field(*MONEY),
            max_supplement=field(*MONEY),
            total_budget=field("", *MONEY),
            pilot_places=field("", "35", "0", "-1", *NUMBERISH),
            **criteria_forms(count),
        )
    )
    before = set(FundingRound.objects.values_list("pk", flat=True))
    with rolled_back():
        response = posting(admin, reverse("admin:bids_fundinground_add"), posted)
        outcome = assert_admin_handled(response)
        new = list(FundingRound.objects.exclude(pk__in=before))
        assert len(new) == (1 if outcome == "success" else 0)
        for funding_round in new:
            assert funding_round.closes_at > funding_round.opens_at
            assert funding_round.interviews_end_on >= funding_round.interviews_start_on
            assert funding_round.base_award > 0 and funding_round.max_supplement >= 0
            weights = [criterion.weight for criterion in funding_round.criteria.all()]
            assert all(Decimal("0") < weight <= Decimal("100") for weight in weights)
            assert not weights or sum(weights) == Decimal("100")
            assert_no_nul(funding_round.name, funding_round.slug, funding_round.code)
            assert admin.get(reverse("home")).status_code == 200


@HOSTILE
@given(
    posted=form(
        slug=field("school-nursing", "child-protection", "School nursing"),
        name=field("School nursing", "N" * 121),
        description=field(""),
        allowed=field("on", ""),
        excluded_reason=field("", "Stays with the police.", "   "),
        position=field("1", "-1", "40000", *NUMBERISH),
    )
)
def test_an_excluded_service_scope_always_says_why(posted, admin):
    with rolled_back():
        outcome = assert_admin_handled(posting(admin, reverse("admin:reference_servicescope_add"), posted))
        assert ServiceScope.objects.filter(allowed=False, excluded_reason="").count() == 0
        for scope in ServiceScope.objects.all():
            assert 0 <= scope.position <= 32767 and len(scope.name) <= 120
            assert_no_nul(scope.name, scope.slug, scope.excluded_reason)
        if outcome == "success":
            assert ServiceScope.objects.filter(slug=last_text(posted.get("slug"))).exists()


@HOSTILE
@given(data=st.data())
def test_a_user_changed_in_the_admin_keeps_one_role_and_the_authority_it_needs(data, admin, kent_user):
    kent = factories.authority("KEN")
    posted = data.draw(
        form(
            email=field(kent_user.email, "new@council.example", "not-an-email"),
            full_name=field("Kent Officer", "N" * 151),
            job_title=field(""),
            role=field(*Role.values, "root"),
            local_authority=field(str(kent.pk), "", *[str(pk) for pk in NOT_THERE_IDS]),
            region=field("", *Region.values, "atlantis"),
            is_active=field("on", ""),
            is_staff=field("", "on"),
            is_superuser=field("on"),
        )
    )
    with rolled_back():
        response = posting(admin, reverse("admin:accounts_user_change", args=[kent_user.pk]), posted)
        assert_admin_handled(response)
        user = User.objects.get(pk=kent_user.pk)
        assert (user.local_authority_id is not None) == (user.role == Role.COUNCIL)
        assert user.is_staff == (user.role == Role.ADMIN) and not user.is_superuser
        assert user.region in ("", *Region.values)
        assert_no_nul(user.email, user.full_name)


def test_the_round_form_accepts_a_sensible_round(admin):
    """The property above can tell success from refusal: a plain, valid round is saved."""
    start = timezone.localdate() + timedelta(days=400)
    posted = {
        "name": "Pilots later",
        "slug": "pilots-later",
        "code": "LATER",
        "opens_at_0": str(start),
        "opens_at_1": "00:00:00",
        "closes_at_0": str(start + timedelta(days=60)),
        "closes_at_1": "23:59:59",
        "interviews_start_on": str(start + timedelta(days=80)),
        "interviews_end_on": str(start + timedelta(days=90)),
        "decision_on": str(start + timedelta(days=100)),
        "operational_on": str(start + timedelta(days=200)),
        "base_award": "60000",
        "max_supplement": "40000",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-position": "1",
        "criteria-0-name": "Joint working",
        "criteria-0-weight": "60",
        "criteria-1-position": "2",
        "criteria-1-name": "Scope",
        "criteria-1-weight": "40",
    }
    response = admin.post(reverse("admin:bids_fundinground_add"), posted)
    assert response.status_code == 302, page_text(response)
    assert FundingRound.objects.get(slug="pilots-later").criteria.count() == 2
