"""Assigning assessors: automatically (two a bid, even workload, no conflicts, different
regions where possible) and by hand, each change on the record."""

from collections import Counter

import pytest
from django.urls import reverse

from accounts.models import Role
from bids import assignment, workflow
from bids.models import Assessment, Assignment, BidState, EventKind
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

CODES = ["BST", "BIR", "CMD", "DUR", "ESX", "GAT", "HRW", "HRT", "LIV", "NFK", "SHF", "WIL"]
REGIONS = ["london", "north_west", "south_west", "london", "north_west", "south_west"]


def assessors_in(regions):
    return [factories.user(Role.ASSESSOR, region=region) for region in regions]


def test_automatic_assignment_gives_every_bid_two_assessors_from_different_regions_evenly(open_round, lead):
    people = assessors_in(REGIONS)
    bids = [factories.submitted_bid(open_round, code) for code in CODES]
    result = assignment.auto_assign(open_round, lead)
    assert result.made == 2 * len(bids)
    assert not result.short and not result.same_region
    for bid in bids:
        on_bid = [a.assessor for a in bid.assignments.select_related("assessor")]
        assert len(on_bid) == 2
        assert on_bid[0].region != on_bid[1].region
    load = Counter(Assignment.objects.values_list("assessor", flat=True))
    assert set(load) == {p.pk for p in people}
    assert max(load.values()) - min(load.values()) <= 1
    event = bids[0].events.filter(kind=EventKind.ASSESSOR_ASSIGNED).first()
    assert event.actor == lead and not event.shown_to_council and event.reason == "Assigned automatically"


def test_automatic_assignment_only_adds_and_a_second_run_changes_nothing(open_round, lead):
    first, second = assessors_in(["london", "north_west"])
    assessors_in(["south_west"])
    bid = factories.submitted_bid(open_round, "KEN")
    factories.assign(bid, first, lead)
    result = assignment.auto_assign(open_round, lead)
    assert result.made == 1
    assert first.pk in set(bid.assignments.values_list("assessor", flat=True))
    assert assignment.auto_assign(open_round, lead).made == 0


def test_automatic_assignment_skips_conflicted_assessors_and_reports_short_bids(open_round, lead):
    clear, conflicted = assessors_in(["london", "north_west"])
    factories.conflict(conflicted, "KEN")
    bid = factories.submitted_bid(open_round, "KEN")
    result = assignment.auto_assign(open_round, lead)
    assert list(bid.assignments.values_list("assessor", flat=True)) == [clear.pk]
    assert [(b.pk, n) for b, n in result.short] == [(bid.pk, 1)]


def test_two_assessors_share_a_region_only_when_nobody_else_is_free(open_round, lead):
    assessors_in(["london", "london"])
    bid = factories.submitted_bid(open_round, "KEN")
    result = assignment.auto_assign(open_round, lead)
    assert bid.assignments.count() == 2
    assert [b.pk for b in result.same_region] == [bid.pk]


def test_automatic_assignment_leaves_bids_beyond_assessment_alone(open_round, lead):
    assessors_in(["london", "north_west"])
    shortlisted = factories.shortlisted_bid(open_round, "KEN", lead=lead)
    draft = factories.draft_bid(open_round, "LDS")
    assignment.auto_assign(open_round, lead)
    assert not shortlisted.assignments.exists() and not draft.assignments.exists()


def test_assigning_by_hand_and_removing_are_recorded(open_round, lead, assessor):
    bid = factories.submitted_bid(open_round, "KEN")
    assignment.assign(bid, assessor, lead)
    with pytest.raises(workflow.WorkflowError, match="already assessing"):
        assignment.assign(bid, assessor, lead)
    assignment.unassign(bid, assessor, lead)
    kinds = list(
        bid.events.filter(kind__in=[EventKind.ASSESSOR_ASSIGNED, EventKind.ASSESSOR_UNASSIGNED]).values_list(
            "kind", flat=True
        )
    )
    assert kinds == [EventKind.ASSESSOR_ASSIGNED, EventKind.ASSESSOR_UNASSIGNED]
    with pytest.raises(workflow.WorkflowError, match="is not assessing"):
        assignment.unassign(bid, assessor, lead)


def test_removing_an_assessor_drops_their_draft_but_keeps_submitted_scores(
    open_round, lead, assessor, other_assessor
):
    bid = factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor], lead=lead)
    factories.submit_scores(bid, assessor, [3, 3, 3, 3, 3])
    factories.submit_scores(bid, other_assessor, [1, 1, 1, 1, 1], submit=False)
    assignment.unassign(bid, assessor, lead)
    assignment.unassign(bid, other_assessor, lead)
    assert list(Assessment.objects.filter(bid=bid).values_list("assessor", flat=True)) == [assessor.pk]


@pytest.mark.parametrize("state", [BidState.SHORTLISTED, BidState.DRAFT])
def test_assessors_can_only_be_assigned_while_a_bid_is_submitted_or_under_assessment(
    open_round, lead, assessor, state
):
    bid = (
        factories.shortlisted_bid(open_round, "KEN", lead=lead)
        if state == BidState.SHORTLISTED
        else factories.draft_bid(open_round, "KEN")
    )
    with pytest.raises(workflow.WorkflowError, match="can only be assigned"):
        assignment.assign(bid, assessor, lead)


def test_only_assessors_can_be_assigned(open_round, lead):
    bid = factories.submitted_bid(open_round, "KEN")
    with pytest.raises(workflow.WorkflowError, match="is not an assessor"):
        assignment.assign(bid, factories.user(Role.LEAD), lead)


# Pages -----------------------------------------------------------------------------------


def test_the_lead_adds_and_removes_an_assessor_on_the_bids_page(client_for, open_round, lead, assessor):
    bid = factories.submitted_bid(open_round, "KEN")
    client = client_for(lead)
    url = reverse("bids:bid-assessors", kwargs={"reference": bid.reference})
    page = client.get(url).content.decode()
    assert assessor.full_name in page and "London, 0 bids in this round" in page
    response = client.post(url, {"expected_state": "submitted", "assessor": assessor.pk})
    assert response.status_code == 302
    assert bid.assignments.filter(assessor=assessor).exists()
    remove = reverse("bids:unassign", kwargs={"reference": bid.reference, "assessor_pk": assessor.pk})
    client.post(remove, {"expected_state": "submitted"})
    assert not bid.assignments.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select an assessor to add"),
        ({"assessor": "conflicted"}, "Select a valid choice"),
    ],
)
def test_adding_an_assessor_form_errors(client_for, open_round, lead, assessor, data, message):
    bid = factories.submitted_bid(open_round, "KEN")
    factories.conflict(assessor, "KEN")
    if data.get("assessor") == "conflicted":
        data = {"assessor": assessor.pk}
    response = client_for(lead).post(reverse("bids:bid-assessors", kwargs={"reference": bid.reference}), data)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page and message in page
    assert not bid.assignments.exists()


def test_the_bid_page_shows_conflicts_and_does_not_offer_the_conflicted(
    client_for, open_round, lead, assessor
):
    bid = factories.submitted_bid(open_round, "KEN")
    factories.conflict(assessor, "KEN", "Sister works there")
    page = (
        client_for(lead)
        .get(reverse("bids:bid-assessors", kwargs={"reference": bid.reference}))
        .content.decode()
    )
    assert "Sister works there" in page
    assert f'value="{assessor.pk}"' not in page


def test_assign_automatically_from_the_round_page(client_for, open_round, lead):
    people = assessors_in(["london", "north_west"])
    bid = factories.submitted_bid(open_round, "KEN")
    client = client_for(lead)
    page = client.get(reverse("bids:assignments", kwargs={"round_slug": open_round.slug})).content.decode()
    assert "Assign automatically" in page
    response = client.post(reverse("bids:auto-assign", kwargs={"round_slug": open_round.slug}), follow=True)
    page = response.content.decode()
    assert "2 assignments made across 1 bid" in page
    assert all(person.full_name in page for person in people)
    assert bid.assignments.count() == 2
    assert "Every bid has at least 2 assessors" in page


def test_assignments_page_query_count_is_flat(client_for, open_round, lead):
    people = assessors_in(REGIONS)
    client = client_for(lead)
    url = reverse("bids:assignments", kwargs={"round_slug": open_round.slug})
    bid = factories.submitted_bid(open_round, CODES[0])
    factories.assign(bid, people[0], lead)
    assert queries_for(client, url) == 7
    for code in CODES[1:]:
        bid = factories.submitted_bid(open_round, code)
        factories.assign(bid, people[1], lead)
        factories.assign(bid, people[2], lead)
    assert queries_for(client, url) == 7


def test_assessors_page_query_count_is_flat(client_for, open_round, lead):
    client = client_for(lead)
    factories.conflict(factories.user(Role.ASSESSOR, region="london"), "KEN")
    assert queries_for(client, reverse("bids:assessors")) == 6
    for code in CODES[:6]:
        factories.conflict(factories.user(Role.ASSESSOR, region="north_west"), code)
    assert queries_for(client, reverse("bids:assessors")) == 6
