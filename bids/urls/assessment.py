from django.urls import path

from ..views import assessment

urlpatterns = [
    path("conflicts", assessment.conflicts_page, name="conflicts"),
    path("bids/<str:reference>/scores", assessment.score, name="score"),
]
