"""Interviews with shortlisted councils: booking, rearranging, cancelling and recording them,
and each panel member's own score.

Booking, cancelling and recording change the bid's state, so each does its work inside
the workflow's door (bids/workflow.py), which then checks the interview it left. Rearranging
keeps the state and the same interview; it sends the council and the panel an updated
calendar invitation (same UID, SEQUENCE one higher), as calendar programs expect. Each panel
member is sent their own copy of every invitation and cancellation (bids/invitations.py).

An interview is recorded, and scored by its members, only once it has started. Each member
may give their own score, and change it, until the panel records the interview.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.mail import queue_email
from core.london import london

from . import workflow
from .bookings import booking_problems
from .invitations import invitation_attachment, panel_of, tell_dropped, tell_panel
from .models import ConflictOfInterest, EventKind, Interview, InterviewScore
from .queries import council_recipients


def schedule(bid, lead, *, starts_at, duration_minutes, location, video_link, panel, expected_state=None):
    """Book the interview: the bid moves to interview_scheduled; the council and the panel are invited."""
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
        tell_panel(interview, "interview_panel_scheduled")
    return interview


def reschedule(
    bid, lead, *, starts_at, duration_minutes, location, video_link, panel, reason, expected_state=None
):
    """Move the booked interview. Same interview, new time or place: an updated invitation.
    A member taken off the panel has their copy cancelled; a member added is invited."""
    reason = (reason or "").strip()
    if not reason:
        raise workflow.WorkflowError("Enter the reason for rearranging the interview")
    with transaction.atomic():
        locked = workflow.lock(bid, expected_state)
        if not lead.has_perm("bids.manage_assessment", locked):
            raise workflow.WorkflowError("You cannot rearrange this interview")
        interview = booked(locked, "rearrange")
        before = interview.starts_at
        was_on_panel = set(panel_of(interview))
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
        now_on_panel = panel_of(interview)
        tell_panel(
            interview,
            "interview_panel_rescheduled",
            {"reason": reason, "was": before},
            members=[member for member in now_on_panel if member in was_on_panel],
        )
        tell_panel(
            interview,
            "interview_panel_scheduled",
            members=[member for member in now_on_panel if member not in was_on_panel],
        )
        dropped = sorted(was_on_panel - set(now_on_panel), key=lambda member: (member.full_name, member.pk))
        tell_dropped(interview, dropped, reason)
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
        tell_panel(interview, "interview_panel_cancelled", {"reason": change.reason})
    return change.record


def too_early(interview, doing, now=None):
    """Why the interview cannot be recorded or scored yet, or "" once it has started."""
    now = now or timezone.now()
    if now >= interview.starts_at:
        return ""
    return f"You can {doing} once it has started: it starts at {london(interview.starts_at)}"


def record(bid, actor, *, notes, score, expected_state=None, now=None):
    """The panel's notes (internal) and interview score: the bid moves to interviewed.
    Not before the interview has started; the members' own scores are then final."""
    now = now or timezone.now()
    with workflow.transition(
        bid, "record_interview", actor, expected_state=expected_state, now=now
    ) as change:
        interview = booked(change.record, "record")
        problem = too_early(interview, "record the interview", now)
        if problem:
            raise workflow.WorkflowError(problem)
        interview.state = Interview.State.HELD
        interview.notes = (notes or "").strip()
        interview.score = score
        interview.recorded_by = actor
        interview.recorded_at = now
        interview.save()
    return change.record


# Each panel member's own score -------------------------------------------------------------


def member_interview(bid, member):
    """The interview of this bid whose panel the member sits on (booked or held), or None."""
    return (
        bid.interviews.filter(panel=member)
        .exclude(state=Interview.State.CANCELLED)
        .order_by("-starts_at", "-pk")
        .first()
    )


def member_score_problem(interview, member, now=None):
    """Why this member cannot give their own score for the interview now, or ""."""
    bid = interview.bid
    if interview.state == Interview.State.HELD:
        return (
            "The panel has recorded the interview, so panel members' own scores can no longer be given "
            "or changed"
        )
    if interview.state != Interview.State.SCHEDULED or not interview.panel.filter(pk=member.pk).exists():
        return f"You are not on the panel for {bid.reference}'s interview"
    if ConflictOfInterest.objects.filter(assessor=member, authority_id=bid.authority_id).exists():
        return f"You have declared a conflict of interest with {bid.authority.name}, so you cannot score its interview"
    return too_early(interview, "give your score for the interview", now)


def score_as_member(bid, member, *, score, comment, expected_state=None, now=None):
    """A panel member's own score (0 to 4) and comment, before the panel records its own.
    They may change it until then; each time is on the bid's record (internal)."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = workflow.lock(bid, expected_state)
        interview = locked.interviews.select_for_update().filter(state=Interview.State.SCHEDULED).first()
        if interview is None:
            interview = member_interview(locked, member)
        if interview is None:
            raise workflow.WorkflowError(f"You are not on the panel for {locked.reference}'s interview")
        problem = member_score_problem(interview, member, now)
        if problem:
            raise workflow.WorkflowError(problem)
        problems = []
        if score is None or not 0 <= score <= 4:
            problems.append("Select your interview score")
        if not comment:
            problems.append("Enter a comment on your score")
        if problems:
            raise workflow.WorkflowError(*problems)
        own, _ = InterviewScore.objects.update_or_create(
            interview=interview,
            member=member,
            defaults={"score": score, "comment": comment, "recorded_at": now},
        )
        workflow.record_event(
            locked,
            EventKind.INTERVIEW_SCORED,
            member,
            detail={"member_name": member.full_name, "score": score},
            now=now,
        )
    return own


@dataclass
class PanelScores:
    """The members' own scores for an interview, their mean, and who has not scored yet."""

    scores: list
    mean: Decimal | None
    waiting: list


def panel_scores(interview):
    scores = list(interview.member_scores.select_related("member"))
    scored = {own.member_id for own in scores}
    conflicted = set(
        ConflictOfInterest.objects.filter(authority_id=interview.bid.authority_id).values_list(
            "assessor_id", flat=True
        )
    )
    waiting = [
        member for member in panel_of(interview) if member.pk not in scored and member.pk not in conflicted
    ]
    mean = Decimal(sum(own.score for own in scores)) / len(scores) if scores else None
    return PanelScores(scores, mean, waiting)
