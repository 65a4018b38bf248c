"""Decisions recorded as pending (bids/staging.py): refused in the wrong state, without
words or by anyone but the lead; invisible to the council until released; changed, taken
back, drafted from the assessors' comments the lead picks; and the pages that do it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import OutboundEmail, Role
from bids import scoring, staging, workflow
from bids.models import Bid, BidEvent, BidState, CriterionScore, EventKind, StagedDecision
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

JOINT = "Joint working across social services, education and health"


def url(name, bid):
    return reverse(f"bids:{name}", kwargs={"reference": bid.reference})


def pending_url(funding_round):
    return reverse("bids:pending-decisions", kwargs={"round_slug": funding_round.slug})


def stage_shortlist(bid, lead, **changes):
    words = {
        "outcome": "shortlist",
        "reasons": "INTERNAL-REASONS: above the line.",
        "feedback": "COUNCIL-FEEDBACK: your partnership is strong.",
    }
    return staging.stage(bid, lead, **{**words, **changes})


def commented(bid, assessor, comments, values=(3, 3, 3, 3, 3)):
    """The assessor's submitted scores, with the comments given on the criteria they name; on
    the others, a comment that is then blanked (scoring asks for one on every criterion)."""
    criteria = scoring.criteria_for(bid)
    scores = {c.pk: (v, comments.get(c.name, "Blank me")) for c, v in zip(criteria, values, strict=True)}
    assessment = scoring.save(
        bid, assessor, scores=scores, recommendation="shortlist", summary="S.", submit=True
    )
    CriterionScore.objects.filter(assessment__bid=bid, comment="Blank me").update(comment="")
    return assessment


@pytest.fixture
def bid(open_round, kent_user, assessor, other_assessor, lead):
    return factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor], kent_user, lead)


# The verb --------------------------------------------------------------------------------


def test_staging_changes_nothing_the_council_sees_and_records_an_internal_event(
    django_capture_on_commit_callbacks, bid, lead
):
    mail.outbox.clear()
    queued = OutboundEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        staged = stage_shortlist(bid, lead)
    bid.refresh_from_db()
    assert bid.state == BidState.UNDER_ASSESSMENT
    assert (staged.state, staged.outcome, staged.bid_state) == ("pending", "shortlist", "under_assessment")
    assert staged.recorded_by == lead and staged.released_at is None
    assert mail.outbox == [] and OutboundEmail.objects.count() == queued
    event = bid.events.latest("pk")
    assert event.kind == EventKind.DECISION_STAGED and not event.shown_to_council
    assert "INTERNAL-REASONS" in event.reason and event.detail["outcome"] == "shortlist"
    assert event.detail["feedback"] == "COUNCIL-FEEDBACK: your partnership is strong."


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ("approve", "You cannot approve a bid that is under assessment"),
        ("reject", "You cannot reject a bid that is under assessment"),
    ],
)
def test_final_decisions_are_refused_before_the_interview(bid, lead, outcome, message):
    with pytest.raises(workflow.WorkflowError) as refused:
        stage_shortlist(bid, lead, outcome=outcome, base_amount=1)
    assert refused.value.problems == [message]
    assert not StagedDecision.objects.exists()


def test_shortlisting_is_refused_once_interviewed(open_round, kent_user, lead):
    interviewed = factories.interviewed_bid(open_round, "KEN", council=kent_user, lead=lead)
    for outcome in ("shortlist", "not_shortlist"):
        with pytest.raises(workflow.WorkflowError) as refused:
            stage_shortlist(interviewed, lead, outcome=outcome)
        assert "a bid that is interviewed" in refused.value.problems[0]
    assert not StagedDecision.objects.exists()


def test_staging_needs_reasons_and_feedback(bid, lead):
    with pytest.raises(workflow.WorkflowError) as refused:
        stage_shortlist(bid, lead, reasons=" ", feedback="")
    assert refused.value.problems == [
        "Enter the reasons for the decision",
        "Enter the feedback to share with the council",
    ]
    assert not StagedDecision.objects.exists() and not bid.events.filter(kind="decision_staged").exists()


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.ADMIN, Role.COUNCIL])
def test_only_the_lead_stages(bid, role):
    someone = factories.user(role, "KEN" if role == Role.COUNCIL else None)
    with pytest.raises(workflow.WorkflowError) as refused:
        stage_shortlist(bid, someone)
    assert refused.value.problems == ["You cannot shortlist this bid"]
    assert not StagedDecision.objects.exists()


def test_a_page_out_of_date_is_refused(bid, lead):
    with pytest.raises(workflow.StaleBid):
        stage_shortlist(bid, lead, expected_state=BidState.SUBMITTED)


def test_one_pending_decision_per_bid_the_second_is_refused(bid, lead):
    stage_shortlist(bid, lead)
    with pytest.raises(workflow.WorkflowError) as refused:
        stage_shortlist(bid, lead, outcome="not_shortlist")
    assert "already has a pending decision (shortlist)" in refused.value.problems[0]
    assert StagedDecision.objects.filter(bid=bid).count() == 1


def test_taking_back_keeps_the_record_and_lets_the_lead_decide_again(bid, lead):
    staged = stage_shortlist(bid, lead)
    staging.drop(staged, lead, reason="Wait for the moderation.")
    staged.refresh_from_db()
    assert staged.state == StagedDecision.State.DROPPED
    event = bid.events.latest("pk")
    assert event.kind == EventKind.STAGED_DECISION_DROPPED and not event.shown_to_council
    assert event.reason == "Wait for the moderation."
    with pytest.raises(workflow.WorkflowError) as refused:
        staging.drop(staged, lead)
    assert "no longer pending: it was taken back" in refused.value.problems[0]
    again = stage_shortlist(bid, lead, outcome="not_shortlist")
    assert staging.pending_for(bid) == again
    assert Bid.objects.get(pk=bid.pk).state == BidState.UNDER_ASSESSMENT


def test_taking_back_without_a_reason_says_what_was_taken_back(bid, lead):
    staging.drop(stage_shortlist(bid, lead), lead)
    assert bid.events.latest("pk").reason == "Shortlist taken back"


def test_only_the_lead_takes_back(bid, lead, admin_user):
    staged = stage_shortlist(bid, lead)
    with pytest.raises(workflow.WorkflowError):
        staging.drop(staged, admin_user)
    assert StagedDecision.objects.get(pk=staged.pk).state == "pending"


def test_revising_changes_the_words_and_keeps_what_they_were(bid, lead):
    staged = stage_shortlist(bid, lead)
    staging.revise(staged, lead, reasons="Better reasons.", feedback="Better feedback.")
    staged.refresh_from_db()
    assert (staged.reasons, staged.feedback, staged.state) == (
        "Better reasons.",
        "Better feedback.",
        "pending",
    )
    first, second = bid.events.filter(kind=EventKind.DECISION_STAGED).order_by("pk")
    assert first.detail["feedback"].startswith("COUNCIL-FEEDBACK") and second.detail["revised"]
    assert second.detail["feedback"] == "Better feedback."
    with pytest.raises(workflow.WorkflowError):
        staging.revise(staged, lead, reasons="", feedback="")


# The assessors' comments the feedback is drafted from -----------------------------------


def test_only_counted_comments_with_words_are_offered(bid, assessor, other_assessor, lead):
    commented(bid, assessor, {JOINT: "Health is a full partner."})  # the others left blank
    factories.submit_scores(bid, other_assessor, [2, 2, 2, 2, 2], submit=False)  # a draft: not counted
    offered = list(staging.comments_for(bid))
    assert [score.comment for score in offered] == ["Health is a full partner."]
    factories.conflict(assessor, "KEN", declared_by=lead)  # sets the scores aside
    assert not staging.comments_for(bid).exists()


def test_feedback_is_drafted_one_paragraph_per_criterion(bid, assessor, other_assessor):
    commented(bid, assessor, {JOINT: "Health is a full partner.", "Governance and accountability": "Clear."})
    commented(bid, other_assessor, {JOINT: "Schools  are\nclosely involved."})
    drafted = staging.draft_feedback(staging.comments_for(bid))
    first, second = drafted.split("\n\n")
    assert first.startswith(f"{JOINT}: ") and "Health is a full partner." in first
    assert "Schools are closely involved." in first
    assert second == "Governance and accountability: Clear."


def test_the_comments_drawn_from_are_recorded_and_only_the_bids_own(
    bid, assessor, lead, open_round, other_assessor
):
    commented(bid, assessor, {JOINT: "Health is a full partner."})
    other = factories.under_assessment_bid(open_round, "LDS", [other_assessor], lead=lead)
    commented(other, other_assessor, {JOINT: "Not Kent's."})
    picks = [*staging.comments_for(bid), *staging.comments_for(other)]
    staged = stage_shortlist(bid, lead, drawn_from=picks)
    assert [score.comment for score in staged.drawn_from.all()] == ["Health is a full partner."]


# Pages ---------------------------------------------------------------------------------


def shortlisting(**changes):
    return {"expected_state": "under_assessment", "decision": "shortlist", "reason": "INTERNAL", **changes}


def test_the_shortlisting_page_asks_when_to_tell_the_council(client_for, bid, lead):
    page = client_for(lead).get(url("shortlist", bid)).content.decode()
    assert "When should the council be told?" in page
    assert "Later, with the round&#x27;s other pending decisions" in page or (
        "Later, with the round's other pending decisions" in page
    )
    assert re.search(r'value="now"\s+checked', page)


def test_shortlisting_now_is_as_it_was(client_for, bid, lead):
    response = client_for(lead).post(url("shortlist", bid), shortlisting())
    assert response.status_code == 302
    assert Bid.objects.get(pk=bid.pk).state == BidState.SHORTLISTED
    assert not StagedDecision.objects.exists()


def test_shortlisting_later_needs_feedback_and_keeps_what_was_typed(client_for, bid, lead):
    response = client_for(lead).post(url("shortlist", bid), shortlisting(when="later", reason="KEPT-REASON"))
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Enter the feedback to share with the council" in page and "KEPT-REASON" in page
    assert not StagedDecision.objects.exists()


def test_shortlisting_later_stages_it_and_the_bid_page_says_so(client_for, bid, lead, kent_user):
    client = client_for(lead)
    response = client.post(
        url("shortlist", bid), shortlisting(decision="not_shortlist", when="later", feedback="FEEDBACK")
    )
    assert response.status_code == 302
    staged = StagedDecision.objects.get(bid=bid)
    assert (staged.outcome, staged.reasons, staged.feedback) == ("not_shortlist", "INTERNAL", "FEEDBACK")
    assert Bid.objects.get(pk=bid.pk).state == BidState.UNDER_ASSESSMENT
    page = client.get(url("bid", bid)).content.decode()
    assert "Pending: do not shortlist" in page
    assert "View or change the pending decision (do not shortlist)" in page
    assert "Shortlist or do not shortlist" not in page
    # The decision pages send the lead to the pending decision instead of deciding again.
    again = client.get(url("shortlist", bid))
    assert again.status_code == 302 and again["Location"] == url("bid", bid)
    refused = client.post(url("shortlist", bid), shortlisting()).content.decode()
    assert "has a pending decision (do not shortlist)" in refused
    assert Bid.objects.get(pk=bid.pk).state == BidState.UNDER_ASSESSMENT


def test_the_council_sees_nothing_of_a_pending_decision(
    django_capture_on_commit_callbacks, client_for, bid, lead, kent_user
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(lead).post(
            url("shortlist", bid),
            shortlisting(when="later", reason="SECRET-REASON", feedback="NOT-YET"),
            follow=True,  # the lead reads the confirmation
        )
    assert StagedDecision.objects.filter(bid=bid, state="pending").exists()
    assert mail.outbox == []
    page = client_for(kent_user).get(url("bid", bid)).content.decode()
    for secret in ["SECRET-REASON", "NOT-YET", "Pending", "pending", "Shortlisted"]:
        assert secret not in page, secret
    assert not BidEvent.objects.filter(
        bid=bid, kind=EventKind.DECISION_STAGED, shown_to_council=True
    ).exists()


def test_drafting_fills_the_feedback_from_the_picked_comments_and_keeps_the_rest(
    client_for, bid, assessor, other_assessor, lead
):
    commented(bid, assessor, {JOINT: "Health is a full partner.", "Governance and accountability": "Clear."})
    commented(bid, other_assessor, {JOINT: "Schools are involved."})
    health, governance, schools = staging.comments_for(bid).order_by("pk")
    client = client_for(lead)
    page = client.get(url("shortlist", bid)).content.decode()
    assert "Draft feedback from the selected comments" in page
    assert "Health is a full partner." in page and assessor.full_name in page
    data = shortlisting(
        when="later", reason="TYPED-REASON", drawn_from=[health.pk, governance.pk], action="draft"
    )
    response = client.post(url("shortlist", bid), data)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " not in page
    feedback = re.search(r'<textarea[^>]*name="feedback"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert f"{JOINT}: Health is a full partner." in feedback
    assert "Governance and accountability: Clear." in feedback and "Schools" not in feedback
    assert "TYPED-REASON" in page
    assert re.search(rf'value="{health.pk}"[^>]*checked', page)
    assert not StagedDecision.objects.exists()  # drafting saves nothing
    edited = feedback.replace("&#x27;", "'").strip() + "\n\nWe look forward to meeting you."
    data = {**data, "action": "", "feedback": edited}
    assert client.post(url("shortlist", bid), data).status_code == 302
    staged = StagedDecision.objects.get(bid=bid)
    assert staged.feedback.endswith("We look forward to meeting you.")
    assert set(staged.drawn_from.all()) == {health, governance}


def test_enter_in_a_text_box_presses_the_pages_own_button_not_draft_feedback(client_for, bid, assessor, lead):
    # Enter submits with a form's first submit button (HTML's implicit submission): that is
    # the page's own, hidden, ahead of the picker's "Draft feedback" inside the form.
    commented(bid, assessor, {JOINT: "Health is a full partner."})
    page = client_for(lead).get(url("shortlist", bid)).content.decode()
    form = next(form for form in re.findall(r"<form.*?</form>", page, re.S) if 'value="draft"' in form)
    buttons = re.findall(r"<button[^>]*>", form)
    assert 'name="action"' not in buttons[0] and "hidden" in buttons[0], buttons
    assert any('value="draft"' in button for button in buttons[1:])


def test_drafting_with_nothing_picked_says_so(client_for, bid, assessor, lead):
    commented(bid, assessor, {JOINT: "Health is a full partner."})
    response = client_for(lead).post(
        url("shortlist", bid), shortlisting(when="later", feedback="TYPED", action="draft")
    )
    page = response.content.decode()
    assert "Select the comments you want to draft the feedback from" in page and "TYPED" in page
    assert not StagedDecision.objects.exists()


def test_rejecting_later_from_the_rejection_page(client_for, open_round, kent_user, lead):
    interviewed = factories.interviewed_bid(open_round, "KEN", council=kent_user, lead=lead)
    data = {"expected_state": "interviewed", "reasons": "R", "feedback": "F", "when": "later"}
    assert client_for(lead).post(url("reject", interviewed), data).status_code == 302
    staged = StagedDecision.objects.get(bid=interviewed)
    assert (staged.outcome, staged.bid_state) == ("reject", "interviewed")
    assert Bid.objects.get(pk=interviewed.pk).state == BidState.INTERVIEWED
    assert not hasattr(Bid.objects.get(pk=interviewed.pk), "decision")


def test_changing_a_pending_decisions_feedback(client_for, bid, assessor, lead):
    commented(bid, assessor, {JOINT: "Health is a full partner."})
    staged = stage_shortlist(bid, lead)
    client = client_for(lead)
    page = client.get(url("change-pending-decision", bid)).content.decode()
    assert "COUNCIL-FEEDBACK: your partnership is strong." in page and "Health is a full partner." in page
    errors = client.post(
        url("change-pending-decision", bid), {"reasons": "", "feedback": ""}
    ).content.decode()
    assert "Enter the reasons for the decision" in errors and "Enter the feedback to share" in errors
    (comment,) = staging.comments_for(bid)
    drafted = client.post(
        url("change-pending-decision", bid),
        {"reasons": "KEPT", "feedback": "old", "drawn_from": [comment.pk], "action": "draft"},
    ).content.decode()
    assert f"{JOINT}: Health is a full partner." in drafted and "KEPT" in drafted
    response = client.post(
        url("change-pending-decision", bid),
        {"reasons": "KEPT", "feedback": "New words.", "drawn_from": [comment.pk]},
    )
    assert response.status_code == 302 and response["Location"] == pending_url(bid.funding_round)
    staged.refresh_from_db()
    assert (staged.feedback, staged.state, list(staged.drawn_from.all())) == (
        "New words.",
        "pending",
        [comment],
    )


def test_taking_back_from_its_page(client_for, bid, lead):
    stage_shortlist(bid, lead)
    client = client_for(lead)
    assert "Take the decision back" in client.get(url("take-back-decision", bid)).content.decode()
    assert client.post(url("take-back-decision", bid), {"reason": ""}).status_code == 302
    assert staging.pending_for(bid) is None
    gone = client.get(url("take-back-decision", bid))
    assert gone.status_code == 302
    assert "Shortlist or do not shortlist" in client.get(url("bid", bid)).content.decode()


def test_bulk_shortlisting_later_stages_each_bid_with_the_same_feedback(
    client_for, open_round, assessor, lead
):
    kent = factories.under_assessment_bid(open_round, "KEN", [assessor], lead=lead)
    leeds = factories.under_assessment_bid(open_round, "LDS", [assessor], lead=lead)
    stage_shortlist(leeds, lead)  # already pending: reported, not changed
    ranking = reverse("bids:ranking", kwargs={"round_slug": open_round.slug})
    client = client_for(lead)
    errors = client.post(
        ranking, {"decision": "shortlist", "reason": "R", "when": "later", "bids": [kent.pk]}
    ).content.decode()
    assert "Enter the feedback to share with the council" in errors
    response = client.post(
        ranking,
        {
            "decision": "not_shortlist",
            "reason": "Below the line.",
            "when": "later",
            "feedback": "Thank you.",
            "bids": [kent.pk, leeds.pk],
            f"seen-{kent.pk}": "under_assessment",
            f"seen-{leeds.pk}": "under_assessment",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Not shortlisted as pending, not yet released: " + kent.reference in page
    assert f"Not changed: {leeds.reference}" in page
    staged = StagedDecision.objects.get(bid=kent)
    assert (staged.outcome, staged.feedback, staged.reasons) == (
        "not_shortlist",
        "Thank you.",
        "Below the line.",
    )
    assert StagedDecision.objects.get(bid=leeds).outcome == "shortlist"
    assert set(Bid.objects.values_list("state", flat=True)) == {BidState.UNDER_ASSESSMENT}
    assert "2 pending decisions to release" in page


def test_the_pending_decisions_page_lists_them_in_a_fixed_number_of_queries(
    client_for, open_round, assessor, lead
):
    client = client_for(lead)
    listing = pending_url(open_round)
    empty = client.get(listing).content.decode()
    assert "No decisions are pending in this round" in empty and "Release" not in empty
    kent = factories.under_assessment_bid(open_round, "KEN", [assessor], lead=lead)
    stage_shortlist(kent, lead)
    page = client.get(listing).content.decode()
    assert kent.reference in page and "COUNCIL-FEEDBACK" in page and "Release 1 decision" in page
    assert url("change-pending-decision", kent) in page and url("take-back-decision", kent) in page
    count = queries_for(client, listing)
    for code in ("LDS", "BST", "NFK"):
        stage_shortlist(factories.under_assessment_bid(open_round, code, [assessor], lead=lead), lead)
    assert queries_for(client, listing) == count
    assert "Release 4 decisions" in client.get(listing).content.decode()
