import os
import shutil
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.core import serializers
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations
from django.test import Client, override_settings

from accounts.middleware import SECOND_FACTOR_VERIFIED
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


def is_transactional(item):
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
        item.nodeid for item in items if is_transactional(item) and not _restores_reference_data(item)
    ]
    if careless:
        raise pytest.UsageError(
            "These transactional tests must use serialized_rollback=True (or the "
            "django_db_serialized_rollback fixture):\n  " + "\n  ".join(careless)
        )
    _journeys_first(items)


def _journeys_first(items):
    """pytest-django runs the transactional tests last (they empty the database after them).
    Among those, the browser journeys take 10 to 40 seconds each: started first, they leave
    the short tests to fill in around them, instead of one worker running a long journey
    alone at the end of the run while the other waits."""
    transactional = [index for index, item in enumerate(items) if is_transactional(item)]
    if not transactional:
        return
    start, end = transactional[0], transactional[-1] + 1
    block = items[start:end]
    if any(not is_transactional(item) for item in block):
        return  # not one block, as pytest-django orders them: leave the order alone
    block.sort(key=lambda item: "journey" not in item.path.name)
    items[start:end] = block


def _restore_in_bulk(creation, data):
    """BaseDatabaseCreation.deserialize_db_from_string, which puts the reference data back
    before each transactional test, with one INSERT per model where Django makes an UPDATE
    and then an INSERT for each of its 376 rows (0.4 s a test). The same rows, in one
    transaction with the constraints checked before its end; a row bulk_create cannot write
    (one with many-to-many values, or of a model with parents) is saved as Django saves it."""
    alias = creation.connection.alias
    rows, one_by_one = {}, []
    for deserialized in serializers.deserialize("json", data, using=alias):
        model = type(deserialized.object)
        if model._meta.parents or any((deserialized.m2m_data or {}).values()):
            one_by_one.append(deserialized)
        else:
            rows.setdefault(model, []).append(deserialized.object)
    with transaction.atomic(using=alias):
        with creation.connection.constraint_checks_disabled():
            for model, objects in rows.items():
                # Rows already there (before the first transactional test, the database is
                # as the migrations left it) are brought to the snapshot's values, as
                # Django's save() of each row would.
                fields = [field.name for field in model._meta.concrete_fields if not field.primary_key]
                model._base_manager.using(alias).bulk_create(
                    objects,
                    update_conflicts=bool(fields),
                    ignore_conflicts=not fields,
                    unique_fields=[model._meta.pk.name] if fields else None,
                    update_fields=fields or None,
                )
            for deserialized in one_by_one:
                deserialized.save()
        tables = {model._meta.db_table for model in rows}
        tables |= {type(deserialized.object)._meta.db_table for deserialized in one_by_one}
        creation.connection.check_constraints(table_names=tables)


_truncate = PostgreSQLOperations.sql_flush


def _delete_every_row(operations, style, tables, *, reset_sequences=False, allow_cascade=False):
    """PostgreSQL's flush after each transactional test as DELETEs, with the foreign keys
    (all deferrable) checked once the tables are all empty: TRUNCATE of every table makes a
    new file for each, 0.3 s a test where these take 0.03 s. Sequences are left as they
    are, as TRUNCATE without RESTART IDENTITY leaves them; any other flush is Django's own."""
    if reset_sequences or allow_cascade or not tables:
        return _truncate(
            operations, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    return ["SET CONSTRAINTS ALL DEFERRED;"] + [
        f"DELETE FROM {operations.quote_name(table)};" for table in tables
    ]


@pytest.fixture(scope="session", autouse=True)
def _quick_serialized_rollback():
    """A transactional test (every browser test, the fault tests) empties the database after
    it and the next one puts the reference data back from Django's snapshot (see
    pytest_collection_modifyitems): both done the quick way, with the same result."""
    with (
        mock.patch.object(BaseDatabaseCreation, "deserialize_db_from_string", _restore_in_bulk),
        mock.patch.object(PostgreSQLOperations, "sql_flush", _delete_every_row),
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _own_cache_keys():
    """Under xdist every worker talks to the one Redis database CI gives the run. Each
    worker keeps its cache keys under a prefix of its own, and empties only those between
    tests (Django's cache.clear() on Redis is FLUSHDB, which would reset another worker's
    throttle counts in the middle of its test)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    default = settings.CACHES["default"]
    prefix = f"{default.get('KEY_PREFIX', '')}-tests-{worker}"
    with override_settings(CACHES={**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}):
        yield


def _empty_the_cache():
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{backend.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        backend.clear()  # local memory: this process's alone


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: its own private file storage, an empty cache, tasks run in-process."""
    storage = tmp_path / "private"
    settings.STORAGES = private_storage(storage)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Celery reads Django settings under the CELERY_ namespace, so that is the key to set.
    eager = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    _empty_the_cache()
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = eager
    shutil.rmtree(storage, ignore_errors=True)


def private_storage(location):
    """STORAGES with the default (private) file storage at `location`."""
    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }


def rows_kept_open(django_db_blocker):
    """A transaction that stays open while a module's (or a package's) tests run, for rows
    built once for all of them rather than once per test: `with unblock():` writes them.

    Each test's own transaction is a savepoint inside it, rolled back after the test, so what
    a test changes is undone and the next test finds the rows as they were built; the whole
    transaction is rolled back at the end, so the rows never reach other tests. Every test
    that runs while it is open sees its rows, whether it asks for them or not. Not for
    transactional tests: they commit, and would commit the rows with them."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    yield django_db_blocker.unblock
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_rows(django_db_setup, django_db_blocker):
    """Rows built once for the module (rows_kept_open)."""
    yield from rows_kept_open(django_db_blocker)


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


@pytest.fixture(autouse=True)
def _force_login_signs_in_completely(monkeypatch):
    """`force_login` stands for someone who has finished signing in: their password and,
    where they need one, their second factor. tests/security/test_two_factor.py and the
    browser journeys sign in the long way, code and all."""
    login = Client._login

    def login_with_second_factor(self, user, backend=None):
        login(self, user, backend)
        second_factor_given(self)

    monkeypatch.setattr(Client, "_login", login_with_second_factor)


def second_factor_given(client):
    """Mark the client's session as having given its second factor, as signing in does."""
    session = client.session
    session[SECOND_FACTOR_VERIFIED] = True
    session.save()
