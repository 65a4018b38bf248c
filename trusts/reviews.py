"""The annual review of a pilot (GovS 015): the lead decides to continue, amend the award or
stop the pilot, with reasons the council is told.

Amending varies the award as approving sets it: within the round's base award and maximum
supplement, and within its budget counted the same way (trusts/awards.py, under the round's
row lock). The payment schedule follows: an increase is a new instalment, payable once the
consultation condition is met (at once, if it has been; an award paid in full has more to
pay again); a reduction comes off the instalments not yet asked for, last first; what has
been requested, approved or paid is never taken back. Stopping
withdraws the award through the award door and records the sum the council must repay.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from accounts.mail import queue_email
from bids.models import FundingRound
from core.door import Refused
from core.money import money

from . import awards
from .enums import AwardState, InstalmentState, PaymentTrigger, ReviewOutcome
from .models import AnnualReview, AwardEvent, FundingAward, Instalment
from .schedules import ASKED_FOR

IN_PROGRESS = [InstalmentState.REQUESTED, InstalmentState.APPROVED]


class ReviewError(Refused):
    """A review that cannot be recorded. `problems` are sentences to show the user."""


def paid_total(award):
    return Instalment.objects.filter(award=award, state=InstalmentState.PAID).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0")


def asked_for_total(award):
    return Instalment.objects.filter(award=award, state__in=ASKED_FOR).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0")


def record_review(
    award,
    actor,
    *,
    outcome,
    reasons,
    base_amount=None,
    supplement_amount=None,
    justification="",
    to_recover=None,
    now=None,
):
    """Record the annual review's decision. Returns the AnnualReview."""
    now = now or timezone.now()
    reasons = (reasons or "").strip()
    if not reasons:
        raise ReviewError("Enter the reasons for the review's decision")
    with transaction.atomic():
        # The round first, as an approval locks it: an amendment and an approval at once
        # cannot both take the round's last pounds of budget.
        funding_round = FundingRound.objects.select_for_update().get(pk=award.bid.funding_round_id)
        locked = (
            FundingAward.objects.select_for_update()
            .select_related("bid__authority", "bid__funding_round")
            .get(pk=award.pk)
        )
        if not actor.has_perm("trusts.review_award", locked):
            raise ReviewError(
                f"An annual review can only be recorded on an award the council has accepted; this one is "
                f"{locked.get_state_display().lower()}"
            )
        number = (locked.reviews.aggregate(last=Max("number"))["last"] or 0) + 1
        review = AnnualReview(
            award=locked,
            number=number,
            outcome=outcome,
            reasons=reasons,
            base_before=locked.base_amount,
            supplement_before=locked.supplement_amount,
            base_after=locked.base_amount,
            supplement_after=locked.supplement_amount,
            reviewed_by=actor,
            reviewed_at=now,
        )
        if outcome == ReviewOutcome.AMEND:
            amend(locked, funding_round, base_amount, supplement_amount, justification, actor, now)
            review.base_after, review.supplement_after = locked.base_amount, locked.supplement_amount
        elif outcome == ReviewOutcome.STOP:
            review.to_recover = stop(locked, actor, reasons, to_recover, now)
        elif outcome != ReviewOutcome.CONTINUE:
            raise ReviewError("Select the review's decision")
        review.save()
        if outcome != ReviewOutcome.STOP:  # the award door recorded the stop as a change of state
            AwardEvent.objects.create(
                award=locked,
                title=f"Annual review {review.number}: {review.get_outcome_display().lower()}",
                actor=actor,
                from_state=locked.state,
                to_state=locked.state,
                reason=event_reason(review),
                created_at=now,
            )
        queue_email(
            awards.council_recipients(locked, actor),
            "award_reviewed",
            {"award": locked, "bid": locked.bid, "review": review},
        )
    return review


def event_reason(review):
    if review.outcome == ReviewOutcome.AMEND:
        return (
            f"Annual review {review.number}: award amended from {money(review.total_before)} "
            f"to {money(review.total_after)}. {review.reasons}"
        )
    return f"Annual review {review.number}: {review.get_outcome_display().lower()}. {review.reasons}"


def amend(award, funding_round, base_amount, supplement_amount, justification, actor, now):
    """Vary the award's amounts and its schedule with them; the award is saved."""
    supplement_amount = supplement_amount if supplement_amount is not None else Decimal("0")
    justification = (justification or award.supplement_justification or "").strip()
    problems = awards.award_problems(funding_round, base_amount, supplement_amount, justification)
    if problems:
        raise ReviewError(*problems)
    new_total = base_amount + supplement_amount
    if new_total == award.total:
        raise ReviewError(
            f"The amended award is the same as the award now ({money(award.total)}). To keep it, choose "
            "to continue as agreed"
        )
    problems = awards.budget_problems(funding_round, new_total, excluding=award)
    if problems:
        raise ReviewError(*problems)
    asked_for = asked_for_total(award)
    if new_total < asked_for:
        raise ReviewError(
            f"The award cannot be reduced below {money(asked_for)}, which has already been requested, "
            "approved or paid"
        )
    if award.state == AwardState.PAID and new_total > award.total:
        awards.increase(
            award,
            actor,
            f"Increased at annual review from {money(award.total)} to {money(new_total)}",
            now=now,
        )
        award.refresh_from_db()
    change_schedule_by(award, new_total - award.total, now)
    amounts = {
        "base_amount": base_amount,
        "supplement_amount": supplement_amount,
        "supplement_justification": justification if supplement_amount else "",
    }
    # An update of these columns alone: the award's state is the door's, never saved here.
    FundingAward.objects.filter(pk=award.pk).update(**amounts)
    for name, value in amounts.items():
        setattr(award, name, value)
    award.total = base_amount + supplement_amount


def change_schedule_by(award, difference, now):
    """Change the schedule by `difference` pounds, so that it still adds up to the award."""
    waiting = list(
        Instalment.objects.select_for_update()
        .filter(award=award, state=InstalmentState.SCHEDULED)
        .order_by("-number")
    )
    if difference > 0:
        number = (award.instalments.aggregate(last=Max("number"))["last"] or 0) + 1
        Instalment.objects.create(
            award=award,
            number=number,
            amount=difference,
            trigger=PaymentTrigger.CONDITIONS_MET,
            released_at=award.conditions_met_at,
        )
        return
    to_take = -difference
    for instalment in waiting:
        if to_take <= 0:
            break
        taken = min(instalment.amount, to_take)
        to_take -= taken
        if taken == instalment.amount:
            instalment.delete()
        else:
            instalment.amount -= taken
            instalment.save(update_fields=["amount"])


def stop(award, actor, reasons, to_recover, now):
    """Withdraw the award through its door; returns the sum to be recovered."""
    if Instalment.objects.filter(award=award, state__in=IN_PROGRESS).exists():
        raise ReviewError(
            "A payment of this award is requested or approved. Record it as paid, or send it back, "
            "before you stop the pilot"
        )
    paid = paid_total(award)
    to_recover = to_recover if to_recover is not None else Decimal("0")
    if to_recover < 0:
        raise ReviewError("The sum to recover cannot be negative")
    if to_recover > paid:
        raise ReviewError(f"The sum to recover cannot be more than the {money(paid)} paid so far")
    Instalment.objects.filter(award=award, state=InstalmentState.SCHEDULED).delete()
    awards.stop(award, actor, f"Stopped at annual review: {reasons}", now=now)
    award.refresh_from_db()
    return to_recover
