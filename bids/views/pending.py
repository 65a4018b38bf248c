"""The programme lead's pending decisions for a round: what will be released, and links
to change each one's feedback, take it back, or release them all (trusts/views/releases.py,
since an approval's award is offered on release)."""

from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.decorators import permission_required
from core.views import pagination

from .. import staging
from ..models import FundingRound

PENDING_PAGE_SIZE = 50


@require_GET
@permission_required("bids.manage_assessment")
def pending_decisions(request, round_slug):
    funding_round = get_object_or_404(FundingRound, slug=round_slug)
    pending = staging.pending_in(funding_round).annotate(
        award_total=F("base_amount") + F("supplement_amount")
    )
    page = Paginator(pending, PENDING_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bids/programme/pending_decisions.html",
        {
            "page_title": f"Pending decisions: {funding_round.name}",
            "round": funding_round,
            "page": page,
            "decisions": page.object_list,
            "pages": pagination(page, request.GET),
        },
    )
