"""Why each assessor is on a bid, and the lead's say over who is not: every assignment
explains itself (workload, region, no conflict); the lead excludes an assessor from a bid
with a reason, which automatic and manual assignment both honour, and can lift it; removing
an assessor is confirmed on a page that says what happens to their scores."""

import html
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from bids import assignment, scoring, workflow
from bids.models import Assessment, Assignment, AssignmentExclusion, EventKind
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

KENT = "Kent County Council"
REASON = "Advised the council on its bid in 2002."


def person(name, region=""):
    return factories.user(Role.ASSESSOR, region=region, full_name=name)


def explanation(bid, who):
    return Assignment.objects.get(bid=bid, assessor=who).explanation


def text(response):
    return html.unescape(response.content.decode())


def assessors_url(bid):
    return reverse("bids:bid-assessors", kwargs={"reference": bid.reference})


def remove_url(bid, who):
    return reverse("bids:unassign", kwargs={"reference": bid.reference, "assessor_pk": who.pk})


def exclude_url(bid):
    return reverse("bids:exclude-assessor", kwargs={"reference": bid.reference})


def include_url(bid, who):
    return reverse("bids:include-assessor", kwargs={"reference": bid.reference, "assessor_pk": who.pk})


# Automatic assignment explains each choice ------------------------------------------------


def test_automatic_assignment_says_why_it_chose_each_assessor(open_round, lead):
    ann, ben, cat = (
        person("Ann Archer", "london"),
        person("Ben Bell", "north_west"),
        person("Cat Cole", "north_west"),
    )
    # Workloads before: Ann 2 bids in the round, Cat 1, Ben none (on bids past assignment).
    factories.shortlisted_bid(open_round, "LDS", [ann], lead=lead)
    factories.shortlisted_bid(open_round, "BIR", [ann, cat], lead=lead)
    bid = factories.submitted_bid(open_round, "KEN")
    assignment.auto_assign(open_round, lead)
    assert explanation(bid, ben) == (
        "Chosen automatically: the lightest workload among free assessors (no bids in this round before "
        f"this one); from the North West, a region not yet on this bid; no conflict of interest with {KENT}."
    )
    # Cat had less work, but shares Ben's region: Ann, from another region, was chosen.
    assert explanation(bid, ann) == (
        "Chosen automatically: the lightest workload among free assessors from regions not yet on this bid "
        f"(2 bids in this round before this one); from London, a region not yet on this bid; no conflict of "
        f"interest with {KENT}."
    )
    event = bid.events.filter(kind=EventKind.ASSESSOR_ASSIGNED, detail__assessor=ann.pk).get()
    assert event.detail["explanation"] == explanation(bid, ann)


def test_automatic_assignment_says_when_the_region_could_not_be_kept_different(open_round, lead):
    ann, dan = person("Ann Archer", "london"), person("Dan Dale", "london")
    bid = factories.submitted_bid(open_round, "KEN")
    assignment.auto_assign(open_round, lead)
    assert explanation(bid, dan) == (
        "Chosen automatically: the lightest workload among free assessors (no bids in this round before "
        "this one); from London, the same region as Ann Archer on this bid, as no assessor from another "
        f"region was free; no conflict of interest with {KENT}."
    )
    assert "a region not yet on this bid" in explanation(bid, ann)


def test_an_assessor_without_a_region_is_explained_as_such(open_round, lead):
    person("Ann Archer", "london")
    eve = person("Eve East")
    bid = factories.submitted_bid(open_round, "KEN")
    assignment.auto_assign(open_round, lead)
    assert "no region recorded for them" in explanation(bid, eve)


def test_assigning_by_hand_names_the_lead_and_the_facts(open_round, lead):
    ann, dan = person("Ann Archer", "london"), person("Dan Dale", "london")
    factories.shortlisted_bid(open_round, "LDS", [dan], lead=lead)
    bid = factories.submitted_bid(open_round, "KEN")
    assignment.assign(bid, ann, lead)
    assignment.assign(bid, dan, lead)
    assert explanation(bid, ann) == (
        f"Assigned by {lead.full_name}: no bids in this round before this one; from London, a region not "
        f"yet on this bid; no conflict of interest with {KENT}."
    )
    assert explanation(bid, dan) == (
        f"Assigned by {lead.full_name}: 1 bid in this round before this one; from London, the same region "
        f"as Ann Archer on this bid; no conflict of interest with {KENT}."
    )


def test_explanations_show_on_the_round_and_bid_pages(client_for, open_round, lead):
    ann, ben = person("Ann Archer", "london"), person("Ben Bell", "north_west")
    bid = factories.submitted_bid(open_round, "KEN")
    assignment.auto_assign(open_round, lead)
    client = client_for(lead)
    round_page = text(client.get(reverse("bids:assignments", kwargs={"round_slug": open_round.slug})))
    bid_page = text(client.get(assessors_url(bid)))
    for who in (ann, ben):
        assert explanation(bid, who) in round_page
        assert explanation(bid, who) in bid_page


# Exclusions -------------------------------------------------------------------------------


@pytest.fixture
def bid(open_round, assessor, other_assessor, lead):
    return factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor], lead=lead)


def test_excluding_an_assessor_on_the_bid_takes_them_off_with_their_draft(bid, assessor, lead):
    factories.submit_scores(bid, assessor, [2, 2, 2, 2, 2], submit=False)
    exclusion = assignment.exclude(bid, assessor, lead, f"  {REASON} ")
    assert (exclusion.bid, exclusion.funding_round, exclusion.excluded_by, exclusion.reason) == (
        bid,
        bid.funding_round,
        lead,
        REASON,
    )
    assert not bid.assignments.filter(assessor=assessor).exists()
    assert not Assessment.objects.filter(bid=bid, assessor=assessor).exists()
    event = bid.events.get(kind=EventKind.ASSESSOR_EXCLUDED)
    assert (event.actor, event.reason, event.shown_to_council) == (lead, REASON, False)
    assert event.detail == {
        "assessor": assessor.pk,
        "assessor_name": assessor.full_name,
        "removed": True,
        "draft_deleted": True,
    }


def test_an_assessor_not_on_the_bid_can_be_excluded_too(bid, lead):
    stranger = person("Sam Stone", "london")
    assignment.exclude(bid, stranger, lead, REASON)
    event = bid.events.get(kind=EventKind.ASSESSOR_EXCLUDED)
    assert event.detail["removed"] is False and event.detail["draft_deleted"] is False


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("submitted", "has submitted scores for this bid, which count, so they cannot be excluded"),
        ("twice", "is already excluded from this bid"),
        ("no reason", "Enter the reason for excluding the assessor from this bid"),
        ("not the lead", "You cannot change who assesses this bid"),
        ("not an assessor", "is not an assessor"),
        ("stale", "has changed"),
        ("shortlisted", "You can only exclude assessors from a bid that is submitted or under assessment"),
    ],
)
def test_exclusions_that_are_refused(bid, assessor, lead, case, message):
    reason, actor, who, expected_state = REASON, lead, assessor, None
    if case == "submitted":
        factories.submit_scores(bid, assessor, [3, 3, 3, 3, 3])
    elif case == "twice":
        assignment.exclude(bid, assessor, lead, REASON)
    elif case == "no reason":
        reason = "  "
    elif case == "not the lead":
        actor = factories.user(Role.ADMIN)
    elif case == "not an assessor":
        who = factories.user(Role.LEAD)
    elif case == "stale":
        expected_state = "submitted"
    elif case == "shortlisted":
        workflow.change_state(bid, "shortlist", lead, reason="Above the line.")
    before = AssignmentExclusion.objects.count()
    with pytest.raises(workflow.WorkflowError) as refused:
        assignment.exclude(bid, who, actor, reason, expected_state=expected_state)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems
    assert AssignmentExclusion.objects.count() == before
    if case not in ("twice", "shortlisted"):
        assert bid.assignments.filter(assessor=assessor).exists()


def test_automatic_assignment_passes_over_an_excluded_assessor(open_round, lead):
    ann, ben, cat = (
        person("Ann Archer", "london"),
        person("Ben Bell", "north_west"),
        person("Cat Cole", "south_west"),
    )
    bid = factories.submitted_bid(open_round, "KEN")
    other = factories.submitted_bid(open_round, "LDS")
    assignment.exclude(bid, ann, lead, REASON)
    assignment.exclude(bid, ben, lead, REASON)
    result = assignment.auto_assign(open_round, lead)
    assert set(bid.assignments.values_list("assessor", flat=True)) == {cat.pk}
    assert [(b.pk, n) for b, n in result.short] == [(bid.pk, 1)]
    # An exclusion is for its bid only.
    assert other.assignments.count() == 2
    assert ann not in assignment.assignable(bid) and cat not in assignment.assignable(bid)
    assert ann in assignment.assignable(other) or other.assignments.filter(assessor=ann).exists()


def test_the_lead_cannot_assign_an_excluded_assessor_by_hand(client_for, open_round, lead):
    ann = person("Ann Archer", "london")
    bid = factories.submitted_bid(open_round, "KEN")
    assignment.exclude(bid, ann, lead, REASON)
    with pytest.raises(
        workflow.WorkflowError, match=re.escape(f"Ann Archer is excluded from this bid ({REASON})")
    ):
        assignment.assign(bid, ann, lead)
    page = text(client_for(lead).get(assessors_url(bid)))
    assert f'<option value="{ann.pk}"' not in page
    assert "or excluded from this bid, are not listed" in page
    response = client_for(lead).post(assessors_url(bid), {"expected_state": "submitted", "assessor": ann.pk})
    assert response.status_code == 200 and "<title>Error: " in response.content.decode()
    assert not bid.assignments.exists()


def test_lifting_an_exclusion_is_recorded_and_lets_them_be_assigned(bid, assessor, lead):
    assignment.exclude(bid, assessor, lead, REASON)
    with pytest.raises(workflow.WorkflowError, match="Enter the reason they can assess this bid again"):
        assignment.include_again(bid, assessor, lead, "")
    assignment.include_again(bid, assessor, lead, "The advice was about another bid.")
    assert not AssignmentExclusion.objects.exists()
    lifted = bid.events.filter(kind=EventKind.ASSESSOR_EXCLUDED).order_by("-pk").first()
    assert lifted.reason == "The advice was about another bid." and lifted.detail["lifted"] is True
    assert lifted.detail["exclusion_reason"] == REASON and lifted.detail["excluded_by"] == lead.full_name
    assert assessor in assignment.assignable(bid)
    assignment.assign(bid, assessor, lead)
    with pytest.raises(workflow.WorkflowError, match="is not excluded from this bid"):
        assignment.include_again(bid, assessor, lead, "Again.")


# The lead's pages ---------------------------------------------------------------------------


def test_the_lead_excludes_an_assessor_from_the_bids_assessors_page(client_for, bid, assessor, lead):
    client = client_for(lead)
    page = text(client.get(assessors_url(bid)))
    assert "Nobody is excluded from this bid." in page
    assert exclude_url(bid) in page
    form = text(client.get(exclude_url(bid)))
    assert f"{assessor.full_name} (London, assessing this bid now)" in form
    response = client.post(
        exclude_url(bid), {"expected_state": "under_assessment", "assessor": assessor.pk, "reason": REASON}
    )
    assert response.status_code == 302 and response.url == assessors_url(bid)
    page = text(client.get(assessors_url(bid)))
    listed = page[page.index('id="exclusions"') :]
    assert assessor.full_name in listed and REASON in listed
    assert f"Excluded by {lead.full_name}" in listed
    assert include_url(bid, assessor) in listed
    # The bid's record says so, in the lead's timeline.
    bid_page = text(client.get(reverse("bids:bid", kwargs={"reference": bid.reference})))
    assert f"Assessor excluded: {assessor.full_name} (taken off the bid)" in bid_page


def test_excluding_needs_an_assessor_and_a_reason_and_keeps_what_was_typed(client_for, bid, assessor, lead):
    client = client_for(lead)
    page = text(client.post(exclude_url(bid), {"expected_state": "under_assessment", "reason": REASON}))
    assert "<title>Error: " in page
    assert '<a href="#id_assessor">Select the assessor to exclude from this bid</a>' in page
    assert REASON in page
    page = text(
        client.post(exclude_url(bid), {"expected_state": "under_assessment", "assessor": assessor.pk})
    )
    assert "Enter the reason for excluding the assessor from this bid" in page
    assert re.search(rf'<option value="{assessor.pk}"\s+selected', page)
    assert not AssignmentExclusion.objects.exists()


def test_the_exclusion_page_lists_only_those_who_can_be_excluded(
    client_for, bid, assessor, other_assessor, lead
):
    conflicted = person("Con Flict", "london")
    factories.conflict(conflicted, "KEN")
    factories.submit_scores(bid, other_assessor, [3, 3, 3, 3, 3])
    already = person("Al Ready", "london")
    assignment.exclude(bid, already, lead, REASON)
    form = client_for(lead).get(exclude_url(bid)).content.decode()
    assert f'<option value="{assessor.pk}"' in form
    for left_out in (conflicted, other_assessor, already):
        assert f'<option value="{left_out.pk}"' not in form


def test_the_lead_lifts_an_exclusion_with_a_reason(client_for, bid, assessor, lead):
    assignment.exclude(bid, assessor, lead, REASON)
    client = client_for(lead)
    page = text(client.get(include_url(bid, assessor)))
    assert f"Let {assessor.full_name} assess this bid again" in page and REASON in page
    page = text(client.post(include_url(bid, assessor), {"expected_state": "under_assessment", "reason": ""}))
    assert "Enter the reason they can assess this bid again" in page
    assert AssignmentExclusion.objects.exists()
    response = client.post(
        include_url(bid, assessor), {"expected_state": "under_assessment", "reason": "Cleared."}
    )
    assert response.status_code == 302 and not AssignmentExclusion.objects.exists()
    bid_page = text(client.get(reverse("bids:bid", kwargs={"reference": bid.reference})))
    assert f"Exclusion lifted: {assessor.full_name}" in bid_page
    # Nothing left to lift.
    assert client.get(include_url(bid, assessor)).status_code == 404


# Removing an assessor is confirmed ---------------------------------------------------------


def test_remove_is_a_link_to_a_page_that_says_what_happens(client_for, bid, assessor, other_assessor, lead):
    factories.submit_scores(bid, assessor, [3, 3, 3, 3, 3])
    factories.submit_scores(bid, other_assessor, [1, 1, 1, 1, 1], submit=False)
    client = client_for(lead)
    page = client.get(assessors_url(bid)).content.decode()
    assert f'<a class="govuk-link" href="{remove_url(bid, assessor)}">Remove' in page
    assert 'action="' + remove_url(bid, assessor) not in page
    submitted = text(client.get(remove_url(bid, assessor)))
    assert f"Remove {assessor.full_name} from this bid" in submitted
    assert "The scores they submitted stay on the record and still count" in submitted
    assert re.search(
        rf'class="govuk-button govuk-button--warning"[^>]*>Remove {re.escape(assessor.full_name)}<', submitted
    )
    assert f'href="{assessors_url(bid)}">Cancel</a>' in submitted
    drafted = text(client.get(remove_url(bid, other_assessor)))
    assert "Their draft scores are deleted" in drafted
    assert f"{other_assessor.full_name}'s draft scores will be deleted. This cannot be undone." in drafted
    assert "every bid needs at least 2, so add another" in drafted
    # Looking changes nothing; confirming removes.
    assert bid.assignments.count() == 2
    response = client.post(remove_url(bid, other_assessor), {"expected_state": "under_assessment"})
    assert response.status_code == 302 and response.url == assessors_url(bid)
    assert not bid.assignments.filter(assessor=other_assessor).exists()
    assert not Assessment.objects.filter(bid=bid, assessor=other_assessor).exists()
    assert bid.events.filter(kind=EventKind.ASSESSOR_UNASSIGNED).count() == 1


def test_removing_someone_not_on_the_bid_is_not_found_and_others_may_not(client_for, bid, assessor, lead):
    stranger = person("Sam Stone", "london")
    assert client_for(lead).get(remove_url(bid, stranger)).status_code == 404
    assert client_for(lead).post(remove_url(bid, stranger), {}).status_code == 404
    assert client_for(assessor).get(remove_url(bid, assessor)).status_code == 403
    assert client_for(stranger).get(remove_url(bid, assessor)).status_code == 404
    assert client_for(factories.user(Role.ADMIN)).post(remove_url(bid, assessor), {}).status_code == 403
    assert bid.assignments.filter(assessor=assessor).exists()


def test_removing_from_a_bid_past_assessment_goes_back_to_the_bid(client_for, bid, assessor, lead):
    workflow.change_state(bid, "shortlist", lead, reason="Above the line.")
    client = client_for(lead)
    response = client.get(remove_url(bid, assessor))
    assert response.status_code == 302 and response.url == reverse(
        "bids:bid", kwargs={"reference": bid.reference}
    )
    response = client.post(remove_url(bid, assessor), {"expected_state": "shortlisted"})
    assert response.status_code == 302 and response.url == reverse(
        "bids:bid", kwargs={"reference": bid.reference}
    )
    assert bid.assignments.filter(assessor=assessor).exists()


def test_a_removal_out_of_date_is_refused_on_the_page(client_for, bid, assessor, lead):
    page = text(client_for(lead).post(remove_url(bid, assessor), {"expected_state": "submitted"}))
    assert "<title>Error: " in page
    assert bid.assignments.filter(assessor=assessor).exists()


def test_the_bids_assessors_page_query_count_is_flat(client_for, bid, lead):
    client = client_for(lead)
    assignment.exclude(bid, person("Ann Archer", "london"), lead, REASON)
    one = queries_for(client, assessors_url(bid))
    for name in ("Ben Bell", "Cat Cole", "Dan Dale"):
        assignment.exclude(bid, person(name, "north_west"), lead, REASON)
    assert queries_for(client, assessors_url(bid)) == one


def test_scores_submitted_after_an_exclusion_cannot_happen(bid, assessor, lead):
    assignment.exclude(bid, assessor, lead, REASON)
    with pytest.raises(workflow.WorkflowError, match="not assessing this bid"):
        scoring.save(bid, assessor, scores={}, recommendation="", summary="", submit=False)
