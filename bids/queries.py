"""Reads that pages share. Every list of bids a person sees starts from `bids_for`."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Role

from .models import Assignment, Bid, ConflictOfInterest, FundingRound


def bids_for(user):
    """The bids this person may see at all; anything else answers 404."""
    bids = Bid.objects.all()
    if not user.is_authenticated or not user.is_active:
        return bids.none()
    if user.role == Role.COUNCIL:
        return bids.filter(authority_id=user.local_authority_id)
    if user.role == Role.ASSESSOR:
        assigned = Assignment.objects.filter(bid=OuterRef("pk"), assessor=user)
        conflicted = ConflictOfInterest.objects.filter(assessor=user, authority_id=OuterRef("authority_id"))
        return bids.filter(Exists(assigned)).exclude(Exists(conflicted))
    if user.role in (Role.LEAD, Role.ADMIN):
        return bids
    return bids.none()


def rounds_with_extension_for(authority, now):
    """Rounds open to this authority now, counting any extension granted to it."""
    return (
        FundingRound.objects.published()
        .filter(opens_at__lte=now)
        .filter(Q(closes_at__gte=now) | Q(extensions__authority=authority, extensions__closes_at__gte=now))
        .distinct()
        .order_by("closes_at")
    )


def current_round(now=None):
    """The round officials are working on: the newest published one that has opened."""
    now = now or timezone.now()
    published = FundingRound.objects.published()
    return published.filter(opens_at__lte=now).order_by("-opens_at").first() or (
        published.order_by("opens_at").first()
    )


def timeline_for(bid, user):
    """What happened to the bid, newest first. Councils see only what is shared with them."""
    events = bid.events.select_related("actor").order_by("-created_at", "-pk")
    if not user.has_perm("bids.view_assessment", bid):
        events = events.filter(shown_to_council=True)
    return events


def council_recipients(bid, actor=None):
    """Who hears about a bid: its lead officer, whoever submitted it, and the actor if a council user."""
    recipients = {bid.lead_email} if bid.lead_email else set()
    if bid.submitted_by_id:
        recipients.add(bid.submitted_by.email)
    if actor is not None and actor.local_authority_id == bid.authority_id:
        recipients.add(actor.email)
    return sorted(recipients)
