"""Monitoring returns: the one module through which a return is started, changed or moves on.

A council officer starts the return for a period that has begun and fills it in (`save`); they
send it for certification (`send_for_certification`, which makes them its preparer); another
officer of the same council certifies and submits it (`certify`), or sends it back to draft
(`send_back`); the programme lead accepts it (`accept`) or asks for changes with reasons
(`request_changes`), after which the council changes it and it is certified again.

Every change of state goes through the returns' door (core/door.py): it locks the return,
refuses a page that is out of date, checks the person's permission (monitoring/rules.py) and
the edge's guard, records a ReturnEvent, and queues the edge's email for after commit. Nothing
else writes `MonitoringReturn.state` (a protected FSMField).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.mail import queue_email
from accounts.models import Role, User
from core.door import Edge, LifeCycle, Refused, Stale
from core.london import long_date
from trusts import payments
from trusts.awards import council_recipients, programme_recipients
from trusts.models import FundingAward

from .enums import ReturnState
from .models import Milestone, MonitoringReturn, ReturnEvent
from .queries import RETURN_RELATIONS
from .schedule import schedule_for

# What a return says besides its milestones: the fields `save` writes.
ANSWERS = [
    "spending_to_date",
    "planned_spending_to_date",
    "children_reached",
    "families_reached",
    "partners_involvement",
    "risks_and_issues",
    "narrative",
]


class ReturnError(Refused):
    """A change that cannot be made. `problems` are sentences to show the user."""


class StaleReturn(Stale, ReturnError):
    """Someone else changed the return since the user loaded the page."""


def period_name(monitoring_return):
    """Return 2 (due 30 June 2004): how messages and emails name a return."""
    return f"Return {monitoring_return.period} (due {long_date(monitoring_return.due_on)})"


# What each edge needs and does -----------------------------------------------------------


def missing_answers(monitoring_return):
    """What the return still lacks before it can be sent for certification."""
    problems = []
    if not monitoring_return.milestones.exists():
        problems.append("Add at least one milestone")
    required = {
        "spending_to_date": "Enter the spending to date",
        "planned_spending_to_date": "Enter the planned spending to date",
        "children_reached": "Enter the number of children reached",
        "families_reached": "Enter the number of families reached",
        "partners_involvement": "Enter how partners have been involved",
        "risks_and_issues": "Enter the risks and issues",
        "narrative": "Enter the progress in the period",
    }
    for name, message in required.items():
        value = getattr(monitoring_return, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(message)
    return problems


def certifiers(monitoring_return, preparer):
    """The officers of the return's council who could certify it: every active council user
    of the authority but the one who prepared it."""
    return User.objects.filter(
        role=Role.COUNCIL, is_active=True, local_authority_id=monitoring_return.award.bid.authority_id
    ).exclude(pk=preparer.pk)


def ready_for_certification(change):
    problems = missing_answers(change.record)
    if not problems and not certifiers(change.record, change.actor).exists():
        authority = change.record.award.bid.authority.name
        problems.append(
            f"There is no one else at {authority} to certify this return. Ask your council's bid lead to "
            "invite the officer who will certify it, such as your director of children's services"
        )
    return problems


def preparer_problems(monitoring_return, actor):
    """GovS 015's separation of duties: the officer who prepared a return does not certify it."""
    if monitoring_return.prepared_by_id == actor.pk:
        authority = monitoring_return.award.bid.authority.name
        return [
            f"You prepared this return, so you cannot certify it. Another officer of {authority} with "
            "authority to commit the council must certify it"
        ]
    return []


def not_the_preparer(change):
    return preparer_problems(change.record, change.actor)


def first_accepted(award):
    """The award's first accepted return, or None: the evidence the payment after it waits on
    (public money is paid in arrears of evidence)."""
    return (
        MonitoringReturn.objects.filter(award=award, state=ReturnState.ACCEPTED)
        .order_by("decided_at", "period", "pk")
        .first()
    )


def note_first_accepted(change):
    """Accepting a return: when it is the award's first accepted return, the lead and the
    council are told so and its event says so. Here, in the same transaction, is where the
    payment schedule releases the instalment that waits on the first accepted return."""
    first = first_accepted(change.record.award)
    if first is not None and first.pk == change.record.pk:
        payments.release_first_return(change.record.award, now=change.now)
        change.email_context["first_accepted"] = True
        change.event.reason = "\n\n".join(
            part for part in ["The award's first accepted monitoring return.", change.reason] if part
        )
        change.event.save(update_fields=["reason"])


@dataclass(frozen=True)
class ReturnEdge(Edge):
    tell: str = "council"  # who hears: "certifiers", "programme", "preparer" or "council"


PREPARE = "monitoring.send_for_certification"
CERTIFY = "monitoring.certify_return"
DECIDE = "monitoring.decide_return"

EDGES = {
    "send_for_certification": ReturnEdge(
        PREPARE,
        "send for certification",
        email="return_awaiting_certification",
        guard=ready_for_certification,
        tell="certifiers",
    ),
    "send_back": ReturnEdge(
        CERTIFY, "send back", needs_reason=True, email="return_sent_back", tell="preparer"
    ),
    "certify": ReturnEdge(
        CERTIFY, "certify and submit", email="return_submitted", guard=not_the_preparer, tell="programme"
    ),
    "accept": ReturnEdge(DECIDE, "accept", email="return_accepted", also=note_first_accepted),
    "request_changes": ReturnEdge(
        DECIDE, "ask for changes to", needs_reason=True, email="return_changes_requested"
    ),
}


class ReturnLifeCycle(LifeCycle):
    noun = "monitoring return"
    edges = EDGES
    refused = ReturnError
    stale = StaleReturn

    def lock(self, monitoring_return, expected_state=None):
        locked = (
            MonitoringReturn.objects.select_for_update(of=("self",))
            .select_related(*RETURN_RELATIONS)
            .get(pk=monitoring_return.pk)
        )
        if locked.state != (expected_state or monitoring_return.state):
            raise StaleReturn(
                f"{period_name(locked)} has changed since you opened it: it is now "
                f"{locked.get_state_display().lower()}. Nothing was changed. Check the return and try again."
            )
        return locked

    def stamp(self, change):
        record, name, actor, now = change.record, change.name, change.actor, change.now
        if name == "send_for_certification":
            record.prepared_by, record.prepared_at = actor, now
            record.certified_by, record.certified_at = None, None
        elif name == "certify":
            record.certified_by, record.certified_at = actor, now
            record.submitted_at = now
        elif name in ("accept", "request_changes"):
            record.decided_by, record.decided_at = actor, now
            record.changes_reason = change.reason if name == "request_changes" else ""

    event_model = ReturnEvent
    record_field = "monitoring_return"

    def tell(self, change):
        record = change.record
        award = record.award
        audience = change.edge.tell
        if audience == "certifiers":
            recipients = list(certifiers(record, change.actor).values_list("email", flat=True))
        elif audience == "preparer":
            recipients = [record.prepared_by.email] if record.prepared_by_id else []
        elif audience == "programme":
            recipients = programme_recipients(award) + [record.prepared_by.email, change.actor.email]
        else:
            recipients = council_recipients(award) + [
                person.email for person in (record.prepared_by, record.certified_by) if person is not None
            ]
        queue_email(
            recipients,
            change.edge.email,
            {
                "monitoring_return": record,
                "award": award,
                "bid": award.bid,
                "event": change.event,
                **change.email_context,
            },
        )


RETURNS = ReturnLifeCycle()
available_actions = RETURNS.available


# Starting and filling in a return ------------------------------------------------------


def due_for(award, period):
    """The schedule's entry for `period` of the award, or None."""
    return next((due for due in schedule_for(award) if due.period == period), None)


def opening_problems(award, due, today):
    if due is None:
        return ["There is no such return for this award"]
    if today < due.opens_on:
        return [
            f"You can start return {due.period} from {long_date(due.opens_on)}, when its period begins. "
            f"It is due on {long_date(due.due_on)}"
        ]
    return []


def save(award, period, actor, *, answers, milestones, expected_state=None, now=None):
    """Start the award's return for `period` if it has not been started, and write what the
    council has filled in so far: `answers` (the ANSWERS fields), and `milestones`, a list of
    (name, status, comment) that replaces those saved. `expected_state` is the state the page
    was drawn with, None for a return not yet started. Returns the saved return."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    with transaction.atomic():
        locked_award = (
            FundingAward.objects.select_for_update(of=("self",))
            .select_related("bid__authority", "bid__funding_round", "trust")
            .get(pk=award.pk)
        )
        if not actor.has_perm("monitoring.start_return", locked_award):
            if actor.has_perm("trusts.respond_to_award", locked_award):
                raise ReturnError("Monitoring returns begin once the council has accepted the award")
            raise ReturnError("You cannot start or change a monitoring return for this award")
        due = due_for(locked_award, period)
        problems = opening_problems(locked_award, due, today)
        if problems:
            raise ReturnError(*problems)
        existing = MonitoringReturn.objects.filter(award=locked_award, period=period).first()
        if existing is None:
            if expected_state is not None:
                raise StaleReturn("This return is not there any more. Nothing was saved.")
            monitoring_return = MonitoringReturn.objects.create(
                award=locked_award,
                period=period,
                due_on=due.due_on,
                started_by=actor,
                started_at=now,
                saved_by=actor,
                saved_at=now,
            )
            ReturnEvent.objects.create(
                monitoring_return=monitoring_return,
                actor=actor,
                from_state="",
                to_state=monitoring_return.state,
                created_at=now,
            )
        else:
            if expected_state is None:
                raise StaleReturn(
                    f"{existing.started_by.full_name} started this return while you were filling it in, "
                    "so nothing was saved. What you typed is below: save it again to replace what they saved."
                )
            monitoring_return = RETURNS.lock(existing, expected_state)
        if not actor.has_perm("monitoring.edit_return", monitoring_return):
            raise ReturnError(
                f"This return is {monitoring_return.get_state_display().lower()}, so it cannot be changed now"
            )
        for name in ANSWERS:
            if name in answers:
                setattr(monitoring_return, name, answers[name])
        monitoring_return.saved_by, monitoring_return.saved_at = actor, now
        monitoring_return.save()
        monitoring_return.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(
                monitoring_return=monitoring_return,
                position=position,
                name=name.strip(),
                status=status,
                comment=(comment or "").strip(),
            )
            for position, (name, status, comment) in enumerate(milestones, start=1)
        )
    monitoring_return.refresh_from_db()
    return monitoring_return


# The edges, one verb each -----------------------------------------------------------------


def send_for_certification(monitoring_return, actor, *, expected_state=None, now=None):
    """The council officer who filled it in sends it to a colleague to certify: they are its preparer."""
    return RETURNS.change_state(
        monitoring_return, "send_for_certification", actor, expected_state=expected_state, now=now
    )


def send_back(monitoring_return, actor, reason, *, expected_state=None, now=None):
    """Back to draft before it is certified, saying why (the certifier found something wrong)."""
    return RETURNS.change_state(
        monitoring_return, "send_back", actor, reason=reason, expected_state=expected_state, now=now
    )


def certify(monitoring_return, actor, *, expected_state=None, now=None):
    """Another officer of the council certifies the return and submits it to the Department."""
    return RETURNS.change_state(monitoring_return, "certify", actor, expected_state=expected_state, now=now)


def accept(monitoring_return, actor, note="", *, expected_state=None, now=None):
    return RETURNS.change_state(
        monitoring_return, "accept", actor, reason=note, expected_state=expected_state, now=now
    )


def request_changes(monitoring_return, actor, reason, *, expected_state=None, now=None):
    """The lead sends the return back to the council with what must change; it is changed,
    then certified and submitted again."""
    return RETURNS.change_state(
        monitoring_return, "request_changes", actor, reason=reason, expected_state=expected_state, now=now
    )
