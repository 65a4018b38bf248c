"""An assessor sees the other assessors' scores on a bid only once their own are submitted:
before that (nothing started, a draft, scores reopened or set aside) no page they can open
shows another assessor's score, comment, summary or total; afterwards the score page shows
the others' counted scores beside their own, and says why."""

import html

import pytest
from django.urls import reverse

from accounts.models import Role
from bids import moderation, scoring
from bids.models import Assessment
from bids.views.assessment import others_scores
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

# The other assessor's scores: 7.5 + 10 + 5 + 7.5 + 3.75 = 33.75%, shown as 33.8%.
THEIR_VALUES = [1, 2, 1, 2, 1]
THEIR_TOTAL = "33.8%"
# The assessor's own: 30 + 15 + 15 + 11.25 + 11.25 = 82.5%.
OWN_VALUES = [4, 3, 3, 3, 3]
MODERATION_REASON = "Ann gave 33.75 and Bob 82.5; the evidence on pooled budgets supports 70."


@pytest.fixture
def third_assessor(db):
    return factories.user(Role.ASSESSOR, region="south_west")


@pytest.fixture
def bid(open_round, assessor, other_assessor, third_assessor, lead):
    return factories.under_assessment_bid(
        open_round, "KEN", [assessor, other_assessor, third_assessor], lead=lead
    )


def scores_with_words(bid, person, values, words, submit=True):
    """Scores whose comments and summary carry `words`, so a page showing them is caught."""
    criteria = scoring.criteria_for(bid)
    return scoring.save(
        bid,
        person,
        scores={c.pk: (v, f"{words} on {c.name}") for c, v in zip(criteria, values, strict=True)},
        recommendation="do_not_shortlist",
        summary=f"{words}: the summary.",
        submit=submit,
    )


@pytest.fixture
def theirs(bid, other_assessor):
    return scores_with_words(bid, other_assessor, THEIR_VALUES, "Bob-wrote-this")


@pytest.fixture
def third_draft(bid, third_assessor):
    return scores_with_words(bid, third_assessor, [0, 0, 0, 0, 0], "Cat-drafted-this", submit=False)


def pages_for(client, bid):
    """Every page about the bid an assessor can open, and their home page, as text."""
    names = [
        ("home", {}),
        ("bids:bid", {"reference": bid.reference}),
        ("bids:score", {"reference": bid.reference}),
    ]
    return {
        name: html.unescape(client.get(reverse(name, kwargs=kwargs)).content.decode())
        for name, kwargs in names
    }


def assert_nothing_of_theirs(pages):
    for name, page in pages.items():
        assert "Bob-wrote-this" not in page, name
        assert "Cat-drafted-this" not in page, name
        assert THEIR_TOTAL not in page and "33.7" not in page, name
        assert "Other assessors' scores" not in page, name
        assert MODERATION_REASON not in page, name


def score_page(client, bid):
    return html.unescape(
        client.get(reverse("bids:score", kwargs={"reference": bid.reference})).content.decode()
    )


# Before their own scores are in ---------------------------------------------------------


def test_before_scoring_an_assessor_sees_nothing_of_the_others_scores(
    client_for, bid, assessor, theirs, third_draft, lead
):
    moderation.moderate(bid, lead, 70, MODERATION_REASON)
    pages = pages_for(client_for(assessor), bid)
    assert "Score this bid" in pages["bids:bid"]
    assert_nothing_of_theirs(pages)
    # The timeline still says that scores were submitted and moderated, without totals or
    # the lead's words on them.
    assert "Scores submitted by" in pages["bids:bid"] and "Score moderated" in pages["bids:bid"]
    assert "70.0%" not in pages["bids:bid"]


def test_with_only_a_draft_an_assessor_sees_nothing_of_the_others_scores(client_for, bid, assessor, theirs):
    scores_with_words(bid, assessor, [3, None, 3, None, 3], "Mine", submit=False)
    assert_nothing_of_theirs(pages_for(client_for(assessor), bid))


def test_an_assessor_whose_scores_were_set_aside_sees_nothing_of_the_others(bid, assessor, theirs):
    # Set aside without the conflict that takes them off the bid, to hold the guard alone.
    own = scores_with_words(bid, assessor, OWN_VALUES, "Mine")
    Assessment.objects.filter(pk=own.pk).update(set_aside=True, set_aside_reason="Former employer")
    own.refresh_from_db()
    assert others_scores(bid, assessor, own) is None
    assert others_scores(bid, assessor, None) is None


# Once they are in -------------------------------------------------------------------------


def test_after_submitting_an_assessor_compares_their_scores_with_the_others_counted_ones(
    client_for, bid, assessor, other_assessor, third_assessor, theirs, third_draft, lead
):
    moderation.moderate(bid, lead, 70, MODERATION_REASON)
    client = client_for(assessor)
    scores_with_words(bid, assessor, OWN_VALUES, "Mine")
    page = score_page(client, bid)
    others = page[page.index('id="others"') :]
    assert "because you have submitted your own" in others
    assert 'class="govuk-table__caption govuk-table__caption--m">Weighted totals</caption>' in others
    assert other_assessor.full_name in others and THEIR_TOTAL in others and "82.5%" in others
    for criterion, value in zip(scoring.criteria_for(bid), THEIR_VALUES, strict=True):
        start = others.index(f"{criterion.name}: scores and comments")
        table = others[start : others.index("</table>", start)]
        theirs_row = table[table.index(other_assessor.full_name) :]
        assert f"{value} out of 4" in theirs_row and f"Bob-wrote-this on {criterion.name}" in theirs_row
        assert f"Mine on {criterion.name}" in table
    assert "Bob-wrote-this: the summary." in others
    assert "Do not shortlist" in others
    # A draft is nobody's score yet.
    assert "Cat-drafted-this" not in page and third_assessor.full_name not in others
    # The bid page points there, and the lead's words on the scores are no longer held back;
    # the timeline keeps to names (its totals may since have been reopened or set aside).
    bid_page = html.unescape(
        client.get(reverse("bids:bid", kwargs={"reference": bid.reference})).content.decode()
    )
    assert "compare them with the other assessor's scores" in bid_page
    assert MODERATION_REASON in bid_page
    assert THEIR_TOTAL not in bid_page and "70.0%" not in bid_page


def test_set_aside_scores_of_another_assessor_stay_hidden(client_for, bid, assessor, other_assessor, theirs):
    factories.conflict(other_assessor, "KEN")
    scores_with_words(bid, assessor, OWN_VALUES, "Mine")
    page = score_page(client_for(assessor), bid)
    assert "Other assessors' scores" in page
    assert "No other assessor has submitted scores for this bid yet" in page
    assert "Bob-wrote-this" not in page and THEIR_TOTAL not in page


def test_the_first_to_submit_is_told_the_others_are_not_in_yet(client_for, bid, assessor):
    scores_with_words(bid, assessor, OWN_VALUES, "Mine")
    client = client_for(assessor)
    assert "No other assessor has submitted scores for this bid yet" in score_page(client, bid)
    bid_page = client.get(reverse("bids:bid", kwargs={"reference": bid.reference})).content.decode()
    assert "Once they do, you can compare yours with theirs" in bid_page


def test_reopened_scores_hide_the_others_again(client_for, bid, assessor, theirs, lead):
    own = scores_with_words(bid, assessor, OWN_VALUES, "Mine")
    client = client_for(assessor)
    assert THEIR_TOTAL in score_page(client, bid)
    scoring.reopen(own, lead, "Criterion 2 was misread.")
    pages = pages_for(client, bid)
    assert "Submit scores" in pages["bids:score"]
    assert_nothing_of_theirs(pages)
    # Submitting again shows them again.
    scoring.save(
        bid,
        assessor,
        scores={c.pk: (3, "Again.") for c in scoring.criteria_for(bid)},
        recommendation="shortlist",
        summary="",
        submit=True,
    )
    assert THEIR_TOTAL in score_page(client, bid)


def test_the_lead_and_administrators_pages_are_unchanged(client_for, bid, lead, theirs):
    page = html.unescape(
        client_for(lead).get(reverse("bids:bid", kwargs={"reference": bid.reference})).content.decode()
    )
    assert THEIR_TOTAL in page  # the lead sees every total, as before


def test_the_comparison_costs_the_same_queries_however_many_assessors(client_for, open_round, lead):
    people = [
        factories.user(Role.ASSESSOR, region=region) for region in ("london", "north_west", "south_west")
    ]
    bid = factories.under_assessment_bid(open_round, "KEN", people, lead=lead)
    scores_with_words(bid, people[0], OWN_VALUES, "Mine")
    scores_with_words(bid, people[1], THEIR_VALUES, "Bob-wrote-this")
    client = client_for(people[0])
    url = reverse("bids:score", kwargs={"reference": bid.reference})
    one = queries_for(client, url)
    scores_with_words(bid, people[2], THEIR_VALUES, "Cat-wrote-this")
    assert queries_for(client, url) == one
