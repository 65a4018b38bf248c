"""Releasing a round's pending decisions in one go, approvals with their awards.

The lead records decisions as pending (bids/staging.py); releasing puts every one of them
through the bid's door in ONE transaction: shortlisting decisions and rejections by the
bids layer's own verbs, approvals with their award offered (trusts/approvals.py), each from
the state the bid was in when the decision was recorded. If any one cannot go (the bid has
moved on, the award would pass the round's budget, due diligence is missing ...), nothing
is released and the lead is told every problem, by bid reference. The door queues each
council's email for after the commit, so the emails go once, on release.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bids import staging, workflow
from bids.models import BidState, StagedDecision
from core.door import Refused, Stale

from . import approvals
from .awards import award_problems


class ReleaseError(Refused):
    """The release cannot go ahead; nothing was released. `problems` say why."""


class StaleRelease(Stale, ReleaseError):
    """The pending set changed since the lead looked at it."""


def stage_approval(
    bid,
    lead,
    *,
    base_amount,
    supplement_amount,
    justification,
    reasons,
    feedback,
    drawn_from=(),
    ggis_reference="",
    expected_state=None,
    now=None,
):
    """Record an approval as pending, with an award that fits what the round allows (its
    budget, places and due diligence are checked when it is released)."""
    supplement_amount = supplement_amount or Decimal("0")
    problems = award_problems(bid.funding_round, base_amount, supplement_amount, justification)
    if problems:
        raise workflow.WorkflowError(*problems)
    return staging.stage(
        bid,
        lead,
        outcome=StagedDecision.Outcome.APPROVE,
        reasons=reasons,
        feedback=feedback,
        drawn_from=drawn_from,
        base_amount=base_amount,
        supplement_amount=supplement_amount,
        supplement_justification=justification,
        ggis_reference=ggis_reference,
        expected_state=expected_state,
        now=now,
    )


def release(funding_round, lead, *, expected=None, now=None):
    """Release every pending decision of the round. Returns them, released.

    expected: the pks of the decisions the lead saw on the confirmation page; if the set
    has changed since (one added or taken back), nothing is released.
    """
    now = now or timezone.now()
    if not lead.has_perm(workflow.MANAGE):
        raise ReleaseError("You cannot release decisions")
    with transaction.atomic():
        pending = staging.lock_pending_in(funding_round)
        if not pending:
            raise ReleaseError(f"There are no pending decisions to release in {funding_round.name}")
        if expected is not None and set(expected) != {staged.pk for staged in pending}:
            raise StaleRelease(
                f"The pending decisions in {funding_round.name} have changed since you opened this page. "
                "Nothing was released. Check them and try again"
            )
        problems = []
        for staged in pending:
            try:
                # Each in a savepoint, so that after one is refused the rest are still
                # tried and every problem is reported; the whole release is then undone.
                with transaction.atomic():
                    put_through(staged, lead, now)
            except workflow.StaleBid:
                problems.append(moved_on(staged))
            except Refused as error:
                reference = staged.bid.reference
                problems.extend(
                    problem if problem.startswith(reference) else f"{reference}: {problem}"
                    for problem in error.problems
                )
        if problems:
            raise ReleaseError(*problems)
    return pending


def put_through(staged, lead, now):
    """One pending decision through the bid's door (with its award, for an approval). It is
    marked released first, so the door does not take it for a decision still pending; if the
    door refuses, the caller's savepoint undoes the mark."""
    staging.mark_released(staged, lead, now=now)
    if staged.outcome == StagedDecision.Outcome.APPROVE:
        approvals.approve(
            staged.bid,
            lead,
            base_amount=staged.base_amount,
            supplement_amount=staged.supplement_amount,
            justification=staged.supplement_justification,
            reasons=staged.reasons,
            feedback=staged.feedback,
            expected_state=staged.bid_state,
            now=now,
            ggis_reference=staged.ggis_reference,
        )
    else:
        staging.carry_out(staged, lead, now=now)


def moved_on(staged):
    """The bid has changed state since the decision was recorded: say from what to what."""
    bid = staged.bid
    bid.refresh_from_db(fields=["state"])
    return (
        f"{bid.reference} is now {bid.get_state_display().lower()}, not "
        f"{BidState(staged.bid_state).label.lower()} as when its pending decision "
        f"({staged.get_outcome_display().lower()}) was recorded. Take the decision back"
    )
