"""Server-drawn SVG charts: the budget view's bars by region, geometry only.

The template draws them (templates/trusts/includes/region_chart.html); the page always
gives the same figures in a table as well.
"""

from core.money import money

# GOV.UK colours with at least 3:1 contrast against white, distinct from one another.
SERIES = [
    ("awarded", "Awarded", "#1d70b8"),
    ("accepted", "Accepted", "#4c2c92"),
    ("paid", "Paid", "#00703c"),
]

WIDTH = 720
LABEL_WIDTH = 200
VALUE_WIDTH = 90
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 20
TOP = 40


def region_bars(figures):
    """Bars for each region's awarded, accepted and paid money, scaled to the largest."""
    scale_to = max([region.awarded for region in figures.regions] + [1])
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group_height = len(SERIES) * BAR_HEIGHT + (len(SERIES) - 1) * BAR_GAP
    groups = []
    y = TOP
    for region in figures.regions:
        bars = []
        for index, (key, label, colour) in enumerate(SERIES):
            value = getattr(region, key)
            width = round(float(value / scale_to) * plot_width, 1) if value else 0
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            bars.append(
                {
                    "label": label,
                    "colour": colour,
                    "x": LABEL_WIDTH,
                    "y": bar_y,
                    "width": width,
                    "height": BAR_HEIGHT,
                    "text": money(value),
                    "text_x": LABEL_WIDTH + width + 6,
                    "text_y": bar_y + BAR_HEIGHT - 2,
                }
            )
        groups.append(
            {
                "label": region.label,
                "label_y": y + group_height / 2 + 5,
                "bars": bars,
                "rule_y": y + group_height + GROUP_GAP / 2,
            }
        )
        y += group_height + GROUP_GAP
    legend = [
        {
            "label": label,
            "colour": colour,
            "x": LABEL_WIDTH + index * 120,
            "text_x": LABEL_WIDTH + index * 120 + 20,
        }
        for index, (_, label, colour) in enumerate(SERIES)
    ]
    return {
        "width": WIDTH,
        "height": y + 4,
        "label_x": LABEL_WIDTH - 10,
        "axis_x": LABEL_WIDTH,
        "axis_top": TOP - 6,
        "axis_bottom": y - GROUP_GAP / 2,
        "groups": groups,
        "legend": legend,
    }
