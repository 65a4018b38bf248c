"""Accounts nobody has used for RETENTION_ACCOUNT_DAYS are anonymised: the person's name,
email address and job title are replaced, in the account and in its history, the account
can no longer sign in, and its second factor goes. What the person did (their scores,
decisions, the history of bids) stays, under the account's new name. Sent emails older than
the same period are deleted: the outbox is a way of sending, not a record.

bids/retention.py runs this with the removal of bids' contacts, every night.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.london import start_of_day

from .models import OutboundEmail, User

FORMER = "Former user"


def cutoff(today=None):
    today = today or timezone.localdate()
    return start_of_day(today) - timedelta(days=settings.RETENTION_ACCOUNT_DAYS)


def accounts_due(today=None):
    """Accounts unused since the cutoff (never signed in: invited before it), not yet
    anonymised. Superusers keep the service running and are left to the people who made them."""
    before = cutoff(today)
    unused = Q(last_login__lt=before) | Q(last_login__isnull=True, date_joined__lt=before)
    return (
        User.objects.filter(anonymised_at__isnull=True, is_superuser=False)
        .filter(unused)
        .select_related("local_authority")
        .order_by("last_login", "date_joined", "pk")
    )


def anonymous_email(user):
    return f"removed-{user.pk}@anonymised.invalid"


def anonymise(user, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.anonymised_at is not None:
            return locked
        replaced = {"email": anonymous_email(locked), "full_name": FORMER, "job_title": ""}
        for name, value in replaced.items():
            setattr(locked, name, value)
        locked.is_active = False
        locked.is_bid_lead = False
        locked.set_unusable_password()
        locked.second_factor_changed_at = now  # any session still open ends
        locked.anonymised_at = now
        locked._change_reason = "Not used within the retention period: personal details removed"
        locked.save()
        # The account's history held the same details: they go from there too.
        User.history.filter(id=locked.pk).update(**replaced)
        TOTPDevice.objects.filter(user=locked).delete()
        StaticDevice.objects.filter(user=locked).delete()
    return locked


def run(now=None):
    """Anonymise every account due and delete old sent emails. Returns the accounts' count."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    for user in accounts_due(today).iterator(chunk_size=500):
        anonymise(user, now)
        count += 1
    OutboundEmail.objects.filter(sent_at__lt=cutoff(today)).delete()
    return count
