"""The one door through which a record with a life cycle changes state.

A bid (bids/workflow.py) and a funding award (trusts/awards.py) each have one `LifeCycle`,
and every change of their state goes through its `transition`:

    with BIDS.transition(bid, "schedule_interview", lead, expected_state=seen) as change:
        interview = Interview.objects.create(bid=change.record, ...)   # the verb's own work
        change.email_context["interview"] = interview

In one transaction the door locks the record and refuses it if it has moved on since the
person loaded the page (`Stale`), checks that the actor may make the change and that its
guard holds, runs the django-fsm transition, stamps who and when, saves, records the audit
event, lets the verb do its work, checks what the edge needs the verb to have left behind,
and queues the email to go once the transaction commits. Any refusal (`Refused`) undoes
everything. The door knows no verb: a verb checks its own record inside the `with` block.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed


class Refused(Exception):
    """A change that cannot be made. `problems` are sentences to show the user."""

    def __init__(self, *problems):
        self.problems = [str(problem) for problem in problems]
        super().__init__("; ".join(self.problems))


class Stale(Refused):
    """Someone else changed the record since the user loaded the page."""


@dataclass(frozen=True)
class Edge:
    """One edge of a life cycle: the django-fsm transition of the same name, and its rules.

    guard(change): problems that stop the change before anything is written.
    also(change): work every change on this edge carries, whoever asks for it.
    check(change): problems with what the verb left behind (an edge that carries a record,
    such as an interview or a decision, is refused without it).
    attachments(change): files for the email, made once the verb's work is done.
    """

    permission: str
    verb: str  # for messages: "submit", "accept" ...
    needs_reason: bool = False
    email: str = ""  # template name under templates/emails/
    shown_to_council: bool = True
    guard: Callable | None = None
    also: Callable | None = None
    check: Callable | None = None
    attachments: Callable | None = None


@dataclass
class Change:
    """One state change in progress, as the verb inside the door sees it."""

    record: object  # locked for the transaction
    name: str
    edge: Edge
    actor: object
    now: object
    reason: str
    details: dict
    from_state: str
    event: object = None
    email_context: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)


class LifeCycle:
    """One model's door. Subclasses say how to lock, stamp, record and tell."""

    noun = "record"
    edges: dict = {}
    detail_names: frozenset = frozenset()  # what edges of this life cycle may be told besides a reason
    refused = Refused
    stale = Stale

    @property
    def a_noun(self):
        return f"{'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}"

    def lock(self, record, expected_state=None):
        """The record, locked until the caller's transaction ends, if it is as the user saw it."""
        raise NotImplementedError

    def stamp(self, change):
        """Fields beyond the state that the change sets (who, when)."""

    # The audit model each change writes a row of, and its field for the changed record.
    event_model = None
    record_field = ""

    def record_event(self, change):
        """The audit event: who, when, from what, to what, why (and event_details)."""
        return self.event_model.objects.create(
            **{self.record_field: change.record},
            actor=change.actor,
            from_state=change.from_state,
            to_state=change.record.state,
            reason=change.reason,
            created_at=change.now,
            **self.event_details(change),
        )

    def event_details(self, change):
        """What this life cycle's events record besides the common fields."""
        return {}

    def tell(self, change):
        """Queue the edge's email; called inside the transaction, sent after it commits."""
        raise NotImplementedError

    def concurrent_message(self, record):
        return (
            f"The {self.noun} was changed by someone else at the same moment. Nothing was changed. "
            f"Check the {self.noun} and try again."
        )

    def available(self, record, user):
        """The edges this person could take on this record now (guards not yet checked)."""
        return [
            name
            for name, edge in self.edges.items()
            if can_proceed(getattr(record, name)) and user.has_perm(edge.permission, record)
        ]

    @contextmanager
    def transition(self, record, name, actor, *, reason="", expected_state=None, now=None, **details):
        edge = self.edges[name]
        unknown = set(details) - self.detail_names
        if unknown:
            raise TypeError(f"{type(self).__name__} takes no {', '.join(sorted(unknown))}")
        now = now or timezone.now()
        reason = (reason or "").strip()
        if edge.needs_reason and not reason:
            raise self.refused(f"Enter the reason you want to {edge.verb} this {self.noun}")
        try:
            with transaction.atomic():
                locked = self.lock(record, expected_state)
                if not actor.has_perm(edge.permission, locked):
                    raise self.refused(f"You cannot {edge.verb} this {self.noun}")
                if not can_proceed(getattr(locked, name)):
                    raise self.refused(
                        f"You cannot {edge.verb} {self.a_noun} that is {locked.get_state_display().lower()}"
                    )
                change = Change(locked, name, edge, actor, now, reason, details, locked.state)
                problems = edge.guard(change) if edge.guard else []
                if problems:
                    raise self.refused(*problems)
                getattr(locked, name)()
                self.stamp(change)
                locked.save()
                change.event = self.record_event(change)
                if edge.also:
                    edge.also(change)
                yield change
                problems = edge.check(change) if edge.check else []
                if problems:
                    raise self.refused(*problems)
                if edge.attachments:
                    change.attachments.extend(edge.attachments(change))
                if edge.email:
                    self.tell(change)
        except ConcurrentTransition as error:
            raise self.stale(self.concurrent_message(record)) from error
        record.refresh_from_db()

    def change_state(self, record, name, actor, **options):
        """A change with no work of the verb's own. Returns the saved record."""
        with self.transition(record, name, actor, **options) as change:
            pass
        return change.record
