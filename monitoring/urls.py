from django.urls import path

from .views import changes, council, programme, returns

app_name = "monitoring"

urlpatterns = [
    path("returns", programme.return_list, name="returns"),
    path("awards/<int:pk>/returns", returns.award_returns, name="award-returns"),
    path("awards/<int:pk>/returns/<int:period>", council.return_form, name="return-form"),
    path("returns/<int:pk>", returns.return_page, name="return"),
    path("returns/<int:pk>/send", changes.SendForCertification.as_view(), name="send"),
    path("returns/<int:pk>/certify", changes.Certify.as_view(), name="certify"),
    path("returns/<int:pk>/send-back", changes.SendBack.as_view(), name="send-back"),
    path("returns/<int:pk>/accept", changes.Accept.as_view(), name="accept"),
    path("returns/<int:pk>/changes", changes.RequestChanges.as_view(), name="request-changes"),
]
