"""Interview panels: each member is sent their own invitation, update and cancellation, as
the calendar message a mail client reads; panel members find their interviews on their home
page; the council adds its interview to its calendar from its bid page; nothing is recorded
or scored before the interview starts; each member's own score comes before the panel's."""

from datetime import timedelta
from email import message_from_bytes

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from accounts.models import Role
from bids import interviews, workflow
from bids.models import Bid, BidState, EventKind, Interview, InterviewScore
from core.london import london
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

PLACE = "Wellington House, 133-155 Waterloo Road, London SE1 8UG"


def url(name, bid):
    return reverse(f"bids:{name}", kwargs={"reference": bid.reference})


def calendar_part(message):
    """The calendar part of the email as a mail client receives it (its MIME part), and its
    calendar."""
    parsed = message_from_bytes(message.message().as_bytes())
    (part,) = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_payload(decode=True))


def event_of(calendar):
    return calendar.walk("VEVENT")[0]


def attendees(calendar):
    """{email: the ATTENDEE property} of the calendar's event."""
    found = event_of(calendar).get("ATTENDEE")
    found = found if isinstance(found, list) else [found]
    return {str(attendee).removeprefix("mailto:"): attendee for attendee in found}


def sent_to(person):
    """The one email `person` was sent, alone."""
    [email] = [email for email in mail.outbox if email.to == [person.email]]
    return email


def book(bid, lead, panel, **changes):
    booking = {
        "starts_at": factories.interview_time(bid.funding_round),
        "duration_minutes": 60,
        "location": PLACE,
        "video_link": "",
        "panel": panel,
        **changes,
    }
    return interviews.schedule(bid, lead, **booking)


@pytest.fixture
def shortlisted(open_round, kent_user, assessor, other_assessor, lead):
    return factories.shortlisted_bid(open_round, "KEN", [assessor, other_assessor], kent_user, lead)


@pytest.fixture
def booked(shortlisted, assessor, lead):
    """Kent's interview, with the lead and one of its two assessors on the panel."""
    book(shortlisted, lead, [lead, assessor])
    return Bid.objects.get(pk=shortlisted.pk)


# Invitations to the panel -------------------------------------------------------------------


def test_booking_sends_each_panel_member_their_own_invitation(
    django_capture_on_commit_callbacks, shortlisted, kent_user, assessor, other_assessor, lead
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interview = book(shortlisted, lead, [lead, assessor])
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [kent_user.email, lead.email, assessor.email]
    )
    for member in (lead, assessor):
        invitation = sent_to(member)
        assert "Interview panel" in invitation.subject and "Kent" in invitation.subject
        assert url("interview-member-score", shortlisted) in invitation.body
        assert "Wellington House" in invitation.body and "10am on" in invitation.body
        part, calendar = calendar_part(invitation)
        assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
        event = event_of(calendar)
        assert (str(event["UID"]), int(event["SEQUENCE"])) == (str(interview.uid), 0)
        assert str(event["ORGANIZER"]) == f"mailto:{lead.email}"
        people = attendees(calendar)
        assert {kent_user.email, lead.email, assessor.email} <= set(people)
        assert other_assessor.email not in people
        for attendee in people.values():
            assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
            assert attendee.params["RSVP"] == "TRUE" and attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert people[assessor.email].params["CN"] == assessor.full_name
    # The council's copy is the same event; it does not name the assessors who judge the bid.
    part, calendar = calendar_part(sent_to(kent_user))
    assert part.get_param("method") == "REQUEST"
    assert str(event_of(calendar)["UID"]) == str(interview.uid)
    assert assessor.email not in attendees(calendar)
    assert assessor.full_name.encode() not in calendar.to_ical()


def test_rearranging_updates_the_panel_cancels_a_dropped_member_and_invites_a_new_one(
    django_capture_on_commit_callbacks, booked, kent_user, assessor, other_assessor, lead
):
    interview = booked.interviews.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interviews.reschedule(
            booked,
            lead,
            starts_at=factories.interview_time(booked.funding_round, day_offset=4, hour=14),
            duration_minutes=60,
            location="Room 2",
            video_link="https://meet.example.com/ctp",
            panel=[lead, other_assessor],
            reason="The chair is away.",
        )
    assert len(mail.outbox) == 4  # the council, the lead who stays, the one dropped, the one added
    kept = sent_to(lead)
    assert "rearranged" in kept.subject.lower() and "The chair is away." in kept.body
    part, calendar = calendar_part(kept)
    assert part.get_param("method") == "REQUEST"
    assert int(event_of(calendar)["SEQUENCE"]) == 1
    assert {lead.email, other_assessor.email} <= set(attendees(calendar))
    assert assessor.email not in attendees(calendar)

    added = sent_to(other_assessor)
    assert "Interview panel" in added.subject
    part, calendar = calendar_part(added)
    assert part.get_param("method") == "REQUEST"
    assert (str(event_of(calendar)["UID"]), int(event_of(calendar)["SEQUENCE"])) == (str(interview.uid), 1)

    dropped = sent_to(assessor)
    assert "no longer on the interview panel" in dropped.subject and "The chair is away." in dropped.body
    part, calendar = calendar_part(dropped)
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "CANCEL"
    event = event_of(calendar)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (str(interview.uid), 1)
    # RFC 5546, 3.2.5: uninviting names only the attendee taken off, and leaves STATUS out.
    assert "STATUS" not in event
    [(address, attendee)] = attendees(calendar).items()
    assert address == assessor.email
    assert "RSVP" not in attendee.params and "PARTSTAT" not in attendee.params


def test_cancelling_sends_each_panel_member_a_cancellation(
    django_capture_on_commit_callbacks, booked, kent_user, assessor, lead
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interviews.cancel(booked, lead, "The panel cannot meet in May.")
    assert len(mail.outbox) == 3
    for member in (lead, assessor):
        cancellation = sent_to(member)
        assert "Interview cancelled" in cancellation.subject
        assert "The panel cannot meet in May." in cancellation.body
        part, calendar = calendar_part(cancellation)
        assert part.get_content_type() == "text/calendar" and part.get_param("method") == "CANCEL"
        event = event_of(calendar)
        assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (1, "CANCELLED")
        people = attendees(calendar)
        assert {kent_user.email, lead.email, assessor.email} <= set(people)
        for attendee in people.values():
            assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
            assert "RSVP" not in attendee.params and "PARTSTAT" not in attendee.params


def test_a_withdrawn_bid_takes_the_interview_out_of_the_panels_calendars(
    django_capture_on_commit_callbacks, booked, kent_user, assessor, lead
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_state(booked, "withdraw", kent_user, reason="Our partners pulled out.")
    for member in (lead, assessor):
        cancellation = sent_to(member)
        assert "The bid was withdrawn." in cancellation.body
        part, calendar = calendar_part(cancellation)
        assert part.get_param("method") == "CANCEL"
        assert str(event_of(calendar)["STATUS"]) == "CANCELLED"


def test_nobody_is_emailed_when_the_booking_is_refused(django_capture_on_commit_callbacks, shortlisted, lead):
    the_day_before_the_window = factories.interview_time(shortlisted.funding_round, day_offset=-1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.WorkflowError):
        book(shortlisted, lead, [lead], starts_at=the_day_before_the_window)
    assert not mail.outbox and not Interview.objects.exists()


# Panel members' home pages ------------------------------------------------------------------


def test_a_lead_on_a_panel_sees_their_interviews_on_their_home_page(client_for, booked, lead):
    Interview.objects.filter(bid=booked).update(video_link="https://meet.example.com/kent")
    interview = booked.interviews.get()
    home = client_for(lead).get("/").content.decode()
    assert "Your interview panels" in home
    assert london(interview.starts_at) in home and "10am on" in home
    assert booked.authority.name in home and booked.reference in home
    assert "Wellington House" in home and "https://meet.example.com/kent" in home
    assert url("interview-ics", booked) in home
    # Before the interview starts there is nothing to score yet.
    assert url("interview-member-score", booked) not in home

    other_lead = factories.user(Role.LEAD)
    assert "Your interview panels" not in client_for(other_lead).get("/").content.decode()


def test_once_it_has_started_panel_members_are_asked_for_their_score_from_home(
    client_for, booked, assessor, lead
):
    with time_machine.travel(factories.interview_over(booked), tick=False):
        home = client_for(assessor).get("/").content.decode()
        assert url("interview-member-score", booked) in home and "Give your score" in home
        interviews.score_as_member(booked, assessor, score=3, comment="Clear answers.")
        home = client_for(assessor).get("/").content.decode()
        assert "Change your score" in home


def test_the_leads_home_page_costs_the_same_with_more_interviews(client_for, open_round, lead):
    bids = [factories.interview_booked_bid(open_round, "KEN", lead=lead)]
    client = client_for(lead)
    one = queries_for(client, "/")
    bids += [factories.interview_booked_bid(open_round, code, lead=lead) for code in ("BST", "BIR")]
    home = client.get("/").content.decode()
    assert all(url("interview-ics", bid) in home for bid in bids)
    assert queries_for(client, "/") == one


# The council's calendar -------------------------------------------------------------------


def test_the_council_adds_its_interview_to_its_calendar_from_its_bid_page(
    client_for, booked, kent_user, leeds_user, assessor
):
    client = client_for(kent_user)
    page = client.get(url("bid", booked)).content.decode()
    assert "Add to your calendar (.ics)" in page and url("interview-ics", booked) in page
    response = client.get(url("interview-ics", booked))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar; method=REQUEST")
    calendar = Calendar.from_ical(response.content)
    assert str(event_of(calendar)["UID"]) == str(booked.interviews.get().uid)
    assert kent_user.email in attendees(calendar) and assessor.email not in attendees(calendar)
    assert client_for(leeds_user).get(url("interview-ics", booked)).status_code == 404


def test_officials_download_the_panels_copy(client_for, booked, assessor, lead):
    response = client_for(lead).get(url("interview-ics", booked))
    assert {lead.email, assessor.email} <= set(attendees(Calendar.from_ical(response.content)))


# Recording the interview: not before it starts ---------------------------------------------


def test_the_interview_cannot_be_recorded_before_it_starts(booked, lead):
    interview = booked.interviews.get()
    with pytest.raises(workflow.WorkflowError) as refused:
        interviews.record(
            booked, lead, notes="Notes.", score=3, now=interview.starts_at - timedelta(minutes=1)
        )
    assert refused.value.problems == [
        f"You can record the interview once it has started: it starts at {london(interview.starts_at)}"
    ]
    assert london(interview.starts_at).startswith("10am on ")
    assert Bid.objects.get(pk=booked.pk).state == BidState.INTERVIEW_SCHEDULED
    interviews.record(booked, lead, notes="Notes.", score=3, now=interview.starts_at)
    assert Bid.objects.get(pk=booked.pk).state == BidState.INTERVIEWED


def test_the_record_page_waits_for_the_interview_to_start(client_for, booked, lead):
    interview = booked.interviews.get()
    response = client_for(lead).get(url("record-interview", booked), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url("bid", booked)
    assert (
        f"You can record the interview once it has started: it starts at {london(interview.starts_at)}"
        in page
    )
    with time_machine.travel(interview.starts_at, tick=False):
        page = client_for(lead).get(url("record-interview", booked)).content.decode()
    assert "The panel&#x27;s notes" in page and "Save interview record" in page


# Each member's own score ----------------------------------------------------------------------


def test_a_panel_member_gives_and_changes_their_own_score(client_for, booked, assessor):
    with time_machine.travel(factories.interview_over(booked), tick=False):
        client = client_for(assessor)
        bid_page = client.get(url("bid", booked)).content.decode()
        assert url("interview-member-score", booked) in bid_page
        page = client.get(url("interview-member-score", booked)).content.decode()
        assert "Your interview score" in page and "0 not addressed, 1 weak" in page
        errors = client.post(url("interview-member-score", booked), {"expected_state": "interview_scheduled"})
        errors = errors.content.decode()
        assert "Select your interview score" in errors and "Enter a comment on your score" in errors
        typed = client.post(
            url("interview-member-score", booked),
            {"expected_state": "interview_scheduled", "comment": "KEPT"},
        ).content.decode()
        assert "KEPT" in typed
        response = client.post(
            url("interview-member-score", booked),
            {"expected_state": "interview_scheduled", "score": "3", "comment": "Clear on governance."},
        )
        assert response.status_code == 302
        assert "Clear on governance." in client.get(url("interview-member-score", booked)).content.decode()
        client.post(
            url("interview-member-score", booked),
            {"expected_state": "interview_scheduled", "score": "2", "comment": "On reflection, less clear."},
        )
    own = InterviewScore.objects.get()
    assert (own.member, own.score, own.comment) == (assessor, 2, "On reflection, less clear.")
    events = list(booked.events.filter(kind=EventKind.INTERVIEW_SCORED).order_by("pk"))
    assert [event.detail for event in events] == [
        {"member_name": assessor.full_name, "score": 3},
        {"member_name": assessor.full_name, "score": 2},
    ]
    assert all(event.actor == assessor and not event.shown_to_council for event in events)


def test_only_the_panels_members_may_score(client_for, booked, other_assessor, admin_user, kent_user):
    over = factories.interview_over(booked)
    with pytest.raises(workflow.WorkflowError, match="You are not on the panel"):
        interviews.score_as_member(booked, other_assessor, score=3, comment="Good.", now=over)
    with time_machine.travel(over, tick=False):
        assert client_for(other_assessor).get(url("interview-member-score", booked)).status_code == 403
        assert client_for(admin_user).get(url("interview-member-score", booked)).status_code == 403
        assert client_for(kent_user).get(url("interview-member-score", booked)).status_code == 403
        assert url("interview-member-score", booked) not in (
            client_for(other_assessor).get(url("bid", booked)).content.decode()
        )
    assert not InterviewScore.objects.exists()


def test_a_panel_member_with_a_conflict_cannot_score(booked, assessor):
    # A bare conflict row: on the panel still, as the access rules must hold against.
    factories.ConflictOfInterestFactory(assessor=assessor)
    with pytest.raises(workflow.WorkflowError, match="conflict of interest with Kent"):
        interviews.score_as_member(
            booked, assessor, score=3, comment="Good.", now=factories.interview_over(booked)
        )
    assert not InterviewScore.objects.exists()


def test_no_score_before_the_interview_starts(client_for, booked, assessor):
    interview = booked.interviews.get()
    refusal = f"You can give your score for the interview once it has started: it starts at {london(interview.starts_at)}"
    with pytest.raises(workflow.WorkflowError) as refused:
        interviews.score_as_member(
            booked, assessor, score=3, comment="Good.", now=interview.starts_at - timedelta(seconds=1)
        )
    assert refused.value.problems == [refusal]
    response = client_for(assessor).get(url("interview-member-score", booked), follow=True)
    assert response.redirect_chain[-1][0] == url("bid", booked) and refusal in response.content.decode()
    assert not InterviewScore.objects.exists()


@pytest.mark.parametrize(("score", "comment"), [(3, ""), (3, "   "), (None, "Good."), (5, "Good.")])
def test_a_score_needs_a_score_from_0_to_4_and_a_comment(booked, assessor, score, comment):
    with pytest.raises(workflow.WorkflowError):
        interviews.score_as_member(
            booked, assessor, score=score, comment=comment, now=factories.interview_over(booked)
        )
    assert not InterviewScore.objects.exists()


def test_the_record_page_shows_the_members_scores_their_mean_and_who_has_not_scored(
    client_for, shortlisted, assessor, other_assessor, lead
):
    book(shortlisted, lead, [lead, assessor, other_assessor])
    bid = Bid.objects.get(pk=shortlisted.pk)
    over = factories.interview_over(bid)
    interviews.score_as_member(bid, lead, score=3, comment="LEAD-COMMENT", now=over)
    interviews.score_as_member(bid, assessor, score=2, comment="ASSESSOR-COMMENT", now=over)
    with time_machine.travel(over, tick=False):
        page = client_for(lead).get(url("record-interview", bid)).content.decode()
    assert "LEAD-COMMENT" in page and "ASSESSOR-COMMENT" in page
    assert "Mean of 2 scores: 2.5 out of 4" in page
    scores_then_form = page.index("ASSESSOR-COMMENT") < page.index("The panel&#x27;s notes")
    assert scores_then_form
    waiting = page[page.index("Not scored yet") :]
    assert other_assessor.full_name in waiting and lead.full_name not in waiting


def test_once_recorded_the_members_scores_are_final_and_on_the_bid_page(
    client_for, booked, kent_user, assessor, lead
):
    over = factories.interview_over(booked)
    interviews.score_as_member(booked, assessor, score=4, comment="MEMBER-COMMENT", now=over)
    interviews.record(booked, lead, notes="Panel notes.", score=3, now=over)
    with pytest.raises(workflow.WorkflowError, match="The panel has recorded the interview"):
        interviews.score_as_member(
            Bid.objects.get(pk=booked.pk), assessor, score=1, comment="Changed my mind.", now=over
        )
    assert InterviewScore.objects.get().score == 4
    response = client_for(assessor).get(url("interview-member-score", booked), follow=True)
    assert "The panel has recorded the interview" in response.content.decode()
    officials_page = client_for(lead).get(url("bid", booked)).content.decode()
    assert "Members' own scores" in officials_page and "MEMBER-COMMENT" in officials_page
    assert f"{assessor.full_name}: 4 out of 4" in officials_page
    council_page = client_for(kent_user).get(url("bid", booked)).content.decode()
    assert "MEMBER-COMMENT" not in council_page
