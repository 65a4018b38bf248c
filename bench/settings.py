"""Settings for the performance harness only: the service's own settings, plus a URLconf
that adds the bare comparison view (bench/views.py). bench/run.py points
DJANGO_SETTINGS_MODULE here; config.settings, and so production, never sees the view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
