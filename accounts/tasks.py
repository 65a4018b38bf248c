"""Celery tasks for accounts: thin wrappers round the verbs. The email outbox's own tasks
live beside it in accounts/outbox.py, since every module that sends email queues them."""

from celery import shared_task

from . import passwords


@shared_task
def send_password_reset(email):
    passwords.send_reset_link(email)
