"""Releasing a round's pending decisions in one go (trusts/releases.py): nothing reaches the
councils before, everything after, each email once; if one decision cannot go, none does
and the lead is told every problem by bid reference; and the pages that do it."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import OutboundEmail, Role
from bids import staging, workflow
from bids.models import Bid, BidState, Decision, StagedDecision
from tests import factories
from trusts import releases
from trusts.models import FundingAward

pytestmark = pytest.mark.django_db

KENT_FEEDBACK = "KENT-FEEDBACK: the panel was impressed by your partnership."


@pytest.fixture
def kent(db):
    return factories.user(Role.COUNCIL, "KEN", email="kent@council.example", full_name="Karen Ellis")


@pytest.fixture
def leeds(db):
    return factories.user(Role.COUNCIL, "LDS", email="leeds@council.example")


def stage(bid, lead, outcome, feedback, **award):
    if outcome == "approve":
        return releases.stage_approval(
            bid,
            lead,
            base_amount=award.get("base_amount", Decimal("60000")),
            supplement_amount=award.get("supplement_amount", Decimal("0")),
            justification=award.get("justification", ""),
            reasons=f"INTERNAL-{outcome}",
            feedback=feedback,
        )
    return staging.stage(bid, lead, outcome=outcome, reasons=f"INTERNAL-{outcome}", feedback=feedback)


@pytest.fixture
def round_of_four(open_round, kent, leeds, lead):
    """Kent to approve and Leeds to reject (both interviewed); Bristol to shortlist and
    Norfolk not to (both under assessment): every decision pending."""
    bids = {
        "kent": factories.interviewed_bid(open_round, "KEN", council=kent, lead=lead),
        "leeds": factories.interviewed_bid(open_round, "LDS", council=leeds, lead=lead),
        "bristol": factories.under_assessment_bid(open_round, "BST", lead=lead),
        "norfolk": factories.under_assessment_bid(open_round, "NFK", lead=lead),
    }
    stage(
        bids["kent"], lead, "approve", KENT_FEEDBACK, supplement_amount=Decimal("10000"), justification="Big."
    )
    stage(bids["leeds"], lead, "reject", "LEEDS-FEEDBACK")
    stage(bids["bristol"], lead, "shortlist", "BRISTOL-FEEDBACK")
    stage(bids["norfolk"], lead, "not_shortlist", "NORFOLK-FEEDBACK")
    return bids


def states(bids):
    return {name: Bid.objects.get(pk=bid.pk).state for name, bid in bids.items()}


BEFORE = {
    "kent": BidState.INTERVIEWED,
    "leeds": BidState.INTERVIEWED,
    "bristol": BidState.UNDER_ASSESSMENT,
    "norfolk": BidState.UNDER_ASSESSMENT,
}


def to(address):
    return [message for message in mail.outbox if address in message.to]


def test_nothing_reaches_the_councils_before_the_release(
    django_capture_on_commit_callbacks, client_for, open_round, kent, lead
):
    bid = factories.interviewed_bid(open_round, "KEN", council=kent, lead=lead)
    queued = OutboundEmail.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stage(bid, lead, "approve", KENT_FEEDBACK)
    assert mail.outbox == [] and OutboundEmail.objects.count() == queued
    page = client_for(kent).get(reverse("bids:bid", kwargs={"reference": bid.reference})).content.decode()
    assert "KENT-FEEDBACK" not in page and "INTERNAL" not in page and "View your award offer" not in page
    assert Bid.objects.get(pk=bid.pk).state == BidState.INTERVIEWED
    assert not FundingAward.objects.exists() and not Decision.objects.exists()


def test_releasing_moves_every_bid_records_everything_and_emails_each_council_once(
    django_capture_on_commit_callbacks, client_for, round_of_four, open_round, kent, leeds, lead
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        released = releases.release(open_round, lead)
    assert len(released) == 4
    assert states(round_of_four) == {
        "kent": BidState.APPROVED,
        "leeds": BidState.REJECTED,
        "bristol": BidState.SHORTLISTED,
        "norfolk": BidState.NOT_SHORTLISTED,
    }
    for staged in StagedDecision.objects.all():
        assert (staged.state, staged.released_by) == ("released", lead) and staged.released_at is not None
    kent_bid, leeds_bid = round_of_four["kent"], round_of_four["leeds"]
    approval = Decision.objects.get(bid=kent_bid)
    assert (approval.outcome, approval.reasons, approval.feedback) == (
        "approved",
        "INTERNAL-approve",
        KENT_FEEDBACK,
    )
    award = FundingAward.objects.get(bid=kent_bid)
    assert (award.base_amount, award.supplement_amount, award.state) == (
        Decimal("60000"),
        Decimal("10000"),
        "offered",
    )
    assert Decision.objects.get(bid=leeds_bid).feedback == "LEEDS-FEEDBACK"

    # Kent: the approval (with the feedback) and the award's offer, once each.
    subjects = sorted(message.subject for message in to("kent@council.example"))
    assert len(subjects) == 2 and any("approved" in subject for subject in subjects)
    (approved,) = [m for m in to("kent@council.example") if "approved" in m.subject]
    assert KENT_FEEDBACK in approved.body and "INTERNAL" not in approved.body
    (rejected,) = to("leeds@council.example")
    assert "LEEDS-FEEDBACK" in rejected.body and "INTERNAL" not in rejected.body
    for bid, feedback in (
        (round_of_four["bristol"], "BRISTOL-FEEDBACK"),
        (round_of_four["norfolk"], "NORFOLK"),
    ):
        (message,) = [m for m in mail.outbox if bid.reference in m.subject or bid.reference in m.body]
        assert feedback in message.body and "INTERNAL" not in message.body
    # What the door recorded as the council's is the feedback, not the internal reasons.
    shortlisted = round_of_four["bristol"].events.filter(to_state=BidState.SHORTLISTED).get()
    assert shortlisted.reason == "BRISTOL-FEEDBACK" and shortlisted.shown_to_council

    # The council's page shows its decision and feedback now.
    page = (
        client_for(kent).get(reverse("bids:bid", kwargs={"reference": kent_bid.reference})).content.decode()
    )
    assert KENT_FEEDBACK.replace("'", "&#x27;") in page and "INTERNAL" not in page
    # ... and a released shortlisting's feedback is on the council's timeline, as in its email.
    bristol = round_of_four["bristol"]
    page = (
        client_for(factories.user(Role.COUNCIL, "BST"))
        .get(reverse("bids:bid", kwargs={"reference": bristol.reference}))
        .content.decode()
    )
    assert "Your bid has been shortlisted" in page and "BRISTOL-FEEDBACK" in page and "INTERNAL" not in page

    # Releasing again sends nothing more.
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(releases.ReleaseError) as refused:
        releases.release(open_round, lead)
    assert refused.value.problems == [f"There are no pending decisions to release in {open_round.name}"]
    assert len(mail.outbox) == sent


def test_one_decision_that_cannot_go_stops_them_all_and_every_problem_is_named(
    django_capture_on_commit_callbacks, round_of_four, open_round, kent, lead
):
    # Kent's due diligence fails after the approval was staged; Bristol is withdrawn.
    factories.passed_check(round_of_four["kent"], lead, result="failed")
    bristol = round_of_four["bristol"]
    workflow.change_state(bristol, "withdraw", bristol.submitted_by, reason="The board said no.")
    queued = OutboundEmail.objects.count()
    events = {name: bid.events.count() for name, bid in round_of_four.items()}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(releases.ReleaseError) as refused:
        releases.release(open_round, lead)
    problems = refused.value.problems
    assert len(problems) == 2
    kent_problem, bristol_problem = problems
    assert kent_problem.startswith(f"{round_of_four['kent'].reference}: The latest due diligence check")
    assert bristol_problem == (
        f"{bristol.reference} is now withdrawn, not under assessment as when its pending decision "
        "(shortlist) was recorded. Take the decision back"
    )
    assert states(round_of_four) == {**BEFORE, "bristol": BidState.WITHDRAWN}
    assert set(StagedDecision.objects.values_list("state", flat=True)) == {"pending"}
    assert not Decision.objects.exists() and not FundingAward.objects.exists()
    assert {name: bid.events.count() for name, bid in round_of_four.items()} == events
    assert OutboundEmail.objects.count() == queued and mail.outbox == []


@pytest.mark.parametrize(
    ("limits", "problem"),
    [({"total_budget": Decimal("100000")}, "past its budget"), ({"pilot_places": 1}, "pilot places")],
)
def test_approvals_past_the_rounds_budget_or_places_stop_the_release(kent, leeds, lead, limits, problem):
    funding_round = factories.open_round(**limits)
    kent_bid = factories.interviewed_bid(funding_round, "KEN", council=kent, lead=lead)
    leeds_bid = factories.interviewed_bid(funding_round, "LDS", council=leeds, lead=lead)
    stage(kent_bid, lead, "approve", "K")
    stage(leeds_bid, lead, "approve", "L")  # the second of two £60,000 awards
    with pytest.raises(releases.ReleaseError) as refused:
        releases.release(funding_round, lead)
    (message,) = refused.value.problems
    assert message.startswith(f"{leeds_bid.reference}: ") and problem in message
    assert not FundingAward.objects.exists()
    assert set(Bid.objects.values_list("state", flat=True)) == {BidState.INTERVIEWED}


def test_an_approval_without_due_diligence_stops_the_release(open_round, kent, lead):
    bid = factories.interviewed_bid(open_round, "KEN", council=kent, lead=lead, checked=False)
    stage(bid, lead, "approve", "K")
    with pytest.raises(releases.ReleaseError) as refused:
        releases.release(open_round, lead)
    assert refused.value.problems == [
        f"{bid.reference}: Record a passed due diligence check on Kent County Council before you approve its "
        "bid and offer an award"
    ]


def test_staging_an_approval_checks_its_award_against_the_round(open_round, kent, lead):
    bid = factories.interviewed_bid(open_round, "KEN", council=kent, lead=lead)
    with pytest.raises(workflow.WorkflowError) as refused:
        stage(bid, lead, "approve", "K", base_amount=Decimal("70000"), supplement_amount=Decimal("1"))
    assert refused.value.problems == [
        "The base amount cannot be more than the round's base award of £60,000",
        "Explain why this large or complex trust needs a supplement",
    ]
    assert not StagedDecision.objects.exists()


def test_only_the_lead_releases_and_a_changed_set_is_not_released(
    round_of_four, open_round, lead, admin_user
):
    with pytest.raises(releases.ReleaseError):
        releases.release(open_round, admin_user)
    seen = set(StagedDecision.objects.values_list("pk", flat=True))
    staging.drop(StagedDecision.objects.get(bid=round_of_four["norfolk"]), lead)
    with pytest.raises(releases.StaleRelease):
        releases.release(open_round, lead, expected=seen)
    assert states(round_of_four) == BEFORE
    releases.release(open_round, lead, expected=seen - {StagedDecision.objects.get(state="dropped").pk})
    assert states(round_of_four)["norfolk"] == BidState.UNDER_ASSESSMENT  # taken back: never released
    assert states(round_of_four)["bristol"] == BidState.SHORTLISTED


# Pages ---------------------------------------------------------------------------------


def release_url(funding_round):
    return reverse("trusts:release-decisions", kwargs={"round_slug": funding_round.slug})


def test_approving_later_from_the_approval_page(client_for, open_round, kent, lead):
    bid = factories.interviewed_bid(open_round, "KEN", council=kent, lead=lead)
    approve = reverse("trusts:approve", kwargs={"reference": bid.reference})
    data = {
        "expected_state": "interviewed",
        "base_amount": "60,000",
        "supplement_amount": "£40,001",
        "supplement_justification": "Three districts.",
        "reasons": "KEPT-REASONS",
        "feedback": KENT_FEEDBACK,
        "when": "later",
    }
    client = client_for(lead)
    errors = client.post(approve, data).content.decode()
    assert "The supplement cannot be more than £40,000" in errors and "KEPT-REASONS" in errors
    response = client.post(approve, {**data, "supplement_amount": "25,000"})
    assert response.status_code == 302
    staged = StagedDecision.objects.get(bid=bid)
    assert (staged.outcome, staged.base_amount, staged.supplement_amount) == (
        "approve",
        Decimal("60000"),
        Decimal("25000"),
    )
    assert not FundingAward.objects.exists()
    listing = client.get(reverse("bids:pending-decisions", kwargs={"round_slug": open_round.slug}))
    assert "£85,000" in listing.content.decode()


def test_the_release_page_lists_what_goes_and_its_button_releases_them(
    client_for, round_of_four, open_round, lead
):
    client = client_for(lead)
    page = client.get(release_url(open_round)).content.decode()
    assert "Release 4 decisions" in page and "Each council is emailed its decision and feedback now" in page
    for bid in round_of_four.values():
        assert bid.reference in page
    assert "£70,000" in page  # Kent's award
    response = client.post(release_url(open_round), {}, follow=True)
    assert "4 decisions released. 1 award offered, £70,000 in all." in response.content.decode()
    assert states(round_of_four)["norfolk"] == BidState.NOT_SHORTLISTED
    # Nothing more to release: back to the list, saying so.
    again = client.get(release_url(open_round), follow=True).content.decode()
    assert f"There are no pending decisions to release in {open_round.name}" in again


def test_the_release_page_lists_every_problem_and_releases_nothing(
    client_for, round_of_four, open_round, lead
):
    factories.passed_check(round_of_four["kent"], lead, result="failed")
    client = client_for(lead)
    seen = re.search(r'name="seen" value="([\d,]+)"', client.get(release_url(open_round)).content.decode())
    response = client.post(release_url(open_round), {"seen": seen.group(1)})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S).group(1)
    assert round_of_four["kent"].reference in summary and "due diligence" in summary
    assert states(round_of_four) == BEFORE


def test_a_set_changed_since_the_page_was_drawn_goes_back_to_the_list(
    client_for, round_of_four, open_round, lead
):
    client = client_for(lead)
    seen = re.search(r'name="seen" value="([\d,]+)"', client.get(release_url(open_round)).content.decode())
    staging.drop(StagedDecision.objects.get(bid=round_of_four["norfolk"]), lead)
    response = client.post(release_url(open_round), {"seen": seen.group(1)}, follow=True)
    assert "have changed since you opened this page" in response.content.decode()
    assert states(round_of_four) == BEFORE
