"""The bid page: one URL, shown to each role as that role needs it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from ..queries import bids_for
from . import assessment, council


@login_required
def bid_detail(request, reference):
    # bids_for() is the only door: a bid this person may not see is a 404, whoever they are.
    bid = get_object_or_404(
        bids_for(request.user).select_related("funding_round", "authority"), reference=reference
    )
    if request.user.is_council:
        return council.bid_page(request, bid)
    return assessment.bid_page(request, bid)
