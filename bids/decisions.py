"""The programme lead's decision on an interviewed bid: the record of it, and rejecting.

Approving also offers the funding award, which is the awards layer's business: it is
orchestrated from there (trusts/approvals.py) through the same door and `record_decision`.
Decision emails go out on commit.
"""

from django.utils import timezone

from . import workflow
from .models import Decision


def reject(bid, lead, *, reasons, feedback, expected_state=None, now=None):
    now = now or timezone.now()
    need_words(reasons, feedback)
    with workflow.transition(
        bid, "reject", lead, reason=feedback, expected_state=expected_state, now=now
    ) as change:
        decision = record_decision(change.record, Decision.Outcome.REJECTED, reasons, feedback, lead, now)
    return decision


def need_words(reasons, feedback):
    """Refuse a decision without its reasons (internal) and feedback (for the council)."""
    problems = []
    if not (reasons or "").strip():
        problems.append("Enter the reasons for the decision")
    if not (feedback or "").strip():
        problems.append("Enter the feedback to share with the council")
    if problems:
        raise workflow.WorkflowError(*problems)


def record_decision(bid, outcome, reasons, feedback, lead, now):
    return Decision.objects.create(
        bid=bid,
        outcome=outcome,
        reasons=reasons.strip(),
        feedback=feedback.strip(),
        decided_by=lead,
        decided_at=now,
    )
