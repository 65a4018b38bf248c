"""When a pilot's monitoring returns are due, and the working days reminders count back.

A pilot sends its first return a whole number of months (the round's `returns_every_months`)
after its trust's operational date, and another every so many months until its pilot period
(`pilot_months`) ends: every 3 months over 36 months from 31 December 2003 is twelve returns,
the first due on 31 March 2004 and the last on 31 December 2006. A date that does not exist
in a shorter month is its last day (31 December + 2 months is 29 February 2004), and each due
date is counted from the operational date, so a short month does not shift the ones after it.

Working days are Monday to Friday except bank holidays in England and Wales (the two share
one list), substitute days included: when Christmas Day falls on a Saturday the holiday moves
to the Monday after.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Due:
    """One return of a pilot's schedule: its number, the day its period begins (the day the
    return may be started), the day it is due, and the day the council is reminded."""

    period: int
    opens_on: date
    due_on: date
    reminder_on: date


def due_dates(operational_on, every_months, pilot_months):
    """[(period, due date)] for a pilot operational on `operational_on`."""
    if not every_months:
        return []
    return [
        (period, operational_on + relativedelta(months=period * every_months))
        for period in range(1, pilot_months // every_months + 1)
    ]


def schedule(operational_on, every_months, pilot_months, reminder_working_days):
    """Every return a pilot sends, in order (see `Due`)."""
    dues, opens_on = [], operational_on
    for period, due_on in due_dates(operational_on, every_months, pilot_months):
        dues.append(Due(period, opens_on, due_on, reminder_date(due_on, reminder_working_days)))
        opens_on = due_on
    return dues


def schedule_for(award):
    """The returns of an accepted award's pilot trust; none before there is a trust. Reads
    award.trust and award.bid.funding_round (select them with the award)."""
    trust = getattr(award, "trust", None)
    if trust is None:
        return []
    funding_round = award.bid.funding_round
    return schedule(
        trust.operational_on,
        funding_round.returns_every_months,
        funding_round.pilot_months,
        funding_round.reminder_working_days,
    )


@lru_cache(maxsize=64)
def bank_holidays(year):
    """England and Wales bank holidays in `year`, substitute days included."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def reminder_date(due_on, working_days):
    """The working day `working_days` working days before `due_on` (the due date itself for 0)."""
    day, counted = due_on, 0
    while counted < working_days:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
