"""Bid URLs, one module per audience so each area's pages are easy to find."""

from . import assessment, council, programme, shared

app_name = "bids"

# Setting up rounds comes first: "rounds/new" is not a round's page.
urlpatterns = (
    programme.set_up_patterns
    + shared.urlpatterns
    + council.urlpatterns
    + assessment.urlpatterns
    + programme.urlpatterns
)
