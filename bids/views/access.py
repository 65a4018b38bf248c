"""How every page about one bid finds it, and who is turned away.

`bid_view` finds the bid through `bids_for(request.user)`, so a bid an official may not see
(unassigned, or from an authority they declared a conflict with) or another council's bid
is a 404 before any permission is asked; the page's permission is then checked on the bid.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from .. import drafting
from ..queries import bids_for


def bid_view(permission):
    """Sign in, find the bid through bids_for (404 if this person may not see it), then
    check the permission on it (403). The view gets the bid instead of its reference."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, reference, *args, **kwargs):
            bid = get_object_or_404(
                bids_for(request.user).select_related("funding_round", "authority"), reference=reference
            )
            if not request.user.has_perm(permission, bid):
                raise PermissionDenied
            return view(request, bid, *args, **kwargs)

        return wrapper

    return decorator


def bid_url(bid):
    return reverse("bids:bid", kwargs={"reference": bid.reference})


def council_bid(request, reference):
    """The council's own bid, or 404 for a bid the user may not see, or 403 for an
    official who may see it but has no business on the council's pages."""
    bid = get_object_or_404(
        bids_for(request.user).select_related("funding_round", "authority"), reference=reference
    )
    if not request.user.is_council:
        raise PermissionDenied
    return bid


def to_bid_page(request, bid, message):
    messages.info(request, message)
    return redirect("bids:bid", reference=bid.reference)


def editable(view):
    """Pages that change a draft. A bid that cannot be changed (submitted, or past its
    deadline) sends the council back to its bid page with the reason, changing nothing."""

    @login_required
    @wraps(view)
    def wrapper(request, reference, *args, **kwargs):
        bid = council_bid(request, reference)
        refusal = drafting.editing_refusal(bid)
        if refusal:
            return to_bid_page(request, bid, refusal)
        if not request.user.has_perm("bids.change_bid", bid):
            raise PermissionDenied
        try:
            return view(request, bid, *args, **kwargs)
        except drafting.DraftingError as error:
            # The bid was submitted, or the deadline passed, while this page was open.
            return to_bid_page(request, bid, " ".join(error.problems))

    return wrapper
