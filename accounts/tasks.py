from celery import shared_task

from . import outbox


@shared_task(acks_late=True)
def send_email(pk):
    return outbox.deliver(pk)


@shared_task
def drain_outbox():
    return outbox.drain()
