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
        for text, name in pages_for(user):
            href = reverse(name)
            navigation.append({"text": text, "href": href, "current": request.path == href})
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
