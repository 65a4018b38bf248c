"""The Celery app. Tasks live in each app's tasks.py as thin wrappers round the verbs."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ctp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "drain-email-outbox": {"task": "accounts.outbox.drain_outbox", "schedule": 60.0},
    # Every minute: an export whose worker was lost is building again within minutes.
    "remove-expired-exports": {"task": "trusts.tasks.remove_expired_exports", "schedule": 60.0},
    # Every night at 2:30am London time: personal data past its retention period.
    "remove-expired-personal-data": {
        "task": "bids.tasks.remove_expired_personal_data",
        "schedule": crontab(hour=2, minute=30),
    },
    # Every morning at 7am London time: reminders of monitoring returns due soon or overdue.
    "send-return-reminders": {
        "task": "monitoring.tasks.send_return_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}
