"""The service navigation marks the section every page is in: the page itself where it is a
navigation page (aria-current="page"), else the section it is reached from ("true")."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

ACTIVE = re.compile(
    r'govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" '
    r'href="[^"]*" aria-current="(page|true)"><strong[^>]*>([^<]+)</strong>'
)


def marked(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ACTIVE.findall(response.content.decode())


def test_programme_pages_mark_their_section(client_for, lead, open_round):
    bid = factories.under_assessment_bid(open_round, "KEN", lead=lead)
    client = client_for(lead)
    slug = {"round_slug": open_round.slug}
    assert marked(client, reverse("home")) == [("page", "Pipeline")]
    assert marked(client, reverse("bids:ranking", kwargs=slug)) == [("true", "Ranking")]
    assert marked(client, reverse("bids:moderation", kwargs=slug)) == [("true", "Pipeline")]
    assert marked(client, reverse("bids:calibration", kwargs=slug)) == [("true", "Pipeline")]
    assert marked(client, reverse("bids:bid", kwargs={"reference": bid.reference})) == [("true", "Pipeline")]
    assert marked(client, reverse("trusts:budget", kwargs=slug)) == [("true", "Awards")]
    assert marked(client, reverse("trusts:payments")) == [("page", "Payments")]
    assert marked(client, reverse("accounts:account")) == [("page", "Your account")]


def test_a_council_and_an_administrator_see_their_sections(client_for, open_round, admin_user):
    officer = factories.user(Role.COUNCIL, "KEN")
    bid = factories.draft_bid(open_round, "KEN", officer)
    assert marked(client_for(officer), reverse("bids:bid", kwargs={"reference": bid.reference})) == [
        ("true", "Your bids")
    ]
    person = reverse("accounts:person", kwargs={"pk": officer.pk})
    assert marked(client_for(admin_user), person) == [("true", "Users")]
