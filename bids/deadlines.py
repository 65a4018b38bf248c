"""When a round closes for one authority, and the extensions that move it."""

from django.db import transaction
from django.utils import timezone

from .models import BidEvent, DeadlineExtension, EventKind


def closes_at_for(funding_round, authority):
    extension = DeadlineExtension.objects.filter(funding_round=funding_round, authority=authority).first()
    if extension and extension.closes_at > funding_round.closes_at:
        return extension.closes_at
    return funding_round.closes_at


def closing_times(funding_rounds, authority):
    """{round id: closing time} for one authority over many rounds, in one query."""
    funding_rounds = list(funding_rounds)
    extended = dict(
        DeadlineExtension.objects.filter(funding_round__in=funding_rounds, authority=authority).values_list(
            "funding_round_id", "closes_at"
        )
    )
    return {r.pk: max(r.closes_at, extended.get(r.pk, r.closes_at)) for r in funding_rounds}


def is_open_for(funding_round, authority, now=None):
    now = now or timezone.now()
    return funding_round.is_published and funding_round.opens_at <= now <= closes_at_for(
        funding_round, authority
    )


@transaction.atomic
def grant_extension(funding_round, authority, closes_at, reason, granted_by):
    """One extension per authority per round; granting again moves it and is recorded."""
    extension, _ = DeadlineExtension.objects.update_or_create(
        funding_round=funding_round,
        authority=authority,
        defaults={
            "closes_at": closes_at,
            "reason": reason,
            "granted_by": granted_by,
            "granted_at": timezone.now(),
        },
    )
    for bid in funding_round.bids.filter(authority=authority):
        BidEvent.objects.create(
            bid=bid,
            kind=EventKind.EXTENSION_GRANTED,
            actor=granted_by,
            reason=reason,
            detail={"closes_at": closes_at.isoformat()},
            shown_to_council=True,
        )
    return extension
