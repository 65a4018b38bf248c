"""The council's pages: its home; its bid, a task list while it can be changed and a record
once it cannot; the question pages of each section; partners and supporting documents;
check your answers and submit; withdrawing, and starting again from a copy.

Every page finds the bid through `bids_for(user)`, so another authority's bid is a 404.
Officials who may see the bid are refused these pages (403): they have their own.
"""

from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from core.london import london
from core.views import posted

from .. import deadlines, documents, drafting, eligibility, workflow
from ..forms.council import DeclarationForm, DocumentForm, PartnerForm
from ..forms.task_list import QUESTION_PAGES, CompleteForm, completion_problems
from ..models import (
    Bid,
    BidSection,
    BidState,
    Decision,
    EventKind,
    FundingRound,
    Interview,
    Partner,
    Section,
    SupportingDocument,
)
from ..queries import bids_for, council_recipients, rounds_with_extension_for, timeline_for
from .answers import answer_groups, page_url, prefetch_answers, section_url


def home(request):
    now = timezone.now()
    authority = request.user.local_authority
    bids = list(
        bids_for(request.user)
        .select_related("funding_round")
        .order_by("-funding_round__opens_at", "-created_at")
    )
    live = {bid.funding_round_id: bid for bid in bids if bid.state != BidState.WITHDRAWN}
    rounds = []
    open_to_us = list(rounds_with_extension_for(authority, now))
    closing = deadlines.closing_times(open_to_us, authority)
    for funding_round in open_to_us:
        closes_at = closing[funding_round.pk]
        rounds.append(
            {
                "round": funding_round,
                "closes_at": closes_at,
                "days_left": days_left(closes_at, now),
                "extended": closes_at != funding_round.closes_at,
                "bid": live.get(funding_round.pk),
            }
        )
    return render(
        request,
        "bids/council/home.html",
        {"page_title": f"{authority.name}: bids", "authority": authority, "rounds": rounds, "bids": bids},
    )


def days_left(closes_at, now):
    return (timezone.localtime(closes_at).date() - timezone.localtime(now).date()).days


@require_POST
@permission_required("bids.start_bid")
def start(request, round_slug):
    funding_round = get_object_or_404(FundingRound, slug=round_slug)
    authority = request.user.local_authority
    if not deadlines.is_open_for(funding_round, authority):
        messages.info(request, f"{funding_round.name} is not open for expressions of interest.")
        return redirect("home")
    bid, created = drafting.start_bid(funding_round, authority, request.user)
    if not created:
        messages.info(request, f"{authority.name} already has a bid in this round. Here it is.")
    return redirect("bids:bid", reference=bid.reference)


# Finding the bid ----------------------------------------------------------------------


def council_bid(request, reference):
    """The council's own bid, or 404 for a bid the user may not see, or 403 for an
    official who may see it but has no business on the council's pages."""
    bid = get_object_or_404(
        bids_for(request.user).select_related("funding_round", "authority"), reference=reference
    )
    if not request.user.is_council:
        raise PermissionDenied
    return bid


def to_bid_page(request, bid, message):
    messages.info(request, message)
    return redirect("bids:bid", reference=bid.reference)


def editable(view):
    """Pages that change a draft. A bid that cannot be changed (submitted, or past its
    deadline) sends the council back to its bid page with the reason, changing nothing."""

    @login_required
    @wraps(view)
    def wrapper(request, reference, *args, **kwargs):
        bid = council_bid(request, reference)
        refusal = drafting.editing_refusal(bid)
        if refusal:
            return to_bid_page(request, bid, refusal)
        if not request.user.has_perm("bids.change_bid", bid):
            raise PermissionDenied
        try:
            return view(request, bid, *args, **kwargs)
        except drafting.DraftingError as error:
            # The bid was submitted, or the deadline passed, while this page was open.
            return to_bid_page(request, bid, " ".join(error.problems))

    return wrapper


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


# The bid page: task list, or the record of the bid ------------------------------------


def bid_page(request, bid):
    """The council's hub for its bid: the task list while the bid is a draft and the round is
    open to the authority; otherwise what it said, where it stands and what happened."""
    now = timezone.now()
    closes_at = deadlines.closes_at_for(bid.funding_round, bid.authority)
    is_open = bid.funding_round.opens_at <= now <= closes_at
    prefetch_answers(bid)
    context = {
        "page_title": f"{bid.authority.name}: {bid.reference}",
        "bid": bid,
        "closes_at": closes_at,
        "days_left": days_left(closes_at, now),
        "extended": closes_at != bid.funding_round.closes_at,
        "is_open": is_open,
    }
    if bid.is_draft and is_open:
        return task_list(request, bid, context)
    return bid_record(request, bid, context)


def task_list(request, bid, context):
    statuses = drafting.section_statuses(bid)
    completed = sum(1 for status in statuses if status.status == drafting.COMPLETED)
    tasks = [
        {
            "title": status.section.label,
            "href": section_url(bid, status.section),
            "status": status.status,
            "saved_by": status.row.updated_by,
            "saved_at": status.row.updated_at,
        }
        for status in statuses
    ]
    ready = completed == len(statuses)
    returned = (
        bid.events.filter(
            kind=EventKind.STATE_CHANGED, to_state=BidState.DRAFT, from_state=BidState.SUBMITTED
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    context.update(
        {
            "tasks": tasks,
            "completed_count": completed,
            "section_count": len(statuses),
            "check": {
                "title": "Check your answers and submit",
                "href": reverse("bids:check", args=[bid.reference]) if ready else "",
                "status": drafting.NOT_STARTED if ready else drafting.CANNOT_START,
            },
            "returned": returned,
            "statuses": {
                "not_started": drafting.NOT_STARTED,
                "in_progress": drafting.IN_PROGRESS,
                "completed": drafting.COMPLETED,
                "cannot_start": drafting.CANNOT_START,
            },
        }
    )
    return render(request, "bids/council/task_list.html", context)


STATE_SENTENCES = {
    BidState.SUBMITTED: ("Expression of interest submitted", ""),
    BidState.UNDER_ASSESSMENT: (
        "Being assessed",
        "Your bid passed the eligibility check. Department of Health officials are assessing it "
        "against the published criteria.",
    ),
    BidState.SHORTLISTED: (
        "Shortlisted",
        "Your bid has been shortlisted. We will invite you to an interview.",
    ),
    BidState.NOT_SHORTLISTED: (
        "Not shortlisted",
        "Your bid has not been shortlisted for interview. Thank you for taking part.",
    ),
    BidState.INTERVIEW_SCHEDULED: ("Interview booked", ""),
    BidState.INTERVIEWED: ("Interview held", "The panel will now make its recommendation."),
    BidState.APPROVED: ("Bid approved", "Your bid has been approved to run a pilot children's trust."),
    BidState.REJECTED: ("Bid not approved", "Your bid has not been approved to run a pilot."),
    BidState.WITHDRAWN: ("Bid withdrawn", ""),
    BidState.DRAFT: ("Returned to you for changes", ""),
}


def council_timeline(bid, user, interview):
    """What happened, newest first, in words for the council. Officials' reasons for their
    decisions are internal; the council reads its own withdrawal reason and why a bid was
    returned to it, which is written for it."""
    entries = []
    events = timeline_for(bid, user).exclude(
        kind__in=[
            EventKind.EDITED,
            EventKind.DOCUMENT_ADDED,
            EventKind.DOCUMENT_REMOVED,
            EventKind.INTERVIEW_SCHEDULED,
        ]
    )
    for event in events:
        own_colleague = event.actor is not None and event.actor.local_authority_id == bid.authority_id
        by = event.actor.full_name if own_colleague else ""
        title, text = "", ""
        if event.kind == EventKind.CREATED:
            title, text = "Bid started", event.reason
        elif event.kind == EventKind.STATE_CHANGED:
            title, text = STATE_SENTENCES.get(event.to_state, (event.get_kind_display(), ""))
            if event.to_state == BidState.SHORTLISTED and event.from_state == BidState.INTERVIEW_SCHEDULED:
                title, text = "Interview cancelled", "Your interview was cancelled. We will be in touch."
            elif event.to_state in (BidState.WITHDRAWN, BidState.DRAFT):
                text = event.reason
            elif event.to_state == BidState.INTERVIEW_SCHEDULED:
                text = interview_sentence(interview)
        elif event.kind == EventKind.EXTENSION_GRANTED:
            title = "Deadline extended"
            closes = event.detail.get("closes_at")
            if closes:
                text = f"{bid.authority.name} can now submit until {london(datetime.fromisoformat(closes))}."
        elif event.kind == EventKind.INTERVIEW_RESCHEDULED:
            title, text = "Interview rearranged", interview_sentence(interview)
        elif event.kind == EventKind.INTERVIEW_CANCELLED:
            title = "Interview cancelled"
        else:
            continue
        entries.append({"title": title, "text": text, "at": event.created_at, "by": by})
    return entries


def interview_sentence(interview):
    if interview is None:
        return ""
    where = interview.location or ("by video call" if interview.video_link else "")
    sentence = f"Your interview is at {london(interview.starts_at)}"
    return f"{sentence}, {where}." if where else f"{sentence}."


def bid_record(request, bid, context):
    interview = (
        bid.interviews.filter(state=Interview.State.SCHEDULED).order_by("-scheduled_at", "-pk").first()
    )
    decision = Decision.objects.filter(bid=bid).first()
    award_url = ""
    if hasattr(bid, "award"):
        try:
            award_url = reverse("trusts:award", kwargs={"pk": bid.award.pk})
        except NoReverseMatch:
            award_url = ""
    can_copy = (
        bid.state == BidState.WITHDRAWN
        and context["is_open"]
        and drafting.active_bid(bid.funding_round, bid.authority) is None
    )
    context.update(
        {
            "groups": answer_groups(bid, changeable=False),
            "timeline": council_timeline(bid, request.user, interview),
            "interview": interview,
            "feedback": decision.feedback
            if decision and bid.state in (BidState.APPROVED, BidState.REJECTED)
            else "",
            "award_url": award_url,
            "can_withdraw": request.user.has_perm("bids.withdraw_bid", bid),
            "can_copy": can_copy,
            "past_deadline": bid.is_draft and not context["is_open"],
        }
    )
    return render(request, "bids/council/bid.html", context)


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
            "page_title": "Have you completed this section?",
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


@editable
def partner_form(request, bid, pk=None):
    partner = get_object_or_404(Partner, bid=bid, pk=pk) if pk is not None else None
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
            return to_bid_page(request, bid, "That partner has been removed by someone else.")
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


@editable
def partner_remove(request, bid, pk):
    partner = get_object_or_404(Partner, bid=bid, pk=pk)
    if request.method == "POST":
        drafting.remove_partner(bid, partner.pk, request.user)
        messages.success(request, f"{partner.name} removed")
        return redirect("bids:partners", reference=bid.reference)
    return render(
        request,
        "bids/council/remove.html",
        {
            "page_title": f"Are you sure you want to remove {partner.name}?",
            "caption": Section.PARTNERS.label,
            "bid": bid,
            "button": "Remove partner",
            "back_url": reverse("bids:partners", args=[bid.reference]),
        },
    )


# Supporting documents -----------------------------------------------------------------


@editable
def documents_page(request, bid):
    existing = list(bid.documents.select_related("uploaded_by"))
    form = DocumentForm(
        posted(request), request.FILES if request.method == "POST" else None, existing_count=len(existing)
    )
    if request.method == "POST" and form.is_valid():
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
    if request.method == "POST":
        documents.remove_document(bid, document.pk, request.user)
        messages.success(request, f"{document.original_name} removed")
        return redirect("bids:documents", reference=bid.reference)
    return render(
        request,
        "bids/council/remove.html",
        {
            "page_title": f"Are you sure you want to remove {document.original_name}?",
            "caption": Section.DOCUMENTS.label,
            "bid": bid,
            "button": "Remove file",
            "back_url": reverse("bids:documents", args=[bid.reference]),
        },
    )


# Check your answers and submit --------------------------------------------------------


@editable
def check(request, bid):
    prefetch_answers(bid)
    problems = [
        {"message": message, "url": section_url(bid, section)}
        for section, message in eligibility.submission_problems(bid)
    ]
    form = DeclarationForm(posted(request), bid=bid)
    submitted_problems = []
    if request.method == "POST":
        if form.is_valid() and not problems:
            try:
                drafting.submit(bid, request.user)
            except workflow.StaleBid as error:
                return to_bid_page(request, bid, " ".join(error.problems))
            except workflow.WorkflowError as error:
                submitted_problems = [{"message": problem, "url": ""} for problem in error.problems]
            else:
                return redirect("bids:submitted", reference=bid.reference)
        submitted_problems = problems + submitted_problems
    return render(
        request,
        "bids/council/check.html",
        {
            "page_title": "Check your answers before submitting your expression of interest",
            "bid": bid,
            "groups": answer_groups(bid, changeable=True),
            "problems": problems,
            "submitted_problems": submitted_problems,
            "form": form,
            "error_list": submitted_problems,
            "back_url": reverse("bids:bid", args=[bid.reference]),
        },
    )


@login_required
def submitted(request, reference):
    bid = council_bid(request, reference)
    if bid.submitted_at is None or bid.state in (BidState.DRAFT, BidState.WITHDRAWN):
        return redirect("bids:bid", reference=bid.reference)
    return render(
        request,
        "bids/council/submitted.html",
        {
            "page_title": "Expression of interest submitted",
            "bid": bid,
            "recipients": council_recipients(bid),
        },
    )


# Withdrawing, and starting again ------------------------------------------------------


@require_POST
@login_required
def copy(request, reference):
    bid = council_bid(request, reference)
    if not request.user.has_perm("bids.start_bid"):
        raise PermissionDenied
    if bid.state != BidState.WITHDRAWN:
        return to_bid_page(request, bid, "Only a withdrawn bid can be copied.")
    if not deadlines.is_open_for(bid.funding_round, bid.authority):
        return to_bid_page(request, bid, f"{bid.funding_round.name} has closed, so you cannot start again.")
    new_bid, created = drafting.copy_bid(bid, request.user)
    if created:
        messages.success(
            request,
            f"You have started {new_bid.reference} from a copy of {bid.reference}. "
            "Check each section and upload your documents before you submit it.",
        )
    else:
        messages.info(request, f"{bid.authority.name} already has a bid in this round. Here it is.")
    return redirect("bids:bid", reference=new_bid.reference)
