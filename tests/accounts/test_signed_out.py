"""Someone who signs out, or is signed out for being idle, is told so on the sign-in page, once;
a visit to the sign-in page on its own says nothing of the kind."""

import time

import pytest
import time_machine

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in"
SUCCESS_BANNER = 'class="govuk-notification-banner govuk-notification-banner--success" role="alert"'


def test_signing_out_says_so_on_the_sign_in_page_once(client_for, kent_user):
    client = client_for(kent_user)
    response = client.post("/sign-out")
    assert response.status_code == 302 and response.url == SIGN_IN
    assert "_auth_user_id" not in client.session
    page = client.get(SIGN_IN).content.decode()
    assert SUCCESS_BANNER in page
    assert '<p class="govuk-notification-banner__heading">You have signed out</p>' in page
    assert SUCCESS_BANNER not in client.get(SIGN_IN).content.decode()


def test_the_sign_in_page_on_its_own_says_nothing_of_signing_out(client):
    page = client.get(SIGN_IN).content.decode()
    assert "govuk-notification-banner" not in page and "signed out" not in page


def test_signing_out_when_not_signed_in_says_nothing(client):
    client.post("/sign-out")
    assert "You have signed out" not in client.get(SIGN_IN).content.decode()


def test_an_official_signed_out_for_being_idle_is_told_why_not_that_they_signed_out(
    client_for, lead, settings
):
    client = client_for(lead)
    assert client.get("/").status_code == 200
    with time_machine.travel(time.time() + settings.OFFICIAL_IDLE_MINUTES * 60 + 5):
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(SIGN_IN)
        page = client.get(response.url).content.decode()
        assert (
            "You were signed out because you had not done anything for "
            f"{settings.OFFICIAL_IDLE_MINUTES} minutes" in page
        )
        assert "You have signed out" not in page and SUCCESS_BANNER not in page
        assert "had not done anything" not in client.get(SIGN_IN).content.decode()
