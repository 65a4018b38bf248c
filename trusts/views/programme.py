"""The programme team's views of money: every award, and each round's budget by region."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from bids.models import FundingRound
from core.views import pagination

from ..charts import SERIES, region_bars
from ..forms import AwardFilter
from ..queries import AWARDS_PER_PAGE, award_totals, awards_in, budget_for
from .access import programme_page


@programme_page("trusts.view_awards")
def award_list(request):
    awards = awards_in()
    filters = AwardFilter(request.GET or None, queryset=awards)
    listed = filters.qs if filters.is_bound and filters.is_valid() else awards
    if filters.is_bound and not filters.is_valid():
        listed = awards.none()
    page = Paginator(listed, AWARDS_PER_PAGE).get_page(request.GET.get("page"))
    rounds = FundingRound.objects.order_by("-opens_at")
    return render(
        request,
        "trusts/awards.html",
        {
            "page_title": "Funding awards",
            "filters": filters,
            "form": filters.form if filters.is_bound else None,
            "page": page,
            "pages": pagination(page, request.GET),
            "totals": award_totals(listed),
            "rounds": rounds,
            "filtered": filters.is_bound
            and any(request.GET.get(name) for name in ("funding_round", "state")),
        },
    )


@programme_page("trusts.view_budget")
def budget(request, round_slug):
    funding_round = get_object_or_404(FundingRound, slug=round_slug)
    figures = budget_for(funding_round)
    return render(
        request,
        "trusts/budget.html",
        {
            "page_title": f"Budget: {funding_round.name}",
            "funding_round": funding_round,
            "budget": figures,
            "chart": region_bars(figures.figures),
            "series": SERIES,
            "rounds": FundingRound.objects.order_by("-opens_at"),
        },
    )
