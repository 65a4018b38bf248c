"""Who assesses which bid.

The programme lead assigns by hand or lets `auto_assign` do it: at least two assessors a
bid, the work spread evenly, never an assessor with a conflict of interest or whom the lead
has excluded from the bid, and the assessors on one bid from different regions when there
are enough of them to manage it. Every assignment says in plain English why that assessor
was chosen (`Assignment.explanation`), so the lead can check the choice and explain it.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Role, User
from reference.models import Region

from . import workflow
from .models import (
    Assessment,
    Assignment,
    AssignmentExclusion,
    BidState,
    ConflictOfInterest,
    EventKind,
)

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
    """Assessors who could be added to this bid: not on it already, not conflicted, not
    excluded from it by the lead."""
    conflicted = ConflictOfInterest.objects.filter(authority_id=bid.authority_id).values("assessor_id")
    excluded = AssignmentExclusion.objects.filter(bid=bid).values("assessor_id")
    return (
        workloads(bid.funding_round)
        .exclude(pk__in=conflicted)
        .exclude(pk__in=excluded)
        .exclude(assignments__bid=bid)
        .order_by("workload", "full_name", "pk")
    )


def excludable(bid):
    """Assessors the lead could exclude from this bid: not excluded already, without a
    conflict of interest (which keeps them off it anyway), and without submitted scores
    on it that count (those would stay). `on_bid`: assigned to it now."""
    conflicted = ConflictOfInterest.objects.filter(authority_id=bid.authority_id).values("assessor_id")
    excluded = AssignmentExclusion.objects.filter(bid=bid).values("assessor_id")
    scored = Assessment.objects.filter(bid=bid, state=Assessment.State.SUBMITTED, set_aside=False).values(
        "assessor_id"
    )
    return (
        assessors()
        .exclude(pk__in=conflicted)
        .exclude(pk__in=excluded)
        .exclude(pk__in=scored)
        .annotate(on_bid=Exists(Assignment.objects.filter(bid=bid, assessor=OuterRef("pk"))))
        .order_by("-on_bid", "full_name", "pk")
    )


# Why an assessor was chosen ------------------------------------------------------------

# Regions whose names take "the" in a sentence: "from the North West", "from London".
WITHOUT_THE = {Region.LONDON, Region.YORKSHIRE_HUMBER}


def region_name(region):
    label = Region(region).label
    return label if region in WITHOUT_THE else f"the {label}"


def workload_fact(count):
    if not count:
        return "no bids in this round before this one"
    return f"{count} bid{'s' if count != 1 else ''} in this round before this one"


def region_fact(assessor, others):
    """Where the assessor comes from, beside the assessors already on the bid."""
    if not assessor.region:
        return "no region recorded for them, so it could not be compared with the others on this bid"
    sharing = [other.full_name for other in others if other.region == assessor.region]
    if not sharing:
        return f"from {region_name(assessor.region)}, a region not yet on this bid"
    return f"from {region_name(assessor.region)}, the same region as {' and '.join(sharing)} on this bid"


def conflict_fact(bid):
    return f"no conflict of interest with {bid.authority.name}"


def explain_automatic(bid, chosen, free, on_bid, load):
    """Why automatic assignment chose `chosen` from the `free` assessors for the bid."""
    lightest = min(load[a.pk] for a in free)
    if load[chosen.pk] == lightest:
        workload = "the lightest workload among free assessors"
    else:
        workload = "the lightest workload among free assessors from regions not yet on this bid"
    region = region_fact(chosen, on_bid)
    if chosen.region and any(other.region == chosen.region for other in on_bid):
        region += ", as no assessor from another region was free"
    return (
        f"Chosen automatically: {workload} ({workload_fact(load[chosen.pk])}); {region}; "
        f"{conflict_fact(bid)}."
    )


def explain_by_hand(bid, assessor, lead, on_bid, workload):
    return (
        f"Assigned by {lead.full_name}: {workload_fact(workload)}; {region_fact(assessor, on_bid)}; "
        f"{conflict_fact(bid)}."
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
        exclusion = AssignmentExclusion.objects.filter(bid=locked, assessor=assessor).first()
        if exclusion is not None:
            raise AssignmentError(
                f"{assessor.full_name} is excluded from this bid ({exclusion.reason}). "
                "Let them assess it again before assigning them."
            )
        on_bid = [a.assessor for a in Assignment.objects.filter(bid=locked).select_related("assessor")]
        if any(other.pk == assessor.pk for other in on_bid):
            raise AssignmentError(f"{assessor.full_name} is already assessing this bid")
        workload = Assignment.objects.filter(
            assessor=assessor, bid__funding_round=locked.funding_round
        ).count()
        explanation = explain_by_hand(locked, assessor, lead, on_bid, workload)
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    bid=locked, assessor=assessor, assigned_by=lead, assigned_at=now, explanation=explanation
                )
        except IntegrityError as error:
            raise AssignmentError(f"{assessor.full_name} is already assessing this bid") from error
        workflow.record_event(
            locked,
            EventKind.ASSESSOR_ASSIGNED,
            lead,
            detail={"assessor": assessor.pk, "assessor_name": assessor.full_name, "explanation": explanation},
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


def exclude(bid, assessor, lead, reason, *, expected_state=None, now=None):
    """Keep an assessor off this bid for a reason of the lead's own (a conflict of interest
    is the assessor's declaration, in bids/conflicts.py): neither automatic assignment nor
    the lead's own can put them on it until the exclusion is lifted. An assessor on the bid
    comes off it, their unfinished draft with them; one whose submitted scores count cannot
    be excluded, as those scores would stay."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise AssignmentError("Enter the reason for excluding the assessor from this bid")
    with transaction.atomic():
        locked = arranging(bid, lead, expected_state, "exclude assessors from")
        if assessor.role != Role.ASSESSOR:
            raise AssignmentError(f"{assessor.full_name} is not an assessor")
        if AssignmentExclusion.objects.filter(bid=locked, assessor=assessor).exists():
            raise AssignmentError(f"{assessor.full_name} is already excluded from this bid")
        if Assessment.objects.filter(
            bid=locked, assessor=assessor, state=Assessment.State.SUBMITTED, set_aside=False
        ).exists():
            raise AssignmentError(
                f"{assessor.full_name} has submitted scores for this bid, which count, "
                "so they cannot be excluded from it"
            )
        removed, _ = Assignment.objects.filter(bid=locked, assessor=assessor).delete()
        _, drafts = Assessment.objects.filter(
            bid=locked, assessor=assessor, state=Assessment.State.DRAFT
        ).delete()
        try:
            with transaction.atomic():
                exclusion = AssignmentExclusion.objects.create(
                    bid=locked,
                    assessor=assessor,
                    reason=reason,
                    excluded_by=lead,
                    excluded_at=now,
                )
        except IntegrityError as error:
            raise AssignmentError(f"{assessor.full_name} is already excluded from this bid") from error
        workflow.record_event(
            locked,
            EventKind.ASSESSOR_EXCLUDED,
            lead,
            reason=reason,
            detail={
                "assessor": assessor.pk,
                "assessor_name": assessor.full_name,
                "removed": bool(removed),
                "draft_deleted": bool(drafts.get(Assessment._meta.label)),
            },
            now=now,
        )
    return exclusion


def include_again(bid, assessor, lead, reason, *, expected_state=None, now=None):
    """Lift the lead's exclusion of an assessor from this bid, with the reason. Recorded as
    an ASSESSOR_EXCLUDED event marked `lifted`, carrying what the exclusion said, so the
    bid's record keeps both; it does not assign them."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise AssignmentError("Enter the reason they can assess this bid again")
    with transaction.atomic():
        locked = arranging(bid, lead, expected_state, "change the exclusions of")
        exclusion = (
            AssignmentExclusion.objects.select_for_update()
            .select_related("excluded_by")
            .filter(bid=locked, assessor=assessor)
            .first()
        )
        if exclusion is None:
            raise AssignmentError(f"{assessor.full_name} is not excluded from this bid")
        exclusion.delete()
        workflow.record_event(
            locked,
            EventKind.ASSESSOR_EXCLUDED,
            lead,
            reason=reason,
            detail={
                "assessor": assessor.pk,
                "assessor_name": assessor.full_name,
                "lifted": True,
                "excluded_by": exclusion.excluded_by.full_name,
                "excluded_at": exclusion.excluded_at.isoformat(),
                "exclusion_reason": exclusion.reason,
            },
            now=now,
        )
    return exclusion


def arranging(bid, lead, expected_state, doing):
    """The bid locked for a change to who may assess it: the lead's, while it is assignable."""
    locked = workflow.lock(bid, expected_state)
    if not lead.has_perm("bids.manage_assessment", locked):
        raise AssignmentError("You cannot change who assesses this bid")
    if locked.state not in ASSIGNABLE_STATES:
        raise AssignmentError(
            f"You can only {doing} a bid that is submitted or under assessment; "
            f"{locked.reference} is {locked.get_state_display().lower()}"
        )
    return locked


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
        excluded = {}
        for bid_id, assessor_id in AssignmentExclusion.objects.filter(bid__in=bids).values_list(
            "bid_id", "assessor_id"
        ):
            excluded.setdefault(bid_id, set()).add(assessor_id)

        def candidates(bid):
            taken = {a.pk for a in current.get(bid.pk, [])}
            barred = conflicts.get(bid.authority_id, set()) | excluded.get(bid.pk, set())
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
                explanation = explain_automatic(bid, chosen, free, on_bid, load)
                Assignment.objects.create(
                    bid=bid, assessor=chosen, assigned_by=lead, assigned_at=now, explanation=explanation
                )
                workflow.record_event(
                    bid,
                    EventKind.ASSESSOR_ASSIGNED,
                    lead,
                    reason="Assigned automatically",
                    detail={
                        "assessor": chosen.pk,
                        "assessor_name": chosen.full_name,
                        "explanation": explanation,
                    },
                    now=now,
                )
                on_bid.append(chosen)
                load[chosen.pk] += 1
                result.made += 1
                touched = True
            result.bids += touched
    return result
