"""Calibration: how lenient or harsh each assessor of a round is, and each bid's score with
that taken out (its standardised score).

Leniency. Take each bid an assessor scored that other assessors scored too. The difference
between the assessor's weighted total and the mean of the others' totals on that bid says
how much more (or less) generous they were there. The assessor's leniency is the mean of
those differences over the bids they share: +8.0% means their totals run 8 points of the
maximum above their colleagues' on the same bids. Only counted scores take part (submitted,
not set aside). A leniency measured on fewer than MIN_SHARED bids is too thin to act on:
it is shown, never flagged, and standardising leaves that assessor's totals as they are.

Standardised score. A bid's standardised score is the mean of its counted totals, each
with its assessor's leniency taken off, kept within 0% and 100%. The raw mean stands beside
it, and a moderated score, where the lead set one, still wins over both.

Everything is kept unrounded and rounded once, when shown (core/scores.py).
"""

from dataclasses import dataclass
from decimal import Decimal

from .models import Assessment, BidState
from .scoring import counted

HUNDRED = Decimal("100")
ZERO = Decimal("0")
# Bids an assessor must share with others before their leniency is acted on.
MIN_SHARED = 3


@dataclass(frozen=True)
class Score:
    """One counted weighted total: whose, on which bid."""

    bid_id: int
    assessor_id: int
    total: Decimal


@dataclass(frozen=True)
class Leniency:
    """How far an assessor's totals sit from their colleagues' on the bids they share."""

    value: Decimal | None  # mean difference, unrounded; None when they share no bid
    shared: int  # bids they scored that others scored too

    @property
    def measured(self):
        return self.value is not None and self.shared >= MIN_SHARED

    @property
    def adjustment(self):
        """What standardising takes off this assessor's totals."""
        return self.value if self.measured else ZERO


@dataclass(frozen=True)
class AssessorCalibration:
    assessor_id: int
    name: str
    scored: int
    mean: Decimal
    leniency: Leniency
    threshold: Decimal

    @property
    def flag(self):
        """'lenient', 'harsh' or '' (within the threshold, or too few shared bids to say)."""
        if not self.leniency.measured or abs(self.leniency.value) <= self.threshold:
            return ""
        return "lenient" if self.leniency.value > 0 else "harsh"


def counted_scores(funding_round):
    """Every counted weighted total of the round's bids, in one query."""
    rows = (
        counted(Assessment.objects.filter(bid__funding_round=funding_round, weighted_total__isnull=False))
        .exclude(bid__state=BidState.DRAFT)
        .values_list("bid_id", "assessor_id", "weighted_total")
        .order_by("bid_id", "assessor_id")
    )
    return [Score(bid_id, assessor_id, total) for bid_id, assessor_id, total in rows]


def by_bid(scores):
    bids = {}
    for score in scores:
        bids.setdefault(score.bid_id, []).append(score)
    return bids


def leniencies(scores):
    """{assessor id: Leniency} for everyone with a counted score."""
    differences = {score.assessor_id: [] for score in scores}
    for on_bid in by_bid(scores).values():
        if len(on_bid) < 2:
            continue
        whole = sum(score.total for score in on_bid)
        others = len(on_bid) - 1
        for score in on_bid:
            differences[score.assessor_id].append(score.total - (whole - score.total) / others)
    return {
        assessor_id: Leniency(sum(found) / len(found) if found else None, len(found))
        for assessor_id, found in differences.items()
    }


def clamp(value):
    return min(HUNDRED, max(ZERO, value))


def standardised(scores, lenient):
    """{bid id: standardised score} from counted scores and each assessor's Leniency."""
    return {
        bid_id: clamp(sum(s.total - lenient[s.assessor_id].adjustment for s in on_bid) / len(on_bid))
        for bid_id, on_bid in by_bid(scores).items()
    }


def standardised_score(bid):
    """One bid's standardised score (None when nobody's scores count yet)."""
    scores = counted_scores(bid.funding_round)
    return standardised(scores, leniencies(scores)).get(bid.pk)


def assessors(funding_round, names):
    """Each assessor with a counted score in the round, most lenient first.

    names: {assessor id: full name}, for those in `scores` (the page reads them once).
    """
    scores = counted_scores(funding_round)
    lenient = leniencies(scores)
    totals = {}
    for score in scores:
        totals.setdefault(score.assessor_id, []).append(score.total)
    rows = [
        AssessorCalibration(
            assessor_id=assessor_id,
            name=names.get(assessor_id, ""),
            scored=len(found),
            mean=sum(found) / len(found),
            leniency=lenient[assessor_id],
            threshold=funding_round.leniency_threshold,
        )
        for assessor_id, found in totals.items()
    ]
    rows.sort(key=lambda row: (-(row.leniency.value if row.leniency.value is not None else ZERO), row.name))
    return rows
