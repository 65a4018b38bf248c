"""Officials' URLs beyond the status each role gets: where a signed-out visitor is sent,
and what the lead's POST changes. The status of every URL for every role is the
authorisation matrix's (tests/test_authorisation_matrix.py)."""

import pytest
from django.urls import reverse

from accounts.models import Role
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


def bid_at(people, funding_round):
    """Kent's bid under assessment with two assessors assigned, one of whom then declares a
    conflict with Kent."""
    council = factories.user(Role.COUNCIL, "KEN")
    people["council_own"] = council
    assessors = [people["assessor_assigned"], people["assessor_conflicted"]]
    bid = factories.under_assessment_bid(
        funding_round, "KEN", assessors=assessors, council=council, lead=people["lead"]
    )
    factories.conflict(people["assessor_conflicted"], "KEN")
    return bid


def status_for(client, role, people, url, method="get"):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role], backend="django.contrib.auth.backends.ModelBackend")
    response = getattr(client, method)(url)
    return response.status_code, response


def test_anonymous_visitors_are_sent_to_sign_in(client, people, open_round):
    bid = bid_at(people, open_round)
    response = client.get(reverse("bids:moderate", kwargs={"reference": bid.reference}))
    assert response.url.startswith("/sign-in?next=")


def test_removing_an_assessor_is_for_the_lead_alone(client, people, open_round):
    bid = bid_at(people, open_round)
    assigned = people["assessor_assigned"]
    url = reverse("bids:unassign", kwargs={"reference": bid.reference, "assessor_pk": assigned.pk})
    got = {}
    for role in ROLES:
        got[role] = status_for(client, role, people, url, "post")[0]
    # The lead's POST works (a redirect back to the assessors page) and removes the assessor.
    assert got == expect(lead=302)
    assert not bid.assignments.filter(assessor=assigned).exists()
