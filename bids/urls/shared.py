from django.urls import path

from ..views import shared

urlpatterns = [
    path("bids/<str:reference>", shared.bid_detail, name="bid"),
]
