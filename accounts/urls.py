from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.SignOutView.as_view(), name="sign-out"),
    path("password-reset", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent", views.password_reset_sent, name="password-reset-sent"),
    path("set-password/<uidb64>/<token>", views.SetPasswordView.as_view(), name="set-password"),
    path("set-password/done", views.password_set, name="password-set"),
    path("users", views.users, name="users"),
    path("users/invite", views.invite_user, name="invite-user"),
]
