"""The pages everyone who may see an award shares: its returns, due date by due date, and one
return with what it says, where it stands, and what this person can do with it now."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.views import pagination

from .. import returns
from ..queries import DUE_DATES_PER_PAGE, due_rows, status_of
from .access import award_returns_url, get_award, get_return


def award_url(award):
    return reverse("trusts:award", kwargs={"pk": award.pk})


@login_required
def award_returns(request, pk):
    award = get_award(request, pk)
    if not request.user.has_perm("monitoring.view_award_returns", award):
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(due_rows(award, today), DUE_DATES_PER_PAGE).get_page(request.GET.get("page"))
    funding_round = award.bid.funding_round
    return render(
        request,
        "monitoring/award_returns.html",
        {
            "page_title": "Monitoring returns",
            "caption": award.bid.authority.name,
            "award": award,
            "bid": award.bid,
            "funding_round": funding_round,
            "trust": getattr(award, "trust", None),
            "page": page,
            "pages": pagination(page, request.GET),
            "can_start": request.user.has_perm("monitoring.start_return", award),
            "back_url": award_url(award),
        },
    )


@login_required
def return_page(request, pk):
    monitoring_return = get_return(request, pk)
    award = monitoring_return.award
    user = request.user
    actions = returns.available_actions(monitoring_return, user)
    return render(
        request,
        "monitoring/return.html",
        {
            "page_title": f"Monitoring return {monitoring_return.period}",
            "caption": award.bid.authority.name,
            "monitoring_return": monitoring_return,
            "award": award,
            "bid": award.bid,
            "milestones": list(monitoring_return.milestones.all()),
            "status": status_of(monitoring_return.due_on, monitoring_return, timezone.localdate()),
            "actions": actions,
            "can_edit": user.has_perm("monitoring.edit_return", monitoring_return),
            "prepared_it": monitoring_return.prepared_by_id == user.pk,
            "events": monitoring_return.events.select_related("actor").order_by("-created_at", "-pk"),
            "back_url": award_returns_url(award) if user.is_council else reverse("monitoring:returns"),
        },
    )
