"""Conflicts of interest: an assessor's link with a local authority (a former employer, a
relative on its staff) that keeps them away from that authority's bids.

Declaring one takes effect at once and entirely, in one transaction: the assessor comes
off the authority's bids and interview panels, and any scores they gave are set aside, so
means and rankings leave them out while moderation still shows them, flagged.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from core.history import Entry

from . import workflow
from .models import Assessment, Assignment, Bid, ConflictOfInterest, EventKind, Interview


class ConflictError(Exception):
    pass


def declare(assessor, authority, reason, declared_by, now=None):
    """Record the conflict and apply it. Returns the ConflictOfInterest.

    declared_by is the assessor themselves or a programme lead recording it for them.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if assessor.role != Role.ASSESSOR:
        raise ConflictError("Conflicts of interest are declared for assessors")
    if declared_by != assessor and not declared_by.has_perm("bids.record_conflict"):
        raise ConflictError("You can only declare your own conflicts of interest")
    if not reason:
        raise ConflictError("Enter the reason for the conflict of interest")
    try:
        with transaction.atomic():
            conflict = ConflictOfInterest(
                assessor=assessor,
                authority=authority,
                reason=reason,
                declared_by=declared_by,
                declared_at=now,
            )
            conflict._history_user = declared_by  # also outside a request (History)
            conflict.save(force_insert=True)
            apply(conflict, now)
    except IntegrityError as error:
        who = "You have" if declared_by == assessor else f"{assessor.full_name} has"
        raise ConflictError(f"{who} already declared a conflict of interest with {authority.name}") from error
    return conflict


def apply(conflict, now=None):
    """Take the assessor off everything of the authority's. Call inside the transaction."""
    now = now or timezone.now()
    assessor, actor = conflict.assessor, conflict.declared_by
    why = f"Conflict of interest with {conflict.authority.name} declared"
    # Lock the authority's bids so a score being submitted at this moment either lands
    # before (and is set aside here) or finds the assessor gone.
    bids = list(Bid.objects.select_for_update().filter(authority=conflict.authority).order_by("pk"))
    for bid in bids:
        removed, _ = Assignment.objects.filter(bid=bid, assessor=assessor).delete()
        if removed:
            workflow.record_event(
                bid,
                EventKind.ASSESSOR_UNASSIGNED,
                actor,
                reason=why,
                detail={"assessor": assessor.pk, "assessor_name": assessor.full_name},
                now=now,
            )
        for assessment in Assessment.objects.filter(bid=bid, assessor=assessor, set_aside=False):
            assessment.set_aside = True
            assessment.set_aside_reason = f"{why}: {conflict.reason}"
            assessment.updated_at = now
            assessment.save(update_fields=["set_aside", "set_aside_reason", "updated_at"])
            workflow.record_event(
                bid,
                EventKind.SCORE_SET_ASIDE,
                actor,
                reason=assessment.set_aside_reason,
                detail={
                    "assessor": assessor.pk,
                    "assessor_name": assessor.full_name,
                    "assessment": assessment.pk,
                },
                now=now,
            )
        for interview in bid.interviews.filter(state=Interview.State.SCHEDULED, panel=assessor):
            interview.panel.remove(assessor)


DECLARATION_HISTORY = {
    "+": "Conflict of interest declared",
    "~": "Conflict of interest changed",
    "-": "Conflict of interest removed",
}


def history_of(person):
    """The History entries of the person's conflict-of-interest declarations: with whom,
    the reason given, who recorded it and when (one query)."""
    records = ConflictOfInterest.history.filter(assessor_id=person.pk).select_related(
        "authority", "history_user"
    )
    return [
        Entry(
            when=record.history_date,
            who=record.history_user.full_name if record.history_user else "The service",
            what=DECLARATION_HISTORY[record.history_type],
            subject=record.authority.name,
            reason=record.reason,
        )
        for record in records
    ]
