"""Interview invitations as calendar messages (iCalendar, RFC 5545 and 5546), attached to
the emails that book, rearrange and cancel an interview and offered from the bid page.

The council and each panel member get their own copy of the one event (the same UID and
SEQUENCE). The council's copy names only the council's own people: officials never show a
council which assessors judge its bid. A panel member's copy names the panel too.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress, vText

from accounts.mail import queue_email

from .models import Interview
from .queries import council_recipients


def ends_at(interview):
    return interview.starts_at + timedelta(minutes=interview.duration_minutes)


def panel_of(interview):
    return list(interview.panel.order_by("full_name", "pk"))


def calendar_for(interview, *, for_panel=False, uninvited=None):
    """The iCalendar (RFC 5545/5546) message for the interview as it stands now.

    A booked interview is a REQUEST; a cancelled one a CANCEL. The UID never changes and
    SEQUENCE goes up with each change, so calendar programs update the one event.
    for_panel: the officials' copy, with the panel among the attendees.
    uninvited: a member dropped from the panel, whose copy is cancelled while the interview
    goes on: a CANCEL naming only them and no STATUS (RFC 5546, 3.2.5).
    """
    bid = interview.bid
    cancelled = uninvited is not None or interview.state == Interview.State.CANCELLED
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
    page = f"{settings.SITE_URL}{reverse('bids:bid', kwargs={'reference': bid.reference})}"
    lines.append(f"{'The bid' if for_panel or uninvited else 'Your bid'}: {page}")
    event.add("description", "\n".join(lines))
    if interview.video_link:
        event.add("url", interview.video_link)
    if uninvited is None:
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # ROLE belongs to attendees only (RFC 5545, 3.2.16); a cancellation asks for no reply.
    organizer = vCalAddress(f"mailto:{interview.scheduled_by.email}")
    organizer.params["cn"] = vText(interview.scheduled_by.full_name)
    event.add("organizer", organizer)
    if uninvited is not None:
        people = [(uninvited.email, uninvited.full_name)]
    else:
        people = [
            (address, bid.lead_name if address == bid.lead_email else "")
            for address in council_recipients(bid)
        ]
        if for_panel:
            people.extend((member.email, member.full_name) for member in panel_of(interview))
    for address, name in people:
        attendee = vCalAddress(f"mailto:{address}")
        if name:
            attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        if not cancelled:
            attendee.params["partstat"] = vText("NEEDS-ACTION")
            attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar


def ics_filename(interview):
    return f"interview-{interview.bid.reference}.ics"


def invitation_attachment(interview, *, for_panel=False, uninvited=None):
    """The calendar part of an interview email: its content type carries the iTIP method
    (RFC 6047, 2.4), so Outlook and Gmail show it as an invitation, with accept and decline,
    or as a cancellation, rather than as a file."""
    calendar = calendar_for(interview, for_panel=for_panel, uninvited=uninvited)
    return (ics_filename(interview), calendar.to_ical(), f"text/calendar; method={calendar['method']}")


def tell_panel(interview, template, context=None, *, members=None):
    """Each panel member's own email (emails/<template>), with their copy of the invitation:
    a request while the interview stands, a cancellation once it is called off."""
    members = panel_of(interview) if members is None else members
    members = [member for member in members if member.is_active and member.email]
    if not members:
        return
    attachment = invitation_attachment(interview, for_panel=True)
    context = {**(context or {}), "bid": interview.bid, "interview": interview, "panel": panel_of(interview)}
    for member in members:
        queue_email([member.email], template, {**context, "member": member}, attachments=[attachment])


def tell_dropped(interview, members, reason):
    """Members taken off the panel of an interview that goes on: their copy is cancelled."""
    for member in members:
        if not (member.is_active and member.email):
            continue
        queue_email(
            [member.email],
            "interview_panel_removed",
            {"bid": interview.bid, "interview": interview, "member": member, "reason": reason},
            attachments=[invitation_attachment(interview, uninvited=member)],
        )
