"""Choosing a password: the link an invitation or a reset sends, and sending a reset.

Asking for a reset takes the same path whether or not the address has an account: the
page queues `send_reset_link` for a worker and answers at once, so neither what it says
nor how long it takes tells anyone which addresses are known (accounts/views.py).
"""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .mail import queue_email
from .models import User


def set_password_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:set-password", kwargs={"uidb64": uid, "token": token})


def send_reset_link(email):
    """Email a reset link to the active account with this address, if there is one that has
    chosen a password (an invited person who has not uses their invitation)."""
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        if user.has_usable_password():
            queue_email([user.email], "password_reset", {"user": user, "link": set_password_link(user)})
