"""The awards list and each round's budget: what they add up to, flat query counts. Who may
see them is the authorisation matrix's ("trusts:awards", "trusts:budget")."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

import trusts.views.programme as programme
from accounts.models import Role
from reference.models import Region
from tests import factories
from tests.queries import queries_for
from trusts.enums import AwardState
from trusts.queries import AWARDS_PER_PAGE

from .conftest import award_in_state, pounds, tables

pytestmark = pytest.mark.django_db

# Authorities in different regions, so the budget view has something to spread.
SPREAD = [
    ("BST", AwardState.PAID, 40000),  # South West
    ("BIR", AwardState.ACCEPTED, 0),  # West Midlands
    ("CMD", AwardState.CONDITIONS_MET, 20000),  # London
    ("DUR", AwardState.OFFERED, 0),  # North East
    ("LDS", AwardState.DECLINED, 10000),  # Yorkshire and the Humber
    ("NFK", AwardState.WITHDRAWN, 0),  # East of England
    ("KEN", AwardState.PAID, 25000),  # South East
]


@pytest.fixture
def spread(lead):
    funding_round = factories.open_round(total_budget=Decimal("1000000"), pilot_places=10)
    made = [
        award_in_state(
            state,
            lead=lead,
            council=factories.user(Role.COUNCIL, code),
            funding_round=funding_round,
            supplement=supplement,
        )
        for code, state, supplement in SPREAD
    ]
    return funding_round, made


def test_awards_list_shows_every_award_with_totals(spread, client_for, lead):
    funding_round, made = spread
    page = client_for(lead).get(reverse("trusts:awards")).content.decode()
    rows = tables(page)["awards"]
    assert len(rows) == 1 + len(SPREAD) + 3  # header, awards, awarded, declined, withdrawn
    awarded, declined, withdrawn = rows[-3:]
    # "Awarded" is the awards that stand; declined and withdrawn ones are their own totals.
    standing = [award for award in made if award.state not in (AwardState.DECLINED, AwardState.WITHDRAWN)]
    assert awarded[0] == "Awarded: the 5 awards that stand of those listed"
    assert pounds(awarded[3]) == sum(award.total for award in standing) == Decimal("385000")
    assert pounds(awarded[1]) == Decimal("60000") * len(standing)
    assert declined[0] == "Declined, not counted as awarded: 1 award" and pounds(declined[3]) == Decimal(
        "70000"
    )
    assert withdrawn[0] == "Withdrawn, not counted as awarded: 1 award" and pounds(withdrawn[3]) == Decimal(
        "60000"
    )
    assert "Bristol City Council" in page and "Paid" in page and "Withdrawn" in page


def test_awards_list_filters_by_round_and_state(spread, client_for, lead):
    funding_round, made = spread
    other_round = factories.open_round()
    award_in_state(
        AwardState.PAID, lead=lead, council=factories.user(Role.COUNCIL, "LIV"), funding_round=other_round
    )
    client = client_for(lead)
    paid_here = client.get(reverse("trusts:awards"), {"funding_round": funding_round.slug, "state": "paid"})
    rows = tables(paid_here.content.decode())["awards"]
    assert [row[0].split("CTP-")[0] for row in rows[1:-1]] == ["Bristol City Council", "Kent County Council"]
    assert pounds(rows[-1][3]) == Decimal("100000") + Decimal("85000")
    everything = tables(client.get(reverse("trusts:awards")).content.decode())["awards"]
    assert len(everything) == 1 + len(SPREAD) + 1 + 3  # awarded, declined and withdrawn totals
    nothing = client.get(reverse("trusts:awards"), {"state": "offered", "funding_round": other_round.slug})
    assert "No awards match your filters." in nothing.content.decode()


def test_an_unknown_filter_value_is_explained_not_a_crash(client_for, lead):
    response = client_for(lead).get(reverse("trusts:awards"), {"state": "lost"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page and "<title>Error: " in page


def test_awards_list_is_paginated_with_totals_over_every_page(client_for, lead, monkeypatch, open_round):
    monkeypatch.setattr(programme, "AWARDS_PER_PAGE", 2)
    made = [
        award_in_state(
            AwardState.OFFERED,
            lead=lead,
            council=factories.user(Role.COUNCIL, code),
            funding_round=open_round,
        )
        for code in ["BST", "BIR", "CMD"]
    ]
    client = client_for(lead)
    first = client.get(reverse("trusts:awards")).content.decode()
    assert len(tables(first)["awards"]) == 1 + 2 + 1
    assert 'aria-label="Pagination"' in first and 'href="?page=2"' in first
    second = client.get(reverse("trusts:awards"), {"page": 2}).content.decode()
    rows = tables(second)["awards"]
    assert len(rows) == 1 + 1 + 1
    assert rows[-1][0] == "Awarded: the 3 awards that stand of those listed on all pages"
    assert pounds(rows[-1][3]) == sum(award.total for award in made)
    assert AWARDS_PER_PAGE == 50


def test_awards_list_query_count_is_flat(client_for, lead, open_round):
    client = client_for(lead)
    award_in_state(
        AwardState.PAID, lead=lead, council=factories.user(Role.COUNCIL, "BST"), funding_round=open_round
    )
    assert queries_for(client, reverse("trusts:awards")) == 9
    for code, state in [("BIR", "accepted"), ("CMD", "offered"), ("DUR", "declined"), ("KEN", "paid")]:
        award_in_state(state, lead=lead, council=factories.user(Role.COUNCIL, code), funding_round=open_round)
    assert queries_for(client, reverse("trusts:awards")) == 9


def test_budget_view_by_region_against_the_budget(spread, client_for, lead):
    funding_round, made = spread
    page = (
        client_for(lead)
        .get(reverse("trusts:budget", kwargs={"round_slug": funding_round.slug}))
        .content.decode()
    )
    rows = {row[0]: row[1:] for row in tables(page)["budget-by-region"][1:]}
    assert list(rows)[:9] == [region.label for region in Region]
    # awarded: offered, accepted, met, paid; accepted: accepted, met, paid; then the awarded
    # money by payment stage: scheduled (not yet approved), approved, paid instalments.
    assert rows["South West"] == ["1", "£100,000", "£100,000", "£0", "£0", "£100,000"]
    assert rows["West Midlands"] == ["1", "£60,000", "£60,000", "£60,000", "£0", "£0"]
    assert rows["London"] == ["1", "£80,000", "£80,000", "£80,000", "£0", "£0"]
    assert rows["North East"] == ["1", "£60,000", "£0", "£60,000", "£0", "£0"]
    assert rows["Yorkshire and the Humber"] == ["0", "£0", "£0", "£0", "£0", "£0"]  # declined
    assert rows["East of England"] == ["0", "£0", "£0", "£0", "£0", "£0"]  # withdrawn
    assert rows["South East"] == ["1", "£85,000", "£85,000", "£0", "£0", "£85,000"]
    assert rows["Total"] == ["5", "£385,000", "£325,000", "£200,000", "£0", "£185,000"]
    assert "£1,000,000" in page and "£615,000" in page  # budget and what is left
    assert "5 of 10 awarded, 5 left" in page
    assert "(38.5% of the budget)" in page


def test_budget_chart_is_an_accessible_image_with_the_same_figures(spread, client_for, lead):
    funding_round, _ = spread
    page = (
        client_for(lead)
        .get(reverse("trusts:budget", kwargs={"round_slug": funding_round.slug}))
        .content.decode()
    )
    assert 'role="img" aria-labelledby="region-chart-title region-chart-desc"' in page
    assert '<title id="region-chart-title">' in page and '<desc id="region-chart-desc">' in page
    assert page.count('fill="#1d70b8"></rect>') == 9 + 1  # a bar per region, and the legend
    assert ">£385,000<" not in page.split("<svg")[1].split("</svg>")[0]  # bars, not the total
    assert ">£100,000</text>" in page
    assert "style=" not in page
    # The service's own font at a readable size (service.css), not Arial at 12px.
    assert "font-family" not in page.split("<svg")[1] and 'class="app-chart__svg"' in page


def test_budget_for_a_round_without_budget_or_places(client_for, lead, open_round):
    page = (
        client_for(lead)
        .get(reverse("trusts:budget", kwargs={"round_slug": open_round.slug}))
        .content.decode()
    )
    assert "No total budget set" in page and "0 awarded; no limit set" in page
    assert "No awards yet" in page and "<svg" not in page  # not a chart of £0 bars


def test_budget_view_query_count_is_flat(client_for, lead):
    funding_round = factories.open_round(total_budget=Decimal("1000000"), pilot_places=10)
    client = client_for(lead)
    target = reverse("trusts:budget", kwargs={"round_slug": funding_round.slug})
    award_in_state(
        AwardState.PAID, lead=lead, council=factories.user(Role.COUNCIL, "BST"), funding_round=funding_round
    )
    assert queries_for(client, target) == 8
    for code in ["BIR", "CMD", "DUR", "KEN"]:
        award_in_state(
            AwardState.ACCEPTED,
            lead=lead,
            council=factories.user(Role.COUNCIL, code),
            funding_round=funding_round,
        )
    for _ in range(3):
        factories.open_round()
    assert queries_for(client, target) == 8


def test_the_budget_links_the_rounds_either_side_and_the_latest_few(client_for, lead, monkeypatch):
    monkeypatch.setattr(programme, "LATEST_ROUNDS", 2)
    rounds = [factories.open_round(opens_at=timezone.now() - timedelta(days=30 * n)) for n in (4, 3, 2, 1)]
    oldest, second, third, newest = rounds
    page = client_for(lead).get(reverse("trusts:budget", kwargs={"round_slug": second.slug})).content.decode()
    other = page.split("Other rounds")[1]
    assert "The round before: <a" in other and oldest.name in other.split("The round after")[0]
    assert third.name in other.split("The round after")[1].split("</li>")[0]
    latest = other.split("The latest rounds")[1]
    assert newest.name in latest and third.name in latest and oldest.name not in latest


def test_the_awards_list_links_the_budgets_of_the_latest_rounds_and_the_chosen_one(
    client_for, lead, monkeypatch
):
    monkeypatch.setattr(programme, "LATEST_ROUNDS", 2)
    rounds = [factories.open_round(opens_at=timezone.now() - timedelta(days=30 * n)) for n in (4, 3, 2, 1)]
    client = client_for(lead)
    budgets = client.get(reverse("trusts:awards")).content.decode().split("Budgets of the latest rounds")[1]
    assert rounds[3].name in budgets and rounds[2].name in budgets and rounds[0].name not in budgets
    chosen = client.get(reverse("trusts:awards"), {"funding_round": rounds[0].slug}).content.decode()
    assert rounds[0].name in chosen.split("Budgets of the latest rounds")[1]


def test_unknown_round_budget_is_404(client_for, lead):
    assert (
        client_for(lead).get(reverse("trusts:budget", kwargs={"round_slug": "no-such-round"})).status_code
        == 404
    )


def test_navigation_links_to_awards_and_reports_for_the_programme_team(
    client_for, lead, admin_user, kent_user
):
    for person in (lead, admin_user):
        page = client_for(person).get(reverse("trusts:awards")).content.decode()
        assert 'href="/awards"' in page and 'href="/reports"' in page
    assert 'href="/reports"' not in client_for(kent_user).get("/").content.decode()


def test_django_admin_shows_awards_and_exports_read_only(client_for, lead, kent_user, open_round):
    award = award_in_state(AwardState.ACCEPTED, lead=lead, council=kent_user, funding_round=open_round)
    client = client_for(factories.user(Role.ADMIN, is_superuser=True, is_staff=True))
    assert client.get("/django-admin/trusts/fundingaward/").status_code == 200
    page = client.get(f"/django-admin/trusts/fundingaward/{award.pk}/change/").content.decode()
    assert "Award accepted" in page or "accepted" in page
    assert 'name="_save"' not in page
    assert client.get("/django-admin/trusts/reportexport/").status_code == 200
