"""Celery tasks for monitoring returns: thin wrappers round the verbs."""

import logging

from celery import shared_task

from . import reminders

logger = logging.getLogger(__name__)


@shared_task
def send_return_reminders():
    """Every morning: reminders of returns due soon and overdue (monitoring/reminders.py)."""
    sent = reminders.send_reminders()
    logger.info("Monitoring returns: %s reminders sent", sent)
    return sent
