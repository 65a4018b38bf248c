from django.contrib import admin
from django.urls import include, path

from . import health, pages

admin.site.site_header = "Children's trust pilot bids: administration"
admin.site.site_title = "Children's trust pilot bids"


def superusers_only(request):
    """The Django admin is for superusers, who keep the service running: administrators of
    the programme do their work on the service's own pages. It sits behind the second
    factor like every other page (accounts.middleware.SecondFactorMiddleware)."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accessibility", pages.accessibility, name="accessibility"),
    path("privacy", pages.privacy, name="privacy"),
    path("", include("accounts.urls")),
    path("", include("bids.urls")),
    path("", include("trusts.urls")),
    path("", include("monitoring.urls")),
    path("", include("insights.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "config.pages.bad_request"
handler403 = "config.pages.permission_denied"
handler404 = "config.pages.page_not_found"
handler500 = "config.pages.server_error"
