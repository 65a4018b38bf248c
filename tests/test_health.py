import pytest
from django.core.cache import cache

from config import health

pytestmark = pytest.mark.django_db


def test_healthy_when_everything_configured_answers(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}


def test_unhealthy_when_the_cache_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache refused the connection")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_unhealthy_when_the_database_is_down(client, monkeypatch):
    def broken():
        raise OSError("could not connect to server")

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["database"]["ok"] is False


def test_unhealthy_when_the_configured_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_healthy_against_real_redis(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"]["detail"] == "redis"
