"""The due diligence on a bidding authority: the checks the lead has recorded, and the form to
record another, on one page reached from the bid and from the approval page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from bids.queries import bids_for
from bids.views.access import bid_url
from core.door import Refused
from core.views import pagination, posted

from .. import diligence
from ..forms import DueDiligenceForm
from ..models import DueDiligenceCheck
from .access import programme_page

CHECKS_PER_PAGE = 20


@programme_page("trusts.view_due_diligence")
def due_diligence(request, reference):
    bid = get_object_or_404(
        bids_for(request.user).select_related("authority", "funding_round"), reference=reference
    )
    can_record = request.user.has_perm("trusts.record_due_diligence", bid)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    form = DueDiligenceForm(posted(request) if can_record else None)
    if request.method == "POST" and can_record and form.is_valid():
        try:
            check = diligence.record_check(bid, request.user, **form.cleaned_data)
        except Refused as error:
            form.add_problems(error.problems)
        else:
            messages.success(
                request,
                f"{check.get_kind_display()} on {bid.authority.name} recorded: {check.get_result_display().lower()}",
            )
            return redirect(reverse("trusts:due-diligence", kwargs={"reference": bid.reference}))
    checks = DueDiligenceCheck.objects.filter(bid=bid).select_related("recorded_by")
    page = Paginator(checks, CHECKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "trusts/due_diligence.html",
        {
            "page_title": f"Due diligence: {bid.authority.name}",
            "caption": bid.reference,
            "bid": bid,
            "form": form,
            "can_record": can_record,
            "checks": page,
            "pages": pagination(page, request.GET),
            "problems": diligence.offer_problems(bid),
            "back_url": bid_url(bid),
        },
    )
