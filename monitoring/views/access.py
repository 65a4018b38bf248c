"""How the returns pages find what they show: an award through trusts.queries.awards_for and a
return through monitoring.queries.returns_for, so what this person may not see is a 404
before any permission is asked."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from trusts.queries import awards_for

from ..queries import RETURN_RELATIONS, returns_for

PEOPLE = ["started_by", "saved_by", "prepared_by", "certified_by", "decided_by"]


def get_award(request, pk):
    """The award, with its trust and round (its schedule of returns), if this person may see it."""
    return get_object_or_404(
        awards_for(request.user).select_related("bid__authority", "bid__funding_round", "trust"), pk=pk
    )


def get_return(request, pk):
    """The return if this person may see it at all; otherwise 404, whoever they are."""
    return get_object_or_404(returns_for(request.user).select_related(*RETURN_RELATIONS, *PEOPLE), pk=pk)


def return_url(monitoring_return):
    return reverse("monitoring:return", kwargs={"pk": monitoring_return.pk})


def award_returns_url(award):
    return reverse("monitoring:award-returns", kwargs={"pk": award.pk})


def form_url(monitoring_return):
    return reverse(
        "monitoring:return-form",
        kwargs={"pk": monitoring_return.award_id, "period": monitoring_return.period},
    )
