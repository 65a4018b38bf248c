"""The Celery app. Tasks live in each app's tasks.py as thin wrappers round the verbs."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ctp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "drain-email-outbox": {"task": "accounts.outbox.drain_outbox", "schedule": 60.0},
    # Every minute: an export whose worker was lost is building again within minutes.
    "remove-expired-exports": {"task": "trusts.tasks.remove_expired_exports", "schedule": 60.0},
}
