"""Finding 1 (high): the lockout counted the text typed while sign-in ignores case and the
spaces around it, so each spelling of an address got its own five guesses."""

import re

import pytest
from django.test import Client

from accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in"


def sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


@pytest.mark.parametrize("spelling", ["X@Council.Example", " x@council.example ", "X@COUNCIL.EXAMPLE  "])
def test_a_locked_account_stays_locked_whatever_its_spelling(settings, spelling):
    factories.user(Role.COUNCIL, "KEN", email="x@council.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "x@council.example", "wrong")
    response = sign_in(Client(), spelling, factories.PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()


def test_guesses_under_different_spellings_add_up_to_one_lockout(settings):
    factories.user(Role.COUNCIL, "KEN", email="x@council.example")
    spellings = ["x@council.example", "X@council.example", " x@council.example", "x@COUNCIL.example "]
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), spellings[number % len(spellings)], "wrong")
    assert sign_in(Client(), "x@council.example", factories.PASSWORD).status_code == 429


def test_guesses_from_other_clients_count_against_the_same_account(settings):
    """Changing address (another client, another IP) buys no more guesses."""
    factories.user(Role.COUNCIL, "KEN", email="x@council.example")
    for number in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"192.0.2.{number + 1}").post(
            SIGN_IN, {"username": "x@council.example", "password": "w"}
        )
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        SIGN_IN, {"username": "x@council.example", "password": factories.PASSWORD}
    )
    assert response.status_code == 429


def page_without_tokens(response, address):
    """The page as the person reads it: their address and the form's CSRF token aside."""
    page = response.content.decode().replace(address, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_an_unknown_address_is_answered_exactly_as_a_known_one(settings):
    factories.user(Role.COUNCIL, "KEN", email="known@council.example")
    known = page_without_tokens(sign_in(Client(), "known@council.example", "wrong"), "known@council.example")
    unknown = page_without_tokens(
        sign_in(Client(), "nobody@council.example", "wrong"), "nobody@council.example"
    )
    assert known == unknown
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "nobody@council.example", "wrong")
        sign_in(Client(), "known@council.example", "wrong")
    locked_known = sign_in(Client(), "known@council.example", "wrong")
    locked_unknown = sign_in(Client(), "nobody@council.example", "wrong")
    assert locked_known.status_code == locked_unknown.status_code == 429
    assert locked_known.content == locked_unknown.content


def test_a_successful_sign_in_under_another_spelling_still_works_before_the_limit():
    factories.user(Role.COUNCIL, "KEN", email="x@council.example")
    sign_in(Client(), "x@council.example", "wrong")
    client = Client()
    response = sign_in(client, " X@Council.Example ", factories.PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session
