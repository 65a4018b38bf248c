"""The home page each role lands on, the static pages and the error pages, all on the GOV.UK
template. The home page lives here, at the top, because it dispatches to every area."""

import sys

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from accounts.models import Role
from bids.views import assessment, council, programme, setup

# What it looks like when the database or Redis (cache, broker) is down or unreachable.
OUTAGES = (OperationalError, InterfaceError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

HOMES = {
    Role.COUNCIL: council.home,
    Role.ASSESSOR: assessment.home,
    Role.LEAD: programme.pipeline,
    Role.ADMIN: setup.rounds,
}


@login_required
def home(request):
    """Each role lands on a page made for it."""
    return HOMES[request.user.role](request)


def accessibility(request):
    return render(request, "pages/accessibility.html", {"page_title": "Accessibility statement"})


def privacy(request):
    days = {
        "unsuccessful": settings.RETENTION_UNSUCCESSFUL_DAYS,
        "funded": settings.RETENTION_FUNDED_DAYS,
        "accounts": settings.RETENTION_ACCOUNT_DAYS,
    }
    return render(request, "pages/privacy.html", {"page_title": "Privacy notice", "days": days})


def bad_request(request, exception=None):
    return render(
        request, "errors/400.html", {"page_title": "Sorry, there is a problem with the service"}, status=400
    )


def permission_denied(request, exception=None):
    return render(
        request, "errors/403.html", {"page_title": "You do not have permission to see this page"}, status=403
    )


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"page_title": "Page not found"}, status=404)


def server_error(request):
    """Rendered without the request: the page must not need the database, the cache or the
    session that may be what failed. Django calls this while handling the exception, so an
    outage that surfaced outside a view (loading the session, say) still gets the 503 page."""
    if isinstance(sys.exc_info()[1], OUTAGES):
        return service_unavailable(request)
    return HttpResponse(render_to_string("errors/500.html"), status=500)


def service_unavailable(request=None):
    """503 when something the service depends on is down: a page that needs none of it."""
    response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = "120"
    return response


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", {"page_title": "Your session has expired"}, status=403)
