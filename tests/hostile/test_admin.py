"""Hostile input on the Django admin's forms (superusers only): service scopes and users.
The admin is not on the GOV.UK template, so a refused form shows the admin's own error note
instead of a GOV.UK error summary. Funding rounds are read only there: they are set up on
the service's own pages (tests/hostile/test_round_setup.py)."""

import pytest
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from accounts.models import Role, User
from bids.models import FundingRound
from reference.models import Region, ServiceScope
from tests import factories

from .inputs import (
    HOSTILE,
    NOT_THERE_IDS,
    NUMBERISH,
    assert_escaped,
    assert_no_nul,
    client_as,
    field,
    form,
    last_text,
    page_text,
    posting,
    rolled_back,
)

pytestmark = pytest.mark.django_db


def assert_admin_handled(response):
    status = response.status_code
    assert status < 500, f"server error {status}"
    if status == 302:
        event("outcome: success")
        return "success"
    assert status == 200, f"unexpected status {status}"
    text = page_text(response)
    assert 'class="errornote"' in text or 'class="errorlist' in text, (
        "the admin form came back without an error"
    )
    assert_escaped(text)
    event("outcome: invalid")
    return "invalid"


@pytest.fixture
def admin(db):
    return client_as(factories.user(Role.ADMIN, is_superuser=True, is_staff=True))


@HOSTILE
@given(
    posted=form(
        slug=field("school-nursing", "child-protection", "School nursing"),
        name=field("School nursing", "N" * 121),
        description=field(""),
        allowed=field("on", ""),
        excluded_reason=field("", "Stays with the police.", "   "),
        position=field("1", "-1", "40000", *NUMBERISH),
    )
)
def test_an_excluded_service_scope_always_says_why(posted, admin):
    with rolled_back():
        outcome = assert_admin_handled(posting(admin, reverse("admin:reference_servicescope_add"), posted))
        assert ServiceScope.objects.filter(allowed=False, excluded_reason="").count() == 0
        for scope in ServiceScope.objects.all():
            assert 0 <= scope.position <= 32767 and len(scope.name) <= 120
            assert_no_nul(scope.name, scope.slug, scope.excluded_reason)
        if outcome == "success":
            assert ServiceScope.objects.filter(slug=last_text(posted.get("slug"))).exists()


@HOSTILE
@given(data=st.data())
def test_a_user_changed_in_the_admin_keeps_one_role_and_the_authority_it_needs(data, admin, kent_user):
    kent = factories.authority("KEN")
    posted = data.draw(
        form(
            email=field(kent_user.email, "new@council.example", "not-an-email"),
            full_name=field("Kent Officer", "N" * 151),
            job_title=field(""),
            role=field(*Role.values, "root"),
            local_authority=field(str(kent.pk), "", *[str(pk) for pk in NOT_THERE_IDS]),
            region=field("", *Region.values, "atlantis"),
            is_active=field("on", ""),
            is_staff=field("", "on"),
            is_superuser=field("on"),
        )
    )
    with rolled_back():
        response = posting(admin, reverse("admin:accounts_user_change", args=[kent_user.pk]), posted)
        assert_admin_handled(response)
        user = User.objects.get(pk=kent_user.pk)
        assert (user.local_authority_id is not None) == (user.role == Role.COUNCIL)
        assert not user.is_staff and not user.is_superuser
        assert user.region in ("", *Region.values)
        assert_no_nul(user.email, user.full_name)


def test_rounds_are_read_only_in_the_admin(admin, open_round):
    """Rounds change on the service's own pages, where the rules are (bids/setup.py)."""
    assert admin.get(reverse("admin:bids_fundinground_change", args=[open_round.pk])).status_code == 200
    assert admin.post(reverse("admin:bids_fundinground_add"), {"name": "Sneaky"}).status_code == 403
    assert not FundingRound.objects.filter(name="Sneaky").exists()
