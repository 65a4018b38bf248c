import os
import shutil

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from accounts.models import Role
from config.celery import app as celery_app

from . import factories

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition, what):
    """Skip on a developer's machine without `what`; in CI, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} is not available here")


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    by_marker = marker is not None and bool(
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return by_marker or {"transactional_db", "live_server"} & set(item.fixturenames)


def _restores_reference_data(item):
    marker = item.get_closest_marker("django_db")
    by_marker = marker is not None and bool(marker.kwargs.get("serialized_rollback"))
    return by_marker or "django_db_serialized_rollback" in item.fixturenames


def pytest_collection_modifyitems(config, items):
    """Refuse a transactional test that does not restore the reference data.

    Django empties every table after a transactional test, taking the local authorities,
    service scopes and the 2003 round that the migrations loaded with it. Serialized
    rollback puts them back before the next such test; without it, whichever transactional
    test ran next would find no Kent.
    """
    careless = [
        item.nodeid for item in items if _is_transactional(item) and not _restores_reference_data(item)
    ]
    if careless:
        raise pytest.UsageError(
            "These transactional tests must use serialized_rollback=True (or the "
            "django_db_serialized_rollback fixture):\n  " + "\n  ".join(careless)
        )


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: its own private file storage, an empty cache, tasks run in-process."""
    storage = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": storage},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Celery reads Django settings under the CELERY_ namespace, so that is the key to set.
    eager = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    cache.clear()
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = eager
    shutil.rmtree(storage, ignore_errors=True)


@pytest.fixture
def kent_user(db):
    return factories.user(Role.COUNCIL, "KEN", email="kent.officer@example.com")


@pytest.fixture
def leeds_user(db):
    return factories.user(Role.COUNCIL, "LDS", email="leeds.officer@example.com")


@pytest.fixture
def assessor(db):
    return factories.user(Role.ASSESSOR, region="london")


@pytest.fixture
def other_assessor(db):
    return factories.user(Role.ASSESSOR, region="north_west")


@pytest.fixture
def lead(db):
    return factories.user(Role.LEAD)


@pytest.fixture
def admin_user(db):
    return factories.user(Role.ADMIN)


@pytest.fixture
def open_round(db):
    return factories.open_round()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def postgres(db):
    need(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL)")
    return connection


@pytest.fixture
def redis_url():
    need(bool(settings.REDIS_URL), "Redis (set REDIS_URL)")

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        need(False, f"Redis at {settings.REDIS_URL}")
    return settings.REDIS_URL
