"""The programme lead's page for giving one authority more time to submit its bid."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from accounts.decorators import permission_required
from core.london import london
from core.views import posted

from .. import deadlines
from ..forms.extensions import ExtensionForm
from ..models import DeadlineExtension, FundingRound


@permission_required("bids.grant_extension")
def extensions(request, round_slug):
    funding_round = get_object_or_404(FundingRound, slug=round_slug)
    form = ExtensionForm(posted(request), funding_round=funding_round)
    if request.method == "POST" and form.is_valid():
        extension = deadlines.grant_extension(
            funding_round,
            form.cleaned_data["authority"],
            form.cleaned_data["closes_at"],
            form.cleaned_data["reason"].strip(),
            request.user,
        )
        messages.success(
            request, f"{extension.authority.name} can now submit until {london(extension.closes_at)}"
        )
        return redirect("bids:extensions", round_slug=funding_round.slug)
    granted = (
        DeadlineExtension.objects.filter(funding_round=funding_round)
        .select_related("authority", "granted_by")
        .order_by("authority__name")
    )
    return render(
        request,
        "bids/extensions/round.html",
        {
            "page_title": f"Deadline extensions: {funding_round.name}",
            "funding_round": funding_round,
            "extensions": granted,
            "form": form,
        },
    )
