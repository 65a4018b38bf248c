from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("bids/<str:reference>/feedback", views.answer, name="answer"),
    path("bids/<str:reference>/feedback/thank-you", views.answered, name="answered"),
    path("programme/performance", views.rounds, name="rounds"),
    path("programme/rounds/<slug:round_slug>/performance", views.performance, name="performance"),
    path("programme/rounds/<slug:round_slug>/performance.csv", views.performance_csv, name="performance-csv"),
    path(
        "programme/rounds/<slug:round_slug>/satisfaction.csv", views.satisfaction_csv, name="satisfaction-csv"
    ),
]
