"""Hostile input on officials' pages: extensions, conflicts of interest, scoring,
eligibility, assignment, moderation, reopening scores, the ranking's bulk shortlisting and
filters, shortlisting, interviews and decisions.

Among the ids drawn are other people's: a council officer, the lead, an assessor with a
conflict of interest, another bid's assessment, a bid from another round, ids that do not
exist.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Role
from bids import bookings, eligibility, scoring
from bids.forms.extensions import REASON_LIMIT
from bids.models import (
    Assessment,
    Assignment,
    Bid,
    BidState,
    ConflictOfInterest,
    CriterionScore,
    DeadlineExtension,
    EventKind,
    Interview,
    InterviewScore,
    Moderation,
)
from reference.models import LocalAuthority
from tests import factories
from trusts.models import FundingAward

from .inputs import (
    HOSTILE,
    NUL,
    NUMBERISH,
    assert_escaped,
    assert_handled,
    assert_no_nul,
    client_as,
    field,
    form,
    hostile_text,
    last_text,
    page_text,
    posting,
    rolled_back,
)

pytestmark = pytest.mark.django_db

NOT_THERE = ["0", "999999999", str(2**63 - 1), str(2**70)]


def url(name, bid, **extra):
    return reverse(name if ":" in name else f"bids:{name}", kwargs={"reference": bid.reference, **extra})


def words(text):
    return len(text.split())


@pytest.fixture
def lead_client(lead):
    return client_as(lead)


@pytest.fixture
def conflicted(lead):
    """An assessor with a conflict of interest with Kent."""
    person = factories.user(Role.ASSESSOR, region="south_east")
    factories.conflict(person, "KEN", declared_by=person)
    return person


def people_ids(*people):
    return [str(person.pk) for person in people] + NOT_THERE + ["abc", f"1{NUL}", "²", "-1", "1.0"]


def assert_reason_recorded(event, limit_words=300):
    assert event.reason.strip() == event.reason and event.reason
    assert words(event.reason) <= limit_words
    assert_no_nul(event.reason)


# Deadline extensions ---------------------------------------------------------------------


def date_parts(day):
    return {
        "closes_at_day": field(str(day.day), f"0{day.day}", "31", "32", "0", *NUMBERISH),
        "closes_at_month": field(str(day.month), "2", "13", *NUMBERISH),
        "closes_at_year": field(str(day.year), "2003", "99999", "03", *NUMBERISH),
        "closes_at_hour": field("17", "23", "0", "24", "99", *NUMBERISH),
        "closes_at_minute": field("00", "59", "60", *NUMBERISH),
    }


@HOSTILE
@given(data=st.data())
def test_extensions_always_move_the_deadline_later_for_a_real_authority(
    data, lead_client, lead, open_round, kent_user
):
    later = open_round.closes_at.date() + timedelta(days=7)
    kent, leeds = factories.authority("KEN"), factories.authority("LDS")
    posted = data.draw(
        form(
            authority=field(str(kent.pk), str(leeds.pk), *NOT_THERE, "KEN", "²"),
            reason=field(
                "Flooding closed the council offices.", "x" * REASON_LIMIT, "x" * (REASON_LIMIT + 1), "  "
            ),
            **date_parts(later),
        )
    )
    with rolled_back():
        response = posting(
            lead_client, reverse("bids:extensions", args=[open_round.slug]), posted, data.draw(st.booleans())
        )
        outcome = assert_handled(response)
        extensions = list(DeadlineExtension.objects.filter(funding_round=open_round))
        assert len(extensions) == (1 if outcome == "success" else 0)
        for extension in extensions:
            assert extension.closes_at > open_round.closes_at and extension.closes_at > timezone.now()
            assert LocalAuthority.objects.filter(pk=extension.authority_id).exists()
            assert extension.reason.strip() and len(extension.reason) <= REASON_LIMIT
            assert extension.granted_by == lead
            assert_no_nul(extension.reason)
            page = client_page(lead_client, reverse("bids:extensions", args=[open_round.slug]))
            assert extension.authority.name in page


def client_page(client, address):
    response = client.get(address)
    assert response.status_code == 200
    text = page_text(response)
    assert_escaped(text)
    return text


# Conflicts of interest -------------------------------------------------------------------


@pytest.fixture
def assessed_bid(open_round, assessor, other_assessor, kent_user, lead):
    return factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor], kent_user, lead)


@HOSTILE
@given(data=st.data())
def test_conflicts_are_only_ever_recorded_for_active_assessors(
    data, assessor, other_assessor, lead, kent_user, admin_user, assessed_bid
):
    clients = {person.pk: client_as(person) for person in (assessor, lead)}
    declarer = data.draw(st.sampled_from([assessor, lead]))
    kent, leeds = factories.authority("KEN"), factories.authority("LDS")
    posted = data.draw(
        form(
            assessor=field(*people_ids(assessor, other_assessor, lead, kent_user, admin_user)),
            authority=field(str(kent.pk), str(leeds.pk), *NOT_THERE),
            reason=field("I worked for the council until 2001.", "word " * 151),
        )
    )
    before = set(ConflictOfInterest.objects.values_list("pk", flat=True))
    with rolled_back():
        response = posting(clients[declarer.pk], reverse("bids:conflicts"), posted)
        outcome = assert_handled(response)
        new = ConflictOfInterest.objects.exclude(pk__in=before).select_related("assessor")
        assert new.count() == (1 if outcome == "success" else 0)
        for conflict in new:
            assert conflict.assessor.role == Role.ASSESSOR and conflict.assessor.is_active
            assert conflict.declared_by == declarer
            if declarer == assessor:
                assert conflict.assessor == assessor, "an assessor declared a conflict for someone else"
            assert conflict.reason.strip() and words(conflict.reason) <= 150
            assert_no_nul(conflict.reason)
            # The conflict takes the assessor off the authority's bids at once.
            assert not Assignment.objects.filter(
                assessor=conflict.assessor, bid__authority=conflict.authority
            ).exists()


# Scoring ---------------------------------------------------------------------------------


@pytest.fixture
def leeds_bid(lead):
    return factories.under_assessment_bid(factories.open_round(), "LDS", [], lead=lead)


@HOSTILE
@given(data=st.data())
def test_scores_stay_between_0_and_4_and_a_submitted_total_is_the_weighted_one(
    data, assessor, other_assessor, assessed_bid, leeds_bid, their_draft
):
    criteria = scoring.criteria_for(assessed_bid)
    foreign = scoring.criteria_for(leeds_bid)[0]
    score = field("0", "1", "2", "3", "4", "5", "-1", "4.0", "", *NUMBERISH)
    fields = {f"score_{c.pk}": score for c in criteria}
    fields.update({f"comment_{c.pk}": field("Strong joint working.", "word " * 301) for c in criteria})
    posted = data.draw(
        form(
            **fields,
            **{f"score_{foreign.pk}": score, "score_0": score},
            recommendation=field("shortlist", "do_not_shortlist", "maybe"),
            summary=field("Good bid.", "word " * 501),
            expected_state=field("under_assessment", "submitted", "shortlisted"),
            action=field("submit", "draft"),
        )
    )
    bid = data.draw(st.sampled_from([assessed_bid] * 4 + [leeds_bid]))
    theirs = list(CriterionScore.objects.filter(assessment__assessor=other_assessor).values())
    with rolled_back():
        response = posting(client_as(assessor), reverse("bids:score", args=[bid.reference]), posted)
        assert_handled(response, refusals=(404,) if bid == leeds_bid else ())
        assert list(CriterionScore.objects.filter(assessment__assessor=other_assessor).values()) == theirs
        assessment = Assessment.objects.filter(bid=assessed_bid, assessor=assessor).first()
        assert not Assessment.objects.filter(bid=leeds_bid).exists()
        if assessment is None:
            return
        rows = list(assessment.scores.select_related("criterion"))
        for row in rows:
            assert row.score is None or 0 <= row.score <= 4, row.score
            assert row.criterion.funding_round_id == assessed_bid.funding_round_id
            assert words(row.comment) <= 300
            assert_no_nul(row.comment)
        assert assessment.recommendation in ("", "shortlist", "do_not_shortlist")
        assert words(assessment.summary) <= 500
        if assessment.state == Assessment.State.SUBMITTED:
            assert last_text(posted.get("action")) == "submit"
            assert assessment.recommendation and all(row.score is not None for row in rows)
            assert assessment.weighted_total == scoring.weighted_total(
                (row.criterion, row.score) for row in rows
            )
            assert Decimal("0") <= assessment.weighted_total <= Decimal("100")


@pytest.fixture
def their_draft(assessed_bid, other_assessor):
    return factories.submit_scores(assessed_bid, other_assessor, [2, 2, 2, 2, 2], submit=False)


# Eligibility, assignment, moderation, reopening ---------------------------------------------


@pytest.fixture
def submitted(open_round, kent_user):
    return factories.submitted_bid(open_round, "KEN", kent_user)


@HOSTILE
@given(data=st.data())
def test_eligibility_only_starts_an_eligible_bid_or_returns_it_with_a_reason(data, lead_client, submitted):
    posted = data.draw(
        form(
            action=field("start", "return", "approve"),
            expected_state=field("submitted", "draft", "approved"),
            **{
                "return-reason": field("Add your health partner.", "word " * 301),
                "return-expected_state": field("submitted", "under_assessment"),
            },
        )
    )
    with rolled_back():
        response = posting(lead_client, url("eligibility", submitted), posted)
        if last_text(posted.get("action")) not in ("start", "return"):
            # No button of the page was pressed: the page is shown again and nothing changes.
            assert response.status_code == 200
            assert Bid.objects.get(pk=submitted.pk).state == BidState.SUBMITTED
            return
        outcome = assert_handled(response)
        fresh = Bid.objects.get(pk=submitted.pk)
        assert fresh.state in (BidState.SUBMITTED, BidState.UNDER_ASSESSMENT, BidState.DRAFT)
        if fresh.state == BidState.UNDER_ASSESSMENT:
            assert outcome == "success" and not eligibility.eligibility_problems(fresh)
        if fresh.state == BidState.DRAFT:
            assert_reason_recorded(fresh.events.get(kind=EventKind.STATE_CHANGED, to_state=BidState.DRAFT))


@pytest.fixture
def inactive(db):
    return factories.user(Role.ASSESSOR, is_active=False)


@HOSTILE
@given(data=st.data())
def test_only_assessors_without_a_conflict_are_assigned(
    data, lead_client, submitted, assessor, other_assessor, conflicted, lead, kent_user, inactive
):
    posted = data.draw(
        form(
            assessor=field(*people_ids(assessor, other_assessor, conflicted, lead, kent_user, inactive)),
            expected_state=field("submitted", "under_assessment"),
        )
    )
    with rolled_back():
        assert_handled(posting(lead_client, url("bid-assessors", submitted), posted))
        for assignment in Assignment.objects.filter(bid=submitted).select_related("assessor"):
            person = assignment.assessor
            assert person.role == Role.ASSESSOR and person.is_active
            assert not ConflictOfInterest.objects.filter(
                assessor=person, authority=submitted.authority
            ).exists()


@HOSTILE
@given(data=st.data())
def test_auto_assigning_never_gives_a_bid_to_a_conflicted_or_absent_assessor(
    data, lead_client, open_round, submitted, submitted_other, assessor, other_assessor, conflicted
):
    who = data.draw(st.sampled_from(["lead", "lead", "assessor"]))
    client = lead_client if who == "lead" else client_as(assessor)
    slug = data.draw(st.sampled_from([open_round.slug, "pilots-2003", "no-such-round"]))
    posted = data.draw(form(bids=field(str(submitted.pk)), assessor=field(str(conflicted.pk))))
    with rolled_back():
        response = posting(client, reverse("bids:auto-assign", args=[slug]), posted)
        assert_handled(
            response, refusals=(403,) if who == "assessor" else (404,) if slug == "no-such-round" else ()
        )
        for assigned in Assignment.objects.select_related("assessor", "bid"):
            person = assigned.assessor
            assert person.role == Role.ASSESSOR and person.is_active
            assert not ConflictOfInterest.objects.filter(
                assessor=person, authority=assigned.bid.authority
            ).exists()
        if who == "assessor":
            assert not Assignment.objects.exists()


@pytest.fixture
def leeds_assigned(leeds_bid, assessor, other_assessor, lead):
    factories.assign(leeds_bid, assessor, lead)
    factories.assign(leeds_bid, other_assessor, lead)
    return leeds_bid


@HOSTILE
@given(data=st.data())
def test_unassigning_touches_only_the_one_assignment_on_this_bid(
    data, lead_client, assessed_bid, leeds_assigned, assessor, other_assessor, lead
):
    pk = data.draw(st.sampled_from([assessor.pk, other_assessor.pk, lead.pk, 999_999_999, 2**63 - 1, 2**70]))
    posted = data.draw(form(expected_state=field("under_assessment", "submitted")))
    elsewhere = list(Assignment.objects.exclude(bid=assessed_bid).values())
    with rolled_back():
        response = posting(lead_client, url("unassign", assessed_bid, assessor_pk=pk), posted)
        assigned = pk in (assessor.pk, other_assessor.pk)
        assert_handled(response, refusals=() if assigned else (404,))
        assert list(Assignment.objects.exclude(bid=assessed_bid).values()) == elsewhere
        left = set(Assignment.objects.filter(bid=assessed_bid).values_list("assessor_id", flat=True))
        assert left in ({assessor.pk, other_assessor.pk}, {assessor.pk, other_assessor.pk} - {pk})


@HOSTILE
@given(data=st.data())
def test_a_moderated_score_is_a_percentage_to_two_places(data, lead_client, assessed_bid):
    posted = data.draw(
        form(
            score=field("72.5", "72.5%", "100", "100.01", "0", "-0.01", "72.555", "1e2", "1e-2", *NUMBERISH),
            reason=field("Resolved the assessors' disagreement.", "word " * 301),
            expected_state=field("under_assessment", "shortlisted"),
            seen_moderation=field("", "2003-01-01T00:00:00+00:00"),
        )
    )
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("moderate", assessed_bid), posted))
        moderation = Moderation.objects.filter(bid=assessed_bid).first()
        assert (moderation is not None) == (outcome == "success")
        if moderation:
            assert Decimal("0") <= moderation.score <= Decimal("100")
            assert moderation.score == moderation.score.quantize(Decimal("0.01"))
            assert moderation.reason.strip() and words(moderation.reason) <= 300
            client_page(lead_client, url("moderate", assessed_bid))
            client_page(lead_client, reverse("bids:ranking", args=[assessed_bid.funding_round.slug]))


@pytest.fixture
def submitted_scores(assessed_bid, leeds_assigned, assessor, other_assessor):
    """Scores submitted on this bid, and on Leeds's bid in another round."""
    mine = factories.submit_scores(assessed_bid, assessor, [3, 3, 3, 3, 3])
    theirs = factories.submit_scores(leeds_assigned, other_assessor, [1, 1, 1, 1, 1])
    return mine, theirs


@HOSTILE
@given(data=st.data())
def test_reopening_scores_reaches_only_this_bids_assessments(
    data, lead_client, assessed_bid, submitted_scores
):
    mine, theirs = submitted_scores
    pk = data.draw(st.sampled_from([mine.pk, mine.pk, theirs.pk, 999_999_999, 2**70]))
    posted = data.draw(
        form(
            reason=field("Criterion 2 was misread.", "word " * 301),
            expected_state=field("under_assessment", "draft"),
        )
    )
    with rolled_back():
        response = posting(lead_client, url("reopen-scores", assessed_bid, assessment_pk=pk), posted)
        outcome = assert_handled(response, refusals=() if pk == mine.pk else (404,))
        assert Assessment.objects.get(pk=theirs.pk).state == Assessment.State.SUBMITTED
        reopened = Assessment.objects.get(pk=mine.pk).state == Assessment.State.DRAFT
        assert reopened == (outcome == "success")
        if reopened:
            assert_reason_recorded(assessed_bid.events.get(kind=EventKind.SCORE_REOPENED))


# The ranking: bulk shortlisting and filters ---------------------------------------------------


@HOSTILE
@given(data=st.data())
def test_bulk_shortlisting_changes_only_this_rounds_bids_under_assessment(
    data, lead_client, open_round, assessed_bid, submitted_other, leeds_bid, lead
):
    in_round = [assessed_bid, submitted_other]
    ids = [str(bid.pk) for bid in [*in_round, leeds_bid]] + NOT_THERE + NUMBERISH
    posted = data.draw(
        form(
            decision=field("shortlist", "not_shortlist", "approve"),
            reason=field("Scored above the line.", "word " * 301),
            bids=field([str(assessed_bid.pk)], also=st.lists(st.sampled_from(ids), max_size=4)),
            **{f"seen-{bid.pk}": field(bid.state, "draft") for bid in [*in_round, leeds_bid]},
        )
    )
    states = dict(Bid.objects.values_list("pk", "state"))
    with rolled_back():
        response = posting(lead_client, reverse("bids:ranking", args=[open_round.slug]), posted)
        assert_handled(response)
        value = posted.get("bids", [])
        sent = {v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)}
        for pk, state in Bid.objects.values_list("pk", "state"):
            if state != states[pk]:
                assert pk == assessed_bid.pk and str(pk) in sent, (
                    f"bid {pk} moved from {states[pk]} to {state}"
                )
                assert state in (BidState.SHORTLISTED, BidState.NOT_SHORTLISTED)
                assert_reason_recorded(
                    Bid.objects.get(pk=pk).events.filter(kind=EventKind.STATE_CHANGED).last()
                )


@pytest.fixture
def submitted_other(open_round):
    return factories.submitted_bid(open_round, "LDS")


@HOSTILE
@given(
    query=form(
        q=field("Kent", "CTP-", "%", "_"),
        state=field("under_assessment", "draft", "bogus"),
        region=field("south_east", "atlantis"),
        kind=field("county", "parish"),
        focus=field("broad", "narrow"),
        flagged=field("yes", "no", "maybe"),
        sort=field("score", "-score", "authority", "-requested", "state", "password"),
        page=field("1", "2", "-1", "last", *NUMBERISH),
    )
)
def test_ranking_filters_take_any_query_string(query, lead_client, open_round, assessed_bid):
    plain = {
        k: [v for v in (vs if isinstance(vs, list) else [vs]) if isinstance(v, str)]
        for k, vs in query.items()
    }
    with rolled_back():
        response = lead_client.get(reverse("bids:ranking", args=[open_round.slug]), plain)
        assert response.status_code == 200
        assert_escaped(page_text(response))


# Shortlisting and interviews -------------------------------------------------------------------


@HOSTILE
@given(data=st.data())
def test_shortlisting_moves_the_bid_one_step_with_a_reason(data, lead_client, assessed_bid):
    posted = data.draw(
        form(
            decision=field("shortlist", "not_shortlist", "approve", "withdraw"),
            reason=field("Scored above the line.", "word " * 301),
            expected_state=field("under_assessment", "shortlisted"),
        )
    )
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("shortlist", assessed_bid), posted))
        state = Bid.objects.get(pk=assessed_bid.pk).state
        assert state in (BidState.UNDER_ASSESSMENT, BidState.SHORTLISTED, BidState.NOT_SHORTLISTED)
        assert (state != BidState.UNDER_ASSESSMENT) == (outcome == "success")
        if outcome == "success":
            assert_reason_recorded(assessed_bid.events.filter(kind=EventKind.STATE_CHANGED).last())


@pytest.fixture
def shortlisted(open_round, kent_user, assessor, lead):
    return factories.shortlisted_bid(open_round, "KEN", [assessor], kent_user, lead)


@pytest.fixture
def booked(open_round, kent_user, assessor, lead):
    return factories.interview_booked_bid(open_round, "KEN", [assessor], kent_user, lead)


@pytest.fixture
def begun(booked):
    """The booked interview, begun a minute ago: the panel may record it and score it now."""
    Interview.objects.filter(bid=booked).update(starts_at=timezone.now() - timedelta(minutes=1))
    return booked


def interview_form(bid, people, **extra):
    day = bid.funding_round.interviews_start_on + timedelta(days=3)
    outside = bid.funding_round.interviews_end_on + timedelta(days=1)
    return form(
        starts_at_day=field(str(day.day), str(outside.day), "31", "0", *NUMBERISH),
        starts_at_month=field(str(day.month), str(outside.month), "13", *NUMBERISH),
        starts_at_year=field(str(day.year), "2003", "20030", *NUMBERISH),
        starts_at_hour=field("10", "0", "23", "24", *NUMBERISH),
        starts_at_minute=field("30", "00", "59", "60", *NUMBERISH),
        duration_minutes=field(*[str(m) for m in bookings.DURATIONS], "15", "600", *NUMBERISH),
        location=field("Wellington House, 133-155 Waterloo Road, London SE1 8UG", "L" * 255, "L" * 256, ""),
        video_link=field(
            "https://meet.example.com/ctp", "meet.example.com/ctp", "javascript:alert(1)", "ftp://x", ""
        ),
        panel=field([str(people[0].pk)], also=st.lists(st.sampled_from(people_ids(*people)), max_size=3)),
        expected_state=field(bid.state, "shortlisted", "interviewed"),
        **extra,
    )


def assert_booking_keeps_the_rules(bid):
    for interview in Interview.objects.filter(bid=bid, state=Interview.State.SCHEDULED):
        assert bookings.in_window(bid.funding_round, interview.starts_at)
        assert interview.duration_minutes in bookings.DURATIONS
        assert len(interview.location) <= 255 and (interview.location.strip() or interview.video_link.strip())
        assert interview.video_link == "" or interview.video_link.startswith(("https://", "http://"))
        panel = set(interview.panel.values_list("pk", flat=True))
        assert panel and panel <= set(bookings.panel_candidates(bid).values_list("pk", flat=True))
        assert_no_nul(interview.location, interview.video_link)


@HOSTILE
@given(data=st.data())
def test_an_interview_is_booked_in_the_window_with_a_panel_that_may_sit(
    data, lead_client, shortlisted, assessor, other_assessor, conflicted, lead, kent_user
):
    posted = data.draw(interview_form(shortlisted, [lead, assessor, other_assessor, conflicted, kent_user]))
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("schedule-interview", shortlisted), posted))
        state = Bid.objects.get(pk=shortlisted.pk).state
        assert (state == BidState.INTERVIEW_SCHEDULED) == (outcome == "success")
        assert_booking_keeps_the_rules(shortlisted)
        if outcome == "success":
            response = lead_client.get(url("interview-ics", shortlisted))
            assert response.status_code == 200


@HOSTILE
@given(data=st.data())
def test_a_rearranged_interview_keeps_the_rules_and_records_why(
    data, lead_client, booked, assessor, other_assessor, conflicted, lead, kent_user
):
    posted = data.draw(
        interview_form(
            booked,
            [lead, assessor, other_assessor, conflicted, kent_user],
            reason=field("The panel chair is ill.", "word " * 301),
        )
    )
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("reschedule-interview", booked), posted))
        assert Bid.objects.get(pk=booked.pk).state == BidState.INTERVIEW_SCHEDULED
        assert_booking_keeps_the_rules(booked)
        moved = booked.events.filter(kind=EventKind.INTERVIEW_RESCHEDULED)
        assert moved.count() == (1 if outcome == "success" else 0)
        for event in moved:
            assert_reason_recorded(event)


@HOSTILE
@given(data=st.data())
def test_cancelling_an_interview_needs_a_reason(data, lead_client, booked):
    posted = data.draw(
        form(
            reason=field("The council asked to move it.", "word " * 301),
            expected_state=field("interview_scheduled", "shortlisted"),
        )
    )
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("cancel-interview", booked), posted))
        state = Bid.objects.get(pk=booked.pk).state
        assert (state == BidState.SHORTLISTED) == (outcome == "success")
        if outcome == "success":
            assert_reason_recorded(booked.events.filter(kind=EventKind.STATE_CHANGED).last())


@HOSTILE
@given(data=st.data())
def test_a_recorded_interview_has_notes_and_a_score_from_0_to_4(data, lead_client, begun):
    posted = data.draw(
        form(
            score=field("0", "3", "4", "5", "-1", *NUMBERISH),
            notes=field("Strong answers on governance.", "word " * 2001),
            expected_state=field("interview_scheduled", "interviewed"),
        )
    )
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("record-interview", begun), posted))
        held = Interview.objects.filter(bid=begun, state=Interview.State.HELD).first()
        assert (held is not None) == (outcome == "success")
        if held:
            assert 0 <= held.score <= 4 and held.notes.strip() and words(held.notes) <= 2000
            assert_no_nul(held.notes)


@HOSTILE
@given(data=st.data())
def test_a_members_own_interview_score_is_from_0_to_4_with_a_comment(data, lead_client, begun):
    posted = data.draw(
        form(
            score=field("0", "3", "4", "5", "-1", *NUMBERISH),
            comment=field("Clear on governance.", "word " * 501),
            expected_state=field("interview_scheduled", "interviewed"),
        )
    )
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("interview-member-score", begun), posted))
        own = InterviewScore.objects.filter(interview__bid=begun).first()
        assert (own is not None) == (outcome == "success")
        if own:
            assert 0 <= own.score <= 4 and own.comment.strip() and words(own.comment) <= 500
            assert_no_nul(own.comment)


# Decisions -------------------------------------------------------------------------------------


@pytest.fixture
def interviewed(open_round, kent_user, lead):
    return factories.interviewed_bid(open_round, "KEN", [], kent_user, lead)


MONEY = [
    "60000",
    "£60,000",
    "60,000.00",
    "59999.99",
    "60000.01",
    "0",
    "-1",
    "0.001",
    "40000",
    "40000.01",
    "-0",
]


@HOSTILE
@given(data=st.data())
def test_an_award_is_always_within_the_rounds_limits(data, lead_client, kent_user, interviewed):
    posted = data.draw(
        form(
            base_amount=field(*MONEY, *NUMBERISH),
            supplement_amount=field("0", *MONEY, "", *NUMBERISH),
            supplement_justification=field("Three primary care trusts.", "", "word " * 301),
            reasons=field("Strong joint working.", "word " * 501),
            feedback=field("The panel was impressed.", "word " * 501),
            expected_state=field("interviewed", "approved"),
        )
    )
    funding_round = interviewed.funding_round
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("trusts:approve", interviewed), posted))
        award = FundingAward.objects.filter(bid=interviewed).first()
        assert (award is not None) == (outcome == "success")
        assert (Bid.objects.get(pk=interviewed.pk).state == BidState.APPROVED) == (outcome == "success")
        if award:
            assert Decimal("0") < award.base_amount <= funding_round.base_award
            assert Decimal("0") <= award.supplement_amount <= funding_round.max_supplement
            assert award.base_amount + award.supplement_amount <= funding_round.max_award
            if award.supplement_amount:
                assert award.supplement_justification.strip()
            decision = interviewed.decision
            assert decision.reasons.strip() and decision.feedback.strip()
            assert words(decision.reasons) <= 500 and words(decision.feedback) <= 500
            assert_no_nul(award.supplement_justification, decision.reasons, decision.feedback)
            letter = client_as(kent_user).get(reverse("trusts:award-letter", args=[award.pk]))
            assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"


@HOSTILE
@given(data=st.data())
def test_a_rejection_records_reasons_and_feedback(data, lead_client, interviewed):
    posted = data.draw(
        form(
            reasons=field("Governance was unclear.", "word " * 501),
            feedback=field("Say who chairs the board.", "word " * 501),
            expected_state=field("interviewed", "rejected"),
        )
    )
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("reject", interviewed), posted))
        rejected = Bid.objects.get(pk=interviewed.pk).state == BidState.REJECTED
        assert rejected == (outcome == "success")
        assert not FundingAward.objects.filter(bid=interviewed).exists()
        if rejected:
            decision = Bid.objects.get(pk=interviewed.pk).decision
            assert decision.outcome == "rejected" and decision.reasons.strip() and decision.feedback.strip()


# Ids in addresses -------------------------------------------------------------------------------


@HOSTILE
@given(
    reference=st.one_of(
        st.sampled_from([NUL, f"CTP{NUL}", "CTP-2003-ZZZ"]), hostile_text.filter(lambda t: t and "/" not in t)
    ),
    name=st.sampled_from(
        ["score", "eligibility", "moderate", "shortlist", "trusts:approve", "schedule-interview"]
    ),
)
def test_an_officials_page_for_a_bid_that_is_not_there_is_page_not_found(reference, name, lead_client):
    with rolled_back():
        response = lead_client.post(url(name, Bid(reference=reference)), {"reason": "x"})
        assert response.status_code == 404
