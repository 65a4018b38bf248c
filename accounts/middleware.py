"""Keeping officials' sessions safe: a second factor before anything else, and sign-out
after a period without activity.

Both read only the session and the user Django has already loaded, so they add no query
to a page: whether someone needs a second factor is worked out once, at sign-in
(accounts/signals.py), and a session's verification dies with the second factor it used
(User.get_session_auth_hash includes when the second factor last changed).
"""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .models import OFFICIAL_ROLES

NEEDS_SECOND_FACTOR = "needs_second_factor"
SECOND_FACTOR_VERIFIED = "second_factor_verified"
HAS_SECOND_FACTOR = "has_second_factor"
LAST_SEEN = "last_seen"

# Pages someone signed in but not yet verified may use: to set up or give their second
# factor, to sign out, and the pages every visitor may read.
OPEN_BEFORE_SECOND_FACTOR = (
    "/two-factor/",
    "/sign-out",
    "/assets/",
    "/healthz",
    "/accessibility",
    "/privacy",
)
# Requests a page makes by itself (a report's progress) are not activity.
BACKGROUND_HEADER = "HTTP_X_BACKGROUND_REQUEST"


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if (
            session.get(NEEDS_SECOND_FACTOR)
            and not session.get(SECOND_FACTOR_VERIFIED)
            and request.user.is_authenticated
            and not request.path.startswith(OPEN_BEFORE_SECOND_FACTOR)
        ):
            page = (
                "accounts:two-factor-code" if session.get(HAS_SECOND_FACTOR) else "accounts:two-factor-setup"
            )
            return redirect(f"{reverse(page)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def idle_seconds():
    return settings.OFFICIAL_IDLE_MINUTES * 60


class IdleTimeoutMiddleware:
    """Officials are signed out after OFFICIAL_IDLE_MINUTES without a request of their own;
    a warning on the page (static/js/timeout-warning.mjs) lets them stay signed in first.
    The time is written at most once a minute, so pages do not each write the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.role in OFFICIAL_ROLES:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last >= idle_seconds():
                logout(request)
                messages.info(
                    request,
                    f"You were signed out because you had not done anything for "
                    f"{settings.OFFICIAL_IDLE_MINUTES} minutes. Sign in again to carry on.",
                )
                return redirect(f"{reverse('accounts:sign-in')}?next={quote(request.get_full_path())}")
            if not request.META.get(BACKGROUND_HEADER) and (last is None or now - last >= 60):
                request.session[LAST_SEEN] = now
        return self.get_response(request)
