"""When, where and with whom an interview may be booked: the rules the booking verbs
(bids/interviews.py) and the workflow's check on a booked interview both follow."""

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from core.london import LONDON

from .models import ConflictOfInterest, Interview

DURATIONS = [30, 45, 60, 90, 120]


def panel_candidates(bid):
    """Officials who may sit on the bid's panel: programme leads and the bid's own assessors,
    none with a conflict of interest with the authority. Panel members must be able to open
    the bid, and an assessor sees only the bids assigned to them."""
    conflicted = ConflictOfInterest.objects.filter(authority_id=bid.authority_id).values("assessor_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.LEAD) | Q(role=Role.ASSESSOR, assignments__bid=bid))
        .exclude(pk__in=conflicted)
        .order_by("-role", "full_name")
        .distinct()
    )


def in_window(funding_round, starts_at):
    day = timezone.localtime(starts_at, LONDON).date()
    return funding_round.interviews_start_on <= day <= funding_round.interviews_end_on


def window_text(funding_round):
    start, end = funding_round.interviews_start_on, funding_round.interviews_end_on
    return f"{start.day} {start:%B %Y} and {end.day} {end:%B %Y}"


def booking_problems(bid, interview):
    """Why this booking cannot stand, as sentences for the lead; empty when it can."""
    problems = []
    if not in_window(bid.funding_round, interview.starts_at):
        problems.append(
            f"The interview must be between {window_text(bid.funding_round)}, "
            f"the interview window for {bid.funding_round.name}"
        )
    if not interview.location.strip() and not interview.video_link.strip():
        problems.append("Enter where the interview will be held, or a video call link, or both")
    panel = list(interview.panel.all())
    if not panel:
        problems.append("Select at least one member of the interview panel")
    allowed = set(panel_candidates(bid).values_list("pk", flat=True))
    for member in panel:
        if member.pk not in allowed:
            problems.append(f"{member.full_name} cannot sit on this panel")
    return problems


def scheduled_interview(bid):
    return bid.interviews.filter(state=Interview.State.SCHEDULED).prefetch_related("panel").first()
