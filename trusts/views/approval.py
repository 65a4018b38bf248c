"""The programme lead approves an interviewed bid and offers its award, on one page."""

from django.contrib import messages
from django.shortcuts import redirect

from bids.assessment_forms import ApproveForm
from bids.models import BidState
from bids.views.access import bid_url, bid_view
from bids.views.programme import decision_page, not_now
from bids.workflow import WorkflowError
from core.money import money
from core.views import posted

from .. import approvals
from ..awards import committed


@bid_view("bids.manage_assessment")
def approve(request, bid):
    if bid.state != BidState.INTERVIEWED and request.method == "GET":
        return not_now(request, bid, "approve")
    form = ApproveForm(posted(request), bid=bid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = approvals.approve(
                bid,
                request.user,
                base_amount=data["base_amount"],
                supplement_amount=data["supplement_amount"],
                justification=data["supplement_justification"],
                reasons=data["reasons"],
                feedback=data["feedback"],
                expected_state=form.seen_state,
            )
        except WorkflowError as error:
            form.add_problems(error.problems)
        else:
            messages.success(
                request,
                f"{bid.reference} approved with an award of {money(award.base_amount + award.supplement_amount)}. "
                f"{bid.authority.name} has been emailed.",
            )
            return redirect(bid_url(bid))
    spent, places = committed(bid.funding_round)
    return decision_page(
        request, bid, form, "Approve", "Approve and offer the award", committed=spent, places_taken=places
    )
