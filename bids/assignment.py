"""Who assesses which bid.

The programme lead assigns by hand or lets `auto_assign` do it: at least two assessors a
bid, the work spread evenly, never an assessor with a conflict of interest, and the
assessors on one bid from different regions when there are enough of them to manage it.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Role, User

from . import workflow
from .models import Assessment, Assignment, BidState, ConflictOfInterest, EventKind

ASSESSORS_PER_BID = 2
# Assessment can be arranged from submission until shortlisting.
ASSIGNABLE_STATES = [BidState.SUBMITTED, BidState.UNDER_ASSESSMENT]


class AssignmentError(workflow.WorkflowError):
    pass


def assessors():
    return User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("full_name", "pk")


def workloads(funding_round):
    """Assessors with `workload` (bids of this round assigned) and `scored` (submitted)."""
    in_round = Q(assignments__bid__funding_round=funding_round)
    return assessors().annotate(
        workload=Count("assignments", filter=in_round, distinct=True),
        scored=Count(
            "assessments",
            filter=Q(
                assessments__bid__funding_round=funding_round,
                assessments__state=Assessment.State.SUBMITTED,
                assessments__set_aside=False,
            ),
            distinct=True,
        ),
    )


def assignable(bid):
    """Assessors who could be added to this bid: not on it already, not conflicted."""
    conflicted = ConflictOfInterest.objects.filter(authority_id=bid.authority_id).values("assessor_id")
    return (
        workloads(bid.funding_round)
        .exclude(pk__in=conflicted)
        .exclude(assignments__bid=bid)
        .order_by("workload", "full_name", "pk")
    )


def assign(bid, assessor, lead, *, expected_state=None, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        locked = workflow.lock(bid, expected_state)
        if not lead.has_perm("bids.manage_assessment", locked):
            raise AssignmentError("You cannot assign assessors to this bid")
        if locked.state not in ASSIGNABLE_STATES:
            raise AssignmentError(
                f"Assessors can only be assigned to a bid that is submitted or under assessment; "
                f"{locked.reference} is {locked.get_state_display().lower()}"
            )
        if assessor.role != Role.ASSESSOR or not assessor.is_active:
            raise AssignmentError(f"{assessor.full_name} is not an assessor")
        if ConflictOfInterest.objects.filter(assessor=assessor, authority_id=locked.authority_id).exists():
            raise AssignmentError(
                f"{assessor.full_name} has a conflict of interest with {locked.authority.name} "
                "and cannot assess this bid"
            )
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    bid=locked, assessor=assessor, assigned_by=lead, assigned_at=now
                )
        except IntegrityError as error:
            raise AssignmentError(f"{assessor.full_name} is already assessing this bid") from error
        workflow.record_event(
            locked,
            EventKind.ASSESSOR_ASSIGNED,
            lead,
            detail={"assessor": assessor.pk, "assessor_name": assessor.full_name},
            now=now,
        )
    return assignment


def unassign(bid, assessor, lead, *, expected_state=None, now=None):
    """Take an assessor off a bid. Scores they submitted stay on record and still count;
    an unfinished draft goes, since nobody can finish it."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = workflow.lock(bid, expected_state)
        if not lead.has_perm("bids.manage_assessment", locked):
            raise AssignmentError("You cannot change who assesses this bid")
        removed, _ = Assignment.objects.filter(bid=locked, assessor=assessor).delete()
        if not removed:
            raise AssignmentError(f"{assessor.full_name} is not assessing this bid")
        Assessment.objects.filter(bid=locked, assessor=assessor, state=Assessment.State.DRAFT).delete()
        workflow.record_event(
            locked,
            EventKind.ASSESSOR_UNASSIGNED,
            lead,
            detail={"assessor": assessor.pk, "assessor_name": assessor.full_name},
            now=now,
        )


@dataclass
class AutoAssignResult:
    made: int = 0
    bids: int = 0
    short: list = field(default_factory=list)  # (bid, how many it has) where there were too few
    same_region: list = field(default_factory=list)  # bids that had to share a region


def auto_assign(funding_round, lead, per_bid=ASSESSORS_PER_BID, now=None):
    """Bring every assignable bid of the round up to `per_bid` assessors.

    Greedy and deterministic: the bids with the fewest possible assessors are served
    first, and each takes the free assessor with the lightest load in the round, from a
    region not yet on the bid where one is free.
    """
    now = now or timezone.now()
    if not lead.has_perm("bids.manage_assessment"):
        raise AssignmentError("You cannot assign assessors")
    result = AutoAssignResult()
    with transaction.atomic():
        # Lock the bids first (in primary key order, as every verb does): a second
        # automatic assignment waits here, then reads the first one's work below.
        bids = list(
            funding_round.bids.select_for_update(of=("self",))
            .filter(state__in=ASSIGNABLE_STATES)
            .select_related("authority")
            .order_by("pk")
        )
        pool = list(workloads(funding_round))
        load = {assessor.pk: assessor.workload for assessor in pool}
        current = {}
        for assignment in Assignment.objects.filter(bid__in=bids).select_related("assessor"):
            current.setdefault(assignment.bid_id, []).append(assignment.assessor)
        conflicts = {}
        for assessor_id, authority_id in ConflictOfInterest.objects.values_list(
            "assessor_id", "authority_id"
        ):
            conflicts.setdefault(authority_id, set()).add(assessor_id)

        def candidates(bid):
            taken = {a.pk for a in current.get(bid.pk, [])}
            barred = conflicts.get(bid.authority_id, set())
            return [a for a in pool if a.pk not in taken and a.pk not in barred]

        needing = [bid for bid in bids if len(current.get(bid.pk, [])) < per_bid]
        needing.sort(key=lambda bid: (len(candidates(bid)), bid.reference))
        for bid in needing:
            on_bid = current.setdefault(bid.pk, [])
            touched = False
            while len(on_bid) < per_bid:
                free = candidates(bid)
                if not free:
                    result.short.append((bid, len(on_bid)))
                    break
                regions = {a.region for a in on_bid if a.region}
                fresh = [a for a in free if not a.region or a.region not in regions]
                if not fresh:
                    result.same_region.append(bid)
                chosen = min(fresh or free, key=lambda a: (load[a.pk], a.full_name, a.pk))
                Assignment.objects.create(bid=bid, assessor=chosen, assigned_by=lead, assigned_at=now)
                workflow.record_event(
                    bid,
                    EventKind.ASSESSOR_ASSIGNED,
                    lead,
                    reason="Assigned automatically",
                    detail={"assessor": chosen.pk, "assessor_name": chosen.full_name},
                    now=now,
                )
                on_bid.append(chosen)
                load[chosen.pk] += 1
                result.made += 1
                touched = True
            result.bids += touched
    return result
