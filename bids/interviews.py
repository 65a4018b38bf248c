"""Interviews with shortlisted councils: booking, rearranging, cancelling and recording them.

Booking, cancelling and recording change the bid's state, so they go through
bids/workflow.py with the interview as the change's effect. Rearranging keeps the state
and the same interview; it sends the council an updated calendar invitation (same UID,
SEQUENCE one higher), as calendar programs expect.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from accounts.mail import queue_email
from accounts.models import Role, User

from . import workflow
from .models import ConflictOfInterest, EventKind, Interview
from .rounds import LONDON

DURATIONS = [30, 45, 60, 90, 120]


def panel_candidates(bid):
    """Officials who may sit on the bid's panel: programme leads and the bid's own assessors,
    none with a conflict of interest with the authority. Panel members must be able to open
    the bid, and an assessor sees only the bids assigned to them."""
    conflicted = ConflictOfInterest.objects.filter(authority_id=bid.authority_id).values("assessor_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.LEAD) | Q(role=Role.ASSESSOR, assignments__bid=bid))
        .exclude(pk__in=conflicted)
        .order_by("-role", "full_name")
        .distinct()
    )


def in_window(funding_round, starts_at):
    day = timezone.localtime(starts_at, LONDON).date()
    return funding_round.interviews_start_on <= day <= funding_round.interviews_end_on


def window_text(funding_round):
    start, end = funding_round.interviews_start_on, funding_round.interviews_end_on
    return f"{start.day} {start:%B %Y} and {end.day} {end:%B %Y}"


def booking_problems(bid, interview):
    """Why this booking cannot stand, as sentences for the lead; empty when it can."""
    problems = []
    if not in_window(bid.funding_round, interview.starts_at):
        problems.append(
            f"The interview must be between {window_text(bid.funding_round)}, "
            f"the interview window for {bid.funding_round.name}"
        )
    if not interview.location.strip() and not interview.video_link.strip():
        problems.append("Enter where the interview will be held, or a video call link, or both")
    panel = list(interview.panel.all())
    if not panel:
        problems.append("Select at least one member of the interview panel")
    allowed = set(panel_candidates(bid).values_list("pk", flat=True))
    for member in panel:
        if member.pk not in allowed:
            problems.append(f"{member.full_name} cannot sit on this panel")
    return problems


def scheduled_interview(bid):
    return bid.interviews.filter(state=Interview.State.SCHEDULED).prefetch_related("panel").first()


def schedule(bid, lead, *, starts_at, duration_minutes, location, video_link, panel, expected_state=None):
    """Book the interview: the bid moves to interview_scheduled and the council is invited."""
    email_context = {}

    def book(locked):
        interview = Interview.objects.create(
            bid=locked,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            location=location.strip(),
            video_link=video_link.strip(),
            scheduled_by=lead,
        )
        interview.panel.set(panel)
        email_context["interview"] = interview

    workflow.change_state(
        bid,
        "schedule_interview",
        lead,
        expected_state=expected_state,
        effect=book,
        email_context=email_context,
    )
    return email_context["interview"]


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
        interview = locked.interviews.select_for_update().filter(state=Interview.State.SCHEDULED).first()
        if interview is None:
            raise workflow.WorkflowError(f"{locked.reference} has no interview booked to rearrange")
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
            workflow.council_recipients(locked),
            "interview_rescheduled",
            {"bid": locked, "interview": interview, "reason": reason, "was": before},
            attachments=[invitation_attachment(interview)],
        )
    return interview


def cancel(bid, lead, reason, expected_state=None):
    """Call the interview off: the bid goes back to shortlisted and calendars drop it."""
    email_context = {}

    def call_off(locked):
        interview = locked.interviews.select_for_update().filter(state=Interview.State.SCHEDULED).first()
        if interview is None:
            raise workflow.WorkflowError(f"{locked.reference} has no interview booked to cancel")
        interview.state = Interview.State.CANCELLED
        interview.sequence += 1
        interview.save(update_fields=["state", "sequence"])
        email_context["interview"] = interview

    return workflow.change_state(
        bid,
        "cancel_interview",
        lead,
        reason=reason,
        expected_state=expected_state,
        effect=call_off,
        email_context=email_context,
    )


def record(bid, actor, *, notes, score, expected_state=None, now=None):
    """The panel's notes (internal) and interview score: the bid moves to interviewed."""
    now = now or timezone.now()

    def write_up(locked):
        interview = locked.interviews.select_for_update().filter(state=Interview.State.SCHEDULED).first()
        if interview is None:
            raise workflow.WorkflowError(f"{locked.reference} has no interview booked to record")
        interview.state = Interview.State.HELD
        interview.notes = (notes or "").strip()
        interview.score = score
        interview.recorded_by = actor
        interview.recorded_at = now
        interview.save()

    return workflow.change_state(
        bid, "record_interview", actor, expected_state=expected_state, effect=write_up, now=now
    )


# Calendar invitations ------------------------------------------------------------------


def ends_at(interview):
    return interview.starts_at + timedelta(minutes=interview.duration_minutes)


def calendar_for(interview):
    """The iCalendar (RFC 5545/5546) message for the interview as it stands now.

    A booked interview is a REQUEST; a cancelled one a CANCEL. The UID never changes and
    SEQUENCE goes up with each change, so calendar programs update the one event.
    """
    bid = interview.bid
    cancelled = interview.state == Interview.State.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", str(interview.uid))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", interview.starts_at.astimezone(UTC))
    event.add("dtend", ends_at(interview).astimezone(UTC))
    event.add("summary", f"Children's trust pilot interview: {bid.authority.name} ({bid.reference})")
    place = interview.location or interview.video_link
    event.add("location", place)
    lines = [
        f"Interview with the Department of Health panel about {bid.authority.name}'s bid {bid.reference} "
        f"to {bid.funding_round.name}.",
    ]
    if interview.location:
        lines.append(f"Place: {interview.location}")
    if interview.video_link:
        lines.append(f"Video call: {interview.video_link}")
    lines.append(f"Your bid: {settings.SITE_URL}{reverse('bids:bid', kwargs={'reference': bid.reference})}")
    event.add("description", "\n".join(lines))
    if interview.video_link:
        event.add("url", interview.video_link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{interview.scheduled_by.email}")
    organizer.params["cn"] = vText(interview.scheduled_by.full_name)
    organizer.params["role"] = vText("CHAIR")
    event.add("organizer", organizer)
    for address in workflow.council_recipients(bid):
        attendee = vCalAddress(f"mailto:{address}")
        if address == bid.lead_email and bid.lead_name:
            attendee.params["cn"] = vText(bid.lead_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar


def ics_filename(interview):
    return f"interview-{interview.bid.reference}.ics"


def invitation_attachment(interview):
    return (ics_filename(interview), calendar_for(interview).to_ical(), "text/calendar")
