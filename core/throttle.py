"""How often someone may ask for something that costs the service (an email sent, a file
inspected) or that an attacker would repeat: django-ratelimit counting in the cache (Redis
in production, shared by every web process), keyed by the person, the address asked about,
or the client.

The client is found as django-axes finds it (behind AXES_IPWARE_PROXY_COUNT proxies), so
the lockout and the throttles agree about who is asking.
"""

import hashlib

from axes.helpers import get_client_ip_address
from django_ratelimit.core import is_ratelimited


def client_address(request):
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def over_limit(request, group, value, rate):
    """Count one more request for `value` in `group` (for example an email address), and
    say whether it is over `rate` ("3/h"). The value is hashed: the cache never holds it."""
    digest = hashlib.sha256(str(value).strip().lower().encode()).hexdigest()
    return is_ratelimited(request, group=group, key=lambda group, request: digest, rate=rate, increment=True)


def client_over_limit(request, group, rate):
    return over_limit(request, group, client_address(request), rate)
