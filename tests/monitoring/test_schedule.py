"""When returns are due, and the working days reminders count back over weekends and England
and Wales bank holidays. Every expected date below was worked out by hand on a 2003-2005
calendar; the docstrings show the count."""

from datetime import date

import pytest

from monitoring.schedule import Due, due_dates, is_working_day, reminder_date, schedule


def test_every_three_months_over_36_months_from_the_2003_operational_date():
    """31 December 2003 + 3, 6, ... 36 months: the end of each quarter, twelve returns."""
    assert due_dates(date(2003, 12, 31), 3, 36) == [
        (1, date(2004, 3, 31)),
        (2, date(2004, 6, 30)),
        (3, date(2004, 9, 30)),
        (4, date(2004, 12, 31)),
        (5, date(2005, 3, 31)),
        (6, date(2005, 6, 30)),
        (7, date(2005, 9, 30)),
        (8, date(2005, 12, 31)),
        (9, date(2006, 3, 31)),
        (10, date(2006, 6, 30)),
        (11, date(2006, 9, 30)),
        (12, date(2006, 12, 31)),
    ]


def test_a_short_month_takes_its_last_day_and_does_not_shift_the_dates_after_it():
    """Every 2 months from 31 December 2003: 29 February (2004 is a leap year), then 30 April,
    counted from 31 December again (counting on from 29 February would give 29 April)."""
    assert due_dates(date(2003, 12, 31), 2, 8) == [
        (1, date(2004, 2, 29)),
        (2, date(2004, 4, 30)),
        (3, date(2004, 6, 30)),
        (4, date(2004, 8, 31)),
    ]


def test_no_return_falls_after_the_pilot_period():
    """Every 5 months over 12: months 5 and 10; month 15 is past the pilot."""
    assert due_dates(date(2003, 12, 31), 5, 12) == [(1, date(2004, 5, 31)), (2, date(2004, 10, 31))]


def test_a_round_with_no_interval_has_no_returns():
    assert due_dates(date(2003, 12, 31), 0, 36) == []


def test_each_period_opens_when_the_one_before_is_due():
    first, second, third = schedule(date(2003, 12, 31), 3, 9, 5)
    assert first == Due(1, date(2003, 12, 31), date(2004, 3, 31), date(2004, 3, 24))
    assert (second.opens_on, second.due_on) == (date(2004, 3, 31), date(2004, 6, 30))
    assert (third.opens_on, third.due_on) == (date(2004, 6, 30), date(2004, 9, 30))


@pytest.mark.parametrize(
    ("due_on", "working_days", "reminded_on"),
    [
        # Tuesday 6 January 2004, 5 working days: Mon 5 Jan (1), Fri 2 Jan (2), Thu 1 Jan is
        # New Year's Day, Wed 31 Dec (3), Tue 30 Dec (4), Mon 29 Dec (5) -> Monday 29 December.
        (date(2004, 1, 6), 5, date(2003, 12, 29)),
        # Tuesday 4 January 2005, 5 working days: Mon 3 Jan is New Year's Day's substitute
        # (1 January 2005 was a Saturday); Fri 31 Dec (1), Thu 30 (2), Wed 29 (3); Tue 28 Dec
        # and Mon 27 Dec are the substitutes for Boxing Day and Christmas Day (a Sunday and a
        # Saturday); Fri 24 Dec (4), Thu 23 Dec (5) -> Thursday 23 December 2004.
        (date(2005, 1, 4), 5, date(2004, 12, 23)),
        # Wednesday 14 April 2004, 5 working days: Tue 13 (1); Mon 12 is Easter Monday and
        # Fri 9 Good Friday; Thu 8 (2), Wed 7 (3), Tue 6 (4), Mon 5 (5) -> Monday 5 April 2004.
        (date(2004, 4, 14), 5, date(2004, 4, 5)),
        # Wednesday 2 June 2004, 3 working days: Tue 1 June (1); Mon 31 May is the spring
        # (late May) bank holiday; Fri 28 May (2), Thu 27 May (3) -> Thursday 27 May 2004.
        (date(2004, 6, 2), 3, date(2004, 5, 27)),
        # Tuesday 31 August 2004, 1 working day: Mon 30 August is the summer bank holiday ->
        # Friday 27 August 2004.
        (date(2004, 8, 31), 1, date(2004, 8, 27)),
        # Wednesday 31 March 2004 (the first 2003 pilot return), 5 working days: Tue 30 (1),
        # Mon 29 (2), Fri 26 (3), Thu 25 (4), Wed 24 (5) -> Wednesday 24 March 2004.
        (date(2004, 3, 31), 5, date(2004, 3, 24)),
        # A return due on a Saturday, 1 working day: the Friday before.
        (date(2004, 1, 3), 1, date(2004, 1, 2)),
        # No working days: the due date itself.
        (date(2004, 3, 31), 0, date(2004, 3, 31)),
    ],
)
def test_reminders_count_back_working_days(due_on, working_days, reminded_on):
    assert reminder_date(due_on, working_days) == reminded_on


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2003, 12, 25), False),  # Christmas Day, a Thursday
        (date(2003, 12, 26), False),  # Boxing Day, a Friday
        (date(2004, 12, 27), False),  # Christmas Day's substitute
        (date(2004, 12, 28), False),  # Boxing Day's substitute
        (date(2005, 1, 3), False),  # New Year's Day's substitute
        (date(2004, 4, 9), False),  # Good Friday
        (date(2004, 4, 12), False),  # Easter Monday
        (date(2004, 5, 3), False),  # Early May bank holiday
        (date(2004, 5, 31), False),  # Spring bank holiday
        (date(2004, 8, 30), False),  # Summer bank holiday
        (date(2004, 1, 3), False),  # a Saturday
        (date(2004, 1, 2), True),  # the day after New Year's Day: Scotland's holiday, not England's
        (date(2004, 3, 17), True),  # St Patrick's Day: Northern Ireland's, not England's
        (date(2004, 12, 29), True),
    ],
)
def test_working_days_are_england_and_wales_weekdays_that_are_not_bank_holidays(day, working):
    assert is_working_day(day) is working
