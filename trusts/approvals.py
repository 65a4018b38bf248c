"""Approving a bid with its funding award: the one place the bid workflow and the award
life cycle meet, orchestrated from the awards side so that bids never imports awards.

The Decision, the bid's move to approved and the award's offer happen in one transaction:
if the award would take the round past its budget or its number of pilots, nothing is
saved and the lead is told why.
"""

from decimal import Decimal

from django.utils import timezone

from bids import decisions, workflow
from bids.models import Decision

from . import awards


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
    ggis_reference="",
):
    """Approve with an award of base + supplement. Returns the FundingAward."""
    now = now or timezone.now()
    decisions.need_words(reasons, feedback)
    with workflow.transition(
        bid, "approve", lead, reason=feedback, expected_state=expected_state, now=now
    ) as change:
        decisions.record_decision(change.record, Decision.Outcome.APPROVED, reasons, feedback, lead, now)
        try:
            award = awards.offer(
                change.record,
                base_amount,
                supplement_amount or Decimal("0"),
                justification,
                lead,
                now=now,
                ggis_reference=ggis_reference,
            )
        except awards.AwardError as error:
            raise workflow.WorkflowError(*error.problems) from error
        change.email_context["award"] = award
    return award
