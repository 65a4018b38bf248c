"""Times in plain English, as the performance page and its CSV show them."""

from datetime import timedelta

import pytest

from insights.durations import in_hours, in_words


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (None, "No data yet"),
        (timedelta(seconds=20), "Less than a minute"),
        (timedelta(seconds=45), "1 minute"),
        (timedelta(minutes=45), "45 minutes"),
        (timedelta(hours=3, minutes=20), "3 hours 20 minutes"),
        (timedelta(days=2, hours=3, minutes=10), "2 days 3 hours"),
        (timedelta(days=1), "1 day"),
        # The smallest unit shown is rounded, halves up, carrying into the next.
        (timedelta(days=2, hours=3, minutes=30), "2 days 4 hours"),
        (timedelta(minutes=59, seconds=40), "1 hour"),
        (timedelta(days=1, hours=23, minutes=40), "2 days"),
        # Only neighbouring units: the minutes are not shown after days.
        (timedelta(days=2, minutes=5), "2 days"),
    ],
)
def test_in_words(duration, words):
    assert in_words(duration) == words


def test_in_hours_for_the_csv():
    assert in_hours(timedelta(days=2, hours=3, minutes=15)) == "51.25"
    assert in_hours(None) == ""
