"""A council's bid lead and their colleagues: only their own authority's people, invited as
council users of that authority alone, and removed (deactivated) with a confirmation."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import invitations
from accounts.models import OutboundEmail, Role, User
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

COLLEAGUES = reverse("accounts:colleagues")
INVITE = reverse("accounts:invite-colleague")


def text(response):
    return response.content.decode()


def remove_url(person):
    return reverse("accounts:remove-colleague", args=[person.pk])


@pytest.fixture
def bid_lead(db):
    return factories.user(Role.COUNCIL, "KEN", full_name="Kim Lead", is_bid_lead=True)


def test_a_bid_lead_has_your_colleagues_in_the_navigation_and_others_do_not(
    client_for, bid_lead, kent_user, admin_user
):
    assert f'href="{COLLEAGUES}"' in text(client_for(bid_lead).get("/"))
    for person in (kent_user, admin_user):
        assert f'href="{COLLEAGUES}"' not in text(client_for(person).get("/"))


def test_the_list_holds_the_bid_leads_own_authority_only(client_for, bid_lead):
    kent = factories.user(Role.COUNCIL, "KEN", full_name="Kent Colleague")
    leeds = factories.user(Role.COUNCIL, "LDS", full_name="Leeds Officer")
    official = factories.user(Role.ASSESSOR, full_name="An Assessor")
    page = text(client_for(bid_lead).get(COLLEAGUES))
    assert "Kent Colleague" in page and "Kim Lead (you)" in page
    assert "Leeds Officer" not in page and "An Assessor" not in page
    assert remove_url(kent) in page and remove_url(bid_lead) not in page
    assert remove_url(leeds) not in page and remove_url(official) not in page


def test_the_list_is_paged_and_costs_the_same_queries_however_many(client_for, bid_lead):
    client = client_for(bid_lead)
    assert queries_for(client, COLLEAGUES) == 5
    for n in range(26):
        factories.user(Role.COUNCIL, "KEN", full_name=f"Kent Person {n:02}")
    factories.user(Role.COUNCIL, "KEN", is_active=False)
    assert queries_for(client, COLLEAGUES) == 5
    first = text(client.get(COLLEAGUES))
    assert "28 people, showing 1 to 25" in first and 'href="?page=2"' in first
    assert "Kent Person 25" in text(client.get(COLLEAGUES, {"page": 2}))


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.LEAD, Role.ADMIN])
def test_officials_and_council_users_who_do_not_lead_get_no_colleague_pages(client_for, kent_user, role):
    colleague = factories.user(Role.COUNCIL, "KEN")
    for person in (kent_user, factories.user(role)):
        client = client_for(person)
        assert client.get(COLLEAGUES).status_code == 403
        assert client.post(INVITE, {"full_name": "X", "email": "x@example.com"}).status_code == 403
        assert client.post(remove_url(colleague)).status_code == 403
    assert not User.objects.filter(email="x@example.com").exists()
    colleague.refresh_from_db()
    assert colleague.is_active


def test_a_superuser_is_not_a_bid_lead(client_for):
    root = User.objects.create_superuser("root@doh.example", factories.PASSWORD, full_name="Root")
    assert client_for(root).get(COLLEAGUES).status_code == 403


def test_an_invited_colleague_is_a_council_user_of_the_bid_leads_authority(
    client_for, bid_lead, django_capture_on_commit_callbacks
):
    client = client_for(bid_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            INVITE,
            {"full_name": "Jo Colleague", "email": "Jo.Colleague@Kent.example", "job_title": "Analyst"},
        )
    assert response.status_code == 302 and response.url == COLLEAGUES
    jo = User.objects.get(email="jo.colleague@kent.example")
    assert (jo.role, jo.local_authority.code, jo.is_bid_lead, jo.is_staff) == (
        Role.COUNCIL,
        "KEN",
        False,
        False,
    )
    assert jo.invited_by == bid_lead and not jo.has_usable_password() and jo.job_title == "Analyst"
    (email,) = mail.outbox
    assert email.to == ["jo.colleague@kent.example"]
    assert "Kim Lead has set up an account for you" in email.body and "for Kent County Council" in email.body
    assert re.search(r"/set-password/\S+", email.body)
    assert jo.history.get().history_user == bid_lead
    page = text(client.get(COLLEAGUES))
    assert "Invitation sent to jo.colleague@kent.example" in page and "Jo Colleague" in page


def test_forged_fields_for_another_role_or_authority_are_ignored(client_for, bid_lead):
    leeds = factories.authority("LDS")
    client_for(bid_lead).post(
        INVITE,
        {
            "full_name": "Forged Person",
            "email": "forged@example.com",
            "role": "admin",
            "local_authority": leeds.pk,
            "is_bid_lead": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "invited_by": factories.user(Role.ADMIN).pk,
        },
    )
    forged = User.objects.get(email="forged@example.com")
    assert forged.role == Role.COUNCIL and forged.local_authority.code == "KEN"
    assert not (forged.is_bid_lead or forged.is_staff or forged.is_superuser)
    assert forged.invited_by == bid_lead


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "Enter the person&#x27;s full name"),
        ({}, "Enter the person&#x27;s email address"),
        ({"full_name": "X", "email": "x@"}, "Enter an email address in the correct format"),
        ({"full_name": "X" * 151, "email": "x@example.com"}, "The full name must be 150 characters or fewer"),
        ({"full_name": "X", "email": "x@example.com", "job_title": "J" * 151}, "The job title must be 150"),
        (
            {"full_name": "X", "email": "leeds.officer@example.com"},
            "An account with this email address already exists",
        ),
    ],
)
def test_the_invite_form_says_what_to_fix_and_keeps_what_was_typed(
    client_for, bid_lead, leeds_user, answers, message
):
    response = client_for(bid_lead).post(INVITE, answers)
    page = text(response)
    assert response.status_code == 200 and "govuk-error-summary" in page and message in page
    assert "<title>Error: Invite a colleague" in page
    if answers.get("email"):
        assert f'value="{answers["email"]}"' in page
    assert OutboundEmail.objects.count() == 0


def test_invitations_from_a_bid_lead_are_throttled_like_an_administrators(client_for, bid_lead, monkeypatch):
    monkeypatch.setattr(invitations, "INVITATIONS_PER_SENDER", "3/h")
    client = client_for(bid_lead)
    answers = [client.post(INVITE, {"full_name": "P", "email": f"p{n}@example.com"}) for n in range(5)]
    assert [answer.status_code for answer in answers] == [302, 302, 302, 200, 200]
    assert invitations.TOO_MANY in text(answers[-1]) and "govuk-error-summary" in text(answers[-1])
    assert User.objects.filter(email__startswith="p", invited_by=bid_lead).count() == 3


def test_removing_a_colleague_deactivates_them_and_records_why(client_for, bid_lead):
    colleague = factories.user(Role.COUNCIL, "KEN", full_name="Sam Leaving")
    theirs = Client()
    theirs.post("/sign-in", {"username": colleague.email, "password": factories.PASSWORD})
    assert theirs.get("/").status_code == 200
    client = client_for(bid_lead)
    page = text(client.get(remove_url(colleague)))
    assert "Remove a colleague" in page and "cannot sign in again" in page
    response = client.post(remove_url(colleague), {"reason": "Left the council."})
    assert response.status_code == 302 and response.url == COLLEAGUES
    assert "Sam Leaving has been removed." in text(client.get(COLLEAGUES))
    colleague.refresh_from_db()
    assert not colleague.is_active
    record = colleague.history.first()
    assert (record.history_user, record.history_change_reason) == (bid_lead, "Left the council.")
    assert theirs.get("/").url.startswith("/sign-in")


def test_a_reason_for_removing_is_optional_but_short(client_for, bid_lead):
    colleague = factories.user(Role.COUNCIL, "KEN")
    client = client_for(bid_lead)
    too_long = text(client.post(remove_url(colleague), {"reason": "x" * 101}))
    assert "The reason must be 100 characters or fewer" in too_long and "govuk-error-summary" in too_long
    assert client.post(remove_url(colleague), {}).status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active


def test_a_bid_lead_cannot_reach_another_authoritys_people_or_officials(client_for, bid_lead):
    leeds = factories.user(Role.COUNCIL, "LDS")
    official = factories.user(Role.ASSESSOR)
    client = client_for(bid_lead)
    for person in (leeds, official):
        assert client.get(remove_url(person)).status_code == 404
        assert client.post(remove_url(person), {"reason": "x"}).status_code == 404
        person.refresh_from_db()
        assert person.is_active
    assert client.get(reverse("accounts:remove-colleague", args=[999999999])).status_code == 404
    assert client.get(reverse("accounts:users")).status_code == 403


def test_a_bid_lead_cannot_remove_themselves_or_someone_already_removed(client_for, bid_lead):
    gone = factories.user(Role.COUNCIL, "KEN", full_name="Already Gone", is_active=False)
    client = client_for(bid_lead)
    assert "You cannot remove yourself" in text(client.post(remove_url(bid_lead), follow=True))
    assert "Already Gone has already been removed" in text(client.get(remove_url(gone), follow=True))
    bid_lead.refresh_from_db()
    assert bid_lead.is_active
