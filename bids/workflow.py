"""The one door through which a bid changes state (core/door.py has the machinery).

`transition` locks the bid, checks that the actor may make the change and that its guards
hold, runs the transition, saves, records a BidEvent (who, when, from, to, why), lets the
verb do its own work, checks what the edge needs it to have left, and queues any email for
after commit, all in one transaction. Two officials acting on the same bid at once: the
second waits for the lock, finds the state has moved and is told so; nothing is half-done.
Nothing else writes `Bid.state`.
"""

from django.utils import timezone

from accounts.mail import queue_email
from core.door import Edge, LifeCycle, Refused, Stale

from . import deadlines
from .bookings import booking_problems
from .eligibility import eligibility_problems, submission_problems
from .invitations import invitation_attachment, tell_panel
from .models import Bid, BidEvent, Decision, EventKind, Interview, StagedDecision
from .queries import council_recipients


class WorkflowError(Refused):
    """A change that cannot be made. `problems` are sentences to show the user."""


class StaleBid(Stale, WorkflowError):
    """Someone else changed the bid since the user loaded the page."""


def stale_message(bid):
    return (
        f"{bid.reference} has changed since you opened it: it is now "
        f"{bid.get_state_display().lower()}. Nothing was changed. Check the bid and try again."
    )


# Guards: checked before anything is written ---------------------------------------------


def deadline_passed(change):
    bid = change.record
    return not deadlines.is_open_for(bid.funding_round, bid.authority, change.now)


def ready_to_submit(change):
    bid = change.record
    problems = []
    if deadline_passed(change):
        closes = deadlines.closes_at_for(bid.funding_round, bid.authority)
        problems.append(
            f"The deadline for this round was {timezone.localtime(closes):%-I:%M%p on %-d %B %Y}. "
            "Bids can no longer be submitted."
        )
    problems.extend(message for _, message in submission_problems(bid))
    return problems


def returnable(change):
    if deadline_passed(change):
        return ["A bid can only be returned to the council before its deadline"]
    return []


def eligible(change):
    return eligibility_problems(change.record)


def pending_sentence(staged):
    return (
        f"{staged.bid.reference} has a pending decision ({staged.get_outcome_display().lower()}) "
        "that has not been released. Change it or take it back first."
    )


def no_decision_pending(change):
    """A decision made now would overtake one recorded as pending (bids/staging.py). Its own
    release marks it released before it comes through here."""
    staged = StagedDecision.objects.filter(bid=change.record, state=StagedDecision.State.PENDING).first()
    return [pending_sentence(staged)] if staged is not None else []


# Work every change on an edge carries --------------------------------------------------


def cancel_booked_interviews(change):
    """A council that withdraws has no interview to come to: take it out of their calendars."""
    bid = change.record
    for interview in bid.interviews.filter(state=Interview.State.SCHEDULED):
        interview.state = Interview.State.CANCELLED
        interview.sequence += 1
        interview.save(update_fields=["state", "sequence"])
        record_event(
            bid,
            EventKind.INTERVIEW_CANCELLED,
            change.actor,
            reason="The bid was withdrawn",
            shown_to_council=True,
            now=change.now,
        )
        queue_email(
            council_recipients(bid),
            "interview_cancelled",
            {"bid": bid, "interview": interview, "reason": "The bid was withdrawn."},
            attachments=[invitation_attachment(interview)],
        )
        tell_panel(interview, "interview_panel_cancelled", {"reason": "The bid was withdrawn."})


# Checks on what the verb left behind: these edges carry a record (an interview, a
# decision, an award) and the workflow refuses the change without it.


def interview_booked(change):
    booked = list(change.record.interviews.filter(state=Interview.State.SCHEDULED).prefetch_related("panel"))
    if len(booked) != 1:
        return ["Book one interview: its date, time, place and panel"]
    return booking_problems(change.record, booked[0])


def interview_cancelled(change):
    if change.record.interviews.filter(state=Interview.State.SCHEDULED).exists():
        return ["Cancel the booked interview"]
    return []


def interview_recorded(change):
    interviews = change.record.interviews
    held = interviews.filter(state=Interview.State.HELD).order_by("-recorded_at", "-pk").first()
    if held is None or interviews.filter(state=Interview.State.SCHEDULED).exists():
        return ["Record the interview that was held"]
    problems = []
    if not held.notes.strip():
        problems.append("Enter the panel's notes from the interview")
    if held.score is None:
        problems.append("Select the panel's interview score")
    return problems


def decided(outcome):
    def check(change):
        bid = change.record
        decision = Decision.objects.filter(bid=bid).first()
        if decision is None or decision.outcome != outcome:
            return [f"Record the decision to {'approve' if outcome == 'approved' else 'reject'} the bid"]
        problems = []
        if not decision.reasons.strip():
            problems.append("Enter the reasons for the decision")
        if not decision.feedback.strip():
            problems.append("Enter the feedback to share with the council")
        # The awards layer makes the award in the approval's transaction (trusts/approvals.py);
        # here the bid knows only that an approved bid has one.
        if (
            outcome == Decision.Outcome.APPROVED
            and not Bid.objects.filter(pk=bid.pk, award__isnull=False).exists()
        ):
            problems.append("Offer the award that goes with the approval")
        return problems

    return check


def booked_invitation(change):
    return [invitation_attachment(change.record.interviews.get(state=Interview.State.SCHEDULED))]


def cancelled_invitation(change):
    cancelled = change.record.interviews.filter(state=Interview.State.CANCELLED).latest("pk")
    return [invitation_attachment(cancelled)]


MANAGE = "bids.manage_assessment"

# `reason` is recorded on the BidEvent; when the event is shown to the council the reason
# is too, so officials' internal reasons live elsewhere (Decision.reasons, Interview.notes).
EDGES = {
    "submit": Edge("bids.submit_bid", "submit", email="bid_submitted", guard=ready_to_submit),
    "withdraw": Edge(
        "bids.withdraw_bid",
        "withdraw",
        needs_reason=True,
        email="bid_withdrawn",
        also=cancel_booked_interviews,
    ),
    "return_to_council": Edge(MANAGE, "return", needs_reason=True, email="bid_returned", guard=returnable),
    "begin_assessment": Edge(MANAGE, "start assessing", guard=eligible),
    "shortlist": Edge(
        MANAGE, "shortlist", needs_reason=True, email="bid_shortlisted", guard=no_decision_pending
    ),
    "not_shortlist": Edge(
        MANAGE, "not shortlist", needs_reason=True, email="bid_not_shortlisted", guard=no_decision_pending
    ),
    "schedule_interview": Edge(
        MANAGE,
        "schedule an interview for",
        email="interview_scheduled",
        check=interview_booked,
        attachments=booked_invitation,
    ),
    "cancel_interview": Edge(
        MANAGE,
        "cancel the interview for",
        needs_reason=True,
        email="interview_cancelled",
        check=interview_cancelled,
        attachments=cancelled_invitation,
    ),
    "record_interview": Edge("bids.record_interview", "record the interview for", check=interview_recorded),
    "approve": Edge(
        MANAGE,
        "approve",
        needs_reason=True,
        email="bid_approved",
        guard=no_decision_pending,
        check=decided(Decision.Outcome.APPROVED),
    ),
    "reject": Edge(
        MANAGE,
        "reject",
        needs_reason=True,
        email="bid_rejected",
        guard=no_decision_pending,
        check=decided(Decision.Outcome.REJECTED),
    ),
}


class BidWorkflow(LifeCycle):
    noun = "bid"
    edges = EDGES
    refused = WorkflowError
    stale = StaleBid

    def lock(self, bid, expected_state=None):
        # of=self: lock the bid's row only, not the round and authority it is read with.
        locked = (
            Bid.objects.select_for_update(of=("self",))
            .select_related("funding_round", "authority")
            .get(pk=bid.pk)
        )
        if locked.state != (expected_state or bid.state):
            raise StaleBid(stale_message(locked))
        return locked

    def stamp(self, change):
        bid = change.record
        if change.name == "submit":
            bid.submitted_at = change.now
            bid.submitted_by = change.actor
        bid.updated_at = change.now
        bid.updated_by = change.actor

    event_model = BidEvent
    record_field = "bid"

    def event_details(self, change):
        return {"kind": EventKind.STATE_CHANGED, "shown_to_council": change.edge.shown_to_council}

    def tell(self, change):
        bid = change.record
        queue_email(
            council_recipients(bid, change.actor),
            change.edge.email,
            {"bid": bid, "event": change.event, "reason": change.reason, **change.email_context},
            attachments=change.attachments,
        )

    def concurrent_message(self, bid):
        return (
            f"{bid.reference} was changed by someone else at the same moment. Nothing was changed. "
            "Check the bid and try again."
        )


BIDS = BidWorkflow()
transition = BIDS.transition
change_state = BIDS.change_state


def lock(bid, expected_state=None):
    """The bid, locked until the caller's transaction ends, if it is still as the user saw it.

    Call inside transaction.atomic(). Every verb that changes what officials record about
    a bid (assignments, scores, moderation, interviews) locks it here first, so it queues
    behind a state change on the same bid instead of racing it.
    """
    return BIDS.lock(bid, expected_state)


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
