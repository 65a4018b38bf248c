"""Print a session cookie for the bench's programme lead, for wrk to send. Run by bench/run.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.middleware import SECOND_FACTOR_VERIFIED  # noqa: E402
from accounts.models import Role, User  # noqa: E402

client = Client()
client.force_login(
    User.objects.filter(role=Role.LEAD).order_by("pk").first(),
    backend="django.contrib.auth.backends.ModelBackend",
)
session = client.session
session[SECOND_FACTOR_VERIFIED] = True
session.save()
print(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
