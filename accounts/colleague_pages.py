"""A council's bid lead and their colleagues: the council users of the bid lead's own
authority, inviting one (always a council user of that authority), and removing one
(deactivating them). Nobody reaches another authority's people: every colleague a page
names is found among accounts.queries.colleagues_of(the bid lead), else it is a 404."""

from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.views import ChangePage, pagination, posted

from . import people
from .forms import AccessReasonForm, InviteColleagueForm
from .models import Role
from .people_pages import send_invitation
from .queries import PEOPLE_PER_PAGE, colleagues_of

PERMISSION = "accounts.manage_colleagues"


def may_manage_colleagues(user):
    # The rule itself, not user.has_perm: Django grants a superuser every permission, and a
    # superuser belongs to no authority whose colleagues they could manage.
    return rules.has_perm(PERMISSION, user)


def bid_lead_page(view):
    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not may_manage_colleagues(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


@bid_lead_page
def colleagues(request):
    authority = request.user.local_authority
    page = Paginator(colleagues_of(request.user), PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/colleagues.html",
        {
            "page_title": "Your colleagues",
            "authority": authority,
            "page": page,
            "pages": pagination(page, request.GET),
        },
    )


@bid_lead_page
def invite_colleague(request):
    authority = request.user.local_authority
    form = InviteColleagueForm(posted(request))
    # Always a council user of the bid lead's own authority, whatever else was posted.
    if (
        request.method == "POST"
        and form.is_valid()
        and send_invitation(request, form, role=Role.COUNCIL, local_authority=authority) is not None
    ):
        return redirect("accounts:colleagues")
    return render(
        request,
        "accounts/invite_colleague.html",
        {
            "page_title": "Invite a colleague",
            "caption": authority.name,
            "form": form,
            "submit_text": "Send invitation",
            "back_url": reverse("accounts:colleagues"),
        },
    )


class RemoveColleague(ChangePage):
    """A bid lead removes a colleague of their own authority: deactivated, signed out, kept
    in the history. Only the programme team can reactivate them."""

    title = "Remove a colleague"
    submit_text = "Remove"
    destructive = True
    not_now_on_post = True
    summary_template = "accounts/summaries/person.html"
    warning = (
        "They will be signed out at once and cannot sign in again. "
        "Only the programme team can let them back in."
    )

    def find(self, request, pk):
        if not may_manage_colleagues(request.user):
            raise PermissionDenied
        return get_object_or_404(colleagues_of(request.user), pk=pk)

    def not_now(self):
        if self.record.pk == self.request.user.pk:
            return "You cannot remove yourself. Ask the programme team."
        if not self.record.is_active:
            return f"{self.record.full_name} has already been removed."
        return ""

    def record_url(self):
        return reverse("accounts:colleagues")

    def caption(self):
        return self.record.full_name

    def get_form(self, data):
        return AccessReasonForm(
            data,
            label="Why are you removing them? (optional)",
            hint="For example, they have left the council. The programme team can see this.",
        )

    def perform(self, form):
        return people.deactivate(self.record, self.request.user, form.cleaned_data["reason"])

    def success_message(self, removed):
        return f"{removed.full_name} has been removed. They can no longer sign in."
