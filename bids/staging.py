"""Decisions the programme lead records as pending, to release with the round's others.

Staging a shortlisting decision or a final decision changes nothing the council can see: the
bid keeps its state, no email goes, and the audit event is internal. The lead sees the
round's pending set, changes its feedback or takes a decision back, then releases them all
at once. An approval offers its award, so the release is orchestrated by the awards layer
(trusts/releases.py); it puts each decision through the bid's door with `carry_out` (or,
for an approval, trusts/approvals.py) and marks it released here.

A bid has at most one pending decision. Staging another while one is pending is refused:
the lead changes the pending one, or takes it back and decides again.
"""

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from . import decisions, workflow
from .models import Assessment, CriterionScore, EventKind, StagedDecision

Outcome = StagedDecision.Outcome
PENDING = StagedDecision.State.PENDING


class StagingError(workflow.WorkflowError):
    """A pending decision that cannot be recorded, changed or taken back."""


# Reads --------------------------------------------------------------------------------


def pending_in(funding_round):
    """The round's pending decisions, oldest first, with what their pages show of each."""
    return (
        StagedDecision.objects.filter(bid__funding_round=funding_round, state=PENDING)
        .select_related("bid__authority", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def pending_for(bid):
    return StagedDecision.objects.filter(bid=bid, state=PENDING).select_related("recorded_by").first()


def comments_for(bid):
    """The counted assessors' comments on the bid's criteria (submitted scores that were not
    set aside, with something written), in criterion order: what feedback may draw on."""
    return (
        CriterionScore.objects.filter(
            assessment__bid=bid,
            assessment__state=Assessment.State.SUBMITTED,
            assessment__set_aside=False,
        )
        .exclude(comment="")
        .select_related("criterion", "assessment__assessor")
        .order_by("criterion__position", "criterion__pk", "assessment__assessor__full_name", "pk")
    )


def draft_feedback(comments):
    """Feedback drafted from the comments picked: one paragraph per criterion, in the order
    given ("<criterion>: <comment> <comment>")."""
    paragraphs = {}
    for score in comments:
        paragraphs.setdefault(score.criterion.name, []).append(" ".join(score.comment.split()))
    return "\n\n".join(f"{criterion}: {' '.join(said)}" for criterion, said in paragraphs.items())


# Verbs --------------------------------------------------------------------------------


def stage(
    bid,
    lead,
    *,
    outcome,
    reasons,
    feedback,
    drawn_from=(),
    base_amount=None,
    supplement_amount=None,
    supplement_justification="",
    ggis_reference="",
    expected_state=None,
    now=None,
):
    """Record a decision as pending: the bid stays as it is and no one is told.

    An approval's award (its amounts and GGIS reference) is kept for the release; whether it
    fits the round is the awards layer's to check (trusts/releases.py stage_approval), and
    is checked again when it is offered.
    """
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise StagingError("Select a decision")
    decisions.need_words(reasons, feedback)
    if outcome == Outcome.APPROVE and base_amount is None:
        raise StagingError("Enter the base award")
    with transaction.atomic():
        locked = workflow.lock(bid, expected_state)
        edge = workflow.EDGES[outcome]
        if not lead.has_perm(workflow.MANAGE, locked):
            raise StagingError(f"You cannot {edge.verb} this bid")
        if not can_proceed(getattr(locked, outcome)):
            raise StagingError(f"You cannot {edge.verb} a bid that is {locked.get_state_display().lower()}")
        already = pending_for(locked)
        if already is not None:
            raise StagingError(
                f"{locked.reference} already has a pending decision ({already.get_outcome_display().lower()}). "
                "Change it or take it back first"
            )
        approving = outcome == Outcome.APPROVE
        staged = StagedDecision.objects.create(
            bid=locked,
            outcome=outcome,
            bid_state=locked.state,
            reasons=reasons.strip(),
            feedback=feedback.strip(),
            base_amount=base_amount if approving else None,
            supplement_amount=(supplement_amount or 0) if approving else None,
            supplement_justification=(supplement_justification or "").strip() if approving else "",
            ggis_reference=(ggis_reference or "") if approving else "",
            recorded_by=lead,
            recorded_at=now,
        )
        staged.drawn_from.set(_own_comments(locked, drawn_from))
        _record(staged, lead, now)
    return staged


def revise(staged, lead, *, reasons, feedback, drawn_from=(), now=None):
    """Change a pending decision's reasons and feedback (and the comments it drew on)."""
    now = now or timezone.now()
    decisions.need_words(reasons, feedback)
    with transaction.atomic():
        staged = _lock_pending(staged, lead, "change")
        staged.reasons = reasons.strip()
        staged.feedback = feedback.strip()
        staged.save(update_fields=["reasons", "feedback"])
        staged.drawn_from.set(_own_comments(staged.bid, drawn_from))
        _record(staged, lead, now, revised=True)
    return staged


def drop(staged, lead, *, reason="", now=None):
    """Take a pending decision back: it is kept, as taken back, and never released."""
    now = now or timezone.now()
    with transaction.atomic():
        staged = _lock_pending(staged, lead, "take back")
        staged.state = StagedDecision.State.DROPPED
        staged.save(update_fields=["state"])
        workflow.record_event(
            staged.bid,
            EventKind.STAGED_DECISION_DROPPED,
            lead,
            reason=(reason or "").strip() or f"{staged.get_outcome_display()} taken back",
            detail={"staged_decision": staged.pk, "outcome": staged.outcome},
            now=now,
        )
    return staged


def carry_out(staged, lead, *, now):
    """Put a pending shortlisting decision or rejection through the bid's door, as if made
    now from the state it was recorded at: the council's email carries the feedback, and
    the state change records it as what the council was told. Call inside the release's
    transaction; an approval goes with its award (trusts/approvals.py)."""
    bid = staged.bid
    if staged.outcome == Outcome.APPROVE:
        raise StagingError(f"{bid.reference}: an approval is released with its award")
    if staged.outcome == Outcome.REJECT:
        decisions.reject(
            bid,
            lead,
            reasons=staged.reasons,
            feedback=staged.feedback,
            expected_state=staged.bid_state,
            now=now,
        )
        return
    with workflow.transition(
        bid, staged.outcome, lead, reason=staged.feedback, expected_state=staged.bid_state, now=now
    ) as change:
        change.event.detail = {"staged_decision": staged.pk}
        change.event.save(update_fields=["detail"])
        change.email_context["feedback"] = staged.feedback


def mark_released(staged, lead, *, now):
    """Call in the release's transaction, just before the decision goes through the door: the
    door refuses a decision while one is still pending on the bid."""
    staged.state = StagedDecision.State.RELEASED
    staged.released_by = lead
    staged.released_at = now
    staged.save(update_fields=["state", "released_by", "released_at"])


def lock_pending_in(funding_round):
    """The round's pending decisions, locked until the release's transaction ends, so a
    decision cannot be changed or taken back while it is being released."""
    locked = list(
        StagedDecision.objects.select_for_update(of=("self",))
        .filter(bid__funding_round=funding_round, state=PENDING)
        .select_related("bid__authority", "bid__funding_round")
        .order_by("recorded_at", "pk")
    )
    return locked


# Inside the verbs ---------------------------------------------------------------------


def _lock_pending(staged, lead, doing):
    """The decision, locked, if it is still pending; then its bid, locked (in this order, as
    the release locks them)."""
    locked = (
        StagedDecision.objects.select_for_update(of=("self",))
        .select_related("bid__funding_round", "bid__authority")
        .get(pk=staged.pk)
    )
    if locked.state != PENDING:
        raise StagingError(
            f"The decision on {locked.bid.reference} is no longer pending: it was "
            f"{locked.get_state_display().lower()}. Nothing was changed"
        )
    if not lead.has_perm(workflow.MANAGE, locked.bid):
        raise StagingError(f"You cannot {doing} this decision")
    locked.bid = workflow.lock(locked.bid)
    return locked


def _own_comments(bid, drawn_from):
    """The picked comments that are the bid's counted comments; anything else is ignored."""
    wanted = [getattr(comment, "pk", comment) for comment in drawn_from]
    if not wanted:
        return []
    return list(comments_for(bid).filter(pk__in=wanted))


def _record(staged, lead, now, revised=False):
    """The internal audit event: the outcome and the reasons, with the feedback as it was."""
    detail = {"staged_decision": staged.pk, "outcome": staged.outcome, "feedback": staged.feedback}
    if revised:
        detail["revised"] = True
    if staged.outcome == Outcome.APPROVE:
        detail["base_amount"] = str(staged.base_amount)
        detail["supplement_amount"] = str(staged.supplement_amount)
    workflow.record_event(
        staged.bid,
        EventKind.DECISION_STAGED,
        lead,
        reason=f"{staged.get_outcome_display()}{' (changed)' if revised else ''}: {staged.reasons}",
        detail=detail,
        now=now,
    )
