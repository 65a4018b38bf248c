"""Every email the service sends goes through here.

`queue_email` writes the message to the outbox in the caller's transaction and asks a
Celery worker to send it once that transaction commits. If the broker is down the
message waits in the outbox and the periodic drain sends it: late, never lost, and,
because sending takes a row lock and records `sent_at`, never twice.
"""

import base64
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from .models import OutboundEmail
from .tasks import send_email

logger = logging.getLogger(__name__)


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
    try:
        send_email.apply_async(args=[pk], retry=False)
    except Exception:  # broker unreachable: the outbox keeps the message
        logger.warning("Could not queue email %s; the outbox drain will send it", pk, exc_info=True)
