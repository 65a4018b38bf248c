"""The pages of the second factor: setting up an authenticator app, the recovery codes,
giving a code after the password, a person's own account page, and an administrator
resetting someone's second factor."""

import time

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from core.forms.base import ReasonForm
from core.views import ChangePage, posted

from . import two_factor
from .forms import SecondFactorCodeForm
from .middleware import LAST_SEEN, SECOND_FACTOR_VERIFIED
from .models import OFFICIAL_ROLES, User

NEW_CODES = "new_recovery_codes"


def onward(request):
    """Where to go once the second factor is given: the page they were on their way to."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def wrong_code(user, what_to_do):
    wait = two_factor.wait_before_trying(user)
    if wait:
        seconds = f"{wait} second{'s' if wait != 1 else ''}"
        return f"The code is not right, and codes are being tried quickly. Wait {seconds}, then {what_to_do.lower()}"
    return f"The code is not right. {what_to_do}"


@login_required
def setup(request):
    if request.session.get(SECOND_FACTOR_VERIFIED) and two_factor.has_second_factor(request.user):
        return redirect("accounts:account")
    device = two_factor.unconfirmed_device(request.user)
    form = SecondFactorCodeForm(posted(request), hint="The app shows a new 6-digit code every 30 seconds.")
    form.fields["code"].label = "Enter the code the app shows"
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(request, form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", wrong_code(request.user, "Enter the code the app shows now"))
        else:
            request.session[NEW_CODES] = codes
            return redirect(f"{reverse('accounts:recovery-codes')}?next={onward(request)}")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "page_title": "Set up your authenticator app",
            "form": form,
            "qr_code": mark_safe(two_factor.qr_code_svg(device)),  # noqa: S308  (segno's own SVG of our URL)
            "key": two_factor.key_for_app(device),
            "required": request.user.role in OFFICIAL_ROLES,
            "next": onward(request),
        },
    )


@login_required
def recovery_codes(request):
    """The new recovery codes, shown once."""
    codes = request.session.pop(NEW_CODES, None)
    if codes is None:
        return redirect("accounts:account")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"page_title": "Save your recovery codes", "codes": codes, "next": onward(request)},
    )


@login_required
def code(request):
    if request.session.get(SECOND_FACTOR_VERIFIED):
        return redirect(onward(request))
    if not two_factor.has_second_factor(request.user):
        return redirect(f"{reverse('accounts:two-factor-setup')}?next={onward(request)}")
    form = SecondFactorCodeForm(
        posted(request), hint="The 6-digit code your authenticator app shows for this service."
    )
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(onward(request))
        form.add_error("code", wrong_code(request.user, "Enter the code your authenticator app shows now"))
    return render(
        request,
        "accounts/two_factor_code.html",
        {"page_title": "Enter the code from your authenticator app", "form": form, "next": onward(request)},
    )


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "page_title": "Your account",
            "person": user,
            "has_second_factor": two_factor.has_second_factor(user),
            "required": user.role in OFFICIAL_ROLES,
            "events": user.account_events.select_related("actor")[:10],
        },
    )


@require_POST
@login_required
def new_recovery_codes(request):
    if not two_factor.has_second_factor(request.user):
        return redirect("accounts:account")
    request.session[NEW_CODES] = two_factor.new_recovery_codes(request.user)
    return redirect("accounts:recovery-codes")


@require_POST
@login_required
def turn_off(request):
    """A council user turns off the second factor they chose to use. Officials cannot."""
    user = request.user
    if user.role in OFFICIAL_ROLES:
        raise PermissionDenied
    two_factor.turn_off(user, user)
    update_session_auth_hash(request, user)  # this session stays signed in
    two_factor.forget(request)
    messages.success(
        request, "You have turned off the second factor. You will sign in with your password only."
    )
    return redirect("accounts:account")


@require_POST
@login_required
def keep_alive(request):
    """The timeout warning's "Stay signed in" (static/js/timeout-warning.mjs)."""
    request.session[LAST_SEEN] = int(time.time())
    return HttpResponse(status=204)


class ResetSecondFactor(ChangePage):
    """An administrator resets someone's second factor (a lost phone): their sessions end,
    they set one up at their next sign-in, they are told by email, and it is recorded."""

    title = "Reset this person's second factor"
    submit_text = "Reset second factor"
    destructive = True
    summary_template = "accounts/summaries/reset_second_factor.html"

    def find(self, request, pk):
        if not request.user.has_perm("accounts.manage_users"):
            raise PermissionDenied
        return get_object_or_404(User, pk=pk)

    def not_now(self):
        if two_factor.has_second_factor(self.record):
            return ""
        return f"{self.record.full_name} has no second factor to reset."

    def record_url(self):
        return reverse("accounts:person", args=[self.record.pk])

    def caption(self):
        return self.record.email

    def get_form(self, data):
        return ReasonForm(
            data,
            record=self.record,
            label="Why are you resetting it?",
            hint="For example, the person's phone was lost. They are emailed this reason.",
            required_message="Enter the reason you are resetting the second factor",
        )

    def perform(self, form):
        two_factor.turn_off(self.record, self.request.user, reason=form.cleaned_data["reason"])
        return self.record

    def success_message(self, person):
        return f"{person.full_name}'s second factor has been reset. They will set up a new one when they next sign in."
