"""Calibration: assessors' leniency and bids' standardised scores, worked by hand; the
rounding rule; the calibration page; and the ranking sorted and filtered by either score."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from bids import calibration, moderation
from bids.calibration import Score
from bids.models import Criterion
from bids.scoring import mean, weighted_total
from core.scores import percent, signed_percent
from tests import factories
from tests.queries import queries_for

A, B, C, D = 1, 2, 3, 4
P1, P2, P3, P4, Q = 11, 12, 13, 14, 15

# The worked example, as weighted totals (percent of the maximum):
#
#        A     B     C     mean   A's difference from the others
#   P1  100    75          87.5   +25 (B: -25)
#   P2  100    75          87.5   +25 (B: -25)
#   P3   75          50    62.5   +25 (C: -25)
#   P4         50    50    50.0          (B: 0, C: 0)
#   Q   100          75    87.5   +25 (C: -25)
#
# A's leniency is +25 over 4 shared bids; B's is (-25 - 25 + 0) / 3 = -16.67, and so is C's.
# P3's standardised score is ((75 - 25) + (50 + 16.67)) / 2 = 58.33 and P4's is
# ((50 + 16.67) + (50 + 16.67)) / 2 = 66.67: standardising puts P4 above P3, where the mean
# had P3 (62.5) above P4 (50).
WORKED = [
    Score(P1, A, Decimal("100")),
    Score(P1, B, Decimal("75")),
    Score(P2, A, Decimal("100")),
    Score(P2, B, Decimal("75")),
    Score(P3, A, Decimal("75")),
    Score(P3, C, Decimal("50")),
    Score(P4, B, Decimal("50")),
    Score(P4, C, Decimal("50")),
    Score(Q, A, Decimal("100")),
    Score(Q, C, Decimal("75")),
]
TWO_THIRDS = Decimal(50) / 3


def close(value, expected):
    return abs(value - Decimal(expected)) < Decimal("0.0000001")


def test_leniency_is_the_mean_difference_from_the_other_assessors_on_shared_bids():
    lenient = calibration.leniencies(WORKED)
    assert lenient[A].value == Decimal("25") and lenient[A].shared == 4
    assert close(lenient[B].value, -TWO_THIRDS) and lenient[B].shared == 3
    assert close(lenient[C].value, -TWO_THIRDS) and lenient[C].shared == 3
    assert all(leniency.measured for leniency in lenient.values())


def test_the_standardised_score_takes_each_assessors_leniency_off_their_total():
    standardised = calibration.standardised(WORKED, calibration.leniencies(WORKED))
    assert close(standardised[P1], Decimal("250") / 3)  # (75 + 91.67) / 2
    assert close(standardised[P3], Decimal("175") / 3)  # 58.33
    assert close(standardised[P4], Decimal("200") / 3)  # 66.67
    assert standardised[P4] > standardised[P3]
    assert mean([Decimal("75"), Decimal("50")]) > mean([Decimal("50"), Decimal("50")])


def test_an_assessor_sharing_too_few_bids_is_shown_but_neither_adjusted_nor_flagged():
    scores = [
        Score(P1, A, Decimal("100")),
        Score(P1, D, Decimal("50")),
        Score(P2, A, Decimal("90")),
        Score(P2, D, Decimal("40")),
    ]
    lenient = calibration.leniencies(scores)
    assert lenient[D].value == Decimal("-50") and lenient[D].shared == 2
    assert not lenient[D].measured and lenient[D].adjustment == 0
    standardised = calibration.standardised(scores, lenient)
    assert standardised[P1] == Decimal("75")  # the plain mean: nobody is adjusted
    row = calibration.AssessorCalibration(D, "D", 2, Decimal("45"), lenient[D], Decimal("10"))
    assert row.flag == ""


def test_an_assessor_alone_on_every_bid_has_no_leniency():
    lenient = calibration.leniencies([Score(P1, A, Decimal("80")), Score(P2, A, Decimal("60"))])
    assert lenient[A].value is None and lenient[A].shared == 0 and lenient[A].adjustment == 0


def test_standardised_scores_stay_between_0_and_100():
    # A gives 100 where B gives 0, three times: A's leniency is +100, B's -100. B's 100
    # alone on P4 would standardise to 200, and A's 0 alone on Q to -100.
    scores = [Score(bid, A, Decimal("100")) for bid in (P1, P2, P3)]
    scores += [Score(bid, B, Decimal("0")) for bid in (P1, P2, P3)]
    scores += [Score(P4, B, Decimal("100")), Score(Q, A, Decimal("0"))]
    lenient = calibration.leniencies(scores)
    assert lenient[A].value == Decimal("100") and lenient[B].value == Decimal("-100")
    standardised = calibration.standardised(scores, lenient)
    assert standardised[P1] == Decimal("50")
    assert standardised[P4] == Decimal("100") and standardised[Q] == Decimal("0")


def test_flags_pass_the_threshold_either_way():
    def row(value):
        return calibration.AssessorCalibration(
            A, "A", 5, Decimal("60"), calibration.Leniency(Decimal(value), 5), Decimal("10")
        )

    assert row("10.01").flag == "lenient"
    assert row("-12").flag == "harsh"
    assert row("10").flag == "" and row("-10").flag == ""


# The rounding rule --------------------------------------------------------------------------


def test_one_rounding_rule_on_unrounded_values():
    totals = [Decimal("71.25"), Decimal("56.25")]
    assert [percent(total) for total in totals] == ["71.3%", "56.3%"]
    assert percent(mean(totals)) == "63.8%"
    # Rounded once: 63.745 is 63.7%, where rounding to 2 places first (63.75) would give 63.8%.
    assert percent(mean([Decimal("63.74"), Decimal("63.75")])) == "63.7%"
    assert percent(None) == "No score"
    assert signed_percent(Decimal("6.25")) == "+6.3%"
    assert signed_percent(Decimal("-6.25")) == "\N{MINUS SIGN}6.3%"
    assert signed_percent(Decimal("0.04")) == "0.0%"


def test_weighted_totals_are_kept_exact_to_4_places():
    criteria = [
        Criterion(name=n, weight=Decimal(w)) for n, w in (("a", "33.33"), ("b", "33.33"), ("c", "33.34"))
    ]
    assert weighted_total(zip(criteria, (3, 2, 1), strict=True)) == Decimal("49.9975")
    assert percent(weighted_total(zip(criteria, (3, 2, 1), strict=True))) == "50.0%"


# Pages --------------------------------------------------------------------------------------


@pytest.fixture
def worked(db, open_round, lead):
    """The worked example in the database: uniform scores v give weighted totals of 25v."""
    people = [factories.user(Role.ASSESSOR, region=r) for r in ("london", "north_west", "south_west")]
    a, b, c = people
    a.full_name, b.full_name, c.full_name = "Ann Lenient", "Bob Harsh", "Cat Harsh"
    for person in people:
        person.save(update_fields=["full_name"])
    plan = {
        "KEN": ((a, 4), (b, 3)),
        "LDS": ((a, 4), (b, 3)),
        "BST": ((a, 3), (c, 2)),
        "NFK": ((b, 2), (c, 2)),
        "LIV": ((a, 4), (c, 3)),
    }
    bids = {}
    for code, marks in plan.items():
        bid = factories.under_assessment_bid(open_round, code, [person for person, _ in marks], lead=lead)
        for person, value in marks:
            factories.submit_scores(bid, person, [value] * 5)
        bids[code] = bid
    return {"bids": bids, "people": people}


def ranking(client, funding_round, **params):
    url = reverse("bids:ranking", kwargs={"round_slug": funding_round.slug})
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    return response.content.decode()


def order(page, bids):
    return sorted(bids, key=lambda code: page.index(bids[code].reference))


@pytest.mark.parametrize("basis", ["mean", "standardised"])
def test_the_ranking_sorts_and_filters_by_either_score(client_for, open_round, lead, worked, basis):
    client = client_for(lead)
    bids = worked["bids"]
    by_mean = order(ranking(client, open_round, sort="score"), bids)
    by_standardised = order(ranking(client, open_round, sort="standardised"), bids)
    assert by_mean.index("BST") < by_mean.index("NFK")  # 62.5% above 50.0%
    assert by_standardised.index("NFK") < by_standardised.index("BST")  # 66.7% above 58.3%
    page = ranking(client, open_round, sort="standardised")
    assert 'aria-sort="descending"><a' in page and "> \N{BLACK DOWN-POINTING TRIANGLE}</span>" in page
    page = ranking(client, open_round, sort="-standardised")
    assert 'aria-sort="ascending"><a' in page and "> \N{BLACK UP-POINTING TRIANGLE}</span>" in page
    assert page.count("app-sort-arrow") == 1
    assert "58.3%" in page and "66.7%" in page and "62.5%" in page and "50.0%" in page
    # At least 60%: by the mean, Bristol (62.5%) stays and Norfolk (50%) goes; standardised,
    # the other way round (58.3% and 66.7%).
    page = ranking(client, open_round, basis=basis, at_least="60")
    kept, dropped = ("BST", "NFK") if basis == "mean" else ("NFK", "BST")
    assert bids[kept].reference in page and bids[dropped].reference not in page


def test_a_moderated_score_wins_over_both(client_for, open_round, lead, worked):
    bid = worked["bids"]["NFK"]
    moderation.moderate(bid, lead, Decimal("5"), "Weak on joint working.")
    client = client_for(lead)
    for sort in ("score", "standardised"):
        assert order(ranking(client, open_round, sort=sort), worked["bids"])[-1] == "NFK"
    page = ranking(client, open_round)
    assert "moderated; standardised 66.7%" in page and "moderated; mean 50.0%" in page


def test_a_filter_score_that_is_not_a_number_is_explained(client_for, open_round, lead, worked):
    page = ranking(client_for(lead), open_round, at_least="lots")
    assert "There is a problem" in page
    assert "Enter the score as a number from 0 to 100, like 60" in page
    assert 'value="lots"' in page


def test_the_calibration_page_shows_a_lenient_and_a_harsh_assessor(client_for, open_round, lead, worked):
    open_round.leniency_threshold = Decimal("15")
    open_round.save(update_fields=["leniency_threshold"])
    url = reverse("bids:calibration", kwargs={"round_slug": open_round.slug})
    page = client_for(lead).get(url).content.decode()
    assert "Ann Lenient" in page and "+25.0%" in page and "More lenient" in page
    assert "Bob Harsh" in page and "\N{MINUS SIGN}16.7%" in page and "Harsher" in page
    assert "more than 15 percentage points either way" in page
    assert 'role="img"' in page and "<table" in page
    assert page.index("Ann Lenient") < page.index("Bob Harsh")  # most lenient first


def test_the_calibration_page_costs_the_same_queries_for_more_assessors(client_for, open_round, lead):
    url = reverse("bids:calibration", kwargs={"round_slug": open_round.slug})
    client = client_for(lead)
    people = [factories.user(Role.ASSESSOR) for _ in range(2)]
    bid = factories.under_assessment_bid(open_round, "KEN", people, lead=lead)
    for person in people:
        factories.submit_scores(bid, person, [3] * 5)
    first = queries_for(client, url)
    more = [factories.user(Role.ASSESSOR) for _ in range(6)]
    for code, pair in zip(("LDS", "BST", "NFK"), (more[0:2], more[2:4], more[4:6]), strict=True):
        bid = factories.under_assessment_bid(open_round, code, pair, lead=lead)
        for person in pair:
            factories.submit_scores(bid, person, [2] * 5)
    assert queries_for(client, url) == first == 5


def test_an_empty_round_says_there_is_nothing_to_compare(client_for, open_round, lead):
    url = reverse("bids:calibration", kwargs={"round_slug": open_round.slug})
    page = client_for(lead).get(url).content.decode()
    assert "No assessor has submitted scores in this round yet" in page
