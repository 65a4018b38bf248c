"""The administrators' page that shows what the next nightly run will remove under the
retention rules (bids/retention.py), so nothing disappears unannounced."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import permission_required
from core.views import pagination

from .. import retention

PER_PAGE = 25


@require_GET
@permission_required("bids.manage_retention")
def personal_data(request):
    upcoming = retention.plan()
    bids = Paginator(upcoming.bids, PER_PAGE).get_page(request.GET.get("bids"))
    accounts = Paginator(upcoming.accounts, PER_PAGE).get_page(request.GET.get("accounts"))
    return render(
        request,
        "bids/retention.html",
        {
            "page_title": "Personal data: what the next run removes",
            "rules": retention.Rules.configured(),
            "bids": bids,
            "bid_pages": pagination(bids, request.GET, "bids", "bids"),
            "accounts": accounts,
            "account_pages": pagination(accounts, request.GET, "accounts", "accounts"),
            "funded_state": retention.BidState.APPROVED,
            "cutoffs": retention.cutoffs(),
        },
    )
