"""The one door through which a bid changes state.

`change_state` locks the bid, checks that the actor may make the change and that its
guards hold, runs the transition, saves, records a BidEvent (who, when, from, to, why)
and queues any email for after commit, all in one transaction. Two officials acting on
the same bid at once: the second waits for the lock, finds the state has moved and is
told so; nothing is half-done. Nothing else writes `Bid.state`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from accounts.mail import queue_email

from . import deadlines
from .models import Bid, BidEvent, BidState, Decision, EventKind, Interview

bid_state_changed = Signal()  # sender=Bid, bid, action, actor, from_state, to_state


class WorkflowError(Exception):
    """A change that cannot be made. `problems` are sentences to show the user."""

    def __init__(self, *problems):
        self.problems = [str(problem) for problem in problems]
        super().__init__("; ".join(self.problems))


class StaleBid(WorkflowError):
    """Someone else changed the bid since the user loaded the page."""


@dataclass(frozen=True)
class Action:
    """One edge of the workflow.

    `reason` is recorded on the BidEvent; when the event is shown to the council the
    reason is too, so officials' internal reasons live elsewhere (Decision.reasons,
    Interview.notes). `attachments(bid)` adds files to the email, built after the effect
    has run (an interview's .ics needs the interview).
    """

    permission: str
    verb: str  # for messages: "submit", "shortlist" ...
    needs_reason: bool = False
    shown_to_council: bool = True
    email: str = ""  # template name under templates/emails/
    attachments: Callable | None = None


def _interview_invitation(bid):
    from .interviews import invitation_attachment

    return [invitation_attachment(bid.interviews.get(state=Interview.State.SCHEDULED))]


def _interview_cancellation(bid):
    from .interviews import invitation_attachment

    return [invitation_attachment(bid.interviews.filter(state=Interview.State.CANCELLED).latest("pk"))]


ACTIONS = {
    "submit": Action("bids.submit_bid", "submit", email="bid_submitted"),
    "withdraw": Action("bids.withdraw_bid", "withdraw", needs_reason=True, email="bid_withdrawn"),
    "return_to_council": Action("bids.manage_assessment", "return", needs_reason=True, email="bid_returned"),
    "begin_assessment": Action("bids.manage_assessment", "start assessing"),
    "shortlist": Action("bids.manage_assessment", "shortlist", needs_reason=True, email="bid_shortlisted"),
    "not_shortlist": Action(
        "bids.manage_assessment", "not shortlist", needs_reason=True, email="bid_not_shortlisted"
    ),
    "schedule_interview": Action(
        "bids.manage_assessment",
        "schedule an interview for",
        email="interview_scheduled",
        attachments=_interview_invitation,
    ),
    "cancel_interview": Action(
        "bids.manage_assessment",
        "cancel the interview for",
        needs_reason=True,
        email="interview_cancelled",
        attachments=_interview_cancellation,
    ),
    "record_interview": Action("bids.record_interview", "record the interview for"),
    "approve": Action("bids.manage_assessment", "approve", needs_reason=True, email="bid_approved"),
    "reject": Action("bids.manage_assessment", "reject", needs_reason=True, email="bid_rejected"),
}


def _guard_submit(bid, actor, now):
    from .drafting import submission_problems

    problems = []
    if not deadlines.is_open_for(bid.funding_round, bid.authority, now):
        closes = deadlines.closes_at_for(bid.funding_round, bid.authority)
        problems.append(
            f"The deadline for this round was {timezone.localtime(closes):%-I:%M%p on %-d %B %Y}. "
            "Bids can no longer be submitted."
        )
    problems.extend(message for _, message in submission_problems(bid))
    return problems


def _guard_return(bid, actor, now):
    if not deadlines.is_open_for(bid.funding_round, bid.authority, now):
        return ["A bid can only be returned to the council before its deadline"]
    return []


def _guard_begin_assessment(bid, actor, now):
    from .drafting import eligibility_problems

    return eligibility_problems(bid)


GUARDS = {
    "submit": _guard_submit,
    "return_to_council": _guard_return,
    "begin_assessment": _guard_begin_assessment,
}


# Checks on what the effect left behind: these edges carry a record (an interview, a
# decision, an award) and the workflow refuses the change without it.


def _check_interview_booked(bid, actor, now):
    from .interviews import booking_problems

    booked = list(bid.interviews.filter(state=Interview.State.SCHEDULED).prefetch_related("panel"))
    if len(booked) != 1:
        return ["Book one interview: its date, time, place and panel"]
    return booking_problems(bid, booked[0])


def _check_interview_cancelled(bid, actor, now):
    if bid.interviews.filter(state=Interview.State.SCHEDULED).exists():
        return ["Cancel the booked interview"]
    return []


def _check_interview_recorded(bid, actor, now):
    held = bid.interviews.filter(state=Interview.State.HELD).order_by("-recorded_at", "-pk").first()
    if held is None or bid.interviews.filter(state=Interview.State.SCHEDULED).exists():
        return ["Record the interview that was held"]
    problems = []
    if not held.notes.strip():
        problems.append("Enter the panel's notes from the interview")
    if held.score is None:
        problems.append("Select the panel's interview score")
    return problems


def _check_decision(outcome):
    def check(bid, actor, now):
        decision = Decision.objects.filter(bid=bid).first()
        if decision is None or decision.outcome != outcome:
            return [f"Record the decision to {'approve' if outcome == 'approved' else 'reject'} the bid"]
        problems = []
        if not decision.reasons.strip():
            problems.append("Enter the reasons for the decision")
        if not decision.feedback.strip():
            problems.append("Enter the feedback to share with the council")
        if outcome == Decision.Outcome.APPROVED:
            from trusts.models import FundingAward

            if not FundingAward.objects.filter(bid=bid).exists():
                problems.append("Offer the award that goes with the approval")
        return problems

    return check


CHECKS_AFTER_EFFECT = {
    "schedule_interview": _check_interview_booked,
    "cancel_interview": _check_interview_cancelled,
    "record_interview": _check_interview_recorded,
    "approve": _check_decision(Decision.Outcome.APPROVED),
    "reject": _check_decision(Decision.Outcome.REJECTED),
}


def stale_message(bid):
    return (
        f"{bid.reference} has changed since you opened it: it is now "
        f"{bid.get_state_display().lower()}. Nothing was changed. Check the bid and try again."
    )


def lock(bid, expected_state=None):
    """The bid, locked until the caller's transaction ends, if it is still as the user saw it.

    Call inside transaction.atomic(). Every verb that changes what officials record about
    a bid (assignments, scores, moderation, interviews) locks it here first, so it queues
    behind a state change on the same bid instead of racing it.
    """
    # of=self: lock the bid's row only, not the round and authority it is read with.
    locked = (
        Bid.objects.select_for_update(of=("self",))
        .select_related("funding_round", "authority")
        .get(pk=bid.pk)
    )
    seen = expected_state or bid.state
    if locked.state != seen:
        raise StaleBid(stale_message(locked))
    return locked


def record_event(bid, kind, actor, *, reason="", detail=None, shown_to_council=False, now=None):
    """A BidEvent for something that is not a state change. Internal unless said otherwise."""
    return BidEvent.objects.create(
        bid=bid,
        kind=kind,
        actor=actor,
        reason=reason,
        detail=detail or {},
        shown_to_council=shown_to_council,
        created_at=now or timezone.now(),
    )


def available_actions(bid, actor):
    """The actions this actor could take on this bid now (guards not yet checked)."""
    return [
        name
        for name, action in ACTIONS.items()
        if can_proceed(getattr(bid, name)) and actor.has_perm(action.permission, bid)
    ]


def change_state(
    bid, action_name, actor, *, reason="", expected_state=None, effect=None, email_context=None, now=None
):
    """Make one state change. Returns the saved bid or raises WorkflowError.

    expected_state: the state the actor saw; if the bid has moved on, StaleBid.
    effect(bid): more work that must happen in the same transaction (an interview, an
    award); it may raise WorkflowError to undo everything. Edges that carry a record
    (scheduling, recording an interview, approving, rejecting) are refused unless the
    effect left that record behind.
    """
    action = ACTIONS[action_name]
    now = now or timezone.now()
    reason = (reason or "").strip()
    if action.needs_reason and not reason:
        raise WorkflowError(f"Enter the reason you want to {action.verb} this bid")
    try:
        with transaction.atomic():
            locked = lock(bid, expected_state)
            if not actor.has_perm(action.permission, locked):
                raise WorkflowError(f"You cannot {action.verb} this bid")
            if not can_proceed(getattr(locked, action_name)):
                raise WorkflowError(
                    f"You cannot {action.verb} a bid that is {locked.get_state_display().lower()}"
                )
            problems = GUARDS.get(action_name, lambda *args: [])(locked, actor, now)
            if problems:
                raise WorkflowError(*problems)
            from_state = locked.state
            getattr(locked, action_name)()
            if action_name == "submit":
                locked.submitted_at = now
                locked.submitted_by = actor
            locked.updated_at = now
            locked.updated_by = actor
            locked.save()
            event = BidEvent.objects.create(
                bid=locked,
                kind=EventKind.STATE_CHANGED,
                actor=actor,
                from_state=from_state,
                to_state=locked.state,
                reason=reason,
                shown_to_council=action.shown_to_council,
                created_at=now,
            )
            if action_name == "withdraw":
                _cancel_booked_interviews(locked, actor, reason, now)
            if effect is not None:
                effect(locked)
            problems = CHECKS_AFTER_EFFECT.get(action_name, lambda *args: [])(locked, actor, now)
            if problems:
                raise WorkflowError(*problems)
            if action.email:
                queue_email(
                    council_recipients(locked, actor),
                    action.email,
                    {"bid": locked, "event": event, "reason": reason, **(email_context or {})},
                    attachments=action.attachments(locked) if action.attachments else (),
                )
            bid_state_changed.send(
                sender=Bid,
                bid=locked,
                action=action_name,
                actor=actor,
                from_state=from_state,
                to_state=locked.state,
            )
    except ConcurrentTransition as error:
        raise StaleBid(
            f"{bid.reference} was changed by someone else at the same moment. Nothing was changed. "
            "Check the bid and try again."
        ) from error
    bid.refresh_from_db()
    return locked


def _cancel_booked_interviews(bid, actor, reason, now):
    """A council that withdraws has no interview to come to: take it out of their calendars."""
    from .interviews import invitation_attachment

    for interview in bid.interviews.filter(state=Interview.State.SCHEDULED):
        interview.state = Interview.State.CANCELLED
        interview.sequence += 1
        interview.save(update_fields=["state", "sequence"])
        record_event(
            bid,
            EventKind.INTERVIEW_CANCELLED,
            actor,
            reason="The bid was withdrawn",
            shown_to_council=True,
            now=now,
        )
        queue_email(
            council_recipients(bid),
            "interview_cancelled",
            {"bid": bid, "interview": interview, "reason": "The bid was withdrawn."},
            attachments=[invitation_attachment(interview)],
        )


def council_recipients(bid, actor=None):
    """Who hears about a bid: its lead officer, whoever submitted it, and the actor if a council user."""
    recipients = {bid.lead_email} if bid.lead_email else set()
    if bid.submitted_by_id:
        recipients.add(bid.submitted_by.email)
    if actor is not None and actor.local_authority_id == bid.authority_id:
        recipients.add(actor.email)
    return sorted(recipients)


def is_final(bid):
    return bid.state in {BidState.APPROVED, BidState.REJECTED, BidState.NOT_SHORTLISTED, BidState.WITHDRAWN}
