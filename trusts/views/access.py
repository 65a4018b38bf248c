"""How award and report views find what they show, and who is turned away."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..queries import awards_for

AWARD_RELATIONS = [
    "bid__authority",
    "bid__funding_round",
    "offered_by",
    "responded_by",
    "conditions_met_by",
    "withdrawn_by",
]


def programme_page(perm):
    """Pages only the programme team has: signed-out visitors sign in, anyone else gets 404.

    A 404 rather than a 403, so councils and assessors cannot tell the reports exist.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_award(request, pk):
    """The award if this person may see it at all; otherwise 404, whoever they are."""
    return get_object_or_404(awards_for(request.user).select_related(*AWARD_RELATIONS), pk=pk)


def posted_files(request):
    return request.FILES if request.method == "POST" else None
