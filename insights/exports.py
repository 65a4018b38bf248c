"""The performance page's figures as CSV, and the satisfaction answers: the same reads as
the page (insights/queries.py), written with the reports' safe cells (no formula injection,
UTF-8 with a byte order mark) from trusts/exports/cells.py."""

from django.utils import timezone

from trusts.exports.cells import csv_chunks, csv_text

from .durations import in_hours, in_words
from .queries import QUARTILES

FIGURES_HEADER = ["Measure", "Section", "Value", "Unit", "In words"]
ANSWERS_HEADER = [
    "Given (London time)",
    "Overall, how did you feel about using this service?",
    "How could we improve this service?",
]


QUARTILE_NAMES = {"lower": "lower quartile", "median": "median", "upper": "upper quartile"}


def _spread_rows(measure, section, spread):
    yield [f"{measure}: bids timed", section, spread.count, "bids", ""]
    for name, _ in QUARTILES:
        value = getattr(spread, name)
        yield [f"{measure}: {QUARTILE_NAMES[name]}", section, in_hours(value), "hours", in_words(value)]


def figure_rows(performance):
    """One row per figure on the page: counts, rates, times (in hours) and answers."""
    completion = performance.completion
    yield ["Bids started", "", completion.started, "bids", ""]
    yield ["Bids submitted", "", completion.submitted, "bids", ""]
    yield ["Completion rate", "", "" if completion.rate is None else completion.rate, "%", ""]
    yield from _spread_rows("Time from starting a bid to first submitting it", "", performance.bid_time)
    for section, spread in performance.section_times.items():
        yield from _spread_rows("Time to complete a section", section.label, spread)
    for stop in performance.stops:
        yield ["Bids not submitted, by where they stopped", stop.label, stop.count, "bids", ""]
    satisfaction = performance.satisfaction
    yield ["Satisfaction answers", "", satisfaction.answers, "answers", ""]
    for option in satisfaction.options:
        yield [f"Answered: {option.label}", "", option.count, "answers", ""]
        yield [f"Answered: {option.label}", "", "" if option.percent is None else option.percent, "%", ""]
    rate = satisfaction.satisfied_percent
    yield ["Satisfied or very satisfied", "", "" if rate is None else rate, "%", ""]


def figures_csv(performance):
    return csv_chunks(FIGURES_HEADER, (csv_text(row) for row in figure_rows(performance)))


def answer_rows(answers):
    for answer in answers:
        yield [
            timezone.localtime(answer.given_at).strftime("%Y-%m-%d %H:%M"),
            answer.get_satisfaction_display(),
            answer.improvement,
        ]


def answers_csv(answers):
    return csv_chunks(ANSWERS_HEADER, (csv_text(row) for row in answer_rows(answers)))
