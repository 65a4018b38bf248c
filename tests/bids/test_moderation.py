"""Moderation: each assessor's scores side by side, mean and spread, disagreements flagged,
and the lead's moderated score (with its reason and the mean it replaced)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from bids import moderation, scoring, workflow
from bids.filters import ranked_rows
from bids.models import EventKind, Moderation
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

CODES = [
    "BST", "BIR", "CMD", "DUR", "ESX", "GAT", "HRW", "HRT", "LIV", "NFK",
    "SHF", "WIL", "BOL", "NGM", "POR", "SFK", "BBD", "CAM", "TOB", "DEV",
    "HAM", "LUT", "MAN", "YOR", "BNS", "BAS", "CLD", "COV", "DAL", "EAL",
]  # fmt: skip


@pytest.fixture
def bid(open_round, assessor, other_assessor):
    return factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor])


def ranked(bid):
    """The bid's row in its round's ranking."""
    return next(row for row in ranked_rows(bid.funding_round) if row["pk"] == bid.pk)


def moderate_url(bid):
    return reverse("bids:moderate", kwargs={"reference": bid.reference})


def test_the_score_sheet_shows_each_assessor_the_mean_spread_and_flags(bid, assessor, other_assessor):
    factories.submit_scores(bid, assessor, [4, 3, 3, 3, 3])  # 82.5%
    factories.submit_scores(bid, other_assessor, [2, 3, 3, 2, 3])  # 63.75%
    sheet = moderation.score_sheet(bid)
    assert sheet.mean == Decimal("73.125")  # unrounded: shown as 73.1%
    assert sheet.spread == Decimal("18.75")
    assert [row.spread for row in sheet.rows] == [2, 0, 0, 1, 0]
    assert [row.flagged for row in sheet.rows] == [True, False, False, False, False]
    assert sheet.flagged
    assert sheet.effective == Decimal("73.125")


def test_differences_below_two_are_not_flagged(bid, assessor, other_assessor):
    factories.submit_scores(bid, assessor, [4, 4, 4, 4, 4])
    factories.submit_scores(bid, other_assessor, [3, 3, 3, 3, 3])
    assert not moderation.score_sheet(bid).flagged
    assert not ranked(bid)["flagged"]


def test_the_ranking_flags_a_difference_of_two_on_one_criterion_only(bid, assessor, other_assessor):
    # Two apart, but on different criteria: not a disagreement.
    factories.submit_scores(bid, assessor, [4, 2, 3, 3, 3])
    factories.submit_scores(bid, other_assessor, [3, 3, 2, 3, 4])
    assert not ranked(bid)["flagged"]


def test_the_ranking_flags_what_the_score_sheet_flags(bid, assessor, other_assessor):
    factories.submit_scores(bid, assessor, [1, 3, 3, 3, 3])
    factories.submit_scores(bid, other_assessor, [3, 3, 3, 3, 3])
    assert moderation.score_sheet(bid).flagged
    assert ranked(bid)["flagged"]


def test_drafts_and_set_aside_scores_are_shown_but_not_counted(bid, assessor, other_assessor):
    factories.submit_scores(bid, assessor, [0, 0, 0, 0, 0])
    factories.submit_scores(bid, other_assessor, [4, 4, 4, 4, 4], submit=False)
    sheet = moderation.score_sheet(bid)
    assert len(sheet.assessments) == 2
    assert sheet.mean == 0 and not sheet.flagged
    factories.conflict(assessor, "KEN")
    sheet = moderation.score_sheet(bid)
    assert sheet.mean is None
    assert [a.assessor for a in sheet.set_aside] == [assessor]


def test_the_moderated_score_overrides_the_mean_and_both_are_kept(
    client_for, bid, assessor, other_assessor, lead
):
    factories.submit_scores(bid, assessor, [4, 3, 3, 3, 3])
    factories.submit_scores(bid, other_assessor, [2, 3, 3, 2, 3])
    response = client_for(lead).post(
        moderate_url(bid),
        {
            "expected_state": "under_assessment",
            "seen_moderation": "",
            "score": "75.5",
            "reason": "Agreed at panel.",
        },
    )
    assert response.status_code == 302
    saved = Moderation.objects.get(bid=bid)
    assert (saved.score, saved.mean_at_moderation, saved.reason, saved.moderated_by) == (
        Decimal("75.50"),
        Decimal("73.1250"),
        "Agreed at panel.",
        lead,
    )
    assert scoring.effective_score(bid) == Decimal("75.50")
    row = ranked(bid)
    assert (row["effective_score"], row["mean_score"]) == (Decimal("75.50"), Decimal("73.125"))
    event = bid.events.get(kind=EventKind.MODERATED)
    assert not event.shown_to_council and event.detail["mean"] == "73.1250"
    page = client_for(lead).get(moderate_url(bid)).content.decode()
    assert "75.5%" in page and "the mean was 73.1% when moderated" in page


@pytest.mark.parametrize(
    ("score", "reason", "message"),
    [
        ("", "Why", "Enter the moderated score"),
        ("seventy", "Why", "Enter the moderated score as a number, like 72.5"),
        ("101", "Why", "The moderated score must be between 0 and 100"),
        ("-1", "Why", "The moderated score must be between 0 and 100"),
        ("70.123", "Why", "The moderated score can have up to 2 decimal places"),
        ("70", "", "Enter the reason for the moderated score"),
    ],
)
def test_moderation_form_errors(client_for, bid, lead, score, reason, message):
    response = client_for(lead).post(
        moderate_url(bid),
        {"expected_state": "under_assessment", "seen_moderation": "", "score": score, "reason": reason},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page and message in page
    assert not Moderation.objects.exists()


def test_a_moderation_made_meanwhile_is_not_overwritten(client_for, bid, lead):
    other = factories.user(Role.LEAD)
    moderation.moderate(bid, other, Decimal("60"), "First view.")
    response = client_for(lead).post(
        moderate_url(bid),
        {
            "expected_state": "under_assessment",
            "seen_moderation": "",
            "score": "80",
            "reason": "Second view.",
        },
    )
    assert "has changed since you opened it" in response.content.decode()
    assert Moderation.objects.get(bid=bid).score == 60


def test_scores_can_only_be_moderated_under_assessment(bid, lead):
    workflow.change_state(bid, "shortlist", lead, reason="Strong.")
    with pytest.raises(workflow.WorkflowError, match="only be moderated while a bid is under assessment"):
        moderation.moderate(bid, lead, Decimal("50"), "Why")


def test_administrators_read_the_moderation_page_but_cannot_moderate(client_for, bid, admin_user):
    client = client_for(admin_user)
    page = client.get(moderate_url(bid)).content.decode()
    assert "Save moderated score" not in page
    client.post(moderate_url(bid), {"expected_state": "under_assessment", "score": "50", "reason": "Why"})
    assert not Moderation.objects.exists()


def test_the_overview_flags_disagreements_and_set_aside_scores(
    client_for, open_round, assessor, other_assessor, lead
):
    flagged = factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor])
    factories.submit_scores(flagged, assessor, [4, 4, 4, 4, 4])
    factories.submit_scores(flagged, other_assessor, [2, 4, 4, 4, 4])
    calm = factories.under_assessment_bid(open_round, "LDS", [assessor, other_assessor])
    factories.submit_scores(calm, assessor, [3, 3, 3, 3, 3])
    factories.submit_scores(calm, other_assessor, [3, 3, 3, 3, 3])
    factories.conflict(other_assessor, "LDS")
    page = (
        client_for(lead)
        .get(reverse("bids:moderation", kwargs={"round_slug": open_round.slug}))
        .content.decode()
    )
    assert page.index("Kent County Council") < page.index("Leeds City Council")  # flagged first
    assert "Assessors disagree" in page and "Score set aside" in page


def scored(funding_round, code, people):
    bid = factories.under_assessment_bid(funding_round, code, people)
    factories.submit_scores(bid, people[0], [4, 3, 3, 2, 1])
    factories.submit_scores(bid, people[1], [2, 3, 3, 2, 1])
    return bid


def test_moderation_pages_query_count_is_the_same_at_1_and_30_bids(client_for, open_round, lead):
    people = [
        factories.user(Role.ASSESSOR, region="london"),
        factories.user(Role.ASSESSOR, region="north_west"),
    ]
    client = client_for(lead)
    overview = reverse("bids:moderation", kwargs={"round_slug": open_round.slug})
    first = scored(open_round, CODES[0], people)
    # Session, user, round; the round's counted totals, disagreements and bids; its
    # assessors' assignments and scores set aside.
    assert queries_for(client, overview) == 8
    assert queries_for(client, moderate_url(first)) == 9  # with the standardised score
    for code in CODES[1:]:
        scored(open_round, code, people)
    assert queries_for(client, overview) == 8
    assert queries_for(client, moderate_url(first)) == 9  # with the standardised score
