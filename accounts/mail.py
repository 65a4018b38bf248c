"""Every email the service sends goes through here.

`queue_email` writes the message to the outbox in the caller's transaction and asks a
Celery worker to send it once that transaction commits. If the broker is down the
message waits in the outbox and the periodic drain sends it: late, never lost, and,
because sending takes a row lock and records `sent_at`, never twice.
"""

import base64
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def queue_email(to, template, context, attachments=()):
    """Render emails/<template>.subject.txt and .txt to the recipients, after commit.

    attachments: (filename, bytes or str, mimetype) triples.
    """
    recipients = sorted({address.strip().lower() for address in to if address})
    if not recipients:
        return None
    context = {"SERVICE_NAME": settings.SERVICE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)
    stored = []
    for filename, content, mimetype in attachments:
        raw = content.encode() if isinstance(content, str) else content
        stored.append({"filename": filename, "mimetype": mimetype, "content": base64.b64encode(raw).decode()})
    email = OutboundEmail.objects.create(to=recipients, subject=subject[:255], body=body, attachments=stored)
    transaction.on_commit(lambda: dispatch(email.pk))
    return email


def dispatch(pk):
    """Hand one email to a worker; if the broker cannot take it, the drain will."""
    from .tasks import send_email

    try:
        send_email.apply_async(args=[pk], retry=False)
    except Exception:  # broker unreachable: the outbox keeps the message
        logger.warning("Could not queue email %s; the outbox drain will send it", pk, exc_info=True)


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
