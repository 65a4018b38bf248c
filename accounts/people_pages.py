"""The administrators' pages about people: the users list, inviting someone, a person's page
with their History, and the changes made to their access, each confirmed on the one change
page (core.views.ChangePage): their role, deactivating and reactivating them, and sending
their invitation again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.door import Refused
from core.history import paged
from core.views import ChangePage, pagination, posted

from . import invitations, people
from .decorators import permission_required
from .filters import PeopleFilter
from .forms import AccessReasonForm, ChangeRoleForm, ConfirmForm, InviteUserForm
from .models import User
from .queries import PEOPLE_PER_PAGE, everyone, history_of, person_with_details


@permission_required("accounts.manage_users")
def users(request):
    filters = PeopleFilter(request.GET or None, queryset=everyone())
    # A filter no page offers (a role that is not one) lists nobody, and says why.
    refused = filters.is_bound and not filters.is_valid()
    listed = everyone().none() if refused else filters.qs
    page = Paginator(listed, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/users.html",
        {
            "page_title": "Users",
            "filters": filters,
            "form": filters.form if filters.is_bound else None,
            "page": page,
            "pages": pagination(page, request.GET),
            "filtered": filters.active,
        },
    )


@permission_required("accounts.manage_users")
def invite_user(request):
    form = InviteUserForm(posted(request))
    if request.method == "POST" and form.is_valid():
        answers = form.cleaned_data
        invited = send_invitation(
            request, form, role=answers["role"], local_authority=answers["local_authority"]
        )
        if invited is not None:
            return redirect("accounts:person", invited.pk)
    return render(
        request,
        "accounts/invite_user.html",
        {"page_title": "Invite a user", "form": form, "back_url": reverse("accounts:users")},
    )


def send_invitation(request, form, *, role, local_authority):
    """Invite whom a valid invitation form names (accounts/invitations.py), unless the person
    asking has sent too many; the invitee, or None with the reason on the form."""
    answers = form.cleaned_data
    if invitations.too_many(request, answers["email"]):
        form.add_error(None, invitations.TOO_MANY)
        return None
    try:
        invited = invitations.invite(
            request.user,
            full_name=answers["full_name"],
            email=answers["email"],
            job_title=answers["job_title"],
            role=role,
            local_authority=local_authority,
        )
    except Refused as refusal:
        form.add_problems(refusal.problems)
        return None
    messages.success(request, f"Invitation sent to {invited.email}")
    return invited


@permission_required("accounts.manage_users")
def person_page(request, pk):
    found = get_object_or_404(person_with_details(), pk=pk)
    yourself = found.pk == request.user.pk
    return render(
        request,
        "accounts/person.html",
        {
            "page_title": found.full_name or found.email,
            "person": found,
            "yourself": yourself,
            "may_change_role": not yourself and not found.is_superuser,
            "may_resend": invitations.can_resend(found),
            "back_url": reverse("accounts:users"),
            **paged(request, history_of(found)),
        },
    )


class PersonChange(ChangePage):
    """A change to one person's access, made by an administrator from the person's page."""

    not_now_on_post = True  # a change that no longer applies goes back to the person, saying why
    summary_template = "accounts/summaries/person.html"

    def find(self, request, pk):
        if not request.user.has_perm("accounts.manage_users"):
            raise PermissionDenied
        return get_object_or_404(User.objects.select_related("local_authority"), pk=pk)

    def record_url(self):
        return reverse("accounts:person", args=[self.record.pk])

    def caption(self):
        return self.record.full_name

    def reason_form(self, data, label, required_message):
        return AccessReasonForm(
            data,
            label=label,
            hint="This is kept in their history.",
            required_message=required_message,
        )


class ChangeRole(PersonChange):
    title = "Change role"
    submit_text = "Save role"
    template_name = "accounts/change_role.html"
    warning = (
        "If their role changes they are signed out. Officials set up an authenticator app "
        "the next time they sign in."
    )

    def not_now(self):
        if self.record.pk == self.request.user.pk:
            return "You cannot change your own role. Ask another administrator."
        if self.record.is_superuser:
            return f"{self.record.full_name} is a superuser: their role cannot be changed here."
        return ""

    def get_form(self, data):
        return ChangeRoleForm(data, person=self.record)

    def perform(self, form):
        answers = form.cleaned_data
        return people.change_role(
            self.record,
            self.request.user,
            role=answers["role"],
            local_authority=answers["local_authority"],
            is_bid_lead=answers["is_bid_lead"],
            reason=answers["reason"],
        )

    def success_message(self, changed):
        where = f", {changed.local_authority.name}" if changed.local_authority else ""
        lead = " (bid lead)" if changed.is_bid_lead else ""
        return f"{changed.full_name} is now {changed.get_role_display().lower()}{where}{lead}."


class Deactivate(PersonChange):
    title = "Deactivate this person"
    submit_text = "Deactivate"
    destructive = True
    warning = "They will be signed out at once and cannot sign in until they are reactivated."

    def not_now(self):
        if self.record.pk == self.request.user.pk:
            return "You cannot deactivate your own account."
        if not self.record.is_active:
            return f"{self.record.full_name} has already been deactivated."
        return ""

    def get_form(self, data):
        return self.reason_form(data, "Why are you deactivating them?", "Enter why you are deactivating them")

    def perform(self, form):
        return people.deactivate(self.record, self.request.user, form.cleaned_data["reason"])

    def success_message(self, changed):
        return f"{changed.full_name} has been deactivated."


class Reactivate(PersonChange):
    title = "Reactivate this person"
    submit_text = "Reactivate"

    def not_now(self):
        if self.record.is_active:
            return f"{self.record.full_name} is already active."
        return ""

    def get_form(self, data):
        return self.reason_form(data, "Why are you reactivating them?", "Enter why you are reactivating them")

    def perform(self, form):
        return people.reactivate(self.record, self.request.user, form.cleaned_data["reason"])

    def success_message(self, changed):
        if changed.has_usable_password():
            return f"{changed.full_name} has been reactivated. They can sign in again."
        return f"{changed.full_name} has been reactivated. Send their invitation again so they can choose a password."


class ResendInvitation(PersonChange):
    title = "Send the invitation again"
    submit_text = "Send invitation"
    summary_template = "accounts/summaries/resend_invitation.html"

    def not_now(self):
        if not self.record.is_active:
            return f"{self.record.full_name} has been deactivated. Reactivate them before sending their invitation again."
        if self.record.has_usable_password():
            return (
                f"{self.record.full_name} has already chosen a password. If they have forgotten it, "
                "they can reset it from the sign-in page."
            )
        return ""

    def get_form(self, data):
        return ConfirmForm(data)

    def perform(self, form):
        if invitations.too_many(self.request, self.record.email):
            raise Refused(invitations.TOO_MANY)
        return invitations.resend(self.record, self.request.user)

    def success_message(self, changed):
        return f"Invitation sent again to {changed.email}"
