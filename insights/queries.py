"""The service's performance in a round (GOV.UK Service Standard point 10), read with
aggregate SQL: a fixed number of queries whatever the number of bids.

- bids started (every bid made in the round) and submitted (submitted at least once:
  a BidEvent into "submitted"), and the completion rate between them;
- how long each section of the task list takes, from its first save to the first time it
  was marked completed, and the whole bid, from being started to its first submission:
  quartiles worked out in the database with window functions;
- where drafts stop: for each bid still a draft, or withdrawn while a draft, the first
  section in task-list order that is not completed;
- what councils said: the answers to the satisfaction question, and their comments.

No figure names a council or a person.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Floor, Lead, RowNumber

from bids.models import Bid, BidEvent, BidSection, BidState, EventKind, FundingRound, Section

from .enums import SATISFIED, Satisfaction
from .models import SatisfactionAnswer

COMMENTS_PER_PAGE = 20
ROUNDS_PER_PAGE = 25
QUARTILES = (("lower", Decimal("0.25")), ("median", Decimal("0.5")), ("upper", Decimal("0.75")))
ALL_COMPLETE = "All sections complete, not submitted"


def submissions():
    """A bid's submissions: the events that moved it into "submitted"."""
    return BidEvent.objects.filter(
        bid=OuterRef("pk"), kind=EventKind.STATE_CHANGED, to_state=BidState.SUBMITTED
    )


def withdrawn_as_draft():
    return BidEvent.objects.filter(
        bid=OuterRef("pk"),
        kind=EventKind.STATE_CHANGED,
        to_state=BidState.WITHDRAWN,
        from_state=BidState.DRAFT,
    )


def share(part, whole):
    """A percentage to one place, or None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Quartiles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """How long something took: its quartiles over `count` bids (None when count is 0)."""

    count: int = 0
    lower: timedelta | None = None
    median: timedelta | None = None
    upper: timedelta | None = None


def quartiles(timed, group=None):
    """{group value: Spread} of the `duration` the rows of `timed` are annotated with.

    One query. Within each group (or over all rows) each row gets its place in order of
    duration, the group's size and the next row's duration; only the rows a quartile falls
    on come back, and each quartile is interpolated between its row and the next, as
    PostgreSQL's percentile_cont does (which SQLite does not have).
    """
    partition = [F(group)] if group else None
    order = F("duration").asc()
    rows = timed.annotate(
        place=Window(RowNumber(), partition_by=partition, order_by=order),
        size=Window(Count("pk"), partition_by=partition),
        following=Window(Lead("duration"), partition_by=partition, order_by=order),
    )
    # The row at 0-based position floor(q × (size − 1)) carries the quartile's lower neighbour.
    falls_on = Q()
    for _, fraction in QUARTILES:
        falls_on |= Q(place=Floor(Value(fraction) * (F("size") - 1)) + 1)
    fields = ["place", "size", "duration", "following", *([group] if group else [])]
    found = {}
    for row in rows.filter(falls_on).values(*fields):
        found.setdefault(row[group] if group else None, []).append(row)
    spreads = {}
    for key, group_rows in found.items():
        size = group_rows[0]["size"]
        by_place = {row["place"]: row for row in group_rows}
        values = {}
        for name, fraction in QUARTILES:
            position = fraction * (size - 1)
            row = by_place[int(position) + 1]
            step = position - int(position)
            after = row["following"] if row["following"] is not None else row["duration"]
            values[name] = row["duration"] + (after - row["duration"]) * float(step)
        spreads[key] = Spread(count=size, **values)
    return spreads


def duration_between(start, end):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def section_times(funding_round):
    """{section: Spread}: from a section's first save to the first time it was completed."""
    timed = (
        BidSection.objects.filter(
            bid__funding_round=funding_round,
            started_at__isnull=False,
            completed_at__isnull=False,
            completed_at__gte=F("started_at"),
        )
        .annotate(duration=duration_between("started_at", "completed_at"))
        .order_by()
    )
    found = quartiles(timed, group="section")
    return {section: found.get(section.value, Spread()) for section in Section}


def bid_times(funding_round):
    """The Spread of the time from starting a bid to first submitting it."""
    first_submitted = submissions().order_by("created_at").values("created_at")[:1]
    timed = (
        Bid.objects.filter(funding_round=funding_round)
        .annotate(first_submitted=Subquery(first_submitted))
        .filter(first_submitted__isnull=False, first_submitted__gte=F("created_at"))
        .annotate(duration=duration_between("created_at", "first_submitted"))
        .order_by()
    )
    return quartiles(timed).get(None, Spread())


# Started, submitted, where drafts stop --------------------------------------------------


@dataclass(frozen=True)
class Completion:
    started: int
    submitted: int

    @property
    def rate(self):
        return share(self.submitted, self.started)


def completion(funding_round):
    counted = Bid.objects.filter(funding_round=funding_round).aggregate(
        started=Count("pk"), submitted=Count("pk", filter=Q(Exists(submissions())))
    )
    return Completion(**counted)


@dataclass(frozen=True)
class Stop:
    label: str
    count: int
    section: Section | None = None  # None: every section complete, yet not submitted


SECTION_PLACE = Case(
    *[When(section=section.value, then=Value(place)) for place, section in enumerate(Section)],
    output_field=IntegerField(),
)


def where_drafts_stop(funding_round):
    """Bids still a draft, or withdrawn while one, counted by the first section in task-list
    order that is not completed; the last row counts those with every section completed."""
    first_open = (
        BidSection.objects.filter(bid=OuterRef("pk"), completed=False)
        .annotate(place=SECTION_PLACE)
        .order_by("place")
        .values("place")[:1]
    )
    counts = dict(
        Bid.objects.filter(funding_round=funding_round)
        .filter(Q(state=BidState.DRAFT) | Q(Exists(withdrawn_as_draft()), state=BidState.WITHDRAWN))
        .annotate(stopped_at=Subquery(first_open))
        .order_by()
        .values("stopped_at")
        .annotate(bids=Count("pk"))
        .values_list("stopped_at", "bids")
    )
    stops = [Stop(section.label, counts.get(place, 0), section) for place, section in enumerate(Section)]
    stops.append(Stop(ALL_COMPLETE, counts.get(None, 0)))
    return stops


# What councils said --------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    satisfaction: Satisfaction
    count: int
    percent: Decimal | None

    @property
    def label(self):
        return self.satisfaction.label


@dataclass(frozen=True)
class Satisfactions:
    options: list
    answers: int
    satisfied: int

    @property
    def satisfied_percent(self):
        return share(self.satisfied, self.answers)


def satisfaction_in(funding_round):
    counted = SatisfactionAnswer.objects.filter(funding_round=funding_round).aggregate(
        **{option.value: Count("pk", filter=Q(satisfaction=option.value)) for option in Satisfaction}
    )
    answers = sum(counted.values())
    return Satisfactions(
        options=[
            Option(option, counted[option.value], share(counted[option.value], answers))
            for option in Satisfaction
        ],
        answers=answers,
        satisfied=sum(counted[option.value] for option in SATISFIED),
    )


def comments_in(funding_round):
    """The answers with a suggestion, newest first: what the page lists and pages through."""
    return (
        SatisfactionAnswer.objects.filter(funding_round=funding_round)
        .exclude(improvement="")
        .only("satisfaction", "improvement", "given_at")
        .order_by("-given_at", "-pk")
    )


def answers_in(funding_round):
    """Every answer in the round, oldest first, for the CSV."""
    return (
        SatisfactionAnswer.objects.filter(funding_round=funding_round)
        .only("satisfaction", "improvement", "given_at")
        .order_by("given_at", "pk")
    )


# The page's figures together -------------------------------------------------------------


@dataclass(frozen=True)
class Performance:
    funding_round: FundingRound
    completion: Completion
    bid_time: Spread
    section_times: dict
    stops: list
    satisfaction: Satisfactions

    @property
    def stopped(self):
        return sum(stop.count for stop in self.stops)


def performance_of(funding_round):
    """Everything the performance page and its CSV show about a round: five queries."""
    return Performance(
        funding_round=funding_round,
        completion=completion(funding_round),
        bid_time=bid_times(funding_round),
        section_times=section_times(funding_round),
        stops=where_drafts_stop(funding_round),
        satisfaction=satisfaction_in(funding_round),
    )


def counted(queryset):
    """A subquery counting `queryset`'s rows for each round (0 when there are none)."""
    per_round = queryset.order_by().values("funding_round").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_round, output_field=IntegerField()), 0)


def rounds_with_counts():
    """Published rounds, newest first, with their bids started and submitted and answers,
    counted as the performance page counts them."""
    bids = Bid.objects.filter(funding_round=OuterRef("pk"))
    return (
        FundingRound.objects.published()
        .annotate(
            n_started=counted(bids),
            n_submitted=counted(bids.filter(Exists(submissions()))),
            n_answers=counted(SatisfactionAnswer.objects.filter(funding_round=OuterRef("pk"))),
        )
        .order_by("-opens_at")
    )
