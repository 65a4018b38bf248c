"""The 2003 round's service performance in the demo: how long councils took over each
section of their bids, and what they said about the service after submitting.

Each has its own seeded random numbers, so adding them changes nothing else the demo makes.
Both only fill what is missing: sections without times, a round without answers.
"""

import math
import random
from datetime import timedelta

from django.db.models import F, OuterRef, Subquery

from bids.models import Bid, BidEvent, BidSection, BidState, EventKind, FundingRound, Section
from insights.enums import SATISFIED, Satisfaction
from insights.queries import submissions
from insights.satisfaction import record_answer

# How long each section typically takes, in hours, from first save to completion: contact
# details in minutes, a partnership agreed with health and education over days.
SECTION_HOURS = {
    Section.CONTACTS: (0.2, 1.5),
    Section.FOCUS: (4, 96),
    Section.SCOPES: (0.3, 6),
    Section.PARTNERS: (24, 240),
    Section.DELIVERY: (2, 48),
    Section.GOVERNANCE: (24, 192),
    Section.FUNDING: (1, 72),
    Section.CONSULTATION: (12, 120),
    Section.DOCUMENTS: (0.2, 4),
}

# Out of 100 answers; about seven councils in ten answer.
SATISFACTION_WEIGHTS = {
    Satisfaction.VERY_SATISFIED: 30,
    Satisfaction.SATISFIED: 42,
    Satisfaction.NEITHER: 14,
    Satisfaction.DISSATISFIED: 10,
    Satisfaction.VERY_DISSATISFIED: 4,
}
ANSWERING = 0.7

# What councils suggested, each used once. Praise comes only with a satisfied answer.
PRAISE = [
    "Being able to save a section and come back to it made it much easier to work with our health colleagues.",
    "The task list made it obvious what was left to do.",
    "Clear and quick. The check your answers page caught a missing phone number.",
]
SUGGESTIONS = [
    "Let us add several partner agencies at once: entering them one at a time was slow.",
    "The guidance on governance was helpful, but an example of a joint partnership board would help.",
    "It was not clear until the funding section that a supplement needed a justification.",
    "Our supporting documents were in several files and uploading them one by one took a while.",
    "We would have liked to see the scoring criteria next to each question.",
    "The three consultation questions overlapped; one question would have been enough.",
    "I was signed out while writing our vision. The warning came, but I missed it.",
    "Please let us print the whole bid to take to our partnership board.",
]
COMMENTING = 0.4


def seed_insights(seeder):
    funding_round = FundingRound.objects.get(slug="pilots-2003")
    timed = seed_section_timings(funding_round)
    answered = seed_satisfaction(funding_round)
    seeder.say(f"2003 pilot round: {timed} sections timed, {answered} feedback answers")


def seed_section_timings(funding_round):
    """Times for the sections of submitted bids that have none: each started in task-list
    order between the bid being started and its first submission (read from its events),
    and completed before it was submitted."""
    events = BidEvent.objects.filter(bid=OuterRef("bid_id")).order_by("created_at").values("created_at")
    submitted = events.filter(kind=EventKind.STATE_CHANGED, to_state=BidState.SUBMITTED)
    rows = list(
        BidSection.objects.filter(bid__funding_round=funding_round, started_at__isnull=True)
        .select_related("bid")
        .annotate(
            bid_started=Subquery(events.filter(kind=EventKind.CREATED)[:1]),
            bid_submitted=Subquery(submitted[:1]),
        )
        .filter(bid_started__isnull=False, bid_submitted__gt=F("bid_started"))
        .order_by("bid_id", "pk")
    )
    places = {section: place for place, section in enumerate(Section)}
    for row in rows:
        rng = random.Random(f"timings-{row.bid.reference}-{row.section}")  # nosec B311
        began, submitted_at = row.bid_started, row.bid_submitted
        # Sections are started in task-list order across the first two thirds of the time.
        start = began + (submitted_at - began) * (places[row.section] / len(Section) * 0.66)
        low, high = SECTION_HOURS[row.section]
        took = timedelta(hours=math.exp(rng.uniform(math.log(low), math.log(high))))
        row.started_at = start.replace(second=0, microsecond=0)
        completed = min(row.started_at + took, submitted_at - timedelta(hours=1))
        row.completed_at = max(completed, row.started_at).replace(second=0, microsecond=0)
    BidSection.objects.bulk_update(rows, ["started_at", "completed_at"])
    return len(rows)


def seed_satisfaction(funding_round):
    """About seven in ten councils answered the satisfaction question minutes after first
    submitting, through the service's own verb. Nothing if the round has answers already."""
    if funding_round.satisfaction_answers.exists():
        return 0
    rng = random.Random("satisfaction-2003")  # nosec B311
    first_submitted = submissions().order_by("created_at").values("created_at")[:1]
    bids = (
        Bid.objects.filter(
            funding_round=funding_round, submitted_at__isnull=False, submitted_by__isnull=False
        )
        .exclude(state=BidState.DRAFT)
        .select_related("submitted_by", "funding_round")
        .annotate(first_submitted=Subquery(first_submitted))
        .order_by("reference")
    )
    options, weights = zip(*SATISFACTION_WEIGHTS.items(), strict=True)
    praise, suggestions = list(PRAISE), list(SUGGESTIONS)
    rng.shuffle(praise)
    rng.shuffle(suggestions)
    answered = 0
    for bid in bids:
        if rng.random() >= ANSWERING:
            continue
        satisfaction = rng.choices(options, weights)[0]
        comment = ""
        if rng.random() < COMMENTING:
            pool = praise + suggestions if satisfaction in SATISFIED else suggestions
            if pool:
                comment = rng.choice(pool)
                (praise if comment in praise else suggestions).remove(comment)
        given = (bid.first_submitted or bid.submitted_at) + timedelta(minutes=rng.randint(2, 40))
        record_answer(bid, bid.submitted_by, satisfaction, comment, now=given)
        answered += 1
    return answered
