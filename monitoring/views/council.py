"""The council's return form: started for a period that has begun, saved as a draft to come
back to, or saved and on to the check-your-answers page that sends it for certification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.door import Refused, Stale
from core.london import long_date
from core.views import posted

from .. import returns
from ..forms import ReturnForm, milestone_rows
from ..models import MonitoringReturn
from .access import award_returns_url, get_award, return_url


@login_required
def return_form(request, pk, period):
    award = get_award(request, pk)
    user = request.user
    if not user.has_perm("monitoring.start_return", award):
        if user.has_perm("monitoring.view_award_returns", award) and user.is_council:
            messages.info(request, "Monitoring returns begin once your council has accepted the award.")
            return redirect(reverse("trusts:award", kwargs={"pk": award.pk}))
        raise PermissionDenied
    due = returns.due_for(award, period)
    if due is None:
        raise Http404
    monitoring_return = (
        MonitoringReturn.objects.filter(award=award, period=period).select_related("started_by").first()
    )
    if monitoring_return is not None and not user.has_perm("monitoring.edit_return", monitoring_return):
        messages.info(
            request,
            f"This return is {monitoring_return.get_state_display().lower()}, so it cannot be changed now.",
        )
        return redirect(return_url(monitoring_return))
    problems = returns.opening_problems(award, due, timezone.localdate())
    if problems:
        messages.info(request, " ".join(f"{problem}." for problem in problems))
        return redirect(award_returns_url(award))
    draft = "save_draft" in request.POST
    rows = milestone_rows(monitoring_return)
    form = ReturnForm(posted(request), record=monitoring_return, award=award, rows=rows, draft=draft)
    if request.method == "POST" and form.is_valid():
        try:
            saved = returns.save(
                award,
                period,
                user,
                answers=form.answers,
                milestones=form.cleaned_data["milestones"],
                expected_state=form.seen_state,
            )
        except Stale as error:
            form = what_was_typed_over(request, award, period, rows, draft)
            form.add_problems(error.problems)
        except Refused as error:
            form.add_problems(error.problems)
        else:
            if draft:
                messages.success(
                    request,
                    f"Return {period} saved as a draft. It is due on {long_date(due.due_on)}.",
                )
                return redirect(award_returns_url(award))
            return redirect(reverse("monitoring:send", kwargs={"pk": saved.pk}))
    return render(
        request,
        "monitoring/return_form.html",
        {
            "page_title": f"Monitoring return {period}",
            "caption": f"{award.bid.authority.name}: due {long_date(due.due_on)}",
            "award": award,
            "due": due,
            "monitoring_return": monitoring_return,
            "form": form,
            "back_url": award_returns_url(award),
        },
    )


def what_was_typed_over(request, award, period, rows, draft):
    """The form as the person typed it, drawn over the return as it now stands, so saving
    again is a choice made knowing it changed (a page out of date is refused, core.door.Stale)."""
    current = MonitoringReturn.objects.filter(award=award, period=period).first()
    data = request.POST.copy()
    data["expected_state"] = current.state if current is not None else ""
    form = ReturnForm(data, record=current, award=award, rows=rows, draft=draft)
    form.is_valid()
    return form
