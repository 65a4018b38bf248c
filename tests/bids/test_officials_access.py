"""Every officials' URL, asked by every role: who gets the page, who is refused (403),
and who is told it does not exist (404) because the bid is not theirs to see."""

import pytest
from django.urls import reverse

from accounts.models import Role
from bids.models import Assessment
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "council_own",
    "council_other",
    "assessor_assigned",
    "assessor_unassigned",
    "assessor_conflicted",
    "lead",
    "admin",
]


def expect(
    anonymous=302,
    council_own=403,
    council_other=404,
    assigned=403,
    unassigned=404,
    conflicted=404,
    lead=200,
    admin=403,
):
    return dict(
        zip(
            ROLES,
            [anonymous, council_own, council_other, assigned, unassigned, conflicted, lead, admin],
            strict=True,
        )
    )


LEAD_ONLY = expect()
PROGRAMME_VIEW = expect(admin=200)

# (url name, the bid's stage, expected status for each role)
BID_PAGES = [
    ("bids:bid", "under_assessment", expect(council_own=200, assigned=200, admin=200)),
    ("bids:score", "under_assessment", expect(assigned=200, lead=403)),
    ("bids:eligibility", "submitted", LEAD_ONLY),
    ("bids:bid-assessors", "under_assessment", LEAD_ONLY),
    ("bids:moderate", "under_assessment", PROGRAMME_VIEW),
    ("bids:shortlist", "under_assessment", LEAD_ONLY),
    ("bids:schedule-interview", "shortlisted", LEAD_ONLY),
    ("bids:reschedule-interview", "interview_scheduled", LEAD_ONLY),
    ("bids:cancel-interview", "interview_scheduled", LEAD_ONLY),
    ("bids:record-interview", "interview_scheduled", expect(assigned=200)),
    ("bids:interview-ics", "interview_scheduled", expect(council_own=200, assigned=200, admin=200)),
    ("trusts:approve", "interviewed", LEAD_ONLY),
    ("bids:reject", "interviewed", LEAD_ONLY),
]

STAGES = {
    "submitted": factories.submitted_bid,
    "under_assessment": factories.under_assessment_bid,
    "shortlisted": factories.shortlisted_bid,
    "interview_scheduled": factories.interview_booked_bid,
    "interviewed": factories.interviewed_bid,
}


@pytest.fixture
def people(db):
    return {
        "council_other": factories.user(Role.COUNCIL, "LDS"),
        "assessor_assigned": factories.user(Role.ASSESSOR, region="london"),
        "assessor_unassigned": factories.user(Role.ASSESSOR, region="north_west"),
        "assessor_conflicted": factories.user(Role.ASSESSOR, region="south_west"),
        "lead": factories.lead_user(),
        "admin": factories.user(Role.ADMIN),
    }


def bid_at(stage, people, funding_round):
    council = factories.user(Role.COUNCIL, "KEN")
    people["council_own"] = council
    assessors = [people["assessor_assigned"], people["assessor_conflicted"]]
    if stage == "submitted":
        bid = factories.submitted_bid(funding_round, "KEN", council)
        for assessor in assessors:
            factories.assign(bid, assessor, people["lead"])
    else:
        bid = STAGES[stage](funding_round, "KEN", assessors=assessors, council=council, lead=people["lead"])
    factories.conflict(people["assessor_conflicted"], "KEN")
    return bid


def status_for(client, role, people, url, method="get"):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role], backend="django.contrib.auth.backends.ModelBackend")
    response = getattr(client, method)(url)
    return response.status_code, response


@pytest.mark.parametrize(("name", "stage", "expected"), BID_PAGES, ids=[case[0] for case in BID_PAGES])
def test_bid_pages_answer_each_role(client, people, open_round, name, stage, expected):
    bid = bid_at(stage, people, open_round)
    url = reverse(name, kwargs={"reference": bid.reference})
    got = {role: status_for(client, role, people, url)[0] for role in ROLES}
    assert got == expected


def test_anonymous_visitors_are_sent_to_sign_in(client, people, open_round):
    bid = bid_at("under_assessment", people, open_round)
    response = client.get(reverse("bids:moderate", kwargs={"reference": bid.reference}))
    assert response.url.startswith("/sign-in?next=")


def test_reopening_scores_is_for_the_lead_alone(client, people, open_round):
    bid = bid_at("under_assessment", people, open_round)
    assessment = factories.submit_scores(bid, people["assessor_assigned"], [3, 3, 3, 3, 3])
    url = reverse("bids:reopen-scores", kwargs={"reference": bid.reference, "assessment_pk": assessment.pk})
    got = {role: status_for(client, role, people, url)[0] for role in ROLES}
    assert got == LEAD_ONLY


def test_removing_an_assessor_is_for_the_lead_alone(client, people, open_round):
    bid = bid_at("under_assessment", people, open_round)
    assigned = people["assessor_assigned"]
    url = reverse("bids:unassign", kwargs={"reference": bid.reference, "assessor_pk": assigned.pk})
    got = {}
    for role in ROLES:
        got[role] = status_for(client, role, people, url, "post")[0]
    # The lead's POST works (a redirect back to the assessors page) and removes the assessor.
    assert got == expect(lead=302)
    assert not bid.assignments.filter(assessor=assigned).exists()


@pytest.mark.parametrize("name", ["bids:ranking", "bids:assignments", "bids:moderation"])
def test_round_pages_are_for_the_programme_team(client, people, open_round, name):
    bid_at("under_assessment", people, open_round)
    url = reverse(name, kwargs={"round_slug": open_round.slug})
    got = {role: status_for(client, role, people, url)[0] for role in ROLES}
    assert got == expect(
        council_own=403, council_other=403, assigned=403, unassigned=403, conflicted=403, admin=200
    )


@pytest.mark.parametrize(
    ("name", "lead", "admin"), [("bids:current-ranking", 302, 302), ("bids:assessors", 200, 200)]
)
def test_programme_pages_without_a_round(client, people, open_round, name, lead, admin):
    bid_at("under_assessment", people, open_round)
    got = {role: status_for(client, role, people, reverse(name))[0] for role in ROLES}
    assert got == expect(
        council_own=403,
        council_other=403,
        assigned=403,
        unassigned=403,
        conflicted=403,
        lead=lead,
        admin=admin,
    )


def test_conflicts_page_is_for_assessors_and_the_lead(client, people, open_round):
    bid_at("under_assessment", people, open_round)
    got = {role: status_for(client, role, people, reverse("bids:conflicts"))[0] for role in ROLES}
    assert got == expect(council_own=403, council_other=403, assigned=200, unassigned=200, conflicted=200)


def test_automatic_assignment_is_for_the_lead_alone(client, people, open_round):
    bid_at("submitted", people, open_round)
    url = reverse("bids:auto-assign", kwargs={"round_slug": open_round.slug})
    got = {role: status_for(client, role, people, url, "post")[0] for role in ROLES}
    assert got == expect(
        council_own=403, council_other=403, assigned=403, unassigned=403, conflicted=403, lead=302
    )


def test_a_conflicted_assessor_cannot_reach_the_bid_its_documents_or_scores(client, people, open_round):
    bid = bid_at("under_assessment", people, open_round)
    conflicted = people["assessor_conflicted"]
    Assessment.objects.filter(bid=bid, assessor=conflicted).exists()
    client.force_login(conflicted, backend="django.contrib.auth.backends.ModelBackend")
    document = bid.documents.first()
    for url in [
        reverse("bids:bid", kwargs={"reference": bid.reference}),
        reverse("bids:score", kwargs={"reference": bid.reference}),
        reverse("bids:document", kwargs={"reference": bid.reference, "pk": document.pk}),
    ]:
        assert client.get(url).status_code == 404, url
