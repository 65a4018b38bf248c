"""Keeping personal data no longer than it is needed.

A bid names people: its lead officer and responsible director (name, job title, email
address, phone number) and a named contact at each partner agency. Once a round has been
decided, they are kept for a set time and then removed, every night, by a periodic task:

- bids that were not funded: RETENTION_UNSUCCESSFUL_DAYS after the round's decision date;
- funded bids (approved): RETENTION_FUNDED_DAYS after it, as the grant's records are kept.

Everything else stays whole: the bid's answers, scores, decisions, awards and every
figure. People's accounts are handled by accounts/retention.py; `plan` shows what the next
run will remove, and `run` removes it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import retention as accounts_retention

from . import drafting
from .models import Bid, BidEvent, BidSection, BidState, EventKind, Partner, Section

CONTACT_FIELDS = [
    "lead_name",
    "lead_job_title",
    "lead_email",
    "lead_phone",
    "director_name",
    "director_job_title",
]
PARTNER_CONTACT_FIELDS = ["contact_name", "contact_email"]


@dataclass(frozen=True)
class Rules:
    """The retention periods, in days, as configured."""

    unsuccessful: int
    funded: int
    accounts: int

    @classmethod
    def configured(cls):
        return cls(
            unsuccessful=settings.RETENTION_UNSUCCESSFUL_DAYS,
            funded=settings.RETENTION_FUNDED_DAYS,
            accounts=settings.RETENTION_ACCOUNT_DAYS,
        )


def cutoffs(today=None):
    """The dates the rules count from today: rounds decided before `unsuccessful` (or, for
    funded bids, `funded`) lose their contacts; accounts unused since `accounts` go."""
    today = today or timezone.localdate()
    rules = Rules.configured()
    return {
        "unsuccessful": today - timedelta(days=rules.unsuccessful),
        "funded": today - timedelta(days=rules.funded),
        "accounts": accounts_retention.cutoff(today),
    }


def bids_due(today=None):
    """Bids whose contacts' details are past their retention period and still held."""
    before = cutoffs(today)
    funded = Q(state=BidState.APPROVED, funding_round__decision_on__lt=before["funded"])
    not_funded = ~Q(state=BidState.APPROVED) & Q(funding_round__decision_on__lt=before["unsuccessful"])
    return Bid.objects.filter(personal_data_removed_at__isnull=True).filter(funded | not_funded)


@dataclass
class Plan:
    """What the next run will remove."""

    bids: object  # a queryset of Bid
    accounts: object  # a queryset of User


def plan(today=None):
    return Plan(
        bids=bids_due(today)
        .select_related("funding_round", "authority")
        .order_by("funding_round__decision_on", "pk"),
        accounts=accounts_retention.accounts_due(today),
    )


def remove_contacts(bid, now=None):
    """Blank the bid's contacts' details, and its partners', in the bid and in the saved
    versions of its sections, and record that it was done."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Bid.objects.select_for_update().get(pk=bid.pk)
        if locked.personal_data_removed_at is not None:
            return locked
        Bid.objects.filter(pk=locked.pk).update(
            **dict.fromkeys(CONTACT_FIELDS, ""), personal_data_removed_at=now
        )
        Partner.objects.filter(bid=locked).update(**dict.fromkeys(PARTNER_CONTACT_FIELDS, ""))
        locked.refresh_from_db()
        for section in (Section.CONTACTS, Section.PARTNERS):
            BidSection.objects.filter(bid=locked, section=section).update(
                snapshot=drafting.section_snapshot(locked, section)
            )
        BidEvent.objects.create(
            bid=locked,
            kind=EventKind.PERSONAL_DATA_REMOVED,
            reason="The round's retention period ended: contacts' names, email addresses and phone numbers removed.",
            shown_to_council=True,
            created_at=now,
        )
    return locked


def run(now=None):
    """Remove everything due. Returns (bids, accounts) counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    bids = 0
    for bid in bids_due(today).iterator(chunk_size=500):
        remove_contacts(bid, now)
        bids += 1
    return bids, accounts_retention.run(now)
