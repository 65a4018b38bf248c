from django.urls import path

from . import colleague_pages as colleagues
from . import people_pages as people
from . import second_factor_pages as second_factor
from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.SignOutView.as_view(), name="sign-out"),
    path("password-reset", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent", views.password_reset_sent, name="password-reset-sent"),
    path("set-password/<uidb64>/<token>", views.SetPasswordView.as_view(), name="set-password"),
    path("set-password/done", views.password_set, name="password-set"),
    path("users", people.users, name="users"),
    path("users/invite", people.invite_user, name="invite-user"),
    path("users/<int:pk>", people.person_page, name="person"),
    path("users/<int:pk>/role", people.ChangeRole.as_view(), name="change-role"),
    path("users/<int:pk>/deactivate", people.Deactivate.as_view(), name="deactivate"),
    path("users/<int:pk>/reactivate", people.Reactivate.as_view(), name="reactivate"),
    path(
        "users/<int:pk>/resend-invitation",
        people.ResendInvitation.as_view(),
        name="resend-invitation",
    ),
    path(
        "users/<int:pk>/second-factor/reset",
        second_factor.ResetSecondFactor.as_view(),
        name="reset-second-factor",
    ),
    path("colleagues", colleagues.colleagues, name="colleagues"),
    path("colleagues/invite", colleagues.invite_colleague, name="invite-colleague"),
    path("colleagues/<int:pk>/remove", colleagues.RemoveColleague.as_view(), name="remove-colleague"),
    path("two-factor/setup", second_factor.setup, name="two-factor-setup"),
    path("two-factor/recovery-codes", second_factor.recovery_codes, name="recovery-codes"),
    path("two-factor/code", second_factor.code, name="two-factor-code"),
    path("account/new-recovery-codes", second_factor.new_recovery_codes, name="new-recovery-codes"),
    path("account/turn-off-second-factor", second_factor.turn_off, name="turn-off-second-factor"),
    path("account", second_factor.account, name="account"),
    path("session/keep-alive", second_factor.keep_alive, name="keep-alive"),
]
