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
from django.template import Context
from django.template.loader import get_template

from .models import OutboundEmail
from .outbox import send_email

logger = logging.getLogger(__name__)


def plain_text(template_name, context):
    """A text template rendered as text: nothing is HTML-escaped (an apostrophe stays an
    apostrophe, not &#x27;), since a plain-text email is never read as HTML."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def queue_email(to, template, context, attachments=()):
    """Render emails/<template>.subject.txt and .txt to the recipients, after commit.

    attachments: (filename, bytes or str, mimetype) triples.
    """
    recipients = sorted({address.strip().lower() for address in to if address})
    if not recipients:
        return None
    context = {"SERVICE_NAME": settings.SERVICE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(plain_text(f"emails/{template}.subject.txt", context).split())
    body = plain_text(f"emails/{template}.txt", context)
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
