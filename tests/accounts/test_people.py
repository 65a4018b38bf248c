"""Administrators and people: the users list (search, filters, pages), a person's page with
their History, changing a role, deactivating and reactivating, sending an invitation again."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations
from accounts.models import OutboundEmail, Role, User
from accounts.passwords import set_password_link
from accounts.queries import PEOPLE_PER_PAGE
from bids.models import ConflictOfInterest
from tests import factories
from tests.queries import queries_for
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:users")


def text(response):
    return response.content.decode()


def person_url(person, name="accounts:person"):
    return reverse(name, args=[person.pk])


def signed_in_with_password(user):
    client = Client()
    response = client.post("/sign-in", {"username": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def invited(authority="KEN", **fields):
    person = factories.user(Role.COUNCIL, authority, **fields)
    person.set_unusable_password()
    person.save(update_fields=["password"])
    return person


def names_listed(page):
    return re.findall(r'href="/users/\d+">([^<]+)</a>', page)


# The users list ---------------------------------------------------------------------------


def test_the_list_shows_everyone_with_links_to_their_pages(client_for, admin_user, kent_user):
    page = text(client_for(admin_user).get(USERS))
    assert f'href="{person_url(kent_user)}"' in page
    assert kent_user.email in page and "Kent County Council" in page
    assert "Second factor" in page


def test_search_finds_name_email_and_authority_whatever_the_case(client_for, admin_user):
    factories.user(Role.COUNCIL, "KEN", full_name="Pat Kentish", email="pat@kent.example")
    factories.user(Role.COUNCIL, "LDS", full_name="Sam Leeds", email="sam@leeds.example")
    factories.user(Role.ASSESSOR, full_name="Alex Assessor", email="ALEX.A@doh.example")
    client = client_for(admin_user)

    def found(query):
        return names_listed(text(client.get(USERS, {"q": query})))

    assert found("pat kent") == ["Pat Kentish"]
    assert found("alex.a@DOH") == ["Alex Assessor"]
    assert found("LEEDS CITY") == ["Sam Leeds"]
    assert found("  sam  ") == ["Sam Leeds"]
    assert found("nobody-like-this") == []
    assert "Nobody matches" in text(client.get(USERS, {"q": "nobody-like-this"}))


def test_filters_by_role_and_by_status(client_for, admin_user):
    factories.user(Role.COUNCIL, "KEN", full_name="Active Council")
    invited(full_name="Invited Council")
    factories.user(Role.COUNCIL, "KEN", full_name="Gone Council", is_active=False)
    factories.user(Role.LEAD, full_name="A Lead")
    client = client_for(admin_user)

    def found(**query):
        return set(names_listed(text(client.get(USERS, query))))

    assert found(role="council") == {"Active Council", "Invited Council", "Gone Council"}
    assert found(role="lead") == {"A Lead"}
    assert found(role="council", status="active") == {"Active Council"}
    assert found(status="invited") == {"Invited Council"}
    assert found(status="deactivated") == {"Gone Council"}
    page = text(client.get(USERS, {"status": "invited"}))
    assert (
        "Invited</strong>" in page and "matching your search" in page and "Clear search and filters" in page
    )


def test_a_filter_no_page_offers_is_an_error_not_a_crash(client_for, admin_user):
    response = client_for(admin_user).get(USERS, {"role": "superuser", "status": "x", "q": "x" * 201})
    page = text(response)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Select a role from the list" in page and "Select a status from the list" in page
    assert "Search for 200 characters or fewer" in page
    assert names_listed(page) == []


def test_the_list_is_paged_25_at_a_time_keeping_the_search(client_for, admin_user):
    for n in range(PEOPLE_PER_PAGE + 3):
        factories.user(Role.ASSESSOR, full_name=f"Paged Person {n:02}")
    client = client_for(admin_user)
    first = text(client.get(USERS, {"q": "paged"}))
    assert len(names_listed(first)) == PEOPLE_PER_PAGE
    assert "28 people matching your search, showing 1 to 25" in first
    assert 'href="?q=paged&amp;page=2"' in first
    second = names_listed(text(client.get(USERS, {"q": "paged", "page": 2})))
    assert second == ["Paged Person 25", "Paged Person 26", "Paged Person 27"]


def test_the_list_costs_the_same_queries_however_many_people(client_for, admin_user):
    client = client_for(admin_user)
    assert queries_for(client, USERS) == 4
    for code in ["KEN", "LDS", "BST"]:
        person = factories.user(Role.COUNCIL, code)
        TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    invited()
    factories.user(Role.LEAD, is_active=False)
    assert queries_for(client, USERS) == 4
    assert queries_for(client, f"{USERS}?q=council&role=council&status=active") == 4


# A person's page ------------------------------------------------------------------------------


def test_a_persons_page_shows_their_details_and_what_can_be_changed(client_for, admin_user):
    person = factories.user(
        Role.COUNCIL, "KEN", full_name="Pat Kentish", job_title="Planning officer", is_bid_lead=True
    )
    TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    page = text(client_for(admin_user).get(person_url(person)))
    for shown in [
        "Pat Kentish",
        person.email,
        "Council user",
        "Kent County Council",
        "Planning officer",
        "Yes: invites and removes colleagues from Kent County Council",
        "Active</strong>",
        "Authenticator app",
        "Never",
    ]:
        assert shown in page, shown
    assert person_url(person, "accounts:change-role") in page
    assert person_url(person, "accounts:deactivate") in page
    assert person_url(person, "accounts:reset-second-factor") in page
    assert person_url(person, "accounts:resend-invitation") not in page
    assert '<h2 class="govuk-heading-l" id="history">History</h2>' in page


def test_an_invited_person_can_be_sent_the_invitation_again_and_a_deactivated_one_reactivated(
    client_for, admin_user
):
    waiting = invited()
    gone = factories.user(Role.ASSESSOR, is_active=False)
    client = client_for(admin_user)
    assert person_url(waiting, "accounts:resend-invitation") in text(client.get(person_url(waiting)))
    page = text(client.get(person_url(gone)))
    assert person_url(gone, "accounts:reactivate") in page and "Deactivated</strong>" in page
    assert person_url(gone, "accounts:deactivate") not in page


def test_an_administrators_own_page_offers_no_change_to_themselves(client_for, admin_user):
    page = text(client_for(admin_user).get(person_url(admin_user)))
    assert "This is you." in page
    assert person_url(admin_user, "accounts:change-role") not in page
    assert person_url(admin_user, "accounts:deactivate") not in page


def test_a_person_who_is_not_there_is_a_404(client_for, admin_user):
    assert client_for(admin_user).get("/users/999999999").status_code == 404


def test_the_persons_page_costs_the_same_queries_however_long_their_history(client_for, admin_user):
    person = factories.user(Role.ASSESSOR)
    client = client_for(admin_user)
    factories.conflict(person, "MAN")
    # The person, their history, the names it mentions (people, authorities), and their
    # conflict-of-interest declarations.
    post_role(client, person, role="council", local_authority=factories.authority("KEN").pk, reason="Moved.")
    assert queries_for(client, person_url(person)) == 7
    post_role(client, person, role="lead", reason="Promoted.")
    post_role(client, person, role="council", local_authority=factories.authority("LDS").pk, reason="Moved.")
    client_for(factories.user(Role.ADMIN)).post(
        person_url(person, "accounts:deactivate"), {"reason": "Left."}
    )
    ConflictOfInterest.objects.create(
        assessor=person,
        authority=factories.authority("BIR"),
        reason="Former employer",
        declared_by=admin_user,
    )
    client = client_for(admin_user)
    assert queries_for(client, person_url(person)) == 7


# Changing a role -----------------------------------------------------------------------------


def post_role(client, person, **answers):
    return client.post(person_url(person, "accounts:change-role"), answers)


def test_changing_a_role_is_recorded_with_who_when_from_what_to_what_and_why(client_for, admin_user):
    person = factories.user(Role.ASSESSOR, full_name="Alex Assessor")
    client = client_for(admin_user)
    leeds = factories.authority("LDS")
    response = post_role(
        client, person, role="council", local_authority=leeds.pk, is_bid_lead="on", reason="Joined Leeds."
    )
    assert response.status_code == 302 and response.url == person_url(person)
    person.refresh_from_db()
    assert (person.role, person.local_authority, person.is_bid_lead) == (Role.COUNCIL, leeds, True)
    record = person.history.first()
    assert record.history_user == admin_user and record.history_change_reason == "Joined Leeds."

    page = text(client.get(response.url))
    assert "Alex Assessor is now council user, Leeds City Council (bid lead)." in page
    history = page[page.index('id="history"') :]
    assert admin_user.full_name in history and "Reason: Joined Leeds." in history
    for label, before, after in [
        ("Role", "Assessor", "Council user"),
        ("Local authority", "Not set", "Leeds City Council"),
        ("Bid lead", "No", "Yes"),
    ]:
        assert re.search(
            rf">{label}</dt>\s*<dd[^>]*><span class=\"app-history__before\">"
            rf"<span class=\"govuk-visually-hidden\">changed from </span>{before}</span>.*?{after}</dd>",
            history,
        ), label


def test_moving_to_an_official_role_clears_the_authority_and_bid_lead(client_for, admin_user):
    person = factories.user(Role.COUNCIL, "KEN", is_bid_lead=True)
    response = post_role(
        client_for(admin_user),
        person,
        role="lead",
        local_authority=factories.authority("KEN").pk,
        is_bid_lead="on",
        reason="Seconded to the Department.",
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.local_authority, person.is_bid_lead, person.is_staff) == (
        Role.LEAD,
        None,
        False,
        False,
    )


def test_an_administrator_made_here_does_not_get_the_django_admin(client_for, admin_user):
    person = factories.user(Role.ASSESSOR)
    post_role(client_for(admin_user), person, role="admin", reason="Runs the programme now.")
    person.refresh_from_db()
    assert person.role == Role.ADMIN and not person.is_staff and not person.is_superuser


@pytest.mark.parametrize(
    ("answers", "messages"),
    [
        ({}, ["Select a role", "Enter why you are making this change"]),
        ({"role": "superuser", "reason": "x"}, ["Select a role"]),
        ({"role": "council", "reason": "x"}, ["Choose the local authority this council user works for"]),
        (
            {"role": "council", "local_authority": "999999999", "reason": "x"},
            ["Choose a local authority from the list"],
        ),
        (
            {"role": "assessor", "reason": "x"},
            ["Choose a different role, local authority or bid lead, or cancel"],
        ),
        ({"role": "lead", "reason": "x" * 101}, ["The reason must be 100 characters or fewer"]),
    ],
)
def test_the_role_form_says_what_to_fix_and_keeps_what_was_typed(client_for, admin_user, answers, messages):
    person = factories.user(Role.ASSESSOR)
    response = post_role(client_for(admin_user), person, **answers)
    page = text(response)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: Change role" in page
    for message in messages:
        assert message in page
    if answers.get("reason"):
        assert re.search(rf">\s*{answers['reason']}</textarea>", page)
    person.refresh_from_db()
    assert person.role == Role.ASSESSOR and not person.history.filter(history_type="~").exists()


def test_the_role_page_offers_the_authorities_to_the_autocomplete(client_for, admin_user, kent_user):
    page = text(client_for(admin_user).get(person_url(kent_user, "accounts:change-role")))
    assert 'data-module="app-autocomplete"' in page
    assert re.search(r'<option value="\d+" selected>Kent County Council</option>', page)
    assert "accessible-autocomplete.min.css" in page
    assert page.count("<option") == 151  # the 150 authorities and "Choose a local authority"


def test_nobody_changes_their_own_role(client_for, admin_user):
    client = client_for(admin_user)
    address = person_url(admin_user, "accounts:change-role")
    response = client.get(address, follow=True)
    assert "You cannot change your own role" in text(response)
    assert client.post(address, {"role": "lead", "reason": "x"}).status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


def test_a_superusers_role_is_not_changed_here(client_for, admin_user):
    root = User.objects.create_superuser("root@doh.example", factories.PASSWORD, full_name="Root")
    response = post_role(client_for(admin_user), root, role="council", local_authority=1, reason="x")
    assert response.status_code == 302
    root.refresh_from_db()
    assert root.role == Role.ADMIN and root.is_staff


def test_someone_made_an_official_is_signed_out_and_sets_up_a_second_factor(client_for, admin_user):
    council = factories.user(Role.COUNCIL, "KEN")
    theirs = signed_in_with_password(council)
    assert theirs.get("/").status_code == 200
    post_role(client_for(admin_user), council, role="assessor", reason="Joined the assessors.")
    # The session that knew them as a council user (no second factor needed) has ended.
    assert theirs.get("/").url.startswith("/sign-in")
    again = signed_in_with_password(council)
    assert again.get("/").url.startswith("/two-factor/setup")
    give_second_factor(again, council)
    assert again.get("/").status_code == 200


def test_changing_only_the_authority_or_bid_lead_keeps_the_session(client_for, admin_user):
    council = factories.user(Role.COUNCIL, "KEN")
    theirs = signed_in_with_password(council)
    post_role(
        client_for(admin_user),
        council,
        role="council",
        local_authority=factories.authority("KEN").pk,
        is_bid_lead="on",
        reason="Leads Kent's bid.",
    )
    assert theirs.get("/").status_code == 200
    assert "Your colleagues" in text(theirs.get("/"))


# Deactivating and reactivating ----------------------------------------------------------------


def test_a_deactivated_person_is_signed_out_and_told_why_they_cannot_sign_in(client_for, admin_user):
    council = factories.user(Role.COUNCIL, "KEN")
    theirs = signed_in_with_password(council)
    client = client_for(admin_user)
    page = text(client.get(person_url(council, "accounts:deactivate")))
    assert "They will be signed out at once" in page
    response = client.post(person_url(council, "accounts:deactivate"), {"reason": "Left the council."})
    assert response.status_code == 302
    council.refresh_from_db()
    assert not council.is_active
    assert theirs.get("/").url.startswith("/sign-in")

    refused = Client().post("/sign-in", {"username": council.email, "password": factories.PASSWORD})
    assert refused.status_code == 200 and "Your account has been deactivated" in text(refused)
    # A wrong password learns nothing more than for any other account.
    wrong = Client().post("/sign-in", {"username": council.email, "password": "not-it"})
    assert "Enter the email address and password for your account" in text(wrong)
    assert "deactivated" not in text(wrong)

    history = text(client.get(person_url(council)))
    assert "Reason: Left the council." in history
    assert re.search(r">Status</dt>\s*<dd[^>]*>.*?Active</span>.*?Deactivated</dd>", history, re.S)


def test_a_deactivated_person_cannot_reset_their_password_or_use_an_old_link(
    client_for, admin_user, django_capture_on_commit_callbacks
):
    council = factories.user(Role.COUNCIL, "KEN")
    link = set_password_link(council)
    client_for(admin_user).post(person_url(council, "accounts:deactivate"), {"reason": "Left."})
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/password-reset", {"email": council.email})
    assert not mail.outbox
    landing = Client().get(link, follow=True)
    assert "This link has expired or been used" in text(landing)


def test_reactivating_lets_them_sign_in_again_but_not_with_an_old_session(client_for, admin_user):
    council = factories.user(Role.COUNCIL, "KEN")
    theirs = signed_in_with_password(council)
    client = client_for(admin_user)
    client.post(person_url(council, "accounts:deactivate"), {"reason": "On leave."})
    response = client.post(person_url(council, "accounts:reactivate"), {"reason": "Back from leave."})
    assert response.status_code == 302
    assert "has been reactivated. They can sign in again." in text(client.get(response.url))
    council.refresh_from_db()
    assert council.is_active
    assert theirs.get("/").url.startswith("/sign-in")
    assert SESSION_KEY in signed_in_with_password(council).session


@pytest.mark.parametrize(
    ("name", "answers", "message"),
    [
        ("accounts:deactivate", {}, "Enter why you are deactivating them"),
        ("accounts:deactivate", {"reason": "   "}, "Enter why you are deactivating them"),
        ("accounts:deactivate", {"reason": "x" * 101}, "The reason must be 100 characters or fewer"),
        ("accounts:reactivate", {}, "Enter why you are reactivating them"),
    ],
)
def test_deactivating_and_reactivating_need_a_short_reason(client_for, admin_user, name, answers, message):
    person = factories.user(Role.ASSESSOR, is_active=name == "accounts:deactivate")
    response = client_for(admin_user).post(person_url(person, name), answers)
    assert response.status_code == 200 and message in text(response)
    assert "govuk-error-summary" in text(response)
    person.refresh_from_db()
    assert person.is_active == (name == "accounts:deactivate")


def test_nobody_deactivates_themselves(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(person_url(admin_user, "accounts:deactivate"), {"reason": "x"}, follow=True)
    assert "You cannot deactivate your own account." in text(response)
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_a_change_that_no_longer_applies_goes_back_saying_why(client_for, admin_user):
    person = factories.user(Role.ASSESSOR, full_name="Alex Assessor")
    response = client_for(admin_user).get(person_url(person, "accounts:reactivate"), follow=True)
    assert "Alex Assessor is already active." in text(response)


# Sending an invitation again ------------------------------------------------------------------


def test_an_invitation_is_sent_again_with_a_new_link_and_the_old_one_stops_working(
    client_for, admin_user, django_capture_on_commit_callbacks
):
    waiting = invited(full_name="Pat Waiting")
    old_link = set_password_link(waiting)
    client = client_for(admin_user)
    address = person_url(waiting, "accounts:resend-invitation")
    assert "The link in any earlier invitation stops working" in text(client.get(address))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address)
    assert response.status_code == 302 and response.url == person_url(waiting)
    (email,) = mail.outbox
    assert email.to == [waiting.email] and "You have been invited" in email.subject
    assert f"{admin_user.full_name} has set up an account for you" in email.body
    new_link = re.search(r"http://\S+(/set-password/\S+)", email.body).group(1)
    assert new_link != old_link
    assert "This link has expired or been used" in text(Client().get(old_link, follow=True))
    assert Client().get(new_link).status_code == 302  # the token moves to the session
    waiting.refresh_from_db()
    assert not waiting.has_usable_password()
    assert not waiting.history.filter(history_type="~").exists()  # a new link is no change of access


def test_no_invitation_is_sent_again_to_someone_who_chose_a_password_or_was_deactivated(
    client_for, admin_user, kent_user
):
    gone = invited(is_active=False)
    client = client_for(admin_user)
    for person, message in [
        (kent_user, "has already chosen a password"),
        (gone, "Reactivate them before sending their invitation again"),
    ]:
        response = client.post(person_url(person, "accounts:resend-invitation"), follow=True)
        assert message in text(response)
    assert not OutboundEmail.objects.exists()


def test_sending_invitations_again_is_throttled_like_inviting(client_for, admin_user):
    waiting = invited()
    client = client_for(admin_user)
    address = person_url(waiting, "accounts:resend-invitation")
    answers = [client.post(address) for _ in range(6)]  # three an hour to one address
    assert [a.status_code for a in answers] == [302, 302, 302, 200, 200, 200]
    assert invitations.TOO_MANY in text(answers[-1]) and "govuk-error-summary" in text(answers[-1])
    assert OutboundEmail.objects.count() == 3


# Inviting --------------------------------------------------------------------------------------


def test_an_invitation_is_recorded_in_the_history_as_made_by_the_administrator(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(
        reverse("accounts:invite-user"),
        {"full_name": "New Lead", "email": "new.lead@doh.example", "role": "lead"},
    )
    made = User.objects.get(email="new.lead@doh.example")
    assert response.url == person_url(made)
    assert not made.is_staff and made.invited_by == admin_user
    page = text(client.get(response.url))
    assert "Invitation sent to new.lead@doh.example" in page and "Invited</strong>" in page
    history = page[page.index('id="history"') :]
    assert "Created</h3>" in history and admin_user.full_name in history


def test_the_invite_form_offers_the_authorities_to_the_autocomplete(client_for, admin_user):
    page = text(client_for(admin_user).get(reverse("accounts:invite-user")))
    assert 'data-module="app-autocomplete"' in page and "accessible-autocomplete.min.css" in page


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "Enter the person's full name"),
        ({}, "Enter the person's email address"),
        ({}, "Select the person's role"),
        ({"email": "pat@"}, "Enter an email address in the correct format"),
        ({"full_name": "N" * 151}, "The full name must be 150 characters or fewer"),
        ({"job_title": "J" * 151}, "The job title must be 150 characters or fewer"),
        ({"role": "council"}, "Choose the local authority this council user works for"),
        ({"role": "council", "local_authority": "abc"}, "Choose a local authority from the list"),
        ({"role": "superuser"}, "Select the person's role"),
    ],
)
def test_the_invite_form_says_what_to_fix(client_for, admin_user, answers, message):
    page = text(client_for(admin_user).post(reverse("accounts:invite-user"), answers))
    assert "govuk-error-summary" in page and message.replace("'", "&#x27;") in page


def test_inviting_an_address_already_used_says_so(client_for, admin_user, kent_user):
    page = text(
        client_for(admin_user).post(
            reverse("accounts:invite-user"),
            {"full_name": "Again", "email": kent_user.email.upper(), "role": "assessor"},
        )
    )
    assert "An account with this email address already exists" in page
