"""An award's payment schedule: the instalments an offer starts with, the lead's changes to
them before any is requested, and when each is released (may be requested).

The award door (trusts/awards.py) uses this module at the offer and when the consultation
condition is met; the payments door (trusts/payments.py) moves each instalment on.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.door import Refused
from core.london import long_date
from core.money import money

from .enums import COMMITTED_STATES, AwardState, InstalmentState, PaymentTrigger
from .models import AwardEvent, FundingAward, Instalment

# Who may record a payment made: the lead or an administrator (finance). The award's own
# "paid" edge, taken as the last instalment is paid, asks the same permission.
RECORD_PAYMENT = "trusts.record_payment"
# Instalments whose money is spoken for: asked for, agreed or paid.
ASKED_FOR = [InstalmentState.REQUESTED, InstalmentState.APPROVED, InstalmentState.PAID]


class ScheduleError(Refused):
    """A schedule that cannot be saved. `problems` are sentences to show the user."""


def default_schedule(award):
    """The schedule an offer starts with: the base award once the consultation condition is
    met, and any supplement once the first monitoring return is accepted."""
    rows = [
        Instalment(award=award, number=1, amount=award.base_amount, trigger=PaymentTrigger.CONDITIONS_MET)
    ]
    if award.supplement_amount > 0:
        rows.append(
            Instalment(
                award=award, number=2, amount=award.supplement_amount, trigger=PaymentTrigger.FIRST_RETURN
            )
        )
    return Instalment.objects.bulk_create(rows)


def unpaid(award):
    return Instalment.objects.filter(award=award).exclude(state=InstalmentState.PAID)


def release_on_conditions_met(change):
    """The award door's `also` when the lead marks the consultation condition met."""
    Instalment.objects.filter(
        award=change.record, trigger=PaymentTrigger.CONDITIONS_MET, released_at__isnull=True
    ).update(released_at=change.now)


def payable_from(instalment):
    """In words: when this instalment becomes payable."""
    if instalment.trigger == PaymentTrigger.ON_DATE and instalment.due_on:
        return f"On or after {long_date(instalment.due_on)}"
    return PaymentTrigger(instalment.trigger).label


def release_problems(instalment, award, now):
    """Why this instalment cannot be requested yet: payments follow the conditions they
    depend on (GovS 015: in arrears), and none starts before the consultation condition."""
    if award.state != AwardState.CONDITIONS_MET:
        return ["Payments start once the consultation condition has been met"]
    if instalment.released_at:
        return []
    if instalment.trigger == PaymentTrigger.ON_DATE:
        if instalment.due_on and instalment.due_on <= timezone.localtime(now).date():
            return []
        return [f"Instalment {instalment.number} cannot be requested before {long_date(instalment.due_on)}"]
    if instalment.trigger == PaymentTrigger.FIRST_RETURN:
        return [
            f"Instalment {instalment.number} can be requested once the first monitoring return is accepted"
        ]
    return [f"Instalment {instalment.number} has not been released yet"]


def editable_problems(award, instalments=None):
    """Why the lead cannot change this award's schedule now. instalments: the award's, if
    already loaded."""
    if award.state not in COMMITTED_STATES or award.state == AwardState.PAID:
        return [
            f"The payment schedule of an award that is {award.get_state_display().lower()} cannot be changed"
        ]
    if instalments is None:
        asked_for = award.instalments.filter(state__in=ASKED_FOR).exists()
    else:
        asked_for = any(instalment.state in ASKED_FOR for instalment in instalments)
    if asked_for:
        return ["The payment schedule cannot be changed once a payment has been requested"]
    return []


def schedule_problems(award, rows):
    """rows: (amount, trigger, due_on) in order. The amounts must add up to the award exactly."""
    problems = []
    if not rows:
        return [f"Add at least one instalment: the schedule must add up to {money(award.total)}"]
    for number, (amount, trigger, due_on) in enumerate(rows, start=1):
        if amount is None or amount <= 0:
            problems.append(f"Enter an amount greater than £0 for instalment {number}")
        if trigger == PaymentTrigger.ON_DATE and due_on is None:
            problems.append(f"Enter the date instalment {number} becomes payable")
    added = sum((amount for amount, _, _ in rows if amount), Decimal("0"))
    if not problems and added != award.total:
        problems.append(
            f"The instalments must add up to {money(award.total)}, the award's total: they add up to {money(added)}"
        )
    return problems


def set_schedule(award, rows, actor, now=None):
    """The lead's schedule for an award, replacing the one it had, while no instalment has been
    requested. rows: (amount, trigger, due_on), in the order they are paid."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = FundingAward.objects.select_for_update().get(pk=award.pk)
        if not actor.has_perm("trusts.change_schedule", locked):
            raise ScheduleError("You cannot change this award's payment schedule")
        problems = editable_problems(locked) or schedule_problems(locked, rows)
        if problems:
            raise ScheduleError(*problems)
        first_return_released = (
            locked.instalments.filter(trigger=PaymentTrigger.FIRST_RETURN, released_at__isnull=False)
            .values_list("released_at", flat=True)
            .first()
        )
        released = {
            PaymentTrigger.CONDITIONS_MET: locked.conditions_met_at,
            PaymentTrigger.FIRST_RETURN: first_return_released,
        }
        locked.instalments.all().delete()
        instalments = Instalment.objects.bulk_create(
            Instalment(
                award=locked,
                number=number,
                amount=amount,
                trigger=trigger,
                due_on=due_on if trigger == PaymentTrigger.ON_DATE else None,
                released_at=released.get(trigger),
            )
            for number, (amount, trigger, due_on) in enumerate(rows, start=1)
        )
        AwardEvent.objects.create(
            award=locked,
            actor=actor,
            from_state=locked.state,
            to_state=locked.state,
            title="Payment schedule changed",
            reason="Payment schedule changed: "
            + "; ".join(
                f"{row.number}. {money(row.amount)}, {payable_from(row)[0].lower()}{payable_from(row)[1:]}"
                for row in instalments
            ),
            created_at=now,
        )
    return instalments
