"""The programme lead's calibration page: each assessor's leniency in a round, as a chart
and a table, with the plain-English account of how standardised scores are worked out."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.decorators import permission_required
from accounts.models import User
from core.scores import signed_percent
from core.views import pagination

from .. import calibration
from .programme import _round

ASSESSORS_PER_PAGE = 50

# The chart's geometry: assessors' names on the left, bars either side of a zero line.
WIDTH = 720
LABEL_WIDTH = 220
VALUE_ROOM = 70
BAR_HEIGHT = 22
ROW_HEIGHT = 36
TOP = 44
LENIENT_COLOUR = "#1d70b8"  # GOV.UK blue
HARSH_COLOUR = "#d4351c"  # GOV.UK red
NEUTRAL_COLOUR = "#505a5f"  # GOV.UK dark grey: too few shared bids to act on


def leniency_chart(rows, threshold):
    """Bars of each assessor's leniency either side of zero, with the threshold marked."""
    largest = max([abs(row.leniency.value) for row in rows if row.leniency.value is not None] + [threshold])
    half = (WIDTH - LABEL_WIDTH - 2 * VALUE_ROOM) / 2
    zero = LABEL_WIDTH + VALUE_ROOM + half

    def x(value):
        return round(zero + float(value / largest) * half, 1)

    bars = []
    y = TOP
    for row in rows:
        value = row.leniency.value
        bar = {"label": row.name, "label_y": y + BAR_HEIGHT / 2 + 5, "text": signed_percent(value)}
        if value is None:
            bar.update(width=0, x=zero, text="Shares no bid", text_x=zero + 6, anchor="start")
        else:
            end = x(value)
            bar.update(
                x=min(zero, end),
                width=abs(end - zero),
                y=y,
                colour=(LENIENT_COLOUR if value > 0 else HARSH_COLOUR)
                if row.leniency.measured
                else NEUTRAL_COLOUR,
                text_x=end + 6 if value >= 0 else end - 6,
                anchor="start" if value >= 0 else "end",
            )
        bar["y"] = y
        bars.append(bar)
        y += ROW_HEIGHT
    return {
        "width": WIDTH,
        "height": y + 8,
        "zero": zero,
        "label_x": LABEL_WIDTH - 10,
        "axis_top": TOP - 8,
        "axis_bottom": y,
        "bar_height": BAR_HEIGHT,
        "threshold_low": x(-threshold),
        "threshold_high": x(threshold),
        "threshold_text": signed_percent(threshold),
        "bars": bars,
    }


@permission_required("bids.view_programme")
def calibration_page(request, round_slug):
    funding_round = _round(round_slug)
    names = dict(
        User.objects.filter(assessments__bid__funding_round=funding_round)
        .distinct()
        .values_list("pk", "full_name")
    )
    rows = calibration.assessors(funding_round, names)
    page = Paginator(rows, ASSESSORS_PER_PAGE).get_page(request.GET.get("page"))
    threshold = funding_round.leniency_threshold
    flagged = [row for row in rows if row.flag]
    return render(
        request,
        "bids/programme/calibration.html",
        {
            "page_title": f"Calibration: {funding_round.name}",
            "round": funding_round,
            "page": page,
            "rows": page.object_list,
            "pages": pagination(page, request.GET),
            "chart": leniency_chart(page.object_list, threshold) if page.object_list else None,
            "threshold": threshold,
            "flagged": flagged,
            "min_shared": calibration.MIN_SHARED,
        },
    )
