"""Each role's home page shows real data, and its query count stays flat as data grows."""

import pytest

from accounts.models import Role
from bids.views import assessment
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

AUTHORITIES = ["BST", "BIR", "CMD", "DUR", "ESX", "GAT", "HRW", "HRT", "LIV", "NFK"]


def test_council_home_shows_open_round_with_london_closing_time_and_start_button(
    client_for, kent_user, open_round
):
    page = client_for(kent_user).get("/").content.decode()
    assert open_round.name in page
    assert "11:59pm on" in page and "28 days left" in page
    assert "Start your bid" in page


def test_starting_a_bid_twice_leads_to_the_same_bid(client_for, kent_user, open_round):
    client = client_for(kent_user)
    first = client.post(f"/rounds/{open_round.slug}/start")
    second = client.post(f"/rounds/{open_round.slug}/start")
    assert first.url == second.url == f"/bids/CTP-{open_round.code}-KEN"


def test_council_home_query_count_is_flat(client_for, kent_user):
    client = client_for(kent_user)
    factories.draft_bid(factories.open_round(), "KEN", kent_user)
    assert queries_for(client, "/") == 6
    for _ in range(4):
        factories.draft_bid(factories.open_round(), "KEN", kent_user)
    assert queries_for(client, "/") == 6


def test_assessor_home_lists_assigned_bids_with_flat_query_count(client_for, assessor, open_round):
    client = client_for(assessor)
    factories.assign(factories.submitted_bid(open_round, AUTHORITIES[0]), assessor)
    assert queries_for(client, "/") == 5
    for code in AUTHORITIES[1:]:
        factories.assign(factories.submitted_bid(open_round, code), assessor)
    assert queries_for(client, "/") == 5
    page = client.get("/").content.decode()
    assert "Bristol City Council" in page and "Norfolk County Council" in page


@pytest.mark.parametrize(("role", "expected"), [(Role.LEAD, 4), (Role.ADMIN, 4)])
def test_programme_home_pages_query_count_is_flat(client_for, role, expected):
    client = client_for(factories.user(role))
    factories.submitted_bid(factories.open_round(), AUTHORITIES[0])
    assert queries_for(client, "/") == expected
    for code in AUTHORITIES[1:4]:
        factories.submitted_bid(factories.open_round(), code)
    assert queries_for(client, "/") == expected


def test_assessor_home_shows_the_newest_round_first_a_page_at_a_time(client_for, assessor, monkeypatch):
    monkeypatch.setattr(assessment, "ASSESSOR_PAGE_SIZE", 2)
    older, newer = factories.open_round(days_left=5), factories.open_round(days_left=20)
    factories.assign(factories.submitted_bid(older, "BST"), assessor)
    for code in ("CMD", "DUR"):
        factories.assign(factories.submitted_bid(newer, code), assessor)
    client = client_for(assessor)
    first = client.get("/").content.decode()
    assert "3 bids assigned to you, showing 1 to 2" in first
    assert "Camden" in first and "Durham" in first and "Bristol" not in first
    second = client.get("/?page=2").content.decode()
    assert "Bristol" in second and "Camden" not in second
