"""Server-drawn SVG bar charts for the performance page: geometry only, drawn by
templates/insights/includes/bar_chart.html, as trusts/charts.py draws the budget's. Every
chart has a table beside it with the same figures.

A bar is one figure (a count, or a median time); a bar may carry a range drawn as a line
across it (the middle half of the times, from the lower to the upper quartile).
"""

from dataclasses import dataclass

from .durations import in_words

# GOV.UK blue, 3:1 against white and against the black range line drawn over it.
BAR_COLOUR = "#1d70b8"
RANGE_COLOUR = "#0b0c0c"
RULE_COLOUR = "#b1b4b6"

WIDTH = 720
LABEL_WIDTH = 290
VALUE_WIDTH = 150
BAR_HEIGHT = 20
BAR_GAP = 12
TOP = 8
LEGEND_HEIGHT = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # in the chart's own unit: a count, or seconds
    text: str  # the value as the table shows it
    low: float | None = None  # the range drawn across the bar, if any
    high: float | None = None


def bar_chart(key, title, description, bars, legend=None):
    """The geometry of a horizontal bar chart, scaled to its largest value or range end.

    `key` makes the ids of its title and description unique on the page; `legend` is a
    sentence shown above the bars (what the line across a bar means)."""
    scale_to = max([max(bar.value, bar.high or 0) for bar in bars] + [1])
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = TOP + (LEGEND_HEIGHT if legend else 0)

    def x_of(value):
        return round(LABEL_WIDTH + float(value) / float(scale_to) * plot_width, 1)

    drawn = []
    y = top
    for bar in bars:
        end = x_of(bar.value)
        ranged = bar.low is not None and bar.high is not None
        text_from = max(end, x_of(bar.high)) if ranged else end
        drawn.append(
            {
                "label": bar.label,
                "label_y": y + BAR_HEIGHT - 5,
                "x": LABEL_WIDTH,
                "y": y,
                "width": round(end - LABEL_WIDTH, 1),
                "height": BAR_HEIGHT,
                "text": bar.text,
                "text_x": text_from + 6,
                "text_y": y + BAR_HEIGHT - 5,
                "range": {
                    "x1": x_of(bar.low),
                    "x2": x_of(bar.high),
                    "y": y + BAR_HEIGHT / 2,
                    "top": y + 3,
                    "bottom": y + BAR_HEIGHT - 3,
                }
                if ranged
                else None,
            }
        )
        y += BAR_HEIGHT + BAR_GAP
    return {
        "key": key,
        "title": title,
        "description": description,
        "width": WIDTH,
        "height": y - BAR_GAP + TOP,
        "label_x": LABEL_WIDTH - 10,
        "axis_x": LABEL_WIDTH,
        "axis_top": top - 4,
        "axis_bottom": y - BAR_GAP + 4,
        "bars": drawn,
        "legend": legend,
        "legend_y": TOP + 16,
        "colour": BAR_COLOUR,
        "range_colour": RANGE_COLOUR,
        "rule_colour": RULE_COLOUR,
    }


# The page's four charts ---------------------------------------------------------------


def completion_chart(performance):
    completion = performance.completion
    return bar_chart(
        "completion",
        "Bids started and submitted",
        f"A bar chart: {completion.started} bids started and {completion.submitted} submitted. "
        "The table below the chart gives the same figures.",
        [
            Bar("Started", completion.started, str(completion.started)),
            Bar("Submitted", completion.submitted, str(completion.submitted)),
        ],
    )


def section_chart(performance):
    """Median time for each section with timings; the line across each bar runs from the
    lower to the upper quartile. The whole bid takes weeks where a section takes hours, so
    it is in the table and the headline figures, not on this scale."""
    bars = [
        Bar(
            section.label,
            spread.median.total_seconds(),
            in_words(spread.median),
            spread.lower.total_seconds(),
            spread.upper.total_seconds(),
        )
        for section, spread in performance.section_times.items()
        if spread.count
    ]
    if not bars:
        return None
    return bar_chart(
        "times",
        "Median time to complete each section",
        "A bar chart of the median time each section of the bid took, from its first save to "
        "first being marked as completed. A line across each bar runs from the lower to the "
        "upper quartile. The table below the chart gives the same figures, and the whole bid's.",
        bars,
        legend="Bar: median. Line: lower to upper quartile.",
    )


def stops_chart(performance):
    if not performance.stopped:
        return None
    return bar_chart(
        "stops",
        "Where unsubmitted bids stopped",
        "A bar chart of the number of bids not submitted that stopped at each section: the "
        "first section not completed. The table below the chart gives the same figures.",
        [Bar(stop.label, stop.count, str(stop.count)) for stop in performance.stops],
    )


def satisfaction_chart(performance):
    satisfaction = performance.satisfaction
    if not satisfaction.answers:
        return None
    return bar_chart(
        "satisfaction",
        "How councils felt about using the service",
        f"A bar chart of the {satisfaction.answers} answers to the satisfaction question, by "
        "answer. The table below the chart gives the same figures.",
        [
            Bar(option.label, option.count, f"{option.count} ({option.percent}%)")
            for option in satisfaction.options
        ],
    )
