"""The programme lead's moderation: seeing where assessors disagree, and setting a
moderated score that overrides their mean. Both the mean at the time and the moderated
score are kept, with the reason."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from . import workflow
from .models import Assessment, Assignment, BidState, EventKind, Moderation
from .scoring import DISAGREEMENT, KEPT_PLACES, counted, criteria_for, mean

MODERATABLE_STATES = [BidState.UNDER_ASSESSMENT]


class ModerationError(workflow.WorkflowError):
    pass


@dataclass
class CriterionRow:
    criterion: object
    cells: list = field(default_factory=list)  # one per assessment, in column order: CriterionScore or None
    spread: int | None = None

    @property
    def flagged(self):
        return self.spread is not None and self.spread >= DISAGREEMENT


@dataclass
class ScoreSheet:
    """Everything the moderation page shows for one bid."""

    assessments: list
    rows: list
    mean: Decimal | None
    spread: Decimal | None
    moderation: Moderation | None
    assigned_without_scores: list

    @property
    def flagged(self):
        return any(row.flagged for row in self.rows)

    @property
    def effective(self):
        return self.moderation.score if self.moderation else self.mean

    @property
    def set_aside(self):
        return [a for a in self.assessments if a.set_aside]

    @property
    def comments(self):
        """Per assessor who commented: (criterion, CriterionScore) pairs in criterion order."""
        out = []
        for column, assessment in enumerate(self.assessments):
            rows = [(row.criterion, row.cells[column]) for row in self.rows if row.cells[column] is not None]
            if any(score.comment for _, score in rows):
                out.append({"assessor": assessment.assessor, "rows": rows})
        return out


def score_sheet(bid):
    """Each assessor's scores per criterion, with totals, mean, spread and flags.

    Set-aside and draft scores are shown but count towards nothing.
    """
    criteria = criteria_for(bid)
    assessments = list(
        bid.assessments.select_related("assessor").prefetch_related("scores").order_by("assessor__full_name")
    )
    counting = [a for a in assessments if a.state == Assessment.State.SUBMITTED and not a.set_aside]
    rows = []
    for criterion in criteria:
        cells = []
        values = []
        for assessment in assessments:
            score = next((s for s in assessment.scores.all() if s.criterion_id == criterion.pk), None)
            cells.append(score)
            if assessment in counting and score is not None and score.score is not None:
                values.append(score.score)
        spread = max(values) - min(values) if len(values) >= 2 else None
        rows.append(CriterionRow(criterion, cells, spread))
    totals = [a.weighted_total for a in counting if a.weighted_total is not None]
    started = {a.assessor_id for a in assessments}
    waiting = [
        assignment.assessor
        for assignment in Assignment.objects.filter(bid=bid).select_related("assessor")
        if assignment.assessor_id not in started
    ]
    return ScoreSheet(
        assessments=assessments,
        rows=rows,
        mean=mean(totals),
        spread=(max(totals) - min(totals)) if len(totals) >= 2 else None,
        moderation=Moderation.objects.filter(bid=bid).select_related("moderated_by").first(),
        assigned_without_scores=waiting,
    )


def moderate(bid, lead, score, reason, *, expected_state=None, seen_moderation=None, now=None):
    """Set (or change) the bid's moderated score. `seen_moderation` is the moderation time
    the lead saw, so a colleague's moderation in between is not silently overwritten."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Enter the reason for the moderated score")
    if score is None or score < 0 or score > 100:
        raise ModerationError("Enter a moderated score from 0 to 100")
    with transaction.atomic():
        locked = workflow.lock(bid, expected_state)
        if not lead.has_perm("bids.manage_assessment", locked):
            raise ModerationError("You cannot moderate this bid")
        if locked.state not in MODERATABLE_STATES:
            raise ModerationError(
                f"Scores can only be moderated while a bid is under assessment; {locked.reference} is "
                f"{locked.get_state_display().lower()}"
            )
        current = Moderation.objects.select_for_update().filter(bid=locked).first()
        seen = seen_moderation or ""
        if (current.moderated_at.isoformat() if current else "") != seen:
            raise workflow.StaleBid(
                f"{locked.reference}'s moderated score has changed since you opened it. "
                "Nothing was changed. Check the scores and try again."
            )
        the_mean = mean(counted(locked.assessments.all()).values_list("weighted_total", flat=True))
        if the_mean is not None:
            the_mean = the_mean.quantize(KEPT_PLACES, rounding=ROUND_HALF_UP)
        score = Decimal(score).quantize(Decimal("0.01"))
        before = current.score if current else None
        moderation, _ = Moderation.objects.update_or_create(
            bid=locked,
            defaults={
                "score": score,
                "mean_at_moderation": the_mean,
                "reason": reason,
                "moderated_by": lead,
                "moderated_at": now,
            },
        )
        workflow.record_event(
            locked,
            EventKind.MODERATED,
            lead,
            reason=reason,
            detail={
                "score": str(score),
                "mean": None if the_mean is None else str(the_mean),
                "previous": None if before is None else str(before),
            },
            now=now,
        )
    return moderation
