"""Finding 4 (low–medium): a 300 MB POST was read whole before any check. Finding 7 (low):
with the database down, signed-in people got the server's bare "Internal Server Error",
because the 500 page itself needed the database; /healthz gave anyone the driver's error."""

import io

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from accounts.models import Role
from config import health
from tests import factories

pytestmark = pytest.mark.django_db


class CountingInput(io.BytesIO):
    """A request body that records how much of it anything read."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.read_bytes += len(data)
        return data


@pytest.mark.parametrize("path", ["/sign-in", "/password-reset", "/bids/CTP-2003-KEN/documents"])
def test_a_body_over_the_limit_is_refused_before_it_is_read(settings, path):
    body = CountingInput(b"x" * 4096)
    response = Client().generic(
        "POST",
        path,
        content_type="multipart/form-data; boundary=BOUNDARY",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert "too large" in response.content.decode()


def test_a_body_under_the_limit_is_read_as_usual(settings):
    factories.user(Role.COUNCIL, "KEN", email="x@council.example")
    response = Client().post("/sign-in", {"username": "x@council.example", "password": factories.PASSWORD})
    assert response.status_code == 302


def test_an_unreadable_length_is_a_bad_request():
    response = Client().generic("POST", "/sign-in", b"", CONTENT_LENGTH="-5")
    assert response.status_code == 400


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError(
            "could not connect to server: Connection refused (127.0.0.1:5432, user postgres)"
        )

    def down():
        monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    return down


def test_with_the_database_down_a_signed_in_person_gets_the_service_unavailable_page(database_down):
    client = Client(raise_request_exception=False)
    client.force_login(factories.user(Role.LEAD), backend="django.contrib.auth.backends.ModelBackend")
    database_down()
    for path in ["/", "/programme/ranking", "/awards", "/bids/CTP-2003-KEN"]:
        response = client.get(path)
        assert response.status_code == 503, path
        page = response.content.decode()
        assert "Sorry, the service is unavailable" in page
        assert "5432" not in page and "postgres" not in page
        assert response["Retry-After"]


def test_with_the_database_down_a_signed_out_visitor_gets_it_too(database_down):
    client = Client(raise_request_exception=False)
    database_down()
    response = client.post("/sign-in", {"username": "x@council.example", "password": "x"})
    assert response.status_code == 503


def test_health_tells_the_load_balancer_what_is_down_but_not_the_drivers_words(client, monkeypatch):
    def broken():
        raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is False
    assert "db.internal" not in response.content.decode() and "5432" not in response.content.decode()
