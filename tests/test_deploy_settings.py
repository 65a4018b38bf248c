import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_with_production_settings_reports_nothing():
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "TESTING",
            "PYTEST_VERSION",
            "PYTEST_CURRENT_TEST",
            "PYTEST_XDIST_WORKER",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        SECRET_KEY="k" * 20 + "-production-secret-with-enough-length-and-variety-9Xz!",
        ALLOWED_HOSTS="bids.example.gov.uk",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "PYTEST_VERSION", "SECRET_KEY"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr
