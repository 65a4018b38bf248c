"""The committed migrations describe the models exactly, so a fresh database matches the code."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"A model change has no migration (exit {exit.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
