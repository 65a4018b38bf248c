"""How long something took, in plain English: "2 days 3 hours", "45 minutes"."""

import math
from datetime import timedelta

UNITS = (("day", 86400), ("hour", 3600), ("minute", 60))
NO_DATA = "No data yet"


def _shown_units(seconds, parts):
    largest = next((index for index, (_, size) in enumerate(UNITS) if seconds >= size), len(UNITS) - 1)
    return UNITS[largest : largest + parts]


def in_words(duration, parts=2):
    """At most `parts` neighbouring units from the largest that is not zero, rounded to the
    nearest of the smallest shown: 1 day 23 hours 40 minutes reads "2 days"."""
    if duration is None:
        return NO_DATA
    seconds = max(duration, timedelta(0)).total_seconds()
    if seconds < 30:
        return "Less than a minute"
    # Rounding can carry into a larger unit (59 minutes 40 seconds is 1 hour), which
    # changes the units shown; the second pass settles it.
    for _ in range(2):
        units = _shown_units(seconds, parts)
        smallest = units[-1][1]
        seconds = math.floor(seconds / smallest + 0.5) * smallest  # halves round up
    words = []
    for name, size in _shown_units(seconds, parts):
        count, seconds = divmod(int(seconds), size)
        if count:
            words.append(f"{count} {name}{'' if count == 1 else 's'}")
    return " ".join(words)


def in_hours(duration):
    """Hours to two places, for the CSV: "51.25"."""
    if duration is None:
        return ""
    return f"{duration.total_seconds() / 3600:.2f}"
