from django.conf import settings
from django.urls import reverse

from accounts.models import Role

# Each area adds its pages here as they are built.
NAVIGATION = {
    Role.COUNCIL: [("Your bids", "home")],
    Role.ASSESSOR: [("Bids to assess", "home"), ("Conflicts of interest", "bids:conflicts")],
    Role.LEAD: [
        ("Pipeline", "home"),
        ("Ranking", "bids:current-ranking"),
        ("Assessors", "bids:assessors"),
        ("Awards", "trusts:awards"),
        ("Reports", "trusts:reports"),
    ],
    Role.ADMIN: [
        ("Rounds", "home"),
        ("Users", "accounts:users"),
        ("Awards", "trusts:awards"),
        ("Reports", "trusts:reports"),
    ],
}


def service(request):
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        for text, name in NAVIGATION.get(user.role, []):
            href = reverse(name)
            navigation.append({"text": text, "href": href, "current": request.path == href})
    return {"SERVICE_NAME": settings.SERVICE_NAME, "navigation": navigation}
