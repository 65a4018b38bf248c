"""Reminders to pilots about their monitoring returns, run every morning (monitoring/tasks.py).

For each due date of each pilot (an award its council accepted, with its trust) that no
return has yet been submitted for: from the reminder date (the round's `reminder_working_days`
working days before, bank holidays skipped) to the due date itself, the council's active
officers are told it is due soon; once the date has passed, that it is overdue. Each reminder
is recorded (`Reminder`, one per award, due date and kind) in the transaction that queues its
email, so running again, or two runs at once, sends nothing twice. A council that missed both
windows (a pilot whose returns began before the reminders did) gets one email listing every
overdue return, not one email for each.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.mail import queue_email
from accounts.models import Role, User
from trusts.enums import ACCEPTED_STATES
from trusts.models import FundingAward

from .enums import ReminderKind
from .models import MonitoringReturn, Reminder
from .schedule import schedule_for

TEMPLATES = {ReminderKind.BEFORE: "return_due_soon", ReminderKind.OVERDUE: "return_overdue"}


def wants(kind, due, today):
    if kind == ReminderKind.BEFORE:
        return due.reminder_on <= today <= due.due_on
    return today > due.due_on


def pilots():
    """Every pilot, with what the reminders read about it, in three queries."""
    return (
        FundingAward.objects.filter(state__in=ACCEPTED_STATES, trust__isnull=False)
        .select_related("trust", "bid__funding_round", "bid__authority")
        .prefetch_related(
            Prefetch(
                "monitoring_returns",
                queryset=MonitoringReturn.objects.filter(submitted_at__isnull=False).only("award", "due_on"),
                to_attr="returns_sent",
            ),
            Prefetch("return_reminders", to_attr="reminders_sent"),
        )
        .order_by("pk")
    )


def reminders_for(award, today):
    """{kind: [Due]}: the reminders the award's council should have today and has not had."""
    sent = {item.due_on for item in award.returns_sent}
    reminded = {(item.due_on, item.kind) for item in award.reminders_sent}
    waiting = {}
    for due in schedule_for(award):
        if due.due_on in sent:
            continue
        for kind in ReminderKind:
            if wants(kind, due, today) and (due.due_on, kind.value) not in reminded:
                waiting.setdefault(kind, []).append(due)
    return waiting


def council_officers(award):
    return list(
        User.objects.filter(
            role=Role.COUNCIL, is_active=True, local_authority_id=award.bid.authority_id
        ).values_list("email", flat=True)
    )


def remind(award, kind, dues, now):
    """Record and queue one reminder of `kind` for the due dates; returns 1 if an email went.
    A council with no active officers is not recorded as reminded, so it is once it has one."""
    recipients = council_officers(award)
    if not recipients:
        return 0
    with transaction.atomic():
        recorded = [
            due
            for due in dues
            if Reminder.objects.get_or_create(
                award=award, due_on=due.due_on, kind=kind, defaults={"sent_at": now, "sent_to": recipients}
            )[1]
        ]
        if not recorded:
            return 0
        queue_email(recipients, TEMPLATES[kind], {"award": award, "bid": award.bid, "dues": recorded})
    return 1


def send_reminders(today=None, now=None):
    """Send today's reminders; returns the number of emails queued."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    sent = 0
    for award in pilots():
        for kind, dues in reminders_for(award, today).items():
            sent += remind(award, kind, dues, now)
    return sent
