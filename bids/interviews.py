"""Interviews with shortlisted councils: booking, rearranging, cancelling and recording them.

Booking, cancelling and recording change the bid's state, so each does its work inside
the workflow's door (bids/workflow.py), which then checks the interview it left. Rearranging
keeps the state and the same interview; it sends the council an updated calendar invitation
(same UID, SEQUENCE one higher), as calendar programs expect.
"""

from django.db import transaction
from django.utils import timezone

from accounts.mail import queue_email

from . import workflow
from .bookings import booking_problems
from .invitations import invitation_attachment
from .models import EventKind, Interview
from .queries import council_recipients


def schedule(bid, lead, *, starts_at, duration_minutes, location, video_link, panel, expected_state=None):
    """Book the interview: the bid moves to interview_scheduled and the council is invited."""
    with workflow.transition(bid, "schedule_interview", lead, expected_state=expected_state) as change:
        interview = Interview.objects.create(
            bid=change.record,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            location=location.strip(),
            video_link=video_link.strip(),
            scheduled_by=lead,
        )
        interview.panel.set(panel)
        change.email_context["interview"] = interview
    return interview


def reschedule(
    bid, lead, *, starts_at, duration_minutes, location, video_link, panel, reason, expected_state=None
):
    """Move the booked interview. Same interview, new time or place: an updated invitation."""
    reason = (reason or "").strip()
    if not reason:
        raise workflow.WorkflowError("Enter the reason for rearranging the interview")
    with transaction.atomic():
        locked = workflow.lock(bid, expected_state)
        if not lead.has_perm("bids.manage_assessment", locked):
            raise workflow.WorkflowError("You cannot rearrange this interview")
        interview = booked(locked, "rearrange")
        before = interview.starts_at
        interview.starts_at = starts_at
        interview.duration_minutes = duration_minutes
        interview.location = location.strip()
        interview.video_link = video_link.strip()
        interview.sequence += 1
        interview.save()
        interview.panel.set(panel)
        problems = booking_problems(locked, interview)
        if problems:
            raise workflow.WorkflowError(*problems)
        workflow.record_event(
            locked,
            EventKind.INTERVIEW_RESCHEDULED,
            lead,
            reason=reason,
            detail={"from": before.isoformat(), "to": starts_at.isoformat()},
            shown_to_council=True,
        )
        queue_email(
            council_recipients(locked),
            "interview_rescheduled",
            {"bid": locked, "interview": interview, "reason": reason, "was": before},
            attachments=[invitation_attachment(interview)],
        )
    return interview


def booked(locked, doing):
    """The bid's booked interview, locked; refused if there is none to act on."""
    interview = locked.interviews.select_for_update().filter(state=Interview.State.SCHEDULED).first()
    if interview is None:
        raise workflow.WorkflowError(f"{locked.reference} has no interview booked to {doing}")
    return interview


def cancel(bid, lead, reason, expected_state=None):
    """Call the interview off: the bid goes back to shortlisted and calendars drop it."""
    with workflow.transition(
        bid, "cancel_interview", lead, reason=reason, expected_state=expected_state
    ) as change:
        interview = booked(change.record, "cancel")
        interview.state = Interview.State.CANCELLED
        interview.sequence += 1
        interview.save(update_fields=["state", "sequence"])
        change.email_context["interview"] = interview
    return change.record


def record(bid, actor, *, notes, score, expected_state=None, now=None):
    """The panel's notes (internal) and interview score: the bid moves to interviewed."""
    now = now or timezone.now()
    with workflow.transition(
        bid, "record_interview", actor, expected_state=expected_state, now=now
    ) as change:
        interview = booked(change.record, "record")
        interview.state = Interview.State.HELD
        interview.notes = (notes or "").strip()
        interview.score = score
        interview.recorded_by = actor
        interview.recorded_at = now
        interview.save()
    return change.record
