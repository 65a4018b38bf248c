"""Redis stopped while a council submits: the bid is saved, the acknowledgement waits in
the outbox and is delivered once Redis is back; none is lost, none is sent twice."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail

from accounts import outbox
from accounts.models import OutboundEmail
from accounts.outbox import drain_outbox
from bids import workflow
from bids.models import Bid, BidState
from tests import factories

from .conftest import celery_broker


def wait_for(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db
def test_an_email_is_delivered_once_however_often_it_is_asked_for(kent_user, open_round):
    bid = factories.draft_bid(open_round, "KEN", kent_user, complete=True)
    workflow.change_state(bid, "submit", kent_user)
    email = OutboundEmail.objects.get()
    assert outbox.deliver(email.pk) is True
    assert outbox.deliver(email.pk) is False
    assert outbox.drain() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_mail_server_leaves_the_email_waiting(kent_user, open_round, settings, monkeypatch):
    bid = factories.draft_bid(open_round, "KEN", kent_user, complete=True)
    workflow.change_state(bid, "submit", kent_user)
    email = OutboundEmail.objects.get()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server refused the connection")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert outbox.deliver(email.pk) is False
    email.refresh_from_db()
    assert email.sent_at is None and email.attempts == 1 and "refused" in email.last_error
    monkeypatch.undo()
    assert outbox.drain() == 1
    assert len(mail.outbox) == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_stopped_while_a_council_submits(
    private_redis, kent_user, open_round, django_capture_on_commit_callbacks
):
    bid = factories.draft_bid(open_round, "KEN", kent_user, complete=True)
    with celery_broker(private_redis.url) as app:
        private_redis.stop()
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.change_state(bid, "submit", kent_user)
        # The council is not kept waiting long by the outage, and its bid is saved.
        assert time.monotonic() - started < 3
        assert Bid.objects.get(pk=bid.pk).state == BidState.SUBMITTED
        waiting = OutboundEmail.objects.get()
        assert waiting.sent_at is None and mail.outbox == []

        private_redis.start()
        drains = []

        def drained(sender=None, **kwargs):
            if sender.name == drain_outbox.name:
                drains.append(kwargs["retval"])

        task_postrun.connect(drained, weak=False)
        try:
            with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
                drain_outbox.delay()
                assert wait_for(lambda: OutboundEmail.objects.filter(sent_at__isnull=False).exists())
                drain_outbox.delay()  # the next periodic drain finds nothing left to send
                assert wait_for(lambda: len(drains) == 2)
        finally:
            task_postrun.disconnect(drained)
    assert drains == [1, 0]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Expression of interest received")
    assert set(mail.outbox[0].to) == {kent_user.email}
