"""The council's pages for changing its draft: the question pages of each section, "Have you
completed this section?", partners and supporting documents.

Every page is `editable`: it finds the bid through `bids_for(user)` (another authority's
bid is a 404), and sends the council back to its bid page, changing nothing, when the bid
can no longer be changed. A save that a colleague's save overtook shows the differences.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.throttle import over_limit
from core.views import posted

from .. import documents, drafting, eligibility
from ..forms.council import DocumentForm, PartnerForm
from ..forms.task_list import QUESTION_PAGES, CompleteForm, completion_problems
from ..models import (
    Bid,
    BidSection,
    Partner,
    Section,
    SupportingDocument,
)
from .access import editable
from .answers import answer_groups, page_url, prefetch_answers, section_url

# Files a person may send in an hour, counting the ones refused.
UPLOADS_PER_PERSON = "60/h"


def returning_to_check(request):
    return request.GET.get("return") == "check"


def with_return(request, url):
    return f"{url}?return=check" if returning_to_check(request) else url


def section_row(bid, section):
    return BidSection.objects.select_related("updated_by").get(bid=bid, section=section)


def conflict_context(conflict):
    return {
        "conflict": {
            "by": conflict.current.updated_by,
            "at": conflict.current.updated_at,
            "differences": conflict.differences,
        },
        "error_list": ["Someone else saved this section while you were working on it"],
    }


def reopen_if_incomplete(bid, section):
    """A completed section whose saved answers no longer complete it goes back to in progress."""
    fresh = Bid.objects.select_related("funding_round", "authority").get(pk=bid.pk)
    if BidSection.objects.filter(bid=bid, section=section, completed=True).exists() and completion_problems(
        fresh, section
    ):
        drafting.reopen_section(bid, section)


# Question pages -----------------------------------------------------------------------


@editable
def section_start(request, bid, section):
    return redirect(with_return(request, section_url(bid, section)))


@editable
def section_page(request, bid, section, page):
    pages = QUESTION_PAGES[Section(section)]
    form_class = pages.page(page)
    if form_class is None:
        raise Http404
    row = section_row(bid, section)
    extra = {}
    if request.method == "POST":
        later = request.POST.get("action") == "later"
        form = form_class(request.POST, bid=bid, version=row.version, strict=not later)
        if form.is_valid():
            try:
                with transaction.atomic():
                    drafting.save_section(
                        bid,
                        section,
                        request.user,
                        loaded_version=form.loaded_version,
                        changes=form.changes(),
                        scopes=form.scopes(),
                    )
                    reopen_if_incomplete(bid, section)
            except drafting.SectionConflict as conflict:
                data = request.POST.copy()
                data["version"] = str(conflict.current.version)
                form = form_class(data, bid=bid, version=conflict.current.version, strict=not later)
                form.is_valid()
                extra = conflict_context(conflict)
            else:
                if later:
                    messages.success(
                        request, "Your answers have been saved. You can come back to them at any time."
                    )
                    return redirect("bids:bid", reference=bid.reference)
                if returning_to_check(request):
                    return redirect("bids:check", reference=bid.reference)
                return redirect(page_url(bid, section, pages.after(page)))
    else:
        form = form_class(bid=bid, version=row.version)
    previous = pages.before(page)
    back_url = page_url(bid, section, previous) if previous else reverse("bids:bid", args=[bid.reference])
    if returning_to_check(request):
        back_url = reverse("bids:check", args=[bid.reference])
    return render(
        request,
        "bids/council/question.html",
        {
            "page_title": form.title,
            "caption": Section(section).label,
            "bid": bid,
            "form": form,
            "intro": getattr(form, "intro", ""),
            "back_url": back_url,
            "row": row,
            "excluded_scopes": getattr(form, "excluded", []),
            **extra,
        },
    )


@editable
def section_complete(request, bid, section):
    section = Section(section)
    row = section_row(bid, section)
    form = CompleteForm(posted(request), bid=bid, section=section, version=row.version)
    if request.method == "POST" and form.is_valid():
        completed = form.cleaned_data["completed"] == "yes"
        drafting.set_section_completed(bid, section, request.user, completed)
        if completed:
            messages.success(request, f"You have completed ‘{section.label}’")
        if returning_to_check(request):
            return redirect("bids:check", reference=bid.reference)
        return redirect("bids:bid", reference=bid.reference)
    if not form.is_bound and row.completed:
        form.initial["completed"] = "yes"
    prefetch_answers(bid)
    groups = answer_groups(bid, changeable=True, back_to_check=returning_to_check(request))
    group = next(group for group in groups if group["section"] == section)
    if section in QUESTION_PAGES:
        back_url = page_url(bid, section.value, QUESTION_PAGES[section].before("complete"))
    else:
        back_url = section_url(bid, section)
    return render(
        request,
        "bids/council/complete.html",
        {
            # Unique for each section, so the title (and a browser's history) says which.
            "page_title": f"Have you completed the {section.label.lower()} section?",
            "caption": section.label,
            "bid": bid,
            "form": form,
            "group": group,
            "back_url": back_url,
        },
    )


# Partners -----------------------------------------------------------------------------


@editable
def partners(request, bid):
    partner_list = list(bid.partners.select_related("added_by"))
    missing = eligibility.missing_core_sectors(bid)
    return render(
        request,
        "bids/council/partners.html",
        {
            "page_title": "Partners",
            "caption": Section.PARTNERS.label,
            "bid": bid,
            "partners": partner_list,
            "missing": missing,
            "missing_message": eligibility.core_sector_message(missing) if missing else "",
            "back_url": reverse("bids:bid", args=[bid.reference]),
        },
    )


def partner_removed(request, bid, *, typed=False):
    """A partner that is not on the bid (a colleague removed it while this page was open):
    a page that says so, rather than a bare "Page not found". It names nothing, so a partner
    of another bid reads the same, and it never saves what was typed."""
    return render(
        request,
        "bids/council/partner_removed.html",
        {
            "page_title": "This partner has been removed",
            "caption": Section.PARTNERS.label,
            "bid": bid,
            "typed": typed,
            "back_url": reverse("bids:partners", args=[bid.reference]),
        },
        status=404,
    )


@editable
def partner_form(request, bid, pk=None):
    partner = None
    if pk is not None:
        partner = Partner.objects.filter(bid=bid, pk=pk).first()
        if partner is None:
            return partner_removed(request, bid, typed=request.method == "POST")
    row = section_row(bid, Section.PARTNERS)
    extra = {}
    form = PartnerForm(posted(request), bid=bid, partner=partner, version=row.version)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if partner is None:
                    saved = drafting.add_partner(bid, request.user, form.values())
                else:
                    saved = drafting.change_partner(
                        bid, partner.pk, request.user, form.values(), loaded_version=form.loaded_version
                    )
        except Partner.DoesNotExist:
            return partner_removed(request, bid, typed=True)
        except drafting.SectionConflict as conflict:
            data = request.POST.copy()
            data["version"] = str(conflict.current.version)
            form = PartnerForm(data, bid=bid, partner=partner, version=conflict.current.version)
            form.is_valid()
            extra = conflict_context(conflict)
        else:
            verb = "added" if partner is None else "changed"
            messages.success(request, f"{saved.name} {verb}")
            if request.POST.get("action") == "later":
                return redirect("bids:bid", reference=bid.reference)
            if returning_to_check(request):
                return redirect("bids:check", reference=bid.reference)
            return redirect("bids:partners", reference=bid.reference)
    back_url = reverse("bids:check" if returning_to_check(request) else "bids:partners", args=[bid.reference])
    return render(
        request,
        "bids/council/question.html",
        {
            "page_title": "Add a partner" if partner is None else f"Change {partner.name}",
            "caption": Section.PARTNERS.label,
            "bid": bid,
            "form": form,
            "back_url": back_url,
            "row": row,
            **extra,
        },
    )


def remove_page(request, bid, *, name, section, button, remove, back_to):
    """ "Are you sure you want to remove …?": a partner or a supporting document."""
    if request.method == "POST":
        remove()
        messages.success(request, f"{name} removed")
        return redirect(back_to, reference=bid.reference)
    return render(
        request,
        "bids/council/remove.html",
        {
            "page_title": f"Are you sure you want to remove {name}?",
            "caption": section.label,
            "bid": bid,
            "button": button,
            "back_url": reverse(back_to, args=[bid.reference]),
        },
    )


@editable
def partner_remove(request, bid, pk):
    partner = Partner.objects.filter(bid=bid, pk=pk).first()
    if partner is None:
        return partner_removed(request, bid)
    return remove_page(
        request,
        bid,
        name=partner.name,
        section=Section.PARTNERS,
        button="Remove partner",
        remove=lambda: drafting.remove_partner(bid, partner.pk, request.user),
        back_to="bids:partners",
    )


# Supporting documents -----------------------------------------------------------------


@editable
def documents_page(request, bid):
    existing = list(bid.documents.select_related("uploaded_by"))
    form = DocumentForm(
        posted(request), request.FILES if request.method == "POST" else None, existing_count=len(existing)
    )
    if request.method == "POST" and over_limit(request, "uploads", request.user.pk, UPLOADS_PER_PERSON):
        # Every file sent counts, refused or not: inspecting it is the costly part, so an
        # upload over the limit is not looked at.
        form = DocumentForm({}, {}, existing_count=len(existing))
        form.is_valid()
        form.errors.clear()
        form.add_error(None, "You have sent a lot of files in the last hour. Wait an hour, then try again.")
    elif request.method == "POST" and form.is_valid():
        try:
            document = documents.add_document(bid, form.cleaned_data["file"], request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"{document.original_name} uploaded")
            return redirect("bids:documents", reference=bid.reference)
    return render(
        request,
        "bids/council/documents.html",
        {
            "page_title": "Supporting documents",
            "caption": Section.DOCUMENTS.label,
            "bid": bid,
            "form": form,
            "documents": [
                {"document": document, "size": documents.human_size(document.size)} for document in existing
            ],
            "max_files": documents.MAX_FILES,
            "back_url": reverse("bids:bid", args=[bid.reference]),
        },
    )


@editable
def document_remove(request, bid, pk):
    document = get_object_or_404(SupportingDocument, bid=bid, pk=pk)
    return remove_page(
        request,
        bid,
        name=document.original_name,
        section=Section.DOCUMENTS,
        button="Remove file",
        remove=lambda: documents.remove_document(bid, document.pk, request.user),
        back_to="bids:documents",
    )
