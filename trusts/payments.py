"""Payments in arrears (GovS 015): the one door through which an award's instalment is
requested, approved (or sent back) and recorded as paid.

An instalment may be requested once the award's consultation condition is met and its own
trigger has happened (trusts/schedules.py says when). One official requests it and another
approves it, never the same person. The door locks the award and then the instalment, so two
approvals at once, or an approval racing a send-back, leave exactly one winner, and what is
asked for never exceeds the award. When the last instalment is paid the award itself moves
to paid through the award door, in the same transaction.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.template.defaultfilters import pluralize
from django.utils import timezone

from accounts.mail import queue_email
from accounts.models import Role, User
from core.door import Edge, LifeCycle, Refused, Stale
from core.london import long_date
from core.money import money

from . import awards, schedules
from .enums import InstalmentState, PaymentTrigger
from .models import AwardEvent, FundingAward, Instalment
from .schedules import ASKED_FOR, RECORD_PAYMENT


class PaymentError(Refused):
    """A payment step that cannot be taken. `problems` are sentences to show the user."""


class StalePayment(Stale, PaymentError):
    """Someone else moved the instalment on since the user loaded the page."""


REQUEST = "trusts.request_payment"
APPROVE = "trusts.approve_payment"


def describe(instalment):
    return f"Instalment {instalment.number} of {money(instalment.amount)}"


def within_award(change):
    """What is asked for, agreed and paid never exceeds the award (checked under its lock)."""
    instalment, award = change.record, change.record.award
    spoken_for = Instalment.objects.filter(award=award, state__in=ASKED_FOR).exclude(
        pk=instalment.pk
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if spoken_for + instalment.amount > award.total:
        left = award.total - spoken_for
        return [
            f"{describe(instalment)} would take payments past the award of {money(award.total)}: "
            f"{money(left)} is left to pay"
        ]
    return []


def requestable(change):
    return schedules.release_problems(change.record, change.record.award, change.now) or within_award(change)


def two_person_refusal(name):
    return f"You requested this payment, so someone else must {'approve it' if name == 'approve' else 'send it back'}"


def second_person(change):
    """No one both asks for and approves a payment."""
    if change.record.requested_by_id == change.actor.pk:
        return [two_person_refusal(change.name)]
    return within_award(change) if change.name == "approve" else []


def paid_problems(change):
    """The payment reference and the day it was paid: today or before, not before approval."""
    instalment, details = change.record, change.details
    paid_on = details.get("paid_on")
    problems = []
    if not (details.get("reference") or "").strip():
        problems.append("Enter the payment reference")
    if paid_on is None:
        problems.append("Enter the date the payment was made")
    elif paid_on > timezone.localtime(change.now).date():
        problems.append("The date the payment was made must be today or in the past")
    elif paid_on < timezone.localtime(instalment.approved_at).date():
        problems.append(
            f"The date the payment was made must be on or after {long_date(instalment.approved_at)}, "
            "when the payment was approved"
        )
    return problems


def settle_award(change):
    """The last instalment paid: the award is paid, through its own door."""
    award = change.record.award
    if not schedules.unpaid(award).exists():
        count = award.instalments.count()
        awards.AWARDS.change_state(
            award,
            "mark_paid",
            change.actor,
            reason=f"Paid in full: {money(award.total)} in {count} instalment{pluralize(count)}",
            now=change.now,
        )
        change.email_context["paid_in_full"] = True


@dataclass(frozen=True)
class PaymentEdge(Edge):
    title: str = ""  # the audit event's title: "Payment requested"
    tell: str = ""  # who hears: "approvers", "requester" or "council"


EDGES = {
    "request": PaymentEdge(
        REQUEST,
        "request",
        email="payment_requested",
        guard=requestable,
        title="Payment requested",
        tell="approvers",
    ),
    "approve": PaymentEdge(
        APPROVE,
        "approve",
        email="payment_approved",
        guard=second_person,
        title="Payment approved",
        tell="requester",
    ),
    "send_back": PaymentEdge(
        APPROVE,
        "send back",
        needs_reason=True,
        email="payment_sent_back",
        guard=second_person,
        title="Payment request sent back",
        tell="requester",
    ),
    "record_paid": PaymentEdge(
        RECORD_PAYMENT,
        "record the payment of",
        email="payment_paid",
        guard=paid_problems,
        also=settle_award,
        title="Payment made",
        tell="council",
    ),
}

PAST_TENSE = {"request": "requested", "approve": "approved", "send_back": "sent back", "record_paid": "paid"}


class PaymentLifeCycle(LifeCycle):
    noun = "instalment"
    edges = EDGES
    detail_names = frozenset({"reference", "paid_on"})
    refused = PaymentError
    stale = StalePayment

    def lock(self, instalment, expected_state=None):
        # Always the award first, then the instalment: every payment step on an award waits
        # for the one before it, so the sum never passes the award and no two steps deadlock.
        award = (
            FundingAward.objects.select_for_update()
            .select_related("bid__authority", "bid__funding_round", "offered_by")
            .get(pk=instalment.award_id)
        )
        locked = (
            Instalment.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .get(pk=instalment.pk)
        )
        locked.award = award
        if locked.state != (expected_state or instalment.state):
            raise StalePayment(
                f"{describe(locked)} has changed since you opened it: it is now "
                f"{locked.get_state_display().lower()}. Nothing was changed. Check the payments and try again."
            )
        return locked

    def stamp(self, change):
        instalment, name, actor, now = change.record, change.name, change.actor, change.now
        if name == "request":
            instalment.requested_at, instalment.requested_by = now, actor
            if instalment.released_at is None:  # an instalment due on a date, now come
                instalment.released_at = now
        elif name == "approve":
            instalment.approved_at, instalment.approved_by = now, actor
        elif name == "send_back":
            change.email_context["requester"] = instalment.requested_by
            instalment.requested_at, instalment.requested_by = None, None
        elif name == "record_paid":
            instalment.paid_on = change.details["paid_on"]
            instalment.payment_reference = change.details["reference"].strip()
            instalment.paid_recorded_at, instalment.paid_recorded_by = now, actor

    def record_event(self, change):
        instalment = change.record
        reason = f"{describe(instalment)} {PAST_TENSE[change.name]}"
        if change.name == "record_paid":
            reason += f" on {long_date(instalment.paid_on)}, reference {instalment.payment_reference}"
        if change.reason:
            reason += f": {change.reason}" if change.name == "send_back" else f". {change.reason}"
        return AwardEvent.objects.create(
            award=instalment.award,
            instalment=instalment,
            actor=change.actor,
            from_state=instalment.award.state,
            to_state=instalment.award.state,
            title=change.edge.title,
            reason=reason,
            created_at=change.now,
        )

    def tell(self, change):
        instalment, edge = change.record, change.edge
        if edge.tell == "approvers":
            recipients = approvers(exclude=change.actor)
        elif edge.tell == "requester":
            requester = change.email_context.get("requester") or instalment.requested_by
            recipients = [requester.email] if requester else []
        else:
            recipients = awards.council_recipients(instalment.award)
        queue_email(
            recipients,
            edge.email,
            {
                "instalment": instalment,
                "award": instalment.award,
                "bid": instalment.award.bid,
                "event": change.event,
                "next": next_instalment(instalment.award),
                **change.email_context,
            },
        )


PAYMENTS = PaymentLifeCycle()
available_actions = PAYMENTS.available


def approvers(exclude=None):
    """Everyone who may approve a payment: the active programme leads and administrators."""
    people = User.objects.filter(role__in=[Role.LEAD, Role.ADMIN], is_active=True)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people.values_list("email", flat=True))


@dataclass
class ScheduleRow:
    """One instalment as the award page shows it to this person."""

    instalment: Instalment
    payable_from: str
    actions: list  # [(url name, link text)] this person may take now
    waiting: str = ""  # why an official who could otherwise act cannot


@dataclass
class Schedule:
    rows: list  # [ScheduleRow]
    can_change: bool  # this person may change the schedule now


def schedule_for(award, user):
    """The award's schedule with the steps this person may take on each, in one query. A
    council sees what has been paid and what comes next, never who asked or approved."""
    rows = []
    now = timezone.now()
    instalments = list(award.instalments.select_related("requested_by", "approved_by"))
    for instalment in instalments:
        instalment.award = award
        actions, waiting = [], ""
        if not user.is_council:
            allowed = available_actions(instalment, user)
            if "request" in allowed:
                problems = schedules.release_problems(instalment, award, now)
                if problems:
                    waiting = problems[0]
                else:
                    actions.append(("trusts:request-payment", "Request"))
            if "approve" in allowed:
                if instalment.requested_by_id == user.pk:
                    waiting = "You requested this payment, so someone else must approve it"
                else:
                    actions += [
                        ("trusts:approve-payment", "Approve"),
                        ("trusts:send-back-payment", "Send back"),
                    ]
            if "record_paid" in allowed:
                actions.append(("trusts:record-paid", "Record payment"))
        rows.append(ScheduleRow(instalment, schedules.payable_from(instalment), actions, waiting))
    can_change = user.has_perm("trusts.change_schedule", award) and not schedules.editable_problems(
        award, instalments
    )
    return Schedule(rows, can_change)


def next_instalment(award):
    return (
        Instalment.objects.filter(award=award).exclude(state=InstalmentState.PAID).order_by("number").first()
    )


def request(instalment, actor, *, note="", expected_state=None, now=None):
    """The programme lead asks for an instalment to be paid, once it is released."""
    return PAYMENTS.change_state(
        instalment, "request", actor, reason=note, expected_state=expected_state, now=now
    )


def approve(instalment, actor, *, note="", expected_state=None, now=None):
    """Another official (a lead or an administrator, never the requester) approves it."""
    return PAYMENTS.change_state(
        instalment, "approve", actor, reason=note, expected_state=expected_state, now=now
    )


def send_back(instalment, actor, reason, *, expected_state=None, now=None):
    """Another official returns the request, saying why; it can be requested again."""
    return PAYMENTS.change_state(
        instalment, "send_back", actor, reason=reason, expected_state=expected_state, now=now
    )


def record_paid(instalment, actor, *, reference, paid_on, expected_state=None, now=None):
    """The payment of an approved instalment, as the finance system made it."""
    return PAYMENTS.change_state(
        instalment,
        "record_paid",
        actor,
        expected_state=expected_state,
        now=now,
        reference=reference,
        paid_on=paid_on,
    )


def release_first_return(award, now=None):
    """Release the award's instalments that wait for its first monitoring return; the
    monitoring app calls this when a council's return is accepted. Idempotent: a later return
    releases nothing more. Returns how many instalments it released now."""
    return Instalment.objects.filter(
        award=award, trigger=PaymentTrigger.FIRST_RETURN, released_at__isnull=True
    ).update(released_at=now or timezone.now())
