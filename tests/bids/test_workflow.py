"""bids/workflow.py, the one door for state changes: every edge, every refusal, who may
take each step, the guards, the concurrent-action case, budget and pilot-place refusals,
and which emails go to whom, only once the change has committed."""

import threading
from datetime import timedelta
from decimal import Decimal
from email import message_from_bytes

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from icalendar import Calendar

from accounts.models import OutboundEmail, Role
from bids import decisions, interviews, workflow
from bids.models import Bid, BidEvent, BidState, Decision, EventKind, Interview
from tests import factories
from trusts import approvals
from trusts.models import FundingAward

pytestmark = pytest.mark.django_db

EDGES = {
    "submit": ([BidState.DRAFT], BidState.SUBMITTED),
    "return_to_council": ([BidState.SUBMITTED], BidState.DRAFT),
    "withdraw": (
        [
            BidState.DRAFT,
            BidState.SUBMITTED,
            BidState.UNDER_ASSESSMENT,
            BidState.SHORTLISTED,
            BidState.INTERVIEW_SCHEDULED,
            BidState.INTERVIEWED,
        ],
        BidState.WITHDRAWN,
    ),
    "begin_assessment": ([BidState.SUBMITTED], BidState.UNDER_ASSESSMENT),
    "shortlist": ([BidState.UNDER_ASSESSMENT], BidState.SHORTLISTED),
    "not_shortlist": ([BidState.UNDER_ASSESSMENT], BidState.NOT_SHORTLISTED),
    "schedule_interview": ([BidState.SHORTLISTED], BidState.INTERVIEW_SCHEDULED),
    "cancel_interview": ([BidState.INTERVIEW_SCHEDULED], BidState.SHORTLISTED),
    "record_interview": ([BidState.INTERVIEW_SCHEDULED], BidState.INTERVIEWED),
    "approve": ([BidState.INTERVIEWED], BidState.APPROVED),
    "reject": ([BidState.INTERVIEWED], BidState.REJECTED),
}
COUNCIL_ACTIONS = {"submit", "withdraw"}


def test_the_table_covers_every_action_the_workflow_knows():
    assert set(EDGES) == set(workflow.EDGES)


def bid_in(state, funding_round, council, lead, assessors=()):
    """A bid of Kent's in `state`, taken there through the workflow."""
    builders = {
        BidState.DRAFT: lambda: factories.draft_bid(funding_round, "KEN", council, complete=True),
        BidState.SUBMITTED: lambda: factories.submitted_bid(funding_round, "KEN", council),
        BidState.UNDER_ASSESSMENT: lambda: factories.under_assessment_bid(
            funding_round, "KEN", assessors, council, lead
        ),
        BidState.SHORTLISTED: lambda: factories.shortlisted_bid(
            funding_round, "KEN", assessors, council, lead
        ),
        BidState.INTERVIEW_SCHEDULED: lambda: factories.interview_booked_bid(
            funding_round, "KEN", assessors, council, lead
        ),
        BidState.INTERVIEWED: lambda: factories.interviewed_bid(
            funding_round, "KEN", assessors, council, lead
        ),
        BidState.APPROVED: lambda: factories.approved_bid_with_award(funding_round, "KEN", council, lead).bid,
    }
    if state in builders:
        return Bid.objects.get(pk=builders[state]().pk)
    if state == BidState.NOT_SHORTLISTED:
        bid = factories.under_assessment_bid(funding_round, "KEN", assessors, council, lead)
        return workflow.change_state(bid, "not_shortlist", lead, reason="Below the line.")
    if state == BidState.REJECTED:
        bid = factories.interviewed_bid(funding_round, "KEN", assessors, council, lead)
        decisions.reject(bid, lead, reasons="Weak governance.", feedback="Strengthen governance.")
        return Bid.objects.get(pk=bid.pk)
    if state == BidState.WITHDRAWN:
        bid = factories.submitted_bid(funding_round, "KEN", council)
        return workflow.change_state(bid, "withdraw", council, reason="Waiting for a later round.")
    raise AssertionError(state)


def perform(bid, action, actor, lead=None):
    """Take the action as the officials' pages do, with whatever record it carries."""
    lead = lead or actor
    if action == "schedule_interview":
        return interviews.schedule(
            bid,
            actor,
            starts_at=factories.interview_time(bid.funding_round),
            duration_minutes=60,
            location="Wellington House",
            video_link="",
            panel=[lead],
        )
    if action == "cancel_interview":
        return interviews.cancel(bid, actor, "Panel member ill.")
    if action == "record_interview":
        return interviews.record(
            bid, actor, notes="Good answers.", score=3, now=factories.interview_over(bid)
        )
    if action == "approve":
        return approvals.approve(
            bid,
            actor,
            base_amount=Decimal("60000"),
            supplement_amount=Decimal("0"),
            justification="",
            reasons="Strong bid.",
            feedback="Well done.",
        )
    if action == "reject":
        return decisions.reject(bid, actor, reasons="Weak bid.", feedback="Try again.")
    reason = "A reason." if workflow.EDGES[action].needs_reason else ""
    return workflow.change_state(bid, action, actor, reason=reason)


@pytest.fixture
def council(db):
    return factories.user(Role.COUNCIL, "KEN")


@pytest.fixture
def lead_user(db):
    return factories.lead_user()


@pytest.mark.parametrize(
    ("action", "from_state"),
    [(action, state) for action, (sources, _) in EDGES.items() for state in sources],
)
def test_each_edge_moves_the_bid_and_records_who_from_what_to_what(
    open_round, council, lead_user, action, from_state
):
    bid = bid_in(from_state, open_round, council, lead_user)
    actor = council if action in COUNCIL_ACTIONS else lead_user
    before = bid.events.count()
    perform(bid, action, actor)
    bid.refresh_from_db()
    assert bid.state == EDGES[action][1]
    event = bid.events.filter(kind=EventKind.STATE_CHANGED).latest("pk")
    assert (event.actor, event.from_state, event.to_state) == (actor, from_state, EDGES[action][1])
    assert event.shown_to_council
    assert bid.events.count() > before


@pytest.mark.parametrize("state", list(BidState))
def test_every_action_is_refused_from_a_state_it_does_not_start_from(open_round, council, lead_user, state):
    bid = bid_in(state, open_round, council, lead_user)
    events = bid.events.count()
    for action, (sources, _) in EDGES.items():
        if state in sources:
            continue
        actor = council if action in COUNCIL_ACTIONS else lead_user
        with pytest.raises(workflow.WorkflowError) as refused:
            perform(bid, action, actor)
        verb = workflow.EDGES[action].verb
        assert f"You cannot {verb}" in str(refused.value), action
        bid.refresh_from_db()
        assert bid.state == state
    assert bid.events.count() == events


ROLES = ["council_own", "council_other", "assessor_assigned", "lead", "admin"]
ALLOWED = {
    "submit": {"council_own"},
    "withdraw": {"council_own"},
    "record_interview": {"assessor_assigned", "lead"},
}


@pytest.mark.parametrize("action", list(EDGES))
def test_only_the_right_people_can_take_each_action(council, lead_user, action):
    assessor = factories.user(Role.ASSESSOR, region="london")
    people = {
        "council_own": council,
        "council_other": factories.user(Role.COUNCIL, "LDS"),
        "assessor_assigned": assessor,
        "lead": lead_user,
        "admin": factories.user(Role.ADMIN),
    }
    allowed = ALLOWED.get(action, {"lead"})
    sources, target = EDGES[action]
    for role in ROLES:
        # A round each, as Kent can have one live bid in a round.
        bid = bid_in(sources[0], factories.open_round(), council, lead_user, assessors=[assessor])
        if role in allowed:
            perform(bid, action, people[role], lead=lead_user)
            assert Bid.objects.get(pk=bid.pk).state == target, role
        else:
            with pytest.raises(workflow.WorkflowError, match="You cannot"):
                perform(bid, action, people[role], lead=lead_user)
            assert Bid.objects.get(pk=bid.pk).state == sources[0], role


@pytest.mark.parametrize("action", [a for a, spec in workflow.EDGES.items() if spec.needs_reason])
def test_actions_that_need_a_reason_refuse_a_blank_one(action):
    bid = Bid(reference="CTP-X", state=EDGES[action][0][0])
    with pytest.raises(workflow.WorkflowError, match="Enter the reason"):
        workflow.change_state(bid, action, factories.lead_user(), reason="   ")


# Guards --------------------------------------------------------------------------------


def test_begin_assessment_is_refused_with_the_eligibility_problems(open_round, council, lead_user):
    bid = factories.submitted_bid(open_round, "KEN", council)
    bid.partners.filter(sector="health").delete()
    bid.documents.all().delete()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.change_state(bid, "begin_assessment", lead_user)
    assert "Add a partner from health" in refused.value.problems[0]
    assert "The bid has no supporting documents" in refused.value.problems
    assert Bid.objects.get(pk=bid.pk).state == BidState.SUBMITTED


def test_a_bid_can_be_returned_to_the_council_only_before_its_deadline(open_round, council, lead_user):
    bid = factories.submitted_bid(open_round, "KEN", council)
    late = open_round.closes_at + timedelta(seconds=1)
    with pytest.raises(workflow.WorkflowError, match="only be returned to the council before its deadline"):
        workflow.change_state(bid, "return_to_council", lead_user, reason="Add documents.", now=late)
    workflow.change_state(bid, "return_to_council", lead_user, reason="Add documents.")
    assert Bid.objects.get(pk=bid.pk).state == BidState.DRAFT


def test_assessment_may_begin_after_the_round_has_closed(open_round, council, lead_user):
    bid = factories.submitted_bid(open_round, "KEN", council)
    workflow.change_state(bid, "begin_assessment", lead_user, now=open_round.closes_at + timedelta(days=30))
    assert Bid.objects.get(pk=bid.pk).state == BidState.UNDER_ASSESSMENT


def test_scheduling_needs_an_interview_booked(open_round, council, lead_user):
    bid = factories.shortlisted_bid(open_round, "KEN", council=council, lead=lead_user)
    with pytest.raises(workflow.WorkflowError, match="Book one interview"):
        workflow.change_state(bid, "schedule_interview", lead_user)
    assert Bid.objects.get(pk=bid.pk).state == BidState.SHORTLISTED


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"starts_at": "before"}, "The interview must be between"),
        ({"starts_at": "after"}, "The interview must be between"),
        ({"location": "", "video_link": ""}, "Enter where the interview will be held"),
        ({"panel": []}, "Select at least one member of the interview panel"),
        ({"panel": "conflicted"}, "cannot sit on this panel"),
        ({"panel": "unassigned"}, "cannot sit on this panel"),
    ],
)
def test_scheduling_guards(open_round, council, lead_user, change, problem):
    assessor = factories.user(Role.ASSESSOR, region="london")
    bid = factories.shortlisted_bid(open_round, "KEN", [assessor], council, lead_user)
    booking = {
        "starts_at": factories.interview_time(open_round),
        "duration_minutes": 60,
        "location": "Wellington House",
        "video_link": "",
        "panel": [lead_user, assessor],
    }
    booking.update(change)
    if booking["starts_at"] == "before":
        booking["starts_at"] = factories.interview_time(open_round, day_offset=-1, hour=23)
    if booking["starts_at"] == "after":
        days = (open_round.interviews_end_on - open_round.interviews_start_on).days + 1
        booking["starts_at"] = factories.interview_time(open_round, day_offset=days, hour=0)
    if booking["panel"] == "conflicted":
        factories.conflict(assessor, "KEN")
        booking["panel"] = [lead_user, assessor]
    if booking["panel"] == "unassigned":
        booking["panel"] = [factories.user(Role.ASSESSOR)]
    with pytest.raises(workflow.WorkflowError) as refused:
        interviews.schedule(bid, lead_user, **booking)
    assert any(problem in p for p in refused.value.problems), refused.value.problems
    assert Bid.objects.get(pk=bid.pk).state == BidState.SHORTLISTED
    assert not Interview.objects.filter(bid=bid).exists()


def test_the_window_is_london_time_at_both_ends(open_round, council, lead_user):
    """Midnight at the start of the window in London is inside it, whatever UTC says."""
    bid = factories.shortlisted_bid(open_round, "KEN", council=council, lead=lead_user)
    interviews.schedule(
        bid,
        lead_user,
        starts_at=factories.interview_time(open_round, day_offset=0, hour=0),
        duration_minutes=30,
        location="",
        video_link="https://meet.example.com/ctp",
        panel=[lead_user],
    )
    assert Bid.objects.get(pk=bid.pk).state == BidState.INTERVIEW_SCHEDULED


@pytest.mark.parametrize(
    ("notes", "score", "problem"), [("", 3, "Enter the panel's notes"), ("Notes", None, "Select")]
)
def test_recording_an_interview_needs_notes_and_a_score(
    open_round, council, lead_user, notes, score, problem
):
    bid = factories.interview_booked_bid(open_round, "KEN", council=council, lead=lead_user)
    with pytest.raises(workflow.WorkflowError, match=problem):
        interviews.record(bid, lead_user, notes=notes, score=score, now=factories.interview_over(bid))
    bid.refresh_from_db()
    assert bid.state == BidState.INTERVIEW_SCHEDULED
    assert bid.interviews.get().state == Interview.State.SCHEDULED


def test_approval_needs_a_decision_and_an_award(open_round, council, lead_user):
    bid = factories.interviewed_bid(open_round, "KEN", council=council, lead=lead_user)
    with pytest.raises(workflow.WorkflowError, match="Record the decision to approve"):
        workflow.change_state(bid, "approve", lead_user, reason="Yes.")

    with (
        pytest.raises(workflow.WorkflowError, match="Offer the award"),
        workflow.transition(bid, "approve", lead_user, reason="Yes.") as change,
    ):
        Decision.objects.create(
            bid=change.record, outcome="approved", reasons="R", feedback="F", decided_by=lead_user
        )
    assert not Decision.objects.filter(bid=bid).exists()
    assert Bid.objects.get(pk=bid.pk).state == BidState.INTERVIEWED


def test_rejection_needs_a_rejection_decision(open_round, council, lead_user):
    bid = factories.interviewed_bid(open_round, "KEN", council=council, lead=lead_user)

    with (
        pytest.raises(workflow.WorkflowError, match="Record the decision to reject"),
        workflow.transition(bid, "reject", lead_user, reason="No.") as change,
    ):
        Decision.objects.create(
            bid=change.record, outcome="approved", reasons="R", feedback="F", decided_by=lead_user
        )
    assert not Decision.objects.filter(bid=bid).exists()


@pytest.mark.parametrize(("reasons", "feedback"), [("", "F"), ("R", " ")])
def test_decisions_need_reasons_and_feedback(open_round, council, lead_user, reasons, feedback):
    bid = factories.interviewed_bid(open_round, "KEN", council=council, lead=lead_user)
    with pytest.raises(workflow.WorkflowError, match="Enter the"):
        decisions.reject(bid, lead_user, reasons=reasons, feedback=feedback)
    assert Bid.objects.get(pk=bid.pk).state == BidState.INTERVIEWED


def test_a_conflicted_panel_member_cannot_record_the_interview(open_round, council, lead_user):
    assessor = factories.user(Role.ASSESSOR, region="london")
    bid = factories.interview_booked_bid(open_round, "KEN", [assessor], council, lead_user)
    factories.conflict(assessor, "KEN")
    with pytest.raises(workflow.WorkflowError, match="You cannot record the interview"):
        interviews.record(bid, assessor, notes="Notes", score=2)


def test_work_inside_the_door_that_fails_undoes_the_whole_change(open_round, council, lead_user):
    bid = factories.under_assessment_bid(open_round, "KEN", council=council, lead=lead_user)
    with (
        pytest.raises(workflow.WorkflowError, match="Something else"),
        workflow.transition(bid, "shortlist", lead_user, reason="Good.") as change,
    ):
        BidEvent.objects.create(bid=change.record, kind=EventKind.MODERATED, actor=lead_user)
        raise workflow.WorkflowError("Something else was wrong")
    assert Bid.objects.get(pk=bid.pk).state == BidState.UNDER_ASSESSMENT
    assert not bid.events.filter(kind=EventKind.MODERATED).exists()
    assert not bid.events.filter(to_state=BidState.SHORTLISTED).exists()


# Two officials at once ----------------------------------------------------------------


def test_the_second_of_two_officials_acting_on_what_they_both_saw_is_told_and_changes_nothing(
    client_for, open_round, council, lead_user
):
    bid = factories.under_assessment_bid(open_round, "KEN", council=council, lead=lead_user)
    other_lead = factories.user(Role.LEAD)
    url = reverse("bids:shortlist", kwargs={"reference": bid.reference})
    seen = {"expected_state": "under_assessment"}
    first = client_for(lead_user).post(url, {**seen, "decision": "shortlist", "reason": "Strong."})
    assert first.status_code == 302
    second = client_for(other_lead).post(url, {**seen, "decision": "not_shortlist", "reason": "Weak."})
    page = second.content.decode()
    assert second.status_code == 200
    assert "has changed since you opened it" in page
    assert "Weak." in page  # what they typed is kept
    bid.refresh_from_db()
    assert bid.state == BidState.SHORTLISTED
    assert bid.events.filter(kind=EventKind.STATE_CHANGED, from_state=BidState.UNDER_ASSESSMENT).count() == 1


def test_a_stale_expected_state_is_refused_by_the_workflow_itself(open_round, council, lead_user):
    bid = factories.under_assessment_bid(open_round, "KEN", council=council, lead=lead_user)
    stale = Bid.objects.get(pk=bid.pk)
    workflow.change_state(bid, "shortlist", lead_user, reason="Strong.")
    with pytest.raises(workflow.StaleBid, match="has changed since you opened it"):
        workflow.change_state(
            stale, "not_shortlist", lead_user, reason="Weak.", expected_state="under_assessment"
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_deciding_the_same_bid_at_once_on_postgresql(postgres):
    """Real concurrency: both threads pass their checks at the same moment; the row lock
    makes one wait, and it then finds the bid has moved on."""
    lead = factories.lead_user()
    other = factories.user(Role.LEAD)
    bid = factories.under_assessment_bid(factories.open_round(), "KEN", lead=lead)
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(name, actor, action):
        try:
            barrier.wait(timeout=10)
            workflow.change_state(
                Bid.objects.get(pk=bid.pk), action, actor, reason=name, expected_state="under_assessment"
            )
            outcomes[name] = "done"
        except workflow.StaleBid:
            outcomes[name] = "stale"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("shortlist", lead, "shortlist")),
        threading.Thread(target=decide, args=("not_shortlist", other, "not_shortlist")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["done", "stale"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "done")
    bid.refresh_from_db()
    assert bid.state == EDGES[winner][1]
    changes = bid.events.filter(kind=EventKind.STATE_CHANGED, from_state=BidState.UNDER_ASSESSMENT)
    assert list(changes.values_list("reason", flat=True)) == [winner]


# Budget and pilot places ---------------------------------------------------------------


def approve_kent(bid, lead, base="60000", supplement="40000"):
    return approvals.approve(
        bid,
        lead,
        base_amount=Decimal(base),
        supplement_amount=Decimal(supplement),
        justification="Covers three districts." if Decimal(supplement) else "",
        reasons="Strong joint working.",
        feedback="The panel was impressed.",
    )


@pytest.mark.parametrize(
    ("limits", "problem"),
    [
        ({"total_budget": Decimal("150000")}, "would take"),
        ({"pilot_places": 1}, "All 1 pilot places"),
    ],
)
def test_approval_past_the_budget_or_the_pilot_places_is_refused_and_nothing_is_saved(
    django_capture_on_commit_callbacks, council, lead_user, limits, problem
):
    funding_round = factories.open_round(**limits)
    factories.approved_bid_with_award(funding_round, "LDS", lead=lead_user)
    bid = factories.interviewed_bid(funding_round, "KEN", council=council, lead=lead_user)
    events = bid.events.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.WorkflowError) as refused:
        approve_kent(bid, lead_user)
    assert problem in refused.value.problems[0]
    bid.refresh_from_db()
    assert bid.state == BidState.INTERVIEWED
    assert not Decision.objects.filter(bid=bid).exists()
    assert not FundingAward.objects.filter(bid=bid).exists()
    assert bid.events.count() == events
    assert mail.outbox == []


def test_approval_within_the_budget_makes_the_award(council, lead_user):
    funding_round = factories.open_round(total_budget=Decimal("200000"), pilot_places=2)
    factories.approved_bid_with_award(funding_round, "LDS", lead=lead_user)
    bid = factories.interviewed_bid(funding_round, "KEN", council=council, lead=lead_user)
    award = approve_kent(bid, lead_user)
    assert (award.base_amount, award.supplement_amount) == (Decimal("60000"), Decimal("40000"))
    assert Decision.objects.get(bid=bid).outcome == Decision.Outcome.APPROVED


# Email ---------------------------------------------------------------------------------


def sent_to(template_subject):
    return [message for message in mail.outbox if template_subject in message.subject]


def ics_of(message):
    (filename, content, mimetype) = next(a for a in message.attachments if a[0].endswith(".ics"))
    calendar = Calendar.from_ical(content)
    assert mimetype == f"text/calendar; method={calendar['method']}"
    return calendar


def test_emails_are_queued_in_the_transaction_and_sent_only_after_commit(
    django_capture_on_commit_callbacks, open_round, council, lead_user
):
    bid = factories.under_assessment_bid(open_round, "KEN", council=council, lead=lead_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.change_state(bid, "shortlist", lead_user, reason="Strong.")
        assert OutboundEmail.objects.filter(subject__contains="shortlisted").count() == 1
    assert mail.outbox == []  # not sent before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == [council.email]
    assert bid.reference in message.subject


@pytest.mark.parametrize(
    ("action", "subject"),
    [("not_shortlist", "not been shortlisted"), ("return_to_council", "returned")],
)
def test_council_emails_for_lead_decisions(
    django_capture_on_commit_callbacks, open_round, council, lead_user, action, subject
):
    start = BidState.SUBMITTED if action == "return_to_council" else BidState.UNDER_ASSESSMENT
    bid = bid_in(start, open_round, council, lead_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_state(bid, action, lead_user, reason="Because.")
    [message] = mail.outbox
    assert message.to == [council.email]
    assert subject in message.subject.lower() or subject in message.body.lower()


def test_no_email_for_internal_steps(django_capture_on_commit_callbacks, open_round, council, lead_user):
    bid = factories.submitted_bid(open_round, "KEN", council)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_state(bid, "begin_assessment", lead_user)
    assert mail.outbox == []


def test_interview_invitations_update_and_cancel_one_calendar_event(
    django_capture_on_commit_callbacks, open_round, council, lead_user
):
    bid = factories.shortlisted_bid(open_round, "KEN", council=council, lead=lead_user)
    mail.outbox.clear()
    starts = factories.interview_time(open_round, day_offset=2, hour=14)
    with django_capture_on_commit_callbacks(execute=True):
        interview = interviews.schedule(
            bid,
            lead_user,
            starts_at=starts,
            duration_minutes=90,
            location="Wellington House, London SE1 8UG",
            video_link="https://meet.example.com/ctp",
            panel=[lead_user],
        )
    [invite] = to_council(council)  # the panel is sent its own (tests/bids/test_interview_panel.py)
    assert invite.to == [council.email]
    calendar = ics_of(invite)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == str(interview.uid)
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == starts
    assert event.decoded("DTEND") == starts + timedelta(minutes=90)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)  # written in UTC
    assert str(event["ORGANIZER"]) == f"mailto:{lead_user.email}"
    attendees = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    assert [str(a) for a in attendees] == [f"mailto:{council.email}"]
    assert "Wellington House" in str(event["LOCATION"])

    mail.outbox.clear()
    later = starts + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        interviews.reschedule(
            Bid.objects.get(pk=bid.pk),
            lead_user,
            starts_at=later,
            duration_minutes=60,
            location="Wellington House, London SE1 8UG",
            video_link="",
            panel=[lead_user],
            reason="The panel chair is away.",
        )
    [update] = to_council(council)
    assert "rearranged" in update.subject.lower()
    event = ics_of(update).walk("VEVENT")[0]
    assert str(ics_of(update)["METHOD"]) == "REQUEST"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (str(interview.uid), 1)
    assert event.decoded("DTSTART") == later
    rescheduled = bid.events.get(kind=EventKind.INTERVIEW_RESCHEDULED)
    assert rescheduled.shown_to_council and rescheduled.reason == "The panel chair is away."
    assert Interview.objects.count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interviews.cancel(Bid.objects.get(pk=bid.pk), lead_user, "The panel cannot meet in May.")
    [cancellation] = to_council(council)
    calendar = ics_of(cancellation)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "CANCEL"
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        str(interview.uid),
        2,
        "CANCELLED",
    )
    assert "The panel cannot meet in May." in cancellation.body
    assert Bid.objects.get(pk=bid.pk).state == BidState.SHORTLISTED


def to_council(council):
    """The emails sent to the council (each panel member is sent their own)."""
    return [email for email in mail.outbox if email.to == [council.email]]


def calendar_part(message):
    """The calendar part of the email as a mail client receives it (its MIME message)."""
    parsed = message_from_bytes(message.message().as_bytes())
    (part,) = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_payload(decode=True))


def test_the_invitation_is_an_invitation_in_outlook_and_gmail_and_its_cancellation_a_cancellation(
    django_capture_on_commit_callbacks, open_round, council, lead_user
):
    """RFC 6047: the iTIP method is in the calendar part's content type, as well as in the
    calendar; ROLE is an attendee's alone; a cancellation asks nobody to reply."""
    bid = factories.shortlisted_bid(open_round, "KEN", council=council, lead=lead_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interviews.schedule(
            bid,
            lead_user,
            starts_at=factories.interview_time(open_round, day_offset=2, hour=14),
            duration_minutes=60,
            location="Wellington House, London SE1 8UG",
            video_link="",
            panel=[lead_user],
        )
        interviews.cancel(Bid.objects.get(pk=bid.pk), lead_user, "The panel cannot meet in May.")
    invite, cancellation = to_council(council)
    part, calendar = calendar_part(invite)
    assert (part.get_param("method"), str(calendar["METHOD"])) == ("REQUEST", "REQUEST")
    assert part.get_content_charset() == "utf-8"
    event = calendar.walk("VEVENT")[0]
    assert "ROLE" not in event["ORGANIZER"].params
    attendee = event["ATTENDEE"]
    assert (attendee.params["ROLE"], attendee.params["RSVP"], attendee.params["PARTSTAT"]) == (
        "REQ-PARTICIPANT",
        "TRUE",
        "NEEDS-ACTION",
    )
    part, calendar = calendar_part(cancellation)
    assert (part.get_param("method"), str(calendar["METHOD"])) == ("CANCEL", "CANCEL")
    attendee = calendar.walk("VEVENT")[0]["ATTENDEE"]
    assert "RSVP" not in attendee.params and "PARTSTAT" not in attendee.params


def test_withdrawing_takes_the_interview_out_of_the_councils_calendar(
    django_capture_on_commit_callbacks, open_round, council, lead_user
):
    bid = factories.interview_booked_bid(open_round, "KEN", council=council, lead=lead_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_state(bid, "withdraw", council, reason="Our board changed its mind.")
    assert bid.interviews.get().state == Interview.State.CANCELLED
    cancellation = next(m for m in mail.outbox if "cancelled" in m.subject.lower())
    assert str(ics_of(cancellation)["METHOD"]) == "CANCEL"


def test_decision_emails_carry_the_award_and_the_feedback_never_the_internal_reasons(
    django_capture_on_commit_callbacks, open_round, council, lead_user
):
    bid = factories.interviewed_bid(open_round, "KEN", council=council, lead=lead_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approvals.approve(
            bid,
            lead_user,
            base_amount=Decimal("60000"),
            supplement_amount=Decimal("40000"),
            justification="Three districts.",
            reasons="INTERNAL-REASON the scores were the highest.",
            feedback="The panel was impressed by your partnership.",
        )
    approved = sent_to("approved")
    assert len(approved) == 1
    assert approved[0].to == [council.email]
    assert "The panel was impressed by your partnership." in approved[0].body
    assert "100,000" in approved[0].body
    assert all("INTERNAL-REASON" not in m.body for m in mail.outbox)


def test_rejection_email(django_capture_on_commit_callbacks, open_round, council, lead_user):
    bid = factories.interviewed_bid(open_round, "KEN", council=council, lead=lead_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.reject(bid, lead_user, reasons="INTERNAL-REASON", feedback="Strengthen the role of health.")
    [message] = mail.outbox
    assert message.to == [council.email]
    assert "Strengthen the role of health." in message.body
    assert "INTERNAL-REASON" not in message.body
