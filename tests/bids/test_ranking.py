"""The ranking page: scores, sorting, filters, search, pagination, and bulk shortlisting
where each bid changes (or is refused) on its own."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from bids import moderation, workflow
from bids.models import Bid, BidState
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

CODES = [
    "BST", "BIR", "CMD", "DUR", "ESX", "GAT", "HRW", "HRT", "LIV", "NFK",
    "SHF", "WIL", "BOL", "NGM", "POR", "SFK", "BBD", "CAM", "TOB", "DEV",
    "HAM", "LUT", "MAN", "YOR", "BNS", "BAS", "CLD", "COV", "DAL", "EAL",
]  # fmt: skip


@pytest.fixture
def people(db):
    return [
        factories.user(Role.ASSESSOR, region="london"),
        factories.user(Role.ASSESSOR, region="north_west"),
    ]


def scored(funding_round, code, people, values=(3, 3, 3, 3, 3)):
    bid = factories.under_assessment_bid(funding_round, code, people)
    for person in people:
        factories.submit_scores(bid, person, list(values))
    return bid


def ranking_url(funding_round, **params):
    url = reverse("bids:ranking", kwargs={"round_slug": funding_round.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def references(page):
    return re.findall(r"(CTP-T\d+-[A-Z]{3})", page)


def listed(client, funding_round, **params):
    response = client.get(ranking_url(funding_round, **params))
    assert response.status_code == 200
    seen = []
    for reference in references(response.content.decode()):
        if reference not in seen:
            seen.append(reference)
    return seen


@pytest.fixture
def three(open_round, people, lead):
    """Kent 100%, Leeds moderated to 40% (mean 75%), Bristol unscored; Norfolk shortlisted."""
    kent = scored(open_round, "KEN", people, (4, 4, 4, 4, 4))
    leeds = scored(open_round, "LDS", people, (3, 3, 3, 3, 3))
    moderation.moderate(leeds, lead, Decimal("40"), "Overgenerous.")
    bristol = factories.under_assessment_bid(open_round, "BST", people)
    norfolk = scored(open_round, "NFK", people, (2, 2, 2, 2, 2))
    workflow.change_state(norfolk, "shortlist", lead, reason="Good enough.")
    factories.draft_bid(open_round, "BIR")  # drafts are never ranked
    return {"kent": kent, "leeds": leeds, "bristol": bristol, "norfolk": norfolk}


def test_bids_are_ranked_by_their_effective_score_unscored_last_drafts_never(
    client_for, open_round, three, lead
):
    order = listed(client_for(lead), open_round)
    assert order == [
        three["kent"].reference,
        three["norfolk"].reference,
        three["leeds"].reference,
        three["bristol"].reference,
    ]
    page = client_for(lead).get(ranking_url(open_round)).content.decode()
    assert "100.0%" in page and "40.0%" in page and "moderated" in page


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-score", ["leeds", "norfolk", "kent", "bristol"]),
        ("authority", ["bristol", "kent", "leeds", "norfolk"]),
        ("-authority", ["norfolk", "leeds", "kent", "bristol"]),
        ("state", ["bristol", "kent", "leeds", "norfolk"]),
        ("-state", ["norfolk", "bristol", "kent", "leeds"]),
    ],
)
def test_sorting(client_for, open_round, three, lead, sort, expected):
    assert listed(client_for(lead), open_round, sort=sort) == [three[name].reference for name in expected]


def test_sorting_by_amount_requested(client_for, open_round, three, lead):
    Bid.objects.filter(pk=three["leeds"].pk).update(
        supplement_requested=Decimal("40000"), large_or_complex=True
    )
    Bid.objects.filter(pk=three["bristol"].pk).update(
        supplement_requested=Decimal("10000"), large_or_complex=True
    )
    order = listed(client_for(lead), open_round, sort="requested")
    assert order[:2] == [three["leeds"].reference, three["bristol"].reference]
    page = client_for(lead).get(ranking_url(open_round, sort="requested")).content.decode()
    assert "£100,000" in page and 'aria-sort="descending"' in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "shortlisted"}, ["norfolk"]),
        ({"region": "yorkshire_humber"}, ["leeds"]),
        ({"kind": "county"}, ["kent", "norfolk"]),
        ({"flagged": "no", "state": "under_assessment"}, ["kent", "leeds", "bristol"]),
        ({"q": "leeds"}, ["leeds"]),
        ({"q": "-nfk"}, ["norfolk"]),
        ({"q": "zzz"}, []),
        ({"state": "nonsense"}, ["kent", "norfolk", "leeds", "bristol"]),
    ],
)
def test_filters_and_search(client_for, open_round, three, lead, params, expected):
    assert listed(client_for(lead), open_round, **params) == [three[name].reference for name in expected]


def test_filter_by_flagged_and_by_focus(client_for, open_round, people, lead):
    split = factories.under_assessment_bid(open_round, "KEN", people)
    factories.submit_scores(split, people[0], [4, 3, 3, 3, 3])
    factories.submit_scores(split, people[1], [2, 3, 3, 3, 3])
    calm = scored(open_round, "LDS", people)
    Bid.objects.filter(pk=calm.pk).update(focus="client_groups")
    client = client_for(lead)
    assert listed(client, open_round, flagged="yes") == [split.reference]
    assert listed(client, open_round, focus="client_groups") == [calm.reference]
    assert "Flagged" in client.get(ranking_url(open_round)).content.decode()


def test_the_pipeline_links_each_state_to_the_ranking_filtered_by_it(client_for, open_round, three, lead):
    page = client_for(lead).get("/").content.decode()
    assert f'href="{ranking_url(open_round)}?state=shortlisted"' in page
    assert f'href="{ranking_url(open_round)}?state=under_assessment"' in page
    assert "?state=draft" not in page


def test_the_ranking_menu_item_opens_the_current_round(client_for, open_round, lead):
    response = client_for(lead).get(reverse("bids:current-ranking"))
    assert response.url == ranking_url(open_round)


def test_fifty_bids_a_page_with_govuk_pagination_keeping_the_filters(client_for, open_round, lead):
    codes = CODES + ["KEN", "LDS", "NET", "SOM", "WAR", "BRY", "MDW", "WLV", "RDG", "SWK",
                     "TAM", "LEW", "NBL", "SLF", "STE", "LEC", "NTH", "OXF", "WRL", "KIR", "HCK"]  # fmt: skip
    for code in codes:
        factories.submitted_bid(open_round, code)
    client = client_for(lead)
    first = client.get(ranking_url(open_round, state="submitted")).content.decode()
    assert len(set(references(first))) == 50
    assert 'class="govuk-pagination"' in first
    assert "state=submitted&amp;page=2" in first
    assert "51 bids matching your filters, showing 1 to 50" in first
    second = client.get(ranking_url(open_round, state="submitted", page=2)).content.decode()
    assert len(set(references(second))) == 1
    assert 'rel="prev"' in second


def bulk(client, funding_round, bids, decision="shortlist", reason="Above the line.", seen=None, **extra):
    data = {"decision": decision, "reason": reason, "bids": [bid.pk for bid in bids], **extra}
    for bid in bids:
        data[f"seen-{bid.pk}"] = (seen or {}).get(bid.pk, "under_assessment")
    return client.post(ranking_url(funding_round, sort="authority"), data, follow=True)


def test_bulk_shortlisting_changes_each_bid_and_emails_each_council(
    django_capture_on_commit_callbacks, client_for, open_round, three, lead
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = bulk(client_for(lead), open_round, [three["kent"], three["leeds"]])
    page = response.content.decode()
    assert f"Shortlisted 2 bids: {three['kent'].reference}, {three['leeds'].reference}" in page
    assert response.redirect_chain[-1][0].endswith("?sort=authority")
    for name in ("kent", "leeds"):
        bid = Bid.objects.get(pk=three[name].pk)
        assert bid.state == BidState.SHORTLISTED
        assert bid.events.latest("pk").reason == "Above the line."
    assert len(mail.outbox) == 2


def test_a_bid_that_changed_meanwhile_is_reported_and_the_others_still_change(
    client_for, open_round, three, lead
):
    workflow.change_state(three["leeds"], "not_shortlist", factories.user(Role.LEAD), reason="Below.")
    response = bulk(
        client_for(lead),
        open_round,
        [three["kent"], three["leeds"], three["bristol"]],
        decision="not_shortlist",
    )
    page = response.content.decode()
    assert (
        f"Not changed: {three['leeds'].reference}: {three['leeds'].reference} has changed since you opened it"
        in page
    )
    assert f"Not shortlisted 2 bids: {three['bristol'].reference}, {three['kent'].reference}" in page
    assert Bid.objects.get(pk=three["kent"].pk).state == BidState.NOT_SHORTLISTED
    assert Bid.objects.get(pk=three["leeds"].pk).state == BidState.NOT_SHORTLISTED


def test_a_bid_in_the_wrong_state_is_refused_by_reference(client_for, open_round, three, lead):
    response = bulk(
        client_for(lead),
        open_round,
        [three["kent"], three["norfolk"]],
        seen={three["norfolk"].pk: "shortlisted"},
    )
    page = response.content.decode()
    assert (
        f"Not changed: {three['norfolk'].reference}: You cannot shortlist a bid that is shortlisted" in page
    )
    assert Bid.objects.get(pk=three["kent"].pk).state == BidState.SHORTLISTED


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        (
            {},
            [
                "Select shortlist or do not shortlist",
                "Enter the reason for your shortlisting decision",
                "Select the bids you want to shortlist or not shortlist",
            ],
        ),
        (
            {"decision": "shortlist", "reason": "word " * 301, "bids": "kent"},
            ["The reason must be 300 words or fewer"],
        ),
    ],
)
def test_bulk_form_errors(client_for, open_round, three, lead, data, messages):
    if data.get("bids") == "kent":
        data = {**data, "bids": [three["kent"].pk]}
    response = client_for(lead).post(ranking_url(open_round), data)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    for message in messages:
        assert message in page
    assert Bid.objects.get(pk=three["kent"].pk).state == BidState.UNDER_ASSESSMENT


def test_administrators_see_the_ranking_but_cannot_shortlist(client_for, open_round, three, admin_user):
    client = client_for(admin_user)
    page = client.get(ranking_url(open_round)).content.decode()
    assert three["kent"].reference in page and "Shortlist the selected bids" not in page
    assert 'name="bids"' not in page
    assert bulk(client, open_round, [three["kent"]]).status_code == 403
    assert Bid.objects.get(pk=three["kent"].pk).state == BidState.UNDER_ASSESSMENT


def test_ranking_query_count_is_the_same_at_1_and_30_bids(client_for, open_round, people, lead):
    client = client_for(lead)
    url = ranking_url(open_round, region="south_west", sort="score")
    plain = ranking_url(open_round)
    standardised = ranking_url(open_round, sort="standardised", at_least="10")
    scored(open_round, CODES[0], people)
    # Session, user, round, the round's counted totals (for the scores), the round's bids with
    # assessors who disagree, the round's bids, and the count of pending decisions (the link
    # under the heading).
    assert queries_for(client, plain) == 7
    assert queries_for(client, url) == 7
    assert queries_for(client, standardised) == 7
    for number, code in enumerate(CODES[1:]):
        bid = scored(open_round, code, people)
        if number % 3 == 0:
            moderation.moderate(bid, lead, Decimal("55"), "Moderated.")
    assert queries_for(client, plain) == 7
    assert queries_for(client, url) == 7
    assert queries_for(client, standardised) == 7
