"""A bid's answers as summary cards: on the council's check-answers page (with change
links), on its bid record, and in officials' view of the bid. Every row comes from the
question registry (bids/questions.py), so the three read the same."""

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from .. import documents
from ..forms.task_list import QUESTION_PAGES
from ..models import BidSection, Section, SupportingDocument
from ..questions import QUESTIONS, Question, section_answers


def section_url(bid, section):
    section = Section(section)
    if section == Section.PARTNERS:
        return reverse("bids:partners", args=[bid.reference])
    if section == Section.DOCUMENTS:
        return reverse("bids:documents", args=[bid.reference])
    first = QUESTION_PAGES[section].pages[0].slug
    return reverse("bids:section-page", args=[bid.reference, section.value, first])


def page_url(bid, section, page):
    if page == "complete":
        return reverse("bids:section-complete", args=[bid.reference, section])
    return reverse("bids:section-page", args=[bid.reference, section, page])


def question_url(bid, question):
    """The page that asks the question, "" for a figure the council does not answer."""
    return page_url(bid, question.section.value, question.page) if question.page else ""


def place_url(bid, where):
    """Where a problem is put right: the page of the question it names, or else its section."""
    if isinstance(where, Question):
        return question_url(bid, where) or section_url(bid, where.section)
    return section_url(bid, where)


def change_words(label):
    """What a Change link changes, for screen readers: "Change lead officer's name". Only the
    first letter is lowered, so a partner's or a file's own name reads as it was given."""
    return label[:1].lower() + label[1:]


def prefetch_answers(bid):
    prefetch_related_objects(
        [bid],
        Prefetch("sections", queryset=BidSection.objects.select_related("updated_by")),
        "partners",
        Prefetch("documents", queryset=SupportingDocument.objects.select_related("uploaded_by")),
        "service_scopes",
    )


def answer_groups(bid, *, changeable, back_to_check=True):
    """Every section's answers for summary lists, with change links when they can be changed."""
    suffix = "?return=check" if back_to_check else ""
    sizes = {f"document-{document.pk}": document for document in bid.documents.all()}
    groups = []
    for section in Section:
        answers = section_answers(bid, section)
        rows = []
        for answer in answers:
            row = {
                "label": answer.label,
                "text": answer.text,
                "field": answer.field,
                "change_words": change_words(answer.label) if section in QUESTION_PAGES else answer.label,
            }
            if section == Section.PARTNERS:
                partner_pk = int(answer.field.split("-")[1])
                row["change_url"] = reverse("bids:partner-change", args=[bid.reference, partner_pk]) + suffix
            elif section == Section.DOCUMENTS:
                document = sizes[answer.field]
                row["download_url"] = reverse("bids:document", args=[bid.reference, document.pk])
                row["text"] = (
                    f"{documents.kind_label(document.content_type)}, {documents.human_size(document.size)}"
                )
            elif answer.field in QUESTIONS and QUESTIONS[answer.field].page:
                row["change_url"] = question_url(bid, QUESTIONS[answer.field]) + suffix
            if not changeable:
                row.pop("change_url", None)
            rows.append(row)
        groups.append(
            {
                "section": section,
                "rows": rows,
                "url": section_url(bid, section) + (suffix if section in QUESTION_PAGES else ""),
            }
        )
    return groups
