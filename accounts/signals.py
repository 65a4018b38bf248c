"""What a session needs to know about its person, worked out once when they sign in."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import two_factor
from .middleware import HAS_SECOND_FACTOR, LAST_SEEN, NEEDS_SECOND_FACTOR, SECOND_FACTOR_VERIFIED
from .models import OFFICIAL_ROLES


@receiver(user_logged_in)
def remember_second_factor(sender, request, user, **kwargs):
    has_one = two_factor.has_second_factor(user)
    request.session[HAS_SECOND_FACTOR] = has_one
    request.session[NEEDS_SECOND_FACTOR] = two_factor.required_for(user, has_one)
    request.session[SECOND_FACTOR_VERIFIED] = False
    if user.role in OFFICIAL_ROLES:
        request.session[LAST_SEEN] = int(time.time())
