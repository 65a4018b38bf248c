"""Hostile input on signing in, resetting and choosing a password, inviting a user, and the
people pages: the users list's search, changing a role, deactivating and reactivating, and a
bid lead inviting and removing colleagues."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import OutboundEmail, Role, Status, User
from accounts.passwords import set_password_link
from tests import factories

from .inputs import (
    HOSTILE,
    NOT_THERE_IDS,
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


@HOSTILE
@given(data=st.data())
def test_signing_in_lets_in_only_the_right_password(data, kent_user):
    posted = data.draw(
        form(
            username=field(
                kent_user.email, kent_user.email.upper(), "nobody@example.com", f"{kent_user.email}{NUL}"
            ),
            password=field(
                factories.PASSWORD, f"{factories.PASSWORD}{NUL}", factories.PASSWORD.upper(), "x" * 5000
            ),
            next=field("/", "https://evil.example/", "//evil.example", "/bids/\x00", "javascript:alert(1)"),
        )
    )
    with rolled_back():
        client = Client()
        response = posting(client, reverse("accounts:sign-in"), posted, data.draw(st.booleans()))
        outcome = assert_handled(response, refusals=(429,))
        signed_in = SESSION_KEY in client.session
        assert signed_in == (outcome == "success")
        if signed_in:
            assert last_text(posted.get("password")) in (factories.PASSWORD, f"{factories.PASSWORD}{NUL}")
            assert int(client.session[SESSION_KEY]) == kent_user.pk
            assert not response["Location"].startswith(("http", "//", "javascript")), response["Location"]

        for attempt in AccessAttempt.objects.all():
            assert_no_nul(attempt.username, attempt.get_data, attempt.post_data)


@HOSTILE
@given(
    posted=form(
        email=field("kent.officer@example.com", "KENT.OFFICER@EXAMPLE.COM", "nobody@example.com", "a@b")
    )
)
def test_a_reset_link_only_ever_goes_to_an_account(posted, kent_user):
    with rolled_back():
        response = posting(Client(), reverse("accounts:password-reset"), posted)
        assert_handled(response)
        for email in OutboundEmail.objects.all():
            assert email.to == [kent_user.email], email.to


@HOSTILE
@given(
    posted=form(
        new_password1=field("a-long-new-passphrase", "password", "12345678", "x" * 5000),
        new_password2=field("a-long-new-passphrase", "password", "different-passphrase"),
    )
)
def test_a_new_password_is_set_only_when_both_boxes_agree_and_it_is_strong(posted, kent_user):
    with rolled_back():
        client = Client()
        landing = client.get(set_password_link(kent_user))
        assert landing.status_code == 302
        response = posting(client, landing["Location"], posted)
        outcome = assert_handled(response)
        user = User.objects.get(pk=kent_user.pk)
        first, second = last_text(posted.get("new_password1")), last_text(posted.get("new_password2"))
        if outcome == "success":
            assert first == second and user.check_password(first)
        else:
            assert user.check_password(factories.PASSWORD)


@HOSTILE
@given(
    uid=st.one_of(st.sampled_from(["MQ", "", "x" * 500, NUL, "%00"]), hostile_text),
    token=st.one_of(st.sampled_from(["set-password", "abc-123"]), hostile_text),
)
def test_a_set_password_link_that_is_not_ours_says_so(uid, token, kent_user):
    uid = uid.replace("/", "") or "x"
    token = token.replace("/", "") or "x"
    with rolled_back():
        response = Client().post(f"/set-password/{uid}/{token}", {"new_password1": "a-long-new-passphrase"})
        assert response.status_code in (200, 404), response.status_code
        assert User.objects.get(pk=kent_user.pk).check_password(factories.PASSWORD)


@HOSTILE
@given(data=st.data())
def test_invited_users_have_one_role_and_the_authority_it_needs(data, admin_user, kent_user):
    kent = factories.authority("KEN")
    posted = data.draw(
        form(
            full_name=field("Pat Newcomer", "N" * 150, "N" * 151),
            email=field("pat@council.example", kent_user.email.upper(), "pat@", "PAT@Council.Example"),
            job_title=field("", "Commissioner"),
            role=field("assessor", *Role.values, "superuser"),
            local_authority=field("", str(kent.pk), *[str(pk) for pk in NOT_THERE_IDS], "KEN"),
            is_staff=field("on"),
            is_superuser=field("on"),
        )
    )
    before = set(User.objects.values_list("pk", flat=True))
    with rolled_back():
        response = posting(client_as(admin_user), reverse("accounts:invite-user"), posted)
        outcome = assert_handled(response)
        new = list(User.objects.exclude(pk__in=before))
        assert len(new) == (1 if outcome == "success" else 0)
        for user in new:
            assert user.role in Role.values
            assert (user.local_authority is not None) == (user.role == Role.COUNCIL)
            assert not user.is_staff and not user.is_superuser  # the Django admin is for superusers
            assert user.email == user.email.lower() and not user.has_usable_password()
            assert 0 < len(user.full_name) <= 150 and user.invited_by == admin_user
            assert_no_nul(user.full_name, user.email, user.job_title)
            listing = client_as(admin_user).get(reverse("accounts:users"))
            assert listing.status_code == 200 and user.email in page_text(listing)


@HOSTILE
@given(
    query=form(
        q=field("kent", "KENT@", "x" * 300),
        role=field(*Role.values, "superuser"),
        status=field(*Status.values, "closed"),
        page=field("1", "2", "last", "-1", *NUMBERISH),
    )
)
def test_the_users_list_takes_any_query_string(query, admin_user, kent_user):
    plain = {
        name: [v for v in (values if isinstance(values, list) else [values]) if isinstance(v, str)]
        for name, values in query.items()
    }
    with rolled_back():
        response = client_as(admin_user).get(reverse("accounts:users"), plain)
        assert response.status_code == 200
        assert_escaped(page_text(response))


@HOSTILE
@given(data=st.data())
def test_a_changed_role_always_has_the_authority_it_needs_and_no_django_admin(data, admin_user):
    kent = factories.authority("KEN")
    person = factories.user(Role.ASSESSOR, full_name="Alex Assessor")
    posted = data.draw(
        form(
            role=field("council", *Role.values, "superuser"),
            local_authority=field(str(kent.pk), "", *[str(pk) for pk in NOT_THERE_IDS], "KEN"),
            is_bid_lead=field("on", ""),
            reason=field("Joined Kent.", "", "x" * 101),
            is_staff=field("on"),
            is_superuser=field("on"),
            is_active=field(""),
        )
    )
    with rolled_back():
        response = posting(client_as(admin_user), reverse("accounts:change-role", args=[person.pk]), posted)
        outcome = assert_handled(response)
        changed = User.objects.get(pk=person.pk)
        assert (changed.local_authority_id is not None) == (changed.role == Role.COUNCIL)
        assert not changed.is_bid_lead or changed.role == Role.COUNCIL
        assert changed.is_active and not changed.is_staff and not changed.is_superuser
        records = changed.history.filter(history_type="~")
        assert records.count() == (1 if outcome == "success" else 0)
        for record in records:
            assert record.history_user_id == admin_user.pk
            assert 0 < len(record.history_change_reason) <= 100
            assert_no_nul(record.history_change_reason)


@HOSTILE
@given(data=st.data())
def test_deactivating_and_reactivating_always_record_a_short_reason(data, admin_user, kent_user):
    name = data.draw(st.sampled_from(["accounts:deactivate", "accounts:reactivate"]))
    posted = data.draw(form(reason=field("Left the council.", "", "x" * 101), is_active=field("on", "")))
    with rolled_back():
        if name == "accounts:reactivate":
            User.objects.filter(pk=kent_user.pk).update(is_active=False)
        response = posting(client_as(admin_user), reverse(name, args=[kent_user.pk]), posted)
        outcome = assert_handled(response)
        person = User.objects.get(pk=kent_user.pk)
        assert person.is_active == ((name == "accounts:reactivate") == (outcome == "success"))
        if outcome == "success":
            reason = person.history.first().history_change_reason
            assert 0 < len(reason) <= 100 and NUL not in reason


@HOSTILE
@given(data=st.data())
def test_a_bid_lead_invites_only_council_users_of_their_own_authority(data, kent_user, leeds_user):
    bid_lead = factories.user(Role.COUNCIL, "KEN", is_bid_lead=True)
    leeds = factories.authority("LDS")
    posted = data.draw(
        form(
            full_name=field("Jo Colleague", "N" * 151),
            email=field("jo@kent.example", leeds_user.email.upper(), "jo@", "JO@Kent.Example"),
            job_title=field("", "Analyst", "J" * 151),
            role=field("admin", *Role.values),
            local_authority=field(str(leeds.pk), *[str(pk) for pk in NOT_THERE_IDS]),
            is_bid_lead=field("on"),
            is_staff=field("on"),
            is_superuser=field("on"),
        )
    )
    before = set(User.objects.values_list("pk", flat=True))
    with rolled_back():
        response = posting(client_as(bid_lead), reverse("accounts:invite-colleague"), posted)
        outcome = assert_handled(response)
        new = list(User.objects.exclude(pk__in=before))
        assert len(new) == (1 if outcome == "success" else 0)
        for user in new:
            assert user.role == Role.COUNCIL and user.local_authority.code == "KEN"
            assert not (user.is_bid_lead or user.is_staff or user.is_superuser)
            assert user.invited_by == bid_lead and not user.has_usable_password()
            assert user.email == user.email.lower()
            assert_no_nul(user.full_name, user.email, user.job_title)


@HOSTILE
@given(
    data=st.data(),
    target=st.sampled_from(["colleague", "leeds", "official", "self", "missing"]),
)
def test_a_bid_lead_removes_only_their_own_authoritys_people(data, target, leeds_user, assessor):
    bid_lead = factories.user(Role.COUNCIL, "KEN", is_bid_lead=True)
    colleague = factories.user(Role.COUNCIL, "KEN")
    pk = {
        "colleague": colleague.pk,
        "leeds": leeds_user.pk,
        "official": assessor.pk,
        "self": bid_lead.pk,
        "missing": NOT_THERE_IDS[1],
    }[target]
    posted = data.draw(form(reason=field("Left the council.", "", "x" * 101), is_active=field("on")))
    with rolled_back():
        response = posting(client_as(bid_lead), reverse("accounts:remove-colleague", args=[pk]), posted)
        assert_handled(response, refusals=(404,))
        if target in ("leeds", "official", "missing"):
            assert response.status_code == 404
        still_active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
        assert {bid_lead.pk, leeds_user.pk, assessor.pk} <= still_active
