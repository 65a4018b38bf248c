import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from tests import factories
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in"


def sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_sign_in_page_is_a_gov_uk_form(client):
    page = client.get(SIGN_IN).content.decode()
    assert '<html lang="en-GB"' in page
    assert "<title>Sign in – Children&#x27;s trust pilot bids</title>" in page
    assert 'class="govuk-skip-link"' in page and "govuk-phase-banner" in page
    assert "govuk-header__logotype" not in page  # no crown: this service is not on gov.uk


@pytest.mark.parametrize(
    ("role", "authority", "heading"),
    [
        (Role.COUNCIL, "KEN", "Your bids"),
        (Role.ASSESSOR, None, "Bids to assess"),
        (Role.LEAD, None, "Programme pipeline"),
        (Role.ADMIN, None, "Funding rounds"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, role, authority, heading):
    person = factories.user(role, authority)
    response = sign_in(client, person.email.upper(), factories.PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    if role != Role.COUNCIL:  # officials give a second factor first
        assert client.get("/").url.startswith("/two-factor/setup")
        give_second_factor(client, person)
    page = client.get("/").content.decode()
    assert f">{heading}</h1>" in page


def test_missing_answers_are_listed_in_an_error_summary_and_the_email_kept(client):
    response = client.post(SIGN_IN, {"username": "someone@example.com", "password": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Enter your password" in page
    assert 'value="someone@example.com"' in page
    assert page.count("<title>Error: Sign in") == 1


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, kent_user):
    page = sign_in(client, kent_user.email, "not-the-password").content.decode()
    assert "Enter the email address and password for your account" in page
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account(client, kent_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, kent_user.email, "wrong")
    response = sign_in(client, kent_user.email, factories.PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post_and_ends_the_session(client, kent_user):
    sign_in(client, kent_user.email, factories.PASSWORD)
    assert client.get("/sign-out").status_code == 405
    client.post("/sign-out")
    assert client.get("/").status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, kent_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/password-reset", {"email": kent_user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [kent_user.email]
    link = re.search(r"http://\S+(/set-password/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    kent_user.refresh_from_db()
    assert kent_user.check_password("a-brand-new-passphrase")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/password-reset", {"email": "nobody@example.com"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_admin_invites_a_council_user_who_chooses_their_own_password(
    client, client_for, admin_user, django_capture_on_commit_callbacks
):
    client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite-user"),
            {
                "full_name": "New Officer",
                "email": "New.Officer@Example.com",
                "role": "council",
                "local_authority": factories.authority("BST").pk,
            },
        )
    assert response.status_code == 302
    invited = User.objects.get(email="new.officer@example.com")
    assert not invited.has_usable_password() and invited.local_authority.code == "BST"
    assert mail.outbox[0].to == ["new.officer@example.com"] and "/set-password/" in mail.outbox[0].body


def test_inviting_checks_the_role_and_authority_agree(client_for, admin_user):
    client = client_for(admin_user)
    page = client.post(
        reverse("accounts:invite-user"),
        {"full_name": "X", "email": "x@example.com", "role": "council"},
    ).content.decode()
    assert "Choose the local authority this council user works for" in page
    assert 'value="x@example.com"' in page
    page = client.post(
        reverse("accounts:invite-user"),
        {
            "full_name": "Y",
            "email": "y@example.com",
            "role": "assessor",
            "local_authority": factories.authority("BST").pk,
        },
    ).content.decode()
    assert "Only council users belong to a local authority" in page
