"""The programme team's list of every pilot's returns, newest due first, by round and status."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from core.views import pagination
from trusts.views.access import programme_page

from ..forms import ReturnFilter
from ..queries import RETURNS_PER_PAGE, returns_in, status_of


@programme_page("monitoring.view_returns")
def return_list(request):
    every_return = returns_in()
    filters = ReturnFilter(request.GET or None, queryset=every_return)
    listed = filters.qs if filters.is_bound and filters.is_valid() else every_return
    if filters.is_bound and not filters.is_valid():
        listed = every_return.none()
    page = Paginator(listed, RETURNS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for monitoring_return in page:
        monitoring_return.status = status_of(monitoring_return.due_on, monitoring_return, today)
    return render(
        request,
        "monitoring/returns.html",
        {
            "page_title": "Monitoring returns",
            "filters": filters,
            "form": filters.form if filters.is_bound else None,
            "page": page,
            "pages": pagination(page, request.GET),
            "filtered": filters.is_bound
            and any(request.GET.get(name) for name in ("funding_round", "state")),
        },
    )
