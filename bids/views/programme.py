"""The programme lead's and administrators' pages: the pipeline, eligibility, assignment,
moderation, the ranking and shortlisting, interviews and decisions.

Views parse the request, call one verb (bids/assignment.py, scoring.py, moderation.py,
interviews.py, decisions.py or workflow.py) and render. A WorkflowError's sentences go to
the error summary, and what the official typed stays on the page.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from core.forms.base import ReasonForm, StateForm
from core.money import money
from core.views import pagination, posted

from .. import (
    assignment,
    calibration,
    deadlines,
    moderation,
    workflow,
)
from ..eligibility import eligibility_problems, missing_core_sectors
from ..filters import moderation_rows
from ..forms.assessment import AddAssessorForm, ModerationForm
from ..models import Assessment, Bid, BidState, ConflictOfInterest, FundingRound
from ..queries import current_round
from .access import bid_url, bid_view
from .assessment import PANELS_PARAM, kept, panel_page

MODERATION_PAGE_SIZE = 50
PIPELINE_ROUNDS_PER_PAGE = 5
PIPELINE_STATES = [state for state in BidState if state != BidState.DRAFT]


def pipeline(request):
    """Each round's bids by status, newest round first, a few rounds a page: the programme
    runs a round every few months, year after year."""
    page = Paginator(
        FundingRound.objects.published().order_by("-opens_at", "-pk"), PIPELINE_ROUNDS_PER_PAGE
    ).get_page(request.GET.get("page"))
    counts = {
        (round_id, state): count
        for round_id, state, count in Bid.objects.filter(funding_round__in=page.object_list)
        .order_by()
        .values_list("funding_round_id", "state")
        .annotate(count=Count("pk"))
    }
    rounds = []
    for funding_round in page.object_list:
        ranking = reverse("bids:ranking", kwargs={"round_slug": funding_round.slug})
        stages = [
            {
                "state": state,
                "count": counts.get((funding_round.pk, state.value), 0),
                "url": f"{ranking}?state={state.value}" if state != BidState.DRAFT else "",
            }
            for state in BidState
        ]
        rounds.append(
            {
                "round": funding_round,
                "stages": stages,
                "total": sum(s["count"] for s in stages),
                "ranking": ranking,
            }
        )
    return render(
        request,
        "bids/programme/pipeline.html",
        {
            "page_title": "Programme pipeline",
            "rounds": rounds,
            "page": page,
            "pages": pagination(page, kept(request, PANELS_PARAM)),
            **panel_page(request),
        },
    )


def _round(slug):
    return get_object_or_404(FundingRound, slug=slug)


def not_now(request, bid, doing):
    messages.info(request, f"You cannot {doing} a bid that is {bid.get_state_display().lower()}.")
    return redirect(bid_url(bid))


# Eligibility -----------------------------------------------------------------------------


@bid_view("bids.manage_assessment")
def eligibility(request, bid):
    """Check a submitted bid, then start its assessment or return it to the council."""
    if bid.state != BidState.SUBMITTED and request.method == "GET":
        return not_now(request, bid, "check the eligibility of")
    start_form = StateForm(record=bid)
    return_form = ReasonForm(
        record=bid,
        label="Why are you returning the bid?",
        hint="The council sees this reason and can change and submit the bid again before its deadline.",
        required_message="Enter the reason you are returning the bid",
        prefix="return",
    )
    action = request.POST.get("action")
    if request.method == "POST" and action == "start":
        start_form = StateForm(request.POST, record=bid)
        if start_form.is_valid():
            try:
                workflow.change_state(
                    bid, "begin_assessment", request.user, expected_state=start_form.seen_state
                )
            except workflow.WorkflowError as error:
                start_form.add_problems(error.problems)
            else:
                messages.success(request, f"Assessment of {bid.reference} has started")
                return redirect(bid_url(bid))
    elif request.method == "POST" and action == "return":
        return_form = ReasonForm(
            request.POST,
            record=bid,
            label="Why are you returning the bid?",
            hint="The council sees this reason and can change and submit the bid again before its deadline.",
            required_message="Enter the reason you are returning the bid",
            prefix="return",
        )
        if return_form.is_valid():
            try:
                workflow.change_state(
                    bid,
                    "return_to_council",
                    request.user,
                    reason=return_form.cleaned_data["reason"],
                    expected_state=return_form.seen_state,
                )
            except workflow.WorkflowError as error:
                return_form.add_problems(error.problems)
            else:
                messages.success(request, f"{bid.reference} has been returned to {bid.authority.name}")
                return redirect(bid_url(bid))
    problems = eligibility_problems(bid)
    missing = missing_core_sectors(bid)
    checks = [
        ("Partners from social services, education and health", not missing),
        (
            f"Supplement within the round's maximum of {money(bid.funding_round.max_supplement)}",
            bid.supplement_requested <= bid.funding_round.max_supplement,
        ),
        (
            "A supplement only for a large or complex trust",
            not (bid.supplement_requested and not bid.large_or_complex),
        ),
        ("Supporting documents attached", bid.documents.exists()),
    ]
    closes_at = deadlines.closes_at_for(bid.funding_round, bid.authority)
    return render(
        request,
        "bids/programme/eligibility.html",
        {
            "page_title": f"Check eligibility: {bid.authority.name}",
            "bid": bid,
            "checks": checks,
            "problems": problems,
            "start_form": start_form,
            "return_form": return_form,
            "forms": [start_form, return_form],
            "error_list": start_form.errors or return_form.errors,
            "can_return": deadlines.is_open_for(bid.funding_round, bid.authority),
            "closes_at": closes_at,
            "back_url": bid_url(bid),
        },
    )


# Assignment ------------------------------------------------------------------------------


@permission_required("bids.view_programme")
def assignments(request, round_slug):
    funding_round = _round(round_slug)
    bids = list(
        funding_round.bids.filter(state__in=assignment.ASSIGNABLE_STATES)
        .select_related("authority")
        .prefetch_related("assignments__assessor")
        .annotate(
            submitted_scores=Count(
                "assessments",
                filter=Q(assessments__state=Assessment.State.SUBMITTED, assessments__set_aside=False),
                distinct=True,
            )
        )
        .order_by("authority__name")
    )
    workloads = list(assignment.workloads(funding_round))
    return render(
        request,
        "bids/programme/assignments.html",
        {
            "page_title": f"Assign assessors: {funding_round.name}",
            "round": funding_round,
            "bids": bids,
            "workloads": workloads,
            "short": [bid for bid in bids if len(bid.assignments.all()) < assignment.ASSESSORS_PER_BID],
            "per_bid": assignment.ASSESSORS_PER_BID,
            "can_manage": request.user.has_perm("bids.manage_assessment"),
        },
    )


@require_POST
@permission_required("bids.manage_assessment")
def auto_assign(request, round_slug):
    funding_round = _round(round_slug)
    result = assignment.auto_assign(funding_round, request.user)
    if result.made:
        messages.success(
            request,
            f"{result.made} assignment{'s' if result.made != 1 else ''} made across {result.bids} "
            f"bid{'s' if result.bids != 1 else ''}",
        )
    else:
        messages.info(request, "Every bid already had its assessors: nothing was changed")
    if result.short:
        listed = ", ".join(f"{bid.reference} ({count})" for bid, count in result.short)
        messages.info(
            request,
            f"Not enough assessors without a conflict of interest or an exclusion for: {listed}. "
            "Add assessors or assign by hand.",
        )
    if result.same_region:
        listed = ", ".join(sorted({bid.reference for bid in result.same_region}))
        messages.info(
            request, f"These bids have two assessors from the same region, as no other was free: {listed}"
        )
    return redirect("bids:assignments", round_slug=funding_round.slug)


@bid_view("bids.manage_assessment")
def bid_assessors(request, bid):
    if bid.state not in assignment.ASSIGNABLE_STATES and request.method == "GET":
        return not_now(request, bid, "change the assessors of")
    form = AddAssessorForm(posted(request), bid=bid)
    if request.method == "POST" and form.is_valid():
        try:
            assignment.assign(
                bid, form.cleaned_data["assessor"], request.user, expected_state=form.seen_state
            )
        except workflow.WorkflowError as error:
            form.add_problems(error.problems, "assessor")
        else:
            messages.success(
                request, f"{form.cleaned_data['assessor'].full_name} is now assessing {bid.reference}"
            )
            return redirect("bids:bid-assessors", reference=bid.reference)
    current = list(bid.assignments.select_related("assessor").order_by("assessor__full_name"))
    started = {
        a.assessor_id: a for a in Assessment.objects.filter(bid=bid).only("assessor_id", "state", "set_aside")
    }
    conflicted = ConflictOfInterest.objects.filter(authority=bid.authority).select_related("assessor")
    exclusions = bid.exclusions.select_related("assessor", "excluded_by").order_by("assessor__full_name")
    return render(
        request,
        "bids/programme/bid_assessors.html",
        {
            "page_title": f"Assessors for {bid.authority.name}",
            "bid": bid,
            "form": form,
            "current": [(a, started.get(a.assessor_id)) for a in current],
            "conflicted": conflicted,
            "exclusions": exclusions,
            "back_url": bid_url(bid),
        },
    )


@permission_required("bids.view_programme")
def assessors(request):
    """Every assessor with their region, workload in the current round and conflicts."""
    funding_round = current_round()
    people = list(
        assignment.workloads(funding_round).prefetch_related("conflicts__authority")
        if funding_round
        else assignment.assessors().prefetch_related("conflicts__authority")
    )
    return render(
        request,
        "bids/programme/assessors.html",
        {"page_title": "Assessors", "round": funding_round, "people": people},
    )


# Moderation ------------------------------------------------------------------------------


@permission_required("bids.view_programme")
def moderation_overview(request, round_slug):
    funding_round = _round(round_slug)
    page = Paginator(moderation_rows(funding_round), MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bids/programme/moderation_overview.html",
        {
            "page_title": f"Moderation: {funding_round.name}",
            "round": funding_round,
            "bids": page.object_list,
            "page": page,
            "pages": pagination(page, request.GET),
        },
    )


@bid_view("bids.view_programme")
def moderate(request, bid):
    sheet = moderation.score_sheet(bid)
    can_moderate = request.user.has_perm("bids.manage_assessment", bid) and (
        bid.state in moderation.MODERATABLE_STATES
    )
    form = ModerationForm(
        request.POST if request.method == "POST" else None, bid=bid, moderation=sheet.moderation
    )
    if request.method == "POST":
        if not can_moderate:
            return not_now(request, bid, "moderate the scores of")
        if form.is_valid():
            try:
                moderation.moderate(
                    bid,
                    request.user,
                    form.cleaned_data["score"],
                    form.cleaned_data["reason"],
                    expected_state=form.seen_state,
                    seen_moderation=form.cleaned_data["seen_moderation"],
                )
            except workflow.WorkflowError as error:
                form.add_problems(error.problems)
            else:
                messages.success(request, f"Moderated score for {bid.reference} saved")
                return redirect("bids:moderate", reference=bid.reference)
    return render(
        request,
        "bids/programme/moderate.html",
        {
            "page_title": f"Moderate scores: {bid.authority.name}",
            "bid": bid,
            "sheet": sheet,
            "standardised": calibration.standardised_score(bid),
            "form": form,
            "can_moderate": can_moderate,
            "back_url": bid_url(bid),
            "overview_url": reverse("bids:moderation", kwargs={"round_slug": bid.funding_round.slug}),
        },
    )
