"""python manage.py demo_code EMAIL: the code a demo official's authenticator app shows."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User


def code_for(device):
    """The six digits the app shows now; or, if that code has been used (each works once),
    the next one, which the service accepts as clock drift. So signing in twice within 30
    seconds needs no waiting (a third time does: up to 30 seconds).

    The service counts time steps with the drift it has learnt from earlier codes, and
    accepts a code one step either side of its count, but never a step it has seen."""
    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(clock.t(), device.last_t + 1)
    if step > clock.t() + device.tolerance:  # two codes used within one step: wait for the next
        time.sleep(device.step - (int(time.time()) - device.t0) % device.step + 0.5)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


class Command(BaseCommand):
    help = "Print the six-digit sign-in code of a demo account's authenticator app. Development only."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError("demo_code is for development only and is refused under production settings.")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(
                f"There is no account for {email}. Run `manage.py seed_demo` for the demo accounts."
            )
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(
                f"{user.email} has no authenticator app set up: council users sign in without a code "
                "unless they turn one on, and other people set one up at their first sign-in."
            )
        self.stdout.write(code_for(device))
