from django.urls import path

from .views import approval, awards, changes, diligence, payments, programme, releases, reports, reviews

app_name = "trusts"

urlpatterns = [
    path("bids/<str:reference>/decision/approve", approval.Approve.as_view(), name="approve"),
    path("bids/<str:reference>/due-diligence", diligence.due_diligence, name="due-diligence"),
    path(
        "programme/rounds/<slug:round_slug>/pending-decisions/release",
        releases.ReleaseDecisions.as_view(),
        name="release-decisions",
    ),
    path("awards", programme.award_list, name="awards"),
    path("awards/<int:pk>", awards.award_page, name="award"),
    path("awards/<int:pk>/letter", awards.letter, name="award-letter"),
    path("awards/<int:pk>/agreement", awards.agreement, name="agreement"),
    path("awards/<int:pk>/accept", changes.Accept.as_view(), name="accept"),
    path("awards/<int:pk>/decline", changes.Decline.as_view(), name="decline"),
    path("awards/<int:pk>/consultation/new", awards.record_consultation, name="record-consultation"),
    path("awards/<int:pk>/consultation/<int:activity_pk>/evidence", awards.evidence, name="evidence"),
    path("awards/<int:pk>/conditions-met", changes.ConditionsMet.as_view(), name="conditions-met"),
    path("awards/<int:pk>/schedule", payments.schedule, name="schedule"),
    path(
        "awards/<int:pk>/payments/<int:number>/request",
        payments.RequestPayment.as_view(),
        name="request-payment",
    ),
    path(
        "awards/<int:pk>/payments/<int:number>/approve",
        payments.ApprovePayment.as_view(),
        name="approve-payment",
    ),
    path(
        "awards/<int:pk>/payments/<int:number>/send-back",
        payments.SendBackPayment.as_view(),
        name="send-back-payment",
    ),
    path("awards/<int:pk>/payments/<int:number>/paid", payments.RecordPaid.as_view(), name="record-paid"),
    path("payments", payments.payment_list, name="payments"),
    path("awards/<int:pk>/withdraw", changes.Withdraw.as_view(), name="withdraw"),
    path("awards/<int:pk>/review", reviews.AnnualReview.as_view(), name="review"),
    path("trusts/<int:pk>", awards.trust_page, name="trust"),
    path("rounds/<slug:round_slug>/budget", programme.budget, name="budget"),
    path("reports", reports.reports, name="reports"),
    path("reports/<int:pk>/status", reports.export_status, name="export-status"),
    path("reports/<int:pk>/download", reports.export_download, name="export-download"),
]
