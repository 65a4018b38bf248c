"""Celery tasks for bids: thin wrappers round the verbs."""

import logging

from celery import shared_task

from . import retention

logger = logging.getLogger(__name__)


@shared_task
def remove_expired_personal_data():
    """Every night: contacts' details of bids past their round's retention period, and
    accounts unused for the account retention period (bids/retention.py)."""
    bids, accounts = retention.run()
    logger.info("Retention: removed the contacts of %s bids and anonymised %s accounts", bids, accounts)
    return {"bids": bids, "accounts": accounts}
