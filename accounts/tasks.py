from celery import shared_task

from . import mail


@shared_task(acks_late=True)
def send_email(pk):
    return mail.deliver(pk)


@shared_task
def drain_outbox():
    return mail.drain()
