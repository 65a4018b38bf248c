"""The second factor: an authenticator app (TOTP, RFC 6238) and one-time recovery codes,
on django-otp's devices.

Assessors, programme leads and administrators must use one: they can award up to
£100,000 a bid. A council user may turn it on. After the password, someone who needs a
second factor is signed in but not yet verified (django-otp keeps which device verified
the session); accounts.middleware.SecondFactorMiddleware lets them reach only the pages
that set one up or ask for a code until they are.
"""

import math
from base64 import b32encode
from binascii import unhexlify

import segno
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .mail import queue_email
from .middleware import HAS_SECOND_FACTOR, NEEDS_SECOND_FACTOR, SECOND_FACTOR_VERIFIED
from .models import OFFICIAL_ROLES, AccountEvent

APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"
RECOVERY_CODES = 10


def required_for(user, has_one=None):
    """Officials must use a second factor; anyone who has set one up uses it."""
    if user.role in OFFICIAL_ROLES:
        return True
    return has_second_factor(user) if has_one is None else has_one


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def app_device(user, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def key_for_app(device):
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    key = b32encode(unhexlify(device.key)).decode().rstrip("=")
    return " ".join(key[start : start + 4] for start in range(0, len(key), 4))


def qr_code_svg(device):
    """The otpauth:// address as an inline SVG QR code (no image request, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#0b0c0c", light="#ffffff"
    )


def unconfirmed_device(user):
    """The app device being set up: the same key until it is confirmed, so a page reload
    does not invalidate what the person has already scanned."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


def confirm(request, token):
    """Finish setting up the app with a code from it. Returns the new recovery codes, or
    None if the code was wrong. The session is verified by the app."""
    user = request.user
    with transaction.atomic():
        device = app_device(user, confirmed=False)
        if device is None or not device.verify_token(token):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        codes = new_recovery_codes(user)
        record(user, user, AccountEvent.Kind.SECOND_FACTOR_SET_UP)
    mark_verified(request, device)
    return codes


def mark_verified(request, device):
    """The session has given its second factor: from now on it needs one."""
    otp_login(request, device)
    request.session[HAS_SECOND_FACTOR] = True
    request.session[NEEDS_SECOND_FACTOR] = True
    request.session[SECOND_FACTOR_VERIFIED] = True


def new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def wait_before_trying(user):
    """Seconds until a code may be tried again: django-otp doubles the wait after each wrong
    one (1, 2, 4, 8 … seconds), so guessing six digits takes longer than a lifetime."""
    waits = []
    for device in [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            waits.append((details["locked_until"] - timezone.now()).total_seconds())
    return max(0, math.ceil(max(waits))) if waits else 0


def verify(request, token):
    """Check a code from the app or a recovery code; verify the session if it is right."""
    user = request.user
    token = "".join(str(token).split())
    device = match_token(user, token)
    if device is None:
        return False
    mark_verified(request, device)
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        record(user, user, AccountEvent.Kind.RECOVERY_CODE_USED, reason=f"{left} recovery codes left")
    return True


def turn_off(user, actor, reason=""):
    """Remove every second factor. Councils may do this to their own; an administrator may
    reset anyone's (they then set one up again at their next sign-in)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        # Every session the person has verified with it ends (User.get_session_auth_hash).
        user.second_factor_changed_at = timezone.now()
        user.save(update_fields=["second_factor_changed_at"])
        kind = AccountEvent.Kind.SECOND_FACTOR_RESET if actor != user else AccountEvent.Kind.SECOND_FACTOR_OFF
        record(user, actor, kind, reason=reason)
        if actor != user:
            queue_email([user.email], "second_factor_reset", {"user": user, "actor": actor, "reason": reason})


def record(user, actor, kind, reason=""):
    return AccountEvent.objects.create(
        user=user, actor=actor, kind=kind, reason=reason, created_at=timezone.now()
    )


def forget(request):
    """The session no longer has, or needs, a second factor (its person turned it off)."""
    request.session[HAS_SECOND_FACTOR] = False
    request.session[NEEDS_SECOND_FACTOR] = required_for(request.user, has_one=False)
    request.session[SECOND_FACTOR_VERIFIED] = False
