"""The demo's tests share one `seed_demo`: it takes 10 to 15 seconds, and all three of its
modules (the 2003 round, its awards, its monitoring returns) only read what it made. They
run on one worker (xdist group "demo"), inside one transaction rolled back after them."""

import io
import shutil

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import is_transactional, private_storage, rows_kept_open


@pytest.fixture(scope="package")
def demo_seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """`seed_demo` run once for the package; yields the folder holding the files it stored."""
    rows = rows_kept_open(django_db_blocker)
    unblock = next(rows)
    files = tmp_path_factory.mktemp("demo-files")
    with unblock(), override_settings(DEBUG=True, STORAGES=private_storage(files)):
        call_command("seed_demo", stdout=io.StringIO())
    yield files
    next(rows, None)


@pytest.fixture
def seeded(request, demo_seeded_once, settings):
    """The demo, seen as after `seed_demo` under DEBUG; each test's changes are rolled back.
    Its stored files are copied into this test's private storage, so a test that changes or
    removes one changes only its own."""
    if is_transactional(request.node):
        pytest.fail("The demo is for tests in a transaction: a transactional test would commit it")
    settings.DEBUG = True
    shutil.copytree(demo_seeded_once, settings.STORAGES["default"]["OPTIONS"]["location"], dirs_exist_ok=True)
