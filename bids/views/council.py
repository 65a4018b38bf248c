"""The council's pages: its home; its bid, a task list while it can be changed and a record
once it cannot; check your answers and submit; starting again from a copy of a withdrawn
bid. The pages that change a draft are in bids/views/sections.py; withdrawing is on the
one change page (bids/views/changes.py).

Every page finds the bid through `bids_for(user)`, so another authority's bid is a 404.
Officials who may see the bid are refused these pages (403): they have their own.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import permission_required
from core.london import london
from core.views import pagination, posted

from .. import deadlines, drafting, eligibility, workflow
from ..forms.council import DeclarationForm
from ..models import (
    BidState,
    Decision,
    EventKind,
    FundingRound,
    Interview,
)
from ..queries import bids_for, council_recipients, rounds_with_extension_for, timeline_for
from .access import council_bid, editable, to_bid_page
from .answers import answer_groups, place_url, prefetch_answers, section_url

# An award offered and waiting for the council to accept or decline it. bids sits below
# trusts, so it follows the bid.award relation and reads the award's stored state by its
# slug (trusts.enums.AwardState.OFFERED) rather than importing it.
OFFER_WAITING = "offered"
COUNCIL_BIDS_PER_PAGE = 50


def home(request):
    now = timezone.now()
    authority = request.user.local_authority
    bids = bids_for(request.user)
    # A council that has bid in every round for years has hundreds of bids: a page at a time.
    page = Paginator(
        bids.select_related("funding_round").order_by("-funding_round__opens_at", "-created_at", "-pk"),
        COUNCIL_BIDS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    offers = [
        {"bid": bid, "award": bid.award, "url": reverse("trusts:award", kwargs={"pk": bid.award.pk})}
        for bid in bids.filter(award__state=OFFER_WAITING).select_related("award").order_by("-created_at")
    ]
    rounds = []
    open_to_us = list(rounds_with_extension_for(authority, now))
    if open_to_us:
        live = {
            bid.funding_round_id: bid
            for bid in bids.filter(funding_round__in=open_to_us).exclude(state=BidState.WITHDRAWN)
        }
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
        {
            "page_title": f"{authority.name}: bids",
            "authority": authority,
            "rounds": rounds,
            "page": page,
            "bids": page.object_list,
            "pages": pagination(page, request.GET),
            "offers": offers,
        },
    )


def round_page_context(funding_round, authority=None):
    """What a council reads about a round before it starts a bid (and an administrator's
    preview shows): its purpose, guidance, dates, money and how bids are scored."""
    closes_at = deadlines.closes_at_for(funding_round, authority) if authority else funding_round.closes_at
    return {
        "page_title": funding_round.name,
        "round": funding_round,
        "closes_at": closes_at,
        "extended": closes_at != funding_round.closes_at,
        "criteria": list(funding_round.criteria.all()),
    }


@require_GET
@permission_required("bids.start_bid")
def round_page(request, round_slug):
    """A published round open to the council's authority; any other round is a 404."""
    authority = request.user.local_authority
    funding_round = get_object_or_404(rounds_with_extension_for(authority, timezone.now()), slug=round_slug)
    context = round_page_context(funding_round, authority)
    context["bid"] = (
        bids_for(request.user).filter(funding_round=funding_round).exclude(state=BidState.WITHDRAWN).first()
    )
    context["back_url"] = reverse("home")
    return render(request, "bids/council/round.html", context)


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


# The bid page: task list, or the record of the bid ------------------------------------


def bid_page(request, bid):
    """The council's hub for its bid: the task list while the bid is a draft and the round is
    open to the authority; otherwise what it said, where it stands and what happened."""
    now = timezone.now()
    closes_at = deadlines.closes_at_for(bid.funding_round, bid.authority)
    is_open = bid.funding_round.is_published and bid.funding_round.opens_at <= now <= closes_at
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


# How the Design System's task list shows each status ("Complete multiple tasks" pattern):
# "Completed" as plain black text, so the tasks still to do stand out; "Not yet started" on
# blue and "In progress" on light blue; "Cannot start yet" as grey text, its row not linked.
STATUS_TAGS = {drafting.NOT_STARTED: "govuk-tag--blue", drafting.IN_PROGRESS: "govuk-tag--light-blue"}


def task_list(request, bid, context):
    statuses = drafting.section_statuses(bid)
    completed = sum(1 for status in statuses if status.status == drafting.COMPLETED)
    tasks = [
        {
            "title": status.section.label,
            "href": section_url(bid, status.section),
            "status": status.status,
            "tag": STATUS_TAGS.get(status.status, ""),
            "saved_by": status.row.updated_by,
            "saved_at": status.row.updated_at,
        }
        for status in statuses
    ]
    ready = completed == len(statuses)
    check_status = drafting.NOT_STARTED if ready else drafting.CANNOT_START
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
                "status": check_status,
                "tag": STATUS_TAGS.get(check_status, ""),
            },
            "returned": returned,
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
            elif (event.detail or {}).get("staged_decision") and event.reason:
                # A released shortlisting decision: its reason is the feedback written for the
                # council (bids/staging.py), as in the email.
                text = f"{text}\n\n{event.reason}"
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


# Check your answers and submit --------------------------------------------------------


@editable
def check(request, bid):
    prefetch_answers(bid)
    problems = [
        {"message": message, "url": place_url(bid, where)}
        for where, message in eligibility.submission_problems(bid)
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
