"""Sending what waits in the email outbox (accounts/mail.py writes it there), and the two
Celery tasks that do it: one message after the change that wrote it commits, and the
minutely drain of whatever is left.

Sending takes a row lock and records `sent_at`, so a message is never sent twice, and a
failure is recorded against the message for the periodic drain to try again.
"""

import base64
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def deliver(pk):
    """Send one outbox message unless it has been sent. Returns True if it sent it."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=email.to,
        )
        for attachment in email.attachments:
            message.attach(
                attachment["filename"],
                base64.b64decode(attachment["content"]),
                attachment["mimetype"],
            )
        email.attempts += 1
        try:
            message.send()
        except Exception as error:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            email.save(update_fields=["attempts", "last_error"])
            logger.exception("Sending email %s failed", pk)
            return False
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def drain(limit=500):
    """Send what is waiting in the outbox. Returns how many were sent."""
    pending = OutboundEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list(
        "pk", flat=True
    )[:limit]
    return sum(1 for pk in list(pending) if deliver(pk))


@shared_task(acks_late=True)
def send_email(pk):
    return deliver(pk)


@shared_task
def drain_outbox():
    return drain()
