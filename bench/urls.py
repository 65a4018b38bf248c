"""The service's URLs plus the bare view the load test compares the ranking page with."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

from . import views

urlpatterns = [
    *urlpatterns,
    path("bench/bare-ranking/<slug:round_slug>", views.bare_ranking, name="bench-bare"),
]
