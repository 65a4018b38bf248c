"""Reads that award pages and reports share. Every award a person sees starts from `awards_for`.

The pages and the export builders (trusts/exports/) read their figures from the same
functions here, so a figure in a report is the figure on the page.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import Role
from bids.models import Bid, BidState
from reference.models import Region

from .enums import ACCEPTED_STATES, COMMITTED_STATES, NOT_STANDING_STATES, Audience, InstalmentState
from .models import AwardEvent, FundingAward, Instalment

AWARDS_PER_PAGE = 50
PAYMENTS_PER_PAGE = 50
ZERO = Decimal("0")

# The money of the awards that stand, by where it is on its way to the council; the four
# add up to "awarded". Each figure is defined here once, for every page and export.
#   scheduled: instalments not yet approved (scheduled, or requested and awaiting approval)
#   approved: approved, not yet paid
#   paid: paid instalments
PAYMENT_STAGES = {
    "scheduled": [InstalmentState.SCHEDULED, InstalmentState.REQUESTED],
    "approved": [InstalmentState.APPROVED],
    "paid": [InstalmentState.PAID],
}


def paid_instalments():
    return Instalment.objects.filter(state=InstalmentState.PAID)


def awards_for(user):
    """The awards this person may see at all; anything else answers 404."""
    awards = FundingAward.objects.all()
    if not user.is_authenticated or not user.is_active:
        return awards.none()
    if user.role == Role.COUNCIL:
        return awards.filter(bid__authority_id=user.local_authority_id)
    if user.role in (Role.LEAD, Role.ADMIN):
        return awards
    return awards.none()


def awards_in(funding_round=None, states=None):
    """Awards in one round (or all), in the order the list and every export show them."""
    last_event = AwardEvent.objects.filter(award=OuterRef("pk")).order_by("-created_at", "-pk")
    paid = paid_instalments().filter(award=OuterRef("pk")).order_by().values("award")
    awards = (
        FundingAward.objects.select_related("bid__authority", "bid__funding_round")
        .annotate(
            last_changed_at=Subquery(last_event.values("created_at")[:1]),
            amount_paid=Coalesce(
                Subquery(paid.annotate(sum=Sum("amount")).values("sum")), Value(Decimal("0.00"))
            ),
            last_paid_on=Subquery(paid.annotate(last=Max("paid_on")).values("last")),
        )
        .order_by("-bid__funding_round__opens_at", "bid__authority__name", "pk")
    )
    if funding_round is not None:
        awards = awards.filter(bid__funding_round=funding_round)
    if states:
        awards = awards.filter(state__in=states)
    return awards


@dataclass
class Totals:
    count: int = 0
    base: Decimal = ZERO
    supplement: Decimal = ZERO
    total: Decimal = ZERO


@dataclass
class ListTotals:
    """The totals under a list of awards: what is awarded (the awards that stand, the one
    definition every page and export uses), and each state that does not stand on its own,
    never added in."""

    count: int  # every award listed, whatever its state
    awarded: Totals
    apart: list  # [(state label, Totals)] for declined and withdrawn awards, where there are any
    scheduled: Decimal = ZERO  # the awarded money by stage (PAYMENT_STAGES)
    approved: Decimal = ZERO
    paid: Decimal = ZERO


def award_totals(awards):
    """Count and sums over a filtered list of awards (every page of it), and the awarded money
    by payment stage, in two queries."""
    groups = {"awarded": Q(state__in=COMMITTED_STATES)}
    groups.update({state.value: Q(state=state) for state in NOT_STANDING_STATES})
    sums = {}
    for name, condition in groups.items():
        sums[f"{name}_count"] = Count("pk", filter=condition)
        for summed in ("base_amount", "supplement_amount", "total"):
            sums[f"{name}_{summed}"] = Sum(summed, filter=condition)
    found = awards.order_by().aggregate(count=Count("pk"), **sums)

    def totals(name):
        return Totals(
            found[f"{name}_count"],
            found[f"{name}_base_amount"] or ZERO,
            found[f"{name}_supplement_amount"] or ZERO,
            found[f"{name}_total"] or ZERO,
        )

    apart = [(state.label, totals(state.value)) for state in NOT_STANDING_STATES]
    # The listed awards joined to their instalments once (not the instalments filtered by a
    # subquery of the awards, which reads the awards twice).
    standing = Q(state__in=COMMITTED_STATES)
    stages = awards.order_by().aggregate(
        **{
            stage: Sum("instalments__amount", filter=standing & Q(instalments__state__in=states))
            for stage, states in PAYMENT_STAGES.items()
        }
    )
    return ListTotals(
        found["count"],
        totals("awarded"),
        [(label, t) for label, t in apart if t.count],
        **{stage: stages[stage] or ZERO for stage in PAYMENT_STAGES},
    )


def payments_in(funding_round=None):
    """Every instalment of every award, for the programme's payments list: those awaiting a
    decision first, then by award and number."""
    instalments = Instalment.objects.select_related(
        "award__bid__authority", "award__bid__funding_round", "requested_by"
    ).order_by("-award__bid__funding_round__opens_at", "award__bid__authority__name", "number", "pk")
    if funding_round is not None:
        instalments = instalments.filter(award__bid__funding_round=funding_round)
    return instalments


@dataclass
class RegionFigures:
    region: str
    label: str
    count: int = 0  # every award, whatever its state
    awarded: Decimal = ZERO
    awarded_count: int = 0
    accepted: Decimal = ZERO
    accepted_count: int = 0
    scheduled: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO
    paid_count: int = 0  # councils paid at least one instalment

    NAMES = (
        "count",
        "awarded",
        "awarded_count",
        "accepted",
        "accepted_count",
        "scheduled",
        "approved",
        "paid",
        "paid_count",
    )

    def add(self, other):
        for name in self.NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Figures:
    regions: list = field(default_factory=list)
    totals: RegionFigures = None


def stage_sums(prefix=""):
    """Sum(amount) for each of PAYMENT_STAGES over instalments of awards that stand, as
    aggregate expressions; `prefix` reaches the instalments from another model."""
    standing = Q(**{f"{prefix}award__state__in": COMMITTED_STATES})
    return {
        stage: Sum(f"{prefix}amount", filter=standing & Q(**{f"{prefix}state__in": states}))
        for stage, states in PAYMENT_STAGES.items()
    }


def region_figures(awards):
    """Awarded, accepted, scheduled, approved and paid money, and counts, for each of the nine
    regions, in two queries (the awards, then their instalments).

    awarded: awards that stand (offered, accepted, condition met, paid);
    accepted: those the council accepted, including any since met or paid;
    scheduled, approved, paid: their instalments, as PAYMENT_STAGES defines them.
    """
    committed = Q(state__in=COMMITTED_STATES)
    accepted = Q(state__in=ACCEPTED_STATES)
    rows = (
        awards.order_by()
        .values(region=F("bid__authority__region"))
        .annotate(
            count=Count("pk"),
            awarded=Sum("total", filter=committed),
            awarded_count=Count("pk", filter=committed),
            accepted=Sum("total", filter=accepted),
            accepted_count=Count("pk", filter=accepted),
        )
    )
    by_region = {row["region"]: row for row in rows}
    money_rows = (
        Instalment.objects.filter(award__in=awards.order_by().values("pk"))
        .order_by()
        .values(region=F("award__bid__authority__region"))
        .annotate(
            **stage_sums(),
            paid_count=Count("award", distinct=True, filter=Q(state=InstalmentState.PAID)),
        )
    )
    for row in money_rows:
        by_region.setdefault(row["region"], {}).update(
            {name: row[name] for name in (*PAYMENT_STAGES, "paid_count")}
        )
    figures = Figures(totals=RegionFigures("total", "Total"))
    for region in Region:
        row = by_region.get(region.value, {})
        item = RegionFigures(
            region.value,
            region.label,
            count=row.get("count", 0),
            awarded=row.get("awarded") or ZERO,
            awarded_count=row.get("awarded_count", 0),
            accepted=row.get("accepted") or ZERO,
            accepted_count=row.get("accepted_count", 0),
            scheduled=row.get("scheduled") or ZERO,
            approved=row.get("approved") or ZERO,
            paid=row.get("paid") or ZERO,
            paid_count=row.get("paid_count", 0),
        )
        figures.regions.append(item)
        figures.totals.add(item)
    return figures


@dataclass
class Budget:
    funding_round: object
    figures: Figures

    @property
    def totals(self):
        return self.figures.totals

    @property
    def left(self):
        if self.funding_round.total_budget is None:
            return None
        return self.funding_round.total_budget - self.totals.awarded

    @property
    def places_left(self):
        if self.funding_round.pilot_places is None:
            return None
        return self.funding_round.pilot_places - self.totals.awarded_count

    @property
    def share_awarded(self):
        """Percentage of the budget awarded, or None without a budget."""
        budget = self.funding_round.total_budget
        if not budget:
            return None
        return self.totals.awarded / budget * 100


def budget_for(funding_round):
    return Budget(
        funding_round, region_figures(FundingAward.objects.filter(bid__funding_round=funding_round))
    )


def figures_for(funding_round=None):
    awards = FundingAward.objects.all()
    if funding_round is not None:
        awards = awards.filter(bid__funding_round=funding_round)
    return region_figures(awards)


def bid_counts_by_state(funding_round=None):
    """(status label, number of bids) for every status, in workflow order."""
    bids = Bid.objects.all() if funding_round is None else Bid.objects.filter(funding_round=funding_round)
    counts = dict(bids.order_by().values_list("state").annotate(n=Count("pk")))
    return [(state.label, counts.get(state.value, 0)) for state in BidState]


def scores_by_state(funding_round=None):
    """Effective scores by bid status: the lead's moderated score, or else the assessors' mean.

    Only assessments that were submitted and not set aside count.
    """
    counted = Q(assessments__state="submitted", assessments__set_aside=False)
    bids = Bid.objects.all() if funding_round is None else Bid.objects.filter(funding_round=funding_round)
    rows = (
        bids.order_by()
        .annotate(mean=Avg("assessments__weighted_total", filter=counted), moderated=F("moderation__score"))
        .values_list("state", "mean", "moderated")
    )
    by_state = {}
    for state, mean, moderated in rows:
        score = moderated if moderated is not None else mean
        if score is not None:
            by_state.setdefault(state, []).append(Decimal(score))
    summary = []
    for state in BidState:
        scores = by_state.get(state.value)
        if scores:
            summary.append(
                {
                    "state": state.value,
                    "label": state.label,
                    "scored": len(scores),
                    "mean": sum(scores) / len(scores),
                    "low": min(scores),
                    "high": max(scores),
                }
            )
    return summary


def consultation_progress(award, activities):
    """For each audience the condition names: the activities recorded and whether it is covered."""
    progress = []
    for audience in Audience:
        held = [activity for activity in activities if activity.audience == audience.value]
        progress.append(
            {
                "audience": audience,
                "activities": len(held),
                "people": sum(activity.people_reached for activity in held),
                "covered": bool(held),
            }
        )
    return progress
