"""The programme lead's decision on an interviewed bid.

Approving records the Decision and offers the funding award in the same transaction as
the state change: if the award would take the round past its budget or its number of
pilots, nothing is saved and the lead is told why. Decision emails go out on commit.
"""

from decimal import Decimal

from django.utils import timezone

from trusts import awards

from . import workflow
from .models import Decision


def approve(
    bid,
    lead,
    *,
    base_amount,
    supplement_amount,
    justification,
    reasons,
    feedback,
    expected_state=None,
    now=None,
):
    """Approve with an award of base + supplement. Returns the FundingAward."""
    now = now or timezone.now()
    supplement_amount = supplement_amount or Decimal("0")
    email_context = {}

    def record(locked):
        _record_decision(locked, Decision.Outcome.APPROVED, reasons, feedback, lead, now)
        try:
            award = awards.offer(locked, base_amount, supplement_amount, justification, lead, now=now)
        except awards.AwardError as error:
            raise workflow.WorkflowError(*error.problems) from error
        email_context["award"] = award

    _need_words(reasons, feedback)
    workflow.change_state(
        bid,
        "approve",
        lead,
        reason=feedback,
        expected_state=expected_state,
        effect=record,
        email_context=email_context,
        now=now,
    )
    return email_context["award"]


def reject(bid, lead, *, reasons, feedback, expected_state=None, now=None):
    now = now or timezone.now()
    _need_words(reasons, feedback)
    decision = {}

    def record(locked):
        decision["decision"] = _record_decision(
            locked, Decision.Outcome.REJECTED, reasons, feedback, lead, now
        )

    workflow.change_state(
        bid, "reject", lead, reason=feedback, expected_state=expected_state, effect=record, now=now
    )
    return decision["decision"]


def _need_words(reasons, feedback):
    problems = []
    if not (reasons or "").strip():
        problems.append("Enter the reasons for the decision")
    if not (feedback or "").strip():
        problems.append("Enter the feedback to share with the council")
    if problems:
        raise workflow.WorkflowError(*problems)


def _record_decision(bid, outcome, reasons, feedback, lead, now):
    return Decision.objects.create(
        bid=bid,
        outcome=outcome,
        reasons=reasons.strip(),
        feedback=feedback.strip(),
        decided_by=lead,
        decided_at=now,
    )
