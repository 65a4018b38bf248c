"""Setting up funding rounds. A round's dates, money and criteria are data."""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# The default scoring criteria (0-4 each); weights are edited per round.
DEFAULT_CRITERIA = [
    (
        "Joint working across social services, education and health",
        Decimal("30"),
        "How far the three core services will jointly plan, commission and deliver.",
    ),
    (
        "Scope and coverage of children's services",
        Decimal("20"),
        "Which services and children the trust covers, and why that fits local needs.",
    ),
    (
        "Governance and accountability",
        Decimal("20"),
        "How the trust is governed, the role of elected members, and how the council stays accountable.",
    ),
    (
        "Community, private and voluntary sector involvement",
        Decimal("15"),
        "The part community, private and voluntary organisations play in delivery.",
    ),
    (
        "Deliverability by the end of the year",
        Decimal("15"),
        "Whether the trust can be operational by the date the round sets.",
    ),
]


def end_of_day(day):
    """A deadline 'on 31 March' means 23:59:59 London time that day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def start_of_day(day):
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def add_default_criteria(funding_round, Criterion):
    for position, (name, weight, guidance) in enumerate(DEFAULT_CRITERIA, start=1):
        Criterion.objects.get_or_create(
            funding_round=funding_round,
            name=name,
            defaults={"weight": weight, "guidance": guidance, "position": position},
        )
