"""Bid URLs, one module per audience so each area's pages are easy to find."""

from . import assessment, council, programme, shared

app_name = "bids"

urlpatterns = shared.urlpatterns + council.urlpatterns + assessment.urlpatterns + programme.urlpatterns
