from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from .decorators import permission_required
from .forms import InviteUserForm, PasswordResetForm, SetPasswordForm, SignInForm
from .models import User


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password-reset-sent")
    extra_context = {"page_title": "Reset your password"}


def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html", {"page_title": "Check your email"})


class SetPasswordView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:password-set")
    extra_context = {"page_title": "Choose your password"}


def password_set(request):
    return render(request, "accounts/password_set.html", {"page_title": "Your password has been set"})


@permission_required("accounts.manage_users")
def users(request):
    people = User.objects.select_related("local_authority").order_by("role", "full_name")
    return render(request, "accounts/users.html", {"page_title": "Users", "people": people})


@permission_required("accounts.manage_users")
def invite_user(request):
    # An empty POST is still a submission, so it is told what is missing.
    posted = request.POST if request.method == "POST" else None
    form = InviteUserForm(posted, invited_by=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, f"Invitation sent to {user.email}")
        return redirect("accounts:users")
    return render(request, "accounts/invite_user.html", {"page_title": "Invite a user", "form": form})
