"""Interview invitations as calendar messages (iCalendar, RFC 5545 and 5546), attached to
the emails that book, rearrange and cancel an interview and offered from the bid page."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Interview
from .queries import council_recipients


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
    # ROLE belongs to attendees only (RFC 5545, 3.2.16); a cancellation asks for no reply.
    organizer = vCalAddress(f"mailto:{interview.scheduled_by.email}")
    organizer.params["cn"] = vText(interview.scheduled_by.full_name)
    event.add("organizer", organizer)
    for address in council_recipients(bid):
        attendee = vCalAddress(f"mailto:{address}")
        if address == bid.lead_email and bid.lead_name:
            attendee.params["cn"] = vText(bid.lead_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        if not cancelled:
            attendee.params["partstat"] = vText("NEEDS-ACTION")
            attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar


def ics_filename(interview):
    return f"interview-{interview.bid.reference}.ics"


def invitation_attachment(interview):
    """The calendar part of an interview email: its content type carries the iTIP method
    (RFC 6047, 2.4), so Outlook and Gmail show it as an invitation, with accept and decline,
    or as a cancellation, rather than as a file."""
    calendar = calendar_for(interview)
    return (ics_filename(interview), calendar.to_ical(), f"text/calendar; method={calendar['method']}")
