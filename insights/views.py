"""The satisfaction question a council answers after submitting, and the programme team's
pages on how the service performs (GOV.UK Service Standard point 10).

No analytics script and no cookie of its own: every figure comes from what the service
already records (bids, their sections and events) and the answers councils choose to give.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.decorators import permission_required
from bids.models import FundingRound
from bids.views.access import council_bid
from core.views import pagination, posted

from . import charts, exports
from .forms import SatisfactionForm
from .queries import (
    COMMENTS_PER_PAGE,
    ROUNDS_PER_PAGE,
    answers_in,
    comments_in,
    performance_of,
    rounds_with_counts,
)
from .satisfaction import AlreadyAnswered, answer_for, record_answer

PERFORMANCE = "insights.view_performance"


# The council's answer ------------------------------------------------------------------


def answerable_bid(request, reference):
    """The council's own submitted bid: 404 for a bid this person may not see, 403 for an
    official who may; None (with a message) when there is no submission to answer about."""
    bid = council_bid(request, reference)
    if not request.user.has_perm("insights.answer_satisfaction", bid):
        messages.info(request, "You can tell us what you think of the service once your bid is submitted.")
        return None
    return bid


@login_required
def answer(request, reference):
    bid = answerable_bid(request, reference)
    if bid is None:
        return redirect("bids:bid", reference=reference)
    if answer_for(bid) is not None:
        return already_answered(request, bid)
    form = SatisfactionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record_answer(
                bid, request.user, form.cleaned_data["satisfaction"], form.cleaned_data["improvement"]
            )
        except AlreadyAnswered:
            # A colleague answered about this submission a moment ago.
            return already_answered(request, bid)
        return redirect("insights:answered", reference=bid.reference)
    return render(
        request,
        "insights/answer.html",
        {
            "page_title": f"Give feedback on {settings.SERVICE_NAME}",
            "form": form,
            "bid": bid,
            "submit_text": "Send feedback",
            "back_url": reverse("bids:submitted", args=[bid.reference]),
        },
    )


def already_answered(request, bid):
    return render(
        request,
        "insights/already_answered.html",
        {"page_title": "You have already given feedback", "bid": bid},
    )


@require_GET
@login_required
def answered(request, reference):
    bid = answerable_bid(request, reference)
    if bid is None:
        return redirect("bids:bid", reference=reference)
    if answer_for(bid) is None:
        return redirect("insights:answer", reference=bid.reference)
    return render(
        request, "insights/answered.html", {"page_title": "Thank you for your feedback", "bid": bid}
    )


# The programme team's pages ------------------------------------------------------------


@require_GET
@permission_required(PERFORMANCE)
def rounds(request):
    page = Paginator(rounds_with_counts(), ROUNDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/rounds.html",
        {"page_title": "Service performance", "page": page, "pages": pagination(page, request.GET)},
    )


@require_GET
@permission_required(PERFORMANCE)
def performance(request, round_slug):
    funding_round = get_object_or_404(FundingRound, slug=round_slug)
    figures = performance_of(funding_round)
    comments = Paginator(comments_in(funding_round), COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/performance.html",
        {
            "page_title": f"Service performance: {funding_round.name}",
            "funding_round": funding_round,
            "figures": figures,
            "charts": {
                "completion": charts.completion_chart(figures),
                "times": charts.section_chart(figures),
                "stops": charts.stops_chart(figures),
                "satisfaction": charts.satisfaction_chart(figures),
            },
            "comments": comments,
            "pages": pagination(comments, request.GET, fragment="comments"),
            "back_url": reverse("insights:rounds"),
        },
    )


def csv_download(chunks, filename):
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
@permission_required(PERFORMANCE)
def performance_csv(request, round_slug):
    funding_round = get_object_or_404(FundingRound, slug=round_slug)
    return csv_download(
        exports.figures_csv(performance_of(funding_round)), f"service-performance-{funding_round.slug}.csv"
    )


@require_GET
@permission_required(PERFORMANCE)
def satisfaction_csv(request, round_slug):
    funding_round = get_object_or_404(FundingRound, slug=round_slug)
    return csv_download(
        exports.answers_csv(answers_in(funding_round).iterator()),
        f"satisfaction-answers-{funding_round.slug}.csv",
    )
