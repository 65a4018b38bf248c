"""The programme team's views of money: every award, and each round's budget by region."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from bids.models import FundingRound
from core.views import pagination

from ..charts import SERIES, region_bars
from ..forms import AwardFilter
from ..queries import AWARDS_PER_PAGE, award_totals, awards_in, budget_for
from .access import programme_page

LATEST_ROUNDS = 5


@programme_page("trusts.view_awards")
def award_list(request):
    awards = awards_in()
    filters = AwardFilter(request.GET or None, queryset=awards)
    listed = filters.qs if filters.is_bound and filters.is_valid() else awards
    if filters.is_bound and not filters.is_valid():
        listed = awards.none()
    # The page's awards are picked by their keys first, then read with their figures (the
    # amount paid, the last change): worked out only for the awards shown, however deep the
    # page, rather than for every award the database passes on its way to the page.
    page = Paginator(listed.values_list("pk", flat=True), AWARDS_PER_PAGE).get_page(request.GET.get("page"))
    found = {award.pk: award for award in listed.filter(pk__in=list(page.object_list))}
    page.object_list = [found[pk] for pk in page.object_list]
    # Links to the budgets of the latest few rounds (a programme runs hundreds over the
    # years), and of the round the list is filtered by, if it is older.
    rounds = list(FundingRound.objects.only("slug", "name").order_by("-opens_at", "-pk")[:LATEST_ROUNDS])
    chosen = (
        filters.form.cleaned_data.get("funding_round") if filters.is_bound and filters.is_valid() else None
    )
    if chosen is not None and chosen not in rounds:
        rounds.append(chosen)
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
    rounds = FundingRound.objects.only("slug", "name", "opens_at").order_by("-opens_at", "-pk")
    return render(
        request,
        "trusts/budget.html",
        {
            "page_title": f"Budget: {funding_round.name}",
            "funding_round": funding_round,
            "budget": figures,
            "chart": region_bars(figures.figures),
            "series": SERIES,
            # The latest few rounds' budgets, and the rounds either side of this one.
            "rounds": rounds.exclude(pk=funding_round.pk)[:LATEST_ROUNDS],
            "earlier": rounds.filter(opens_at__lt=funding_round.opens_at).first(),
            "later": rounds.filter(opens_at__gt=funding_round.opens_at).last(),
        },
    )
