import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.generic import FormView

from core.throttle import client_over_limit, over_limit

from .forms import PasswordResetForm, SetPasswordForm, SignInForm
from .tasks import send_password_reset

logger = logging.getLogger(__name__)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    """Signs out, then tells the person on the sign-in page that they have. The message is
    added after the session is flushed, so it travels in the messages cookie and shows once."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "You have signed out")
        return response


# How often a reset may be asked for one address, and by one client.
RESETS_PER_ADDRESS = "3/h"
RESETS_PER_CLIENT = "20/h"


class PasswordResetView(FormView):
    """The same answer, by the same path, whether or not the address has an account: the
    link is sent by a worker (accounts.tasks.send_password_reset). Asking too often for one
    address, or from one client, sends nothing more, and the page says the same."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password-reset-sent")
    extra_context = {"page_title": "Reset your password"}

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        request = self.request
        if not (
            over_limit(request, "password-reset-address", email, RESETS_PER_ADDRESS)
            or client_over_limit(request, "password-reset-client", RESETS_PER_CLIENT)
        ):
            transaction.on_commit(lambda: dispatch_reset(email))
        return super().form_valid(form)


def dispatch_reset(email):
    try:
        send_password_reset.apply_async(args=[email], retry=False)
    except Exception:  # broker unreachable: the person can ask again
        logger.warning("Could not queue a password reset", exc_info=True)


def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html", {"page_title": "Check your email"})


class SetPasswordView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:password-set")
    extra_context = {"page_title": "Choose your password"}

    def get_user(self, uidb64):
        """A deactivated person's links stop working, an invitation's included."""
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


def password_set(request):
    return render(request, "accounts/password_set.html", {"page_title": "Your password has been set"})
