from django.urls import path, register_converter

from ..models import Section
from ..views import changes, council, documents, extensions, sections


class SectionConverter:
    """Any section of a bid's task list."""

    regex = "|".join(Section.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class QuestionSectionConverter(SectionConverter):
    """A section made of question pages (partners and documents have pages of their own)."""

    regex = "|".join(
        section for section in Section.values if section not in (Section.PARTNERS, Section.DOCUMENTS)
    )


register_converter(SectionConverter, "bidsection")
register_converter(QuestionSectionConverter, "questions")

urlpatterns = [
    path("rounds/<slug:round_slug>", council.round_page, name="round"),
    path("rounds/<slug:round_slug>/start", council.start, name="start"),
    path("bids/<str:reference>/check", council.check, name="check"),
    path("bids/<str:reference>/submitted", council.submitted, name="submitted"),
    path("bids/<str:reference>/withdraw", changes.Withdraw.as_view(), name="withdraw"),
    path("bids/<str:reference>/copy", council.copy, name="copy"),
    path("bids/<str:reference>/partners", sections.partners, name="partners"),
    path("bids/<str:reference>/partners/add", sections.partner_form, name="partner-add"),
    path("bids/<str:reference>/partners/<int:pk>/change", sections.partner_form, name="partner-change"),
    path("bids/<str:reference>/partners/<int:pk>/remove", sections.partner_remove, name="partner-remove"),
    path("bids/<str:reference>/documents", sections.documents_page, name="documents"),
    path("bids/<str:reference>/documents/<int:pk>", documents.download, name="document"),
    path("bids/<str:reference>/documents/<int:pk>/remove", sections.document_remove, name="document-remove"),
    path(
        "bids/<str:reference>/<bidsection:section>/complete",
        sections.section_complete,
        name="section-complete",
    ),
    path("bids/<str:reference>/<questions:section>", sections.section_start, name="section"),
    path("bids/<str:reference>/<questions:section>/<slug:page>", sections.section_page, name="section-page"),
    # The programme lead's extensions live here because they exist for councils' deadlines.
    path("programme/rounds/<slug:round_slug>/extensions", extensions.extensions, name="extensions"),
]
