"""Assessors' scores: saving a draft, submitting, the lead reopening, and the figures
officials compare (weighted totals, means, spreads, disagreements).

An assessment is one assessor's scores for one bid. Submitted scores are locked; only the
programme lead can reopen them, and that is recorded. Scores set aside after a conflict
of interest stay visible to the lead but never count.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import (
    DecimalField,
    Max,
    Min,
)
from django.utils import timezone

from accounts.mail import queue_email

from . import workflow
from .models import Assessment, BidState, Criterion, CriterionScore, EventKind

HUNDRED = Decimal("100")
# Weighted totals and means are kept to 4 places (exact for weights to 2 places).
KEPT_PLACES = Decimal("0.0001")
# Assessors who differ by this much on any one criterion need the lead's attention.
DISAGREEMENT = 2
PERCENT = DecimalField(max_digits=9, decimal_places=4)


class ScoringError(workflow.WorkflowError):
    pass


def weighted_total(scores_by_criterion):
    """Percentage of the maximum: sum of score/4 x weight over the sum of weights.

    scores_by_criterion: iterable of (criterion, score) with every score present. A round's
    weights add up to 100; dividing by their sum keeps the figure a percentage if not. With
    weights to 2 places the sum is exact to 4 places, which is what is kept: scores are
    rounded only when shown (core/scores.py).
    """
    total = Decimal("0")
    weights = Decimal("0")
    for criterion, score in scores_by_criterion:
        total += Decimal(score) / Criterion.MAX_SCORE * criterion.weight
        weights += criterion.weight
    if weights and weights != HUNDRED:
        total = total * HUNDRED / weights
    return total.quantize(KEPT_PLACES, rounding=ROUND_HALF_UP)


def counted(assessments):
    """The assessments that count: submitted and not set aside."""
    return assessments.filter(state=Assessment.State.SUBMITTED, set_aside=False)


def mean(values):
    """The mean, unrounded (to Decimal's 28 significant digits); None for no values."""
    values = [Decimal(v) for v in values if v is not None]
    if not values:
        return None
    return sum(values) / len(values)


def effective_score(bid):
    """The moderated score if the lead set one, else the mean of the counted totals."""
    moderation = getattr(bid, "moderation", None)
    if moderation is not None:
        return moderation.score
    return mean(counted(bid.assessments.all()).values_list("weighted_total", flat=True))


def disagreeing_bids(funding_round):
    """The ids of the round's bids whose assessors differ by DISAGREEMENT or more on a
    criterion (the largest counted score on it less the smallest), in one query."""
    spans = (
        CriterionScore.objects.filter(
            assessment__bid__funding_round=funding_round,
            assessment__state=Assessment.State.SUBMITTED,
            assessment__set_aside=False,
            score__isnull=False,
        )
        .order_by()
        .values("assessment__bid_id", "criterion_id")
        .annotate(span=Max("score") - Min("score"))
        .filter(span__gte=DISAGREEMENT)
    )
    return {row["assessment__bid_id"] for row in spans}


# Assessors' work ------------------------------------------------------------------------


def criteria_for(bid):
    return list(bid.funding_round.criteria.order_by("position", "pk"))


def save(bid, assessor, *, scores, recommendation, summary, submit, expected_state=None, now=None):
    """Save the assessor's scores as a draft, or submit them.

    scores: {criterion pk: (score or None, comment)}. Submitting needs every score, a comment
    on each and a recommendation; it works out the weighted total and locks the assessment.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = workflow.lock(bid, expected_state)
        if not assessor.has_perm("bids.score_bid", locked):
            raise ScoringError("You are not assessing this bid")
        if locked.state != BidState.UNDER_ASSESSMENT:
            raise ScoringError(
                f"Scores can only be changed while a bid is under assessment; {locked.reference} is "
                f"{locked.get_state_display().lower()}"
            )
        assessment, _ = Assessment.objects.select_for_update().get_or_create(
            bid=locked, assessor=assessor, defaults={"updated_at": now}
        )
        if assessment.state == Assessment.State.SUBMITTED:
            raise ScoringError(
                "You have already submitted your scores for this bid. Ask the programme lead to reopen them."
            )
        if assessment.set_aside:
            raise ScoringError("Your scores for this bid have been set aside")
        criteria = criteria_for(locked)
        if submit:
            problems = submission_problems(criteria, scores, recommendation)
            if problems:
                raise ScoringError(*problems)
        existing = {score.criterion_id: score for score in assessment.scores.all()}
        for criterion in criteria:
            value, comment = scores.get(criterion.pk, (None, ""))
            row = existing.get(criterion.pk) or CriterionScore(assessment=assessment, criterion=criterion)
            row.score = value
            row.comment = (comment or "").strip()
            row.save()
        assessment.recommendation = recommendation or ""
        assessment.summary = (summary or "").strip()
        assessment.updated_at = now
        if submit:
            assessment.state = Assessment.State.SUBMITTED
            assessment.submitted_at = now
            assessment.weighted_total = weighted_total(
                (criterion, scores[criterion.pk][0]) for criterion in criteria
            )
            workflow.record_event(
                locked,
                EventKind.SCORE_SUBMITTED,
                assessor,
                detail={
                    "assessor": assessor.pk,
                    "assessor_name": assessor.full_name,
                    "weighted_total": str(assessment.weighted_total),
                },
                now=now,
            )
        assessment.save()
    return assessment


def submission_problems(criteria, scores, recommendation):
    """What stops the scores being submitted: a criterion without a score, or without the
    comment that explains it, and no recommendation."""
    problems = []
    for criterion in criteria:
        value, comment = scores.get(criterion.pk, (None, ""))
        if value is None:
            problems.append(f"Select a score for ‘{criterion.name}’")
        if not (comment or "").strip():
            problems.append(f"Enter a comment on ‘{criterion.name}’ to explain your score")
    if not recommendation:
        problems.append("Select whether you recommend shortlisting this bid")
    return problems


def reopen(assessment, lead, reason, *, expected_state=None, now=None):
    """Unlock submitted scores so the assessor can change them. Recorded, with the reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ScoringError("Enter the reason for reopening these scores")
    with transaction.atomic():
        locked = workflow.lock(assessment.bid, expected_state)
        if not lead.has_perm("bids.manage_assessment", locked):
            raise ScoringError("You cannot reopen scores")
        if locked.state != BidState.UNDER_ASSESSMENT:
            raise ScoringError(
                f"Scores can only be reopened while a bid is under assessment; {locked.reference} is "
                f"{locked.get_state_display().lower()}"
            )
        assessment = Assessment.objects.select_for_update().select_related("assessor").get(pk=assessment.pk)
        if assessment.state != Assessment.State.SUBMITTED:
            raise ScoringError(
                f"{assessment.assessor.full_name}'s scores are not submitted, so they are open"
            )
        if assessment.set_aside:
            raise ScoringError(
                f"{assessment.assessor.full_name}'s scores were set aside and cannot be reopened"
            )
        was = assessment.weighted_total
        assessment.state = Assessment.State.DRAFT
        assessment.weighted_total = None
        assessment.submitted_at = None
        assessment.updated_at = now
        assessment.save()
        workflow.record_event(
            locked,
            EventKind.SCORE_REOPENED,
            lead,
            reason=reason,
            detail={
                "assessor": assessment.assessor_id,
                "assessor_name": assessment.assessor.full_name,
                "weighted_total": str(was),
            },
            now=now,
        )
        queue_email(
            [assessment.assessor.email],
            "scores_reopened",
            {"bid": locked, "assessment": assessment, "reason": reason, "lead": lead},
        )
    return assessment
