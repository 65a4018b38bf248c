"""Interview pages: booking inside the window (London time), rearranging, cancelling,
recording; what the council is sent and sees."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Role
from bids import interviews
from bids.models import Bid, BidState, EventKind, Interview
from core.london import LONDON
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, bid):
    return reverse(f"bids:{name}", kwargs={"reference": bid.reference})


def when_fields(day, hour="10", minute="30"):
    return {
        "starts_at_day": str(day.day),
        "starts_at_month": str(day.month),
        "starts_at_year": str(day.year),
        "starts_at_hour": hour,
        "starts_at_minute": minute,
    }


def to_council(outbox, council):
    """The one email the council was sent (the panel members are sent their own)."""
    [email] = [email for email in outbox if council.email in email.to]
    return email


def booking(bid, lead, assessors=(), **changes):
    day = bid.funding_round.interviews_start_on + timedelta(days=3)
    data = {
        "expected_state": bid.state,
        **when_fields(day),
        "duration_minutes": "90",
        "location": "Wellington House, 133-155 Waterloo Road, London SE1 8UG",
        "video_link": "",
        "panel": [lead.pk, *[a.pk for a in assessors]],
    }
    data.update(changes)
    return data


@pytest.fixture
def shortlisted(open_round, kent_user, assessor, lead):
    return factories.shortlisted_bid(open_round, "KEN", [assessor], kent_user, lead)


def test_the_lead_books_an_interview_and_the_council_is_invited(
    django_capture_on_commit_callbacks, client_for, shortlisted, kent_user, assessor, lead
):
    client = client_for(lead)
    page = client.get(url("schedule-interview", shortlisted)).content.decode()
    assert assessor.full_name in page and lead.full_name in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("schedule-interview", shortlisted), booking(shortlisted, lead, [assessor]))
    assert response.status_code == 302
    interview = Interview.objects.get(bid=shortlisted)
    day = shortlisted.funding_round.interviews_start_on + timedelta(days=3)
    assert timezone.localtime(interview.starts_at, LONDON).strftime("%Y-%m-%d %H:%M") == f"{day} 10:30"
    assert interview.duration_minutes == 90
    assert set(interview.panel.all()) == {lead, assessor}
    assert Bid.objects.get(pk=shortlisted.pk).state == BidState.INTERVIEW_SCHEDULED
    invitation = to_council(mail.outbox, kent_user)
    assert invitation.to == [kent_user.email]
    assert "10:30am on" in invitation.body
    assert any(name.endswith(".ics") for name, *_ in invitation.attachments)
    council_page = client_for(kent_user).get(url("bid", shortlisted)).content.decode()
    assert "Wellington House" in council_page and "10:30am" in council_page


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"starts_at_day": "", "starts_at_month": "", "starts_at_year": ""},
            ["Enter the date of the interview"],
        ),
        ({"starts_at_month": ""}, ["The date of the interview must include a month"]),
        ({"starts_at_day": "31", "starts_at_month": "2"}, ["The date of the interview must be a real date"]),
        ({"starts_at_year": "03"}, ["The date of the interview must be a real date"]),
        ({"starts_at_hour": "", "starts_at_minute": ""}, ["Enter the time the interview starts"]),
        ({"starts_at_hour": "25"}, ["Enter the hour as a number from 0 to 23"]),
        ({"starts_at_minute": "75"}, ["Enter the minutes as a number from 0 to 59"]),
        (
            {"location": "", "video_link": ""},
            ["Enter where the interview will be held, or a video call link, or both"],
        ),
        ({"video_link": "not a link"}, ["Enter the video call link as a web address"]),
        ({"panel": []}, ["Select at least one member of the interview panel"]),
        ({"duration_minutes": ""}, ["Select how long the interview will last"]),
    ],
)
def test_booking_form_errors(client_for, shortlisted, lead, changes, messages):
    response = client_for(lead).post(
        url("schedule-interview", shortlisted), booking(shortlisted, lead, **changes)
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    for message in messages:
        assert message in page
    assert not Interview.objects.exists()
    if changes.get("location") != "":
        assert "Wellington House" in page  # what the lead typed is kept


def test_an_interview_outside_the_window_is_refused_with_the_window(client_for, shortlisted, lead):
    before = shortlisted.funding_round.interviews_start_on - timedelta(days=1)
    response = client_for(lead).post(
        url("schedule-interview", shortlisted), booking(shortlisted, lead, **when_fields(before))
    )
    window = shortlisted.funding_round.interviews_start_on
    assert f"The interview must be between {window.day} {window:%B %Y}" in response.content.decode()
    assert not Interview.objects.exists()


def test_a_conflicted_assessor_is_neither_offered_nor_accepted_for_the_panel(
    client_for, shortlisted, assessor, lead
):
    factories.conflict(assessor, "KEN")
    client = client_for(lead)
    page = client.get(url("schedule-interview", shortlisted)).content.decode()
    assert assessor.full_name not in page
    response = client.post(url("schedule-interview", shortlisted), booking(shortlisted, lead, [assessor]))
    assert "Select panel members from the list" in response.content.decode()
    assert not Interview.objects.exists()


def test_rearranging_keeps_the_interview_and_tells_the_council(
    django_capture_on_commit_callbacks, client_for, open_round, kent_user, assessor, lead
):
    bid = factories.interview_booked_bid(open_round, "KEN", [assessor], kent_user, lead)
    interview = bid.interviews.get()
    client = client_for(lead)
    page = client.get(url("reschedule-interview", bid)).content.decode()
    assert 'value="Wellington House, 133-155 Waterloo Road, London SE1 8UG"' in page  # pre-filled
    missing = client.post(url("reschedule-interview", bid), booking(bid, lead, reason=""))
    assert "Enter the reason for rearranging the interview" in missing.content.decode()
    mail.outbox.clear()
    later = open_round.interviews_start_on + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("reschedule-interview", bid),
            booking(bid, lead, **when_fields(later, "14", "00"), reason="The chair is away."),
        )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.sequence == 1 and Interview.objects.filter(bid=bid).count() == 1
    assert timezone.localtime(interview.starts_at, LONDON).hour == 14
    update = to_council(mail.outbox, kent_user)
    calendar = Calendar.from_ical(update.attachments[0][1])
    assert int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 1
    council_page = client_for(kent_user).get(url("bid", bid)).content.decode()
    assert "Interview rearranged" in council_page and "2pm" in council_page


def test_cancelling_sends_the_bid_back_to_shortlisted(
    django_capture_on_commit_callbacks, client_for, open_round, kent_user, lead
):
    bid = factories.interview_booked_bid(open_round, "KEN", council=kent_user, lead=lead)
    client = client_for(lead)
    missing = client.post(
        url("cancel-interview", bid), {"expected_state": "interview_scheduled", "reason": ""}
    )
    assert "Enter the reason for cancelling the interview" in missing.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("cancel-interview", bid), {"expected_state": "interview_scheduled", "reason": "Panel unwell."}
        )
    bid.refresh_from_db()
    assert bid.state == BidState.SHORTLISTED
    assert bid.interviews.get().state == Interview.State.CANCELLED
    cancellation = to_council(mail.outbox, kent_user)
    assert str(Calendar.from_ical(cancellation.attachments[0][1])["METHOD"]) == "CANCEL"
    assert "Interview cancelled" in client_for(kent_user).get(url("bid", bid)).content.decode()
    # and a new interview can be booked
    assert client_for(lead).get(url("schedule-interview", bid)).status_code == 200


def test_a_panel_assessor_records_the_interview(client_for, open_round, kent_user, assessor, lead):
    bid = factories.interview_booked_bid(open_round, "KEN", [assessor], kent_user, lead)
    with time_machine.travel(factories.interview_over(bid), tick=False):
        client = client_for(assessor)
        assert "Record the interview" in client.get(url("bid", bid)).content.decode()
        errors = client.post(
            url("record-interview", bid), {"expected_state": "interview_scheduled"}
        ).content.decode()
        assert "Enter the panel&#x27;s notes from the interview" in errors
        assert "Select the panel&#x27;s interview score" in errors
        response = client.post(
            url("record-interview", bid),
            {
                "expected_state": "interview_scheduled",
                "score": "3",
                "notes": "SECRET-NOTES: strong on governance.",
            },
        )
    assert response.status_code == 302
    interview = bid.interviews.get()
    assert (interview.state, interview.score, interview.recorded_by) == (Interview.State.HELD, 3, assessor)
    assert Bid.objects.get(pk=bid.pk).state == BidState.INTERVIEWED
    council_page = client_for(kent_user).get(url("bid", bid)).content.decode()
    assert "SECRET-NOTES" not in council_page
    assert assessor.full_name not in council_page


def test_an_assessor_not_on_the_panel_cannot_record(
    client_for, open_round, kent_user, assessor, other_assessor, lead
):
    bid = factories.shortlisted_bid(open_round, "KEN", [assessor, other_assessor], kent_user, lead)

    interviews.schedule(
        bid,
        lead,
        starts_at=factories.interview_time(open_round),
        duration_minutes=60,
        location="Wellington House",
        video_link="",
        panel=[lead, assessor],
    )
    assert client_for(other_assessor).get(url("record-interview", bid)).status_code == 403


def test_the_invitation_can_be_downloaded_by_the_council(client_for, open_round, kent_user, lead):
    bid = factories.interview_booked_bid(open_round, "KEN", council=kent_user, lead=lead)
    response = client_for(kent_user).get(url("interview-ics", bid))
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="interview-{bid.reference}.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar.walk("VEVENT")[0]["UID"]) == str(bid.interviews.get().uid)


def test_pages_for_the_wrong_stage_send_the_lead_back_to_the_bid(client_for, open_round, lead):
    bid = factories.under_assessment_bid(open_round, "KEN", lead=lead)
    response = client_for(lead).get(url("schedule-interview", bid), follow=True)
    assert "You cannot schedule an interview for a bid that is under assessment" in response.content.decode()
    assert client_for(lead).get(url("interview-ics", bid)).status_code == 404


def test_the_lead_and_assessors_see_their_panels(client_for, open_round, assessor, lead):
    bid = factories.interview_booked_bid(open_round, "KEN", [assessor], lead=lead)
    home = client_for(assessor).get("/").content.decode()
    assert "Your interview panels" in home and bid.authority.name in home
    other = factories.user(Role.ASSESSOR)
    assert "Your interview panels" not in client_for(other).get("/").content.decode()


def test_the_rescheduled_event_is_on_the_record(open_round, kent_user, lead):
    bid = factories.interview_booked_bid(open_round, "KEN", council=kent_user, lead=lead)
    interviews.reschedule(
        bid,
        lead,
        starts_at=factories.interview_time(open_round, 4),
        duration_minutes=60,
        location="Room 2",
        video_link="",
        panel=[lead],
        reason="Room change.",
    )
    event = bid.events.get(kind=EventKind.INTERVIEW_RESCHEDULED)
    assert event.actor == lead and event.shown_to_council
