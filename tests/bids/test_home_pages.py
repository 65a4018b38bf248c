"""Each role's home page shows real data, and its query count stays flat as data grows."""

import pytest

from accounts.models import Role
from bids.models import FundingRound
from bids.views import assessment, council, programme
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
    assert queries_for(client, "/") == 9
    for _ in range(4):
        factories.draft_bid(factories.open_round(), "KEN", kent_user)
    assert queries_for(client, "/") == 9


def test_council_home_lists_its_bids_a_page_at_a_time_newest_round_first(client_for, kent_user, monkeypatch):
    monkeypatch.setattr(council, "COUNCIL_BIDS_PER_PAGE", 2)
    rounds = [factories.open_round(days_left=days) for days in (5, 10, 20)]
    bids = [factories.draft_bid(funding_round, "KEN", kent_user) for funding_round in rounds]
    client = client_for(kent_user)
    assert queries_for(client, "/") == 9
    assert queries_for(client, "/?page=2") == 9
    first, second = (client.get(url).content.decode() for url in ("/", "/?page=2"))
    listed = first.split('id="bids"')[1]
    assert "3 bids, newest round first: showing 1 to 2" in listed
    # The open rounds' cards above still show every round's bid, whichever page is listed.
    assert all(bid.reference in first for bid in bids)
    assert bids[2].reference in listed and bids[1].reference in listed and bids[0].reference not in listed
    assert bids[0].reference in second.split('id="bids"')[1]
    assert 'aria-label="Pagination"' in first


def test_assessor_home_lists_assigned_bids_with_flat_query_count(client_for, assessor, open_round):
    client = client_for(assessor)
    factories.assign(factories.submitted_bid(open_round, AUTHORITIES[0]), assessor)
    assert queries_for(client, "/") == 6
    for code in AUTHORITIES[1:]:
        factories.assign(factories.submitted_bid(open_round, code), assessor)
    assert queries_for(client, "/") == 6
    page = client.get("/").content.decode()
    assert "Bristol City Council" in page and "Norfolk County Council" in page


@pytest.mark.parametrize(("role", "expected"), [(Role.LEAD, 6), (Role.ADMIN, 4)])
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


def test_the_pipeline_shows_the_newest_rounds_a_page_at_a_time(client_for, lead, monkeypatch):
    monkeypatch.setattr(programme, "PIPELINE_ROUNDS_PER_PAGE", 2)
    for days in (5, 10, 20):
        factories.submitted_bid(factories.open_round(days_left=days), "BST")
    client = client_for(lead)
    assert queries_for(client, "/") == 6
    assert queries_for(client, "/?page=2") == 6
    published = list(FundingRound.objects.published().order_by("-opens_at", "-pk"))
    first, second = (client.get(url).content.decode() for url in ("/", "/?page=2"))
    assert f"{len(published)} funding rounds, newest first: showing 1 to 2" in first
    assert all(r.name in first for r in published[:2]) and published[2].name not in first
    assert published[2].name in second and published[0].name not in second


def test_interview_panels_on_a_home_page_come_a_page_at_a_time(client_for, lead, open_round, monkeypatch):
    monkeypatch.setattr(assessment, "PANELS_PER_PAGE", 2)
    bids = [factories.interview_booked_bid(open_round, code, lead=lead) for code in AUTHORITIES[:3]]
    client = client_for(lead)
    assert queries_for(client, "/") == queries_for(client, "/?panels=2")
    first, second = (client.get(url).content.decode() for url in ("/", "/?panels=2"))
    assert "3 interviews, soonest first: showing 1 to 2" in first
    shown = [bid for bid in bids if bid.reference in first.split('id="panels"')[1].split("</table>")[0]]
    assert len(shown) == 2
    (left,) = [bid for bid in bids if bid not in shown]
    assert left.reference in second.split('id="panels"')[1].split("</table>")[0]
    # The panels' page links keep to the panels, and come back to them.
    assert 'href="?panels=2#panels"' in first
