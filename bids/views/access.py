"""How every page about one bid finds it, and who is turned away.

`bid_view` finds the bid through `bids_for(request.user)`, so a bid an official may not see
(unassigned, or from an authority they declared a conflict with) or another council's bid
is a 404 before any permission is asked; the page's permission is then checked on the bid.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

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
