"""Conflicts of interest: declaring one takes the assessor off the authority's bids at once,
sets their scores aside (kept, flagged, never counted) and hides the bid from them."""

import pytest
from django.urls import reverse

from accounts.models import Role
from bids import assignment, bookings, conflicts, workflow
from bids.filters import moderation_rows
from bids.models import Assessment, Assignment, Bid, ConflictOfInterest, EventKind
from bids.scoring import effective_score
from bids.views import assessment as assessment_views
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_bid(open_round, assessor, other_assessor):
    bid = factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor])
    factories.submit_scores(bid, assessor, [4, 4, 4, 4, 4])
    factories.submit_scores(bid, other_assessor, [2, 2, 2, 2, 2])
    return bid


def test_declaring_a_conflict_removes_the_assignment_and_sets_the_scores_aside(scored_bid, assessor):
    assert effective_score(scored_bid) == 75
    conflicts.declare(assessor, scored_bid.authority, "I worked for Kent until 2001.", assessor)
    assert not Assignment.objects.filter(bid=scored_bid, assessor=assessor).exists()
    assessment = Assessment.objects.get(bid=scored_bid, assessor=assessor)
    assert assessment.set_aside
    assert "I worked for Kent until 2001." in assessment.set_aside_reason
    assert assessment.weighted_total == 100  # kept on the record
    assert effective_score(Bid.objects.get(pk=scored_bid.pk)) == 50  # but no longer counted
    set_aside = scored_bid.events.get(kind=EventKind.SCORE_SET_ASIDE)
    removed = scored_bid.events.get(kind=EventKind.ASSESSOR_UNASSIGNED)
    assert not set_aside.shown_to_council and not removed.shown_to_council
    assert set_aside.actor == assessor


def test_the_lead_can_record_a_conflict_for_an_assessor(scored_bid, assessor, lead):
    conflict = conflicts.declare(assessor, scored_bid.authority, "Told me by email.", lead)
    assert conflict.declared_by == lead
    assert Assessment.objects.get(bid=scored_bid, assessor=assessor).set_aside


def test_an_assessor_cannot_declare_for_someone_else(scored_bid, assessor, other_assessor):
    with pytest.raises(conflicts.ConflictError, match="only declare your own"):
        conflicts.declare(assessor, scored_bid.authority, "Reason", other_assessor)


def test_a_conflict_is_declared_once(scored_bid, assessor):
    conflicts.declare(assessor, scored_bid.authority, "Former employer", assessor)
    with pytest.raises(conflicts.ConflictError, match="already declared a conflict of interest with Kent"):
        conflicts.declare(assessor, scored_bid.authority, "Again", assessor)
    assert ConflictOfInterest.objects.count() == 1


def test_a_conflict_removes_the_assessor_from_interview_panels(open_round, assessor, lead):
    bid = factories.interview_booked_bid(open_round, "KEN", [assessor], lead=lead)
    factories.conflict(assessor, "KEN")
    assert list(bid.interviews.get().panel.all()) == [lead]


def test_a_conflicted_assessor_is_never_assigned_by_hand_or_automatically(
    open_round, assessor, other_assessor, lead
):
    bid = factories.submitted_bid(open_round, "KEN")
    factories.conflict(assessor, "KEN")
    with pytest.raises(workflow.WorkflowError, match="conflict of interest with Kent County Council"):
        assignment.assign(bid, assessor, lead)
    assignment.auto_assign(open_round, lead)
    assert list(bid.assignments.values_list("assessor", flat=True)) == [other_assessor.pk]
    assert assessor not in assignment.assignable(bid)


def test_a_conflicted_official_is_not_offered_for_the_panel(open_round, assessor, lead):
    bid = factories.shortlisted_bid(open_round, "KEN", [assessor], lead=lead)
    assert assessor in bookings.panel_candidates(bid)
    factories.conflict(assessor, "KEN")
    assert assessor not in bookings.panel_candidates(bid)


def test_set_aside_scores_are_left_out_of_rankings_and_shown_flagged_in_moderation(
    client_for, scored_bid, assessor, lead
):
    factories.conflict(assessor, "KEN")
    (row,) = [row for row in moderation_rows(scored_bid.funding_round) if row["pk"] == scored_bid.pk]
    assert (row["mean_score"], row["scores_counted"], row["has_set_aside"]) == (50, 1, True)
    page = client_for(lead).get(reverse("bids:moderate", kwargs={"reference": scored_bid.reference}))
    html = page.content.decode()
    assert assessor.full_name in html and "Set aside" in html
    assert "Mean of submitted scores" in html and "50.0%" in html


def test_a_conflicted_assessor_gets_404_on_the_bid_its_documents_and_scores(client_for, scored_bid, assessor):
    client = client_for(assessor)
    urls = [
        reverse("bids:bid", kwargs={"reference": scored_bid.reference}),
        reverse("bids:score", kwargs={"reference": scored_bid.reference}),
        reverse(
            "bids:document", kwargs={"reference": scored_bid.reference, "pk": scored_bid.documents.first().pk}
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 200 or url.endswith(str(scored_bid.documents.first().pk))
    factories.conflict(assessor, "KEN")
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert scored_bid.reference not in client.get("/").content.decode()


# The page --------------------------------------------------------------------------------


def test_an_assessor_declares_a_conflict_on_the_page(client_for, scored_bid, assessor):
    client = client_for(assessor)
    page = client.get(reverse("bids:conflicts")).content.decode()
    assert "You have not declared any conflicts of interest." in page
    kent = factories.authority("KEN")
    response = client.post(reverse("bids:conflicts"), {"authority": kent.pk, "reason": "Former employer."})
    assert response.status_code == 302
    page = client.get(reverse("bids:conflicts")).content.decode()
    assert "Conflict of interest with Kent County Council recorded" in page
    assert "Former employer." in page
    assert Assessment.objects.get(bid=scored_bid, assessor=assessor).set_aside


def test_assessors_see_only_their_own_declarations_and_the_lead_sees_all(
    client_for, assessor, other_assessor, lead
):
    factories.conflict(assessor, "KEN", "Reason A")
    factories.conflict(other_assessor, "LDS", "Reason B")
    mine = client_for(assessor).get(reverse("bids:conflicts")).content.decode()
    assert "Reason A" in mine and "Reason B" not in mine
    everyone = client_for(lead).get(reverse("bids:conflicts")).content.decode()
    assert "Reason A" in everyone and "Reason B" in everyone


def test_the_lead_records_a_conflict_for_an_assessor_on_the_page(client_for, scored_bid, assessor, lead):
    client = client_for(lead)
    response = client.post(
        reverse("bids:conflicts"),
        {"assessor": assessor.pk, "authority": factories.authority("KEN").pk, "reason": "They told me."},
    )
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.assessor, conflict.declared_by) == (assessor, lead)


@pytest.mark.parametrize(
    ("who", "data", "messages"),
    [
        (
            "assessor",
            {},
            [
                "Select the local authority the conflict of interest is with",
                "Enter the reason for the conflict of interest",
            ],
        ),
        (
            "assessor",
            {"authority": "KEN", "reason": "word " * 151},
            ["The reason must be 150 words or fewer"],
        ),
        (
            "assessor",
            {"authority": "KEN", "reason": "Again"},
            ["You have already declared a conflict of interest with Kent"],
        ),
        (
            "lead",
            {"authority": "KEN", "reason": "R"},
            ["Select the assessor who has the conflict of interest"],
        ),
    ],
)
def test_conflict_form_errors(client_for, assessor, lead, who, data, messages):
    factories.conflict(assessor, "KEN")
    if "authority" in data:
        data = {**data, "authority": factories.authority(data["authority"]).pk}
    response = client_for(assessor if who == "assessor" else lead).post(reverse("bids:conflicts"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page
    for message in messages:
        assert message in page
    assert ConflictOfInterest.objects.count() == 1


def test_conflicts_page_query_count_is_flat(client_for, lead):
    codes = ["BST", "BIR", "CMD", "DUR", "ESX", "GAT", "HRW", "HRT", "LIV", "NFK"]
    factories.conflict(factories.user(Role.ASSESSOR), codes[0])
    client = client_for(lead)
    # (one of them counts the declarations for the pagination)
    assert queries_for(client, reverse("bids:conflicts")) == 6
    for code in codes[1:]:
        factories.conflict(factories.user(Role.ASSESSOR), code)
    assert queries_for(client, reverse("bids:conflicts")) == 6


def test_a_declaration_shows_in_the_assessors_history_with_who_recorded_it(
    client_for, admin_user, assessor, lead
):
    conflicts.declare(assessor, factories.authority("KEN"), "I worked for Kent until 2001.", assessor)
    conflicts.declare(assessor, factories.authority("LDS"), "My sister chairs its board.", lead)
    person_page = reverse("accounts:person", args=[assessor.pk])
    text = client_for(admin_user).get(person_page).content.decode()
    leeds, kent = (
        text.index("Conflict of interest declared: Leeds"),
        text.index("Conflict of interest declared: Kent"),
    )
    assert leeds < kent  # newest first
    assert "My sister chairs its board." in text[leeds:kent] and lead.full_name in text[leeds:kent]
    assert "I worked for Kent until 2001." in text[kent:] and assessor.full_name in text[kent:]


def test_the_conflicts_list_is_paginated(client_for, lead, monkeypatch):
    monkeypatch.setattr(assessment_views, "CONFLICTS_PER_PAGE", 2)
    for code in ["BST", "BIR", "CMD"]:
        factories.conflict(factories.user(Role.ASSESSOR), code)
    client = client_for(lead)
    first = client.get(reverse("bids:conflicts")).content.decode()
    assert "Declared conflicts (3)" in first and 'href="?page=2#declared"' in first
    second = client.get(reverse("bids:conflicts"), {"page": 2}).content.decode()
    assert second.count('<tr class="govuk-table__row">') == 1 + 1  # header and one declaration
