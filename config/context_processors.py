import time

from django.conf import settings
from django.urls import reverse

from accounts.middleware import LAST_SEEN, idle_seconds
from accounts.models import OFFICIAL_ROLES, Role

# Each area adds its pages here as they are built.
NAVIGATION = {
    Role.COUNCIL: [("Your bids", "home"), ("Your account", "accounts:account")],
    Role.ASSESSOR: [
        ("Bids to assess", "home"),
        ("Conflicts of interest", "bids:conflicts"),
        ("Your account", "accounts:account"),
    ],
    Role.LEAD: [
        ("Pipeline", "home"),
        ("Ranking", "bids:current-ranking"),
        ("Assessors", "bids:assessors"),
        ("Awards", "trusts:awards"),
        ("Payments", "trusts:payments"),
        ("Monitoring returns", "monitoring:returns"),
        ("Reports", "trusts:reports"),
        ("Your account", "accounts:account"),
    ],
    Role.ADMIN: [
        ("Rounds", "home"),
        ("Users", "accounts:users"),
        ("Awards", "trusts:awards"),
        ("Payments", "trusts:payments"),
        ("Monitoring returns", "monitoring:returns"),
        ("Reports", "trusts:reports"),
        ("Personal data", "bids:personal-data"),
        ("Your account", "accounts:account"),
    ],
}


# The section a page belongs to, where it is not a navigation page itself: the page it is
# reached from (url name -> that section's url name) ...
SECTION_OF = {
    "bids:ranking": "bids:current-ranking",
    "bids:conflicts": "bids:assessors",
    "trusts:budget": "trusts:awards",
    "trusts:schedule": "trusts:payments",
    "trusts:request-payment": "trusts:payments",
    "trusts:approve-payment": "trusts:payments",
    "trusts:send-back-payment": "trusts:payments",
    "trusts:record-paid": "trusts:payments",
    "trusts:export-status": "trusts:reports",
    "trusts:export-download": "trusts:reports",
    "accounts:invite-user": "accounts:users",
    "accounts:person": "accounts:users",
    "accounts:change-role": "accounts:users",
    "accounts:deactivate": "accounts:users",
    "accounts:reactivate": "accounts:users",
    "accounts:resend-invitation": "accounts:users",
    "accounts:reset-second-factor": "accounts:users",
    "accounts:invite-colleague": "accounts:colleagues",
    "accounts:remove-colleague": "accounts:colleagues",
}
# ... or else the section of its part of the service. A section not in a person's navigation
# falls back to their home page's (a council's award and monitoring pages are its bids').
SECTION_OF_APP = {
    "bids": "home",
    "trusts": "trusts:awards",
    "monitoring": "monitoring:returns",
    "accounts": "accounts:account",
    "insights": "trusts:reports",
}


def section_of(request, names):
    """The url name of the navigation item whose section the request's page is in."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    name = match.view_name
    for candidate in (name, SECTION_OF.get(name), SECTION_OF_APP.get(match.namespace), "home"):
        if candidate in names:
            return candidate
    return ""


# A council's bid lead also manages their colleagues, before "Your account".
BID_LEAD_PAGE = ("Your colleagues", "accounts:colleagues")


def pages_for(user):
    pages = list(NAVIGATION.get(user.role, []))
    if user.role == Role.COUNCIL and user.is_bid_lead:
        pages.insert(len(pages) - 1, BID_LEAD_PAGE)
    return pages


def service(request):
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        pages = pages_for(user)
        section = section_of(request, [name for _, name in pages])
        for text, name in pages:
            href = reverse(name)
            navigation.append(
                {"text": text, "href": href, "current": request.path == href, "active": name == section}
            )
    context = {"SERVICE_NAME": settings.SERVICE_NAME, "navigation": navigation}
    if user is not None and user.is_authenticated and user.role in OFFICIAL_ROLES:
        # The timeout warning (templates/includes/timeout_warning.html), counting from when
        # the service last saw the person (written at most once a minute), not page load.
        last_seen = request.session.get(LAST_SEEN, int(time.time()))
        context.update(
            idle_seconds=max(0, idle_seconds() - (int(time.time()) - last_seen)),
            warning_seconds=settings.IDLE_WARNING_MINUTES * 60,
            warning_minutes=settings.IDLE_WARNING_MINUTES,
        )
    return context
