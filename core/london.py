"""Times are stored in UTC and shown in London time; a deadline "on 31 March" ends at
23:59:59 London time that day."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def end_of_day(day):
    """A deadline 'on 31 March' means 23:59:59 London time that day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def start_of_day(day):
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def london(value, fmt="long"):
    """A date and time in London time, in the GOV.UK style: 11:59pm on 31 March 2003."""
    if not value:
        return ""
    local = timezone.localtime(value, LONDON)
    time_text = local.strftime("%-I:%M%p").lower().replace(":00", "") if fmt != "date" else ""
    if local.hour == 12 and local.minute == 0:
        time_text = "midday"
    elif local.hour == 0 and local.minute == 0:
        time_text = "midnight"
    day = f"{local.day} {local.strftime('%B %Y')}"
    if fmt == "date":
        return day
    if fmt == "short":
        return f"{local.day} {local.strftime('%b %Y')}, {time_text}"
    return f"{time_text} on {day}"


def long_date(value):
    """31 March 2003, for a date or (in London time) a date and time."""
    local = timezone.localtime(value, LONDON) if hasattr(value, "hour") else value
    return f"{local.day} {local:%B %Y}"
