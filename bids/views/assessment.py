"""Assessors' pages, and the officials' view of a bid.

Every page about one bid finds it through `bids_for(request.user)`, so a bid an official
may not see (unassigned, or from an authority they declared a conflict with) is a 404
before any permission is asked; the action's permission is then checked on the bid.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.decorators import permission_required
from core.scores import percent
from core.views import pagination, posted

from .. import conflicts, scoring, staging, workflow
from ..forms.assessment import ConflictForm, ScoreForm
from ..models import (
    Assessment,
    Assignment,
    BidState,
    ConflictOfInterest,
    EventKind,
    Interview,
    InterviewScore,
)
from ..queries import bids_for, timeline_for
from .access import bid_url, bid_view
from .answers import answer_groups, prefetch_answers

CONFLICTS_PER_PAGE = 50

ASSESSOR_PAGE_SIZE = 50
PANELS_PER_PAGE = 10
PANELS_PARAM = "panels"


def home(request):
    own = Assessment.objects.filter(bid=OuterRef("pk"), assessor=request.user)
    # Newest round first (as rounds open, which an index gives), a page at a time: an
    # assessor builds up hundreds of bids over the years, and the ones to score now are in
    # the latest round.
    assigned = bids_for(request.user).order_by(
        "-funding_round__opens_at", "-funding_round__closes_at", "authority__name", "pk"
    )
    # The page's bids are picked by their keys first, which an index gives with each bid's
    # round and authority, then read in full: sorting every assigned bid's whole row (thousands
    # for a long-serving assessor) costs more than the page.
    page = Paginator(assigned.values_list("pk", flat=True), ASSESSOR_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    found = assigned.filter(pk__in=shown).select_related("funding_round", "authority")
    found = {bid.pk: bid for bid in found.annotate(score_state=Subquery(own.values("state")[:1]))}
    return render(
        request,
        "bids/assessment/home.html",
        {
            "page_title": "Bids to assess",
            "bids": [found[pk] for pk in shown],
            "page": page,
            "pages": pagination(page, kept(request, PANELS_PARAM)),
            **panel_page(request),
        },
    )


def kept(request, *names):
    """The query string's page numbers that a page's other list links keep, and nothing else."""
    query = QueryDict(mutable=True)
    for name in names:
        if request.GET.get(name):
            query[name] = request.GET[name]
    return query


def panel_page(request):
    """The official's interview panels on their home page, soonest first, a page at a time
    with their own page number (`panels`), so the list beside them keeps its page."""
    page = Paginator(interview_panels(request.user), PANELS_PER_PAGE).get_page(request.GET.get(PANELS_PARAM))
    return {
        "panels": page.object_list,
        "panel_page": page,
        "panel_pages": pagination(page, kept(request, "page"), param=PANELS_PARAM, fragment="panels"),
    }


def bid_page(request, bid):
    """Officials' view of a bid (assessors, the programme lead and administrators)."""
    user = request.user
    prefetch_answers(bid)
    timeline = list(timeline_for(bid, user))
    show_scores = user.has_perm("bids.view_programme", bid)
    own_assessment = Assessment.objects.filter(bid=bid, assessor=user).first() if user.is_assessor else None
    others = others_scores(bid, user, own_assessment) if user.is_assessor else None
    for event in timeline:
        event.title = event_title(event, show_scores)
        if user.is_assessor and others is None and about_others_scores(event, user):
            # The lead's words on someone else's scores (moderating, reopening, setting
            # aside) wait, like the scores themselves, until the assessor's own are in.
            event.reason = ""
    context = {
        "page_title": f"{bid.authority.name}: {bid.reference}",
        "bid": bid,
        "timeline": timeline,
        "groups": answer_groups(bid, changeable=False),
        "interviews": list(
            bid.interviews.prefetch_related("panel", "member_scores__member").select_related("recorded_by")
        ),
        "decision": getattr(bid, "decision", None),
        "award": getattr(bid, "award", None),
        "can_manage": user.has_perm("bids.manage_assessment", bid),
        "can_see_scores": user.has_perm("bids.view_programme", bid),
    }
    if user.is_assessor:
        context["own_assessment"] = own_assessment
        context["others_submitted"] = None if others is None else len(others)
        context["can_score"] = user.has_perm("bids.score_bid", bid)
        context["can_record_interview"] = bid.state == BidState.INTERVIEW_SCHEDULED and user.has_perm(
            "bids.record_interview", bid
        )
    if context["can_see_scores"]:
        context["assignments"] = list(
            Assignment.objects.filter(bid=bid).select_related("assessor").order_by("assessor__full_name")
        )
        context["assessments"] = list(
            Assessment.objects.filter(bid=bid).select_related("assessor").order_by("assessor__full_name")
        )
        context["assessed_ids"] = {assessment.assessor_id for assessment in context["assessments"]}
        context["effective_score"] = scoring.effective_score(bid)
        context["moderation"] = getattr(bid, "moderation", None)
    context["pending_decision"] = staging.pending_for(bid)
    if context["can_manage"]:
        context["lead_actions"] = lead_actions(bid, context["pending_decision"])
    return render(request, "bids/assessment/bid.html", context)


def others_scores(bid, user, own):
    """The other assessors' scores on the bid that count (submitted, not set aside), with
    their criterion scores, for an assessor whose own submitted scores count; None before
    that (no scores, a draft, reopened or set aside). Seeing them only afterwards keeps each
    assessor's first judgement of the bid their own."""
    if own is None or own.state != Assessment.State.SUBMITTED or own.set_aside:
        return None
    return list(
        scoring.counted(Assessment.objects.filter(bid=bid))
        .exclude(assessor=user)
        .select_related("assessor")
        .prefetch_related("scores")
        .order_by("assessor__full_name", "pk")
    )


# What the lead writes about an assessor's scores, which may quote them.
SCORE_EVENTS = {EventKind.MODERATED, EventKind.SCORE_REOPENED, EventKind.SCORE_SET_ASIDE}


def about_others_scores(event, user):
    return event.kind in SCORE_EVENTS and (event.detail or {}).get("assessor") != user.pk


def event_title(event, show_scores):
    """A heading for one line of the officials' timeline. Assessors never see totals or the
    moderated score here: a total on the record may since have been reopened or set aside.
    Once their own scores are in, they compare the others' that count on the score page."""
    detail = event.detail or {}
    name = detail.get("assessor_name", "")
    if event.kind == EventKind.STATE_CHANGED and event.to_state:
        return BidState(event.to_state).label
    if event.kind in (EventKind.ASSESSOR_ASSIGNED, EventKind.ASSESSOR_UNASSIGNED) and name:
        return f"{event.get_kind_display()}: {name}"
    if event.kind == EventKind.SCORE_SUBMITTED and name:
        total = detail.get("weighted_total")
        return f"Scores submitted by {name}" + (f": {percent(total)}" if total and show_scores else "")
    if event.kind in (EventKind.SCORE_REOPENED, EventKind.SCORE_SET_ASIDE) and name:
        return f"{event.get_kind_display()}: {name}"
    if event.kind == EventKind.ASSESSOR_EXCLUDED and name:
        if detail.get("lifted"):
            return f"Exclusion lifted: {name}"
        return f"Assessor excluded: {name}" + (" (taken off the bid)" if detail.get("removed") else "")
    if event.kind == EventKind.MODERATED and detail.get("score") and show_scores:
        return f"Score moderated to {percent(detail['score'])}"
    return event.get_kind_display()


def lead_actions(bid, pending_decision=None):
    """What the programme lead can do with the bid now, as (text, url) links. While a
    decision is pending, the lead changes it or takes it back instead of deciding again."""
    reference = bid.reference

    def url(name):
        return reverse(f"bids:{name}", kwargs={"reference": reference})

    state = bid.state
    actions = []
    if pending_decision is not None:
        outcome = pending_decision.get_outcome_display().lower()
        actions.append((f"View or change the pending decision ({outcome})", url("change-pending-decision")))
        actions.append(("Take back the pending decision", url("take-back-decision")))
    if state == BidState.SUBMITTED:
        actions.append(("Check eligibility", url("eligibility")))
    if state in (BidState.SUBMITTED, BidState.UNDER_ASSESSMENT):
        actions.append(("Assign assessors", url("bid-assessors")))
    if state == BidState.UNDER_ASSESSMENT:
        actions.append(("Moderate scores", url("moderate")))
        if pending_decision is None:
            actions.append(("Shortlist or do not shortlist", url("shortlist")))
    if state == BidState.SHORTLISTED:
        actions.append(("Schedule an interview", url("schedule-interview")))
    if state == BidState.INTERVIEW_SCHEDULED:
        actions.append(("Record the interview", url("record-interview")))
        actions.append(("Rearrange the interview", url("reschedule-interview")))
        actions.append(("Cancel the interview", url("cancel-interview")))
    if state in (BidState.SHORTLISTED, BidState.INTERVIEW_SCHEDULED, BidState.INTERVIEWED):
        actions.append(
            ("Record due diligence checks", reverse("trusts:due-diligence", kwargs={"reference": reference}))
        )
    if state == BidState.INTERVIEWED and pending_decision is None:
        actions.append(
            ("Approve and offer an award", reverse("trusts:approve", kwargs={"reference": reference}))
        )
        actions.append(("Reject", url("reject")))
    return actions


# Conflicts of interest -------------------------------------------------------------------


@permission_required("bids.view_conflicts")
def conflicts_page(request):
    """Assessors declare their own conflicts; the programme lead sees and records anyone's."""
    user = request.user
    form = ConflictForm(posted(request), declarer=user)
    if request.method == "POST" and form.is_valid():
        try:
            conflict = conflicts.declare(
                form.cleaned_data["assessor"],
                form.cleaned_data["authority"],
                form.cleaned_data["reason"],
                user,
            )
        except conflicts.ConflictError as error:
            form.add_error(None, str(error))
        else:
            who = "You" if conflict.assessor == user else conflict.assessor.full_name
            messages.success(
                request,
                f"Conflict of interest with {conflict.authority.name} recorded. {who} will not see or assess "
                "its bids, and any scores already given are set aside.",
            )
            return redirect("bids:conflicts")
    declared = ConflictOfInterest.objects.select_related("authority", "assessor", "declared_by").order_by(
        "assessor__full_name", "authority__name"
    )
    if not user.has_perm("bids.record_conflict"):
        declared = declared.filter(assessor=user)
    page = Paginator(declared, CONFLICTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "bids/assessment/conflicts.html",
        {
            "page_title": "Conflicts of interest",
            "form": form,
            "conflicts": page,
            "pages": pagination(page, request.GET, fragment="declared"),
            "is_lead": user.has_perm("bids.record_conflict"),
        },
    )


# Scoring ---------------------------------------------------------------------------------


@bid_view("bids.score_bid")
def score(request, bid):
    user = request.user
    criteria = scoring.criteria_for(bid)
    assessment = Assessment.objects.filter(bid=bid, assessor=user).prefetch_related("scores").first() or (
        Assessment(bid=bid, assessor=user)
    )
    editable = (
        bid.state == BidState.UNDER_ASSESSMENT
        and assessment.state != Assessment.State.SUBMITTED
        and not assessment.set_aside
    )
    submitting = request.POST.get("action") == "submit"
    form = ScoreForm(
        request.POST if request.method == "POST" and editable else None,
        bid=bid,
        criteria=criteria,
        assessment=assessment,
        submitting=submitting,
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            scoring.save(
                bid,
                user,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                summary=form.cleaned_data["summary"],
                submit=submitting,
                expected_state=form.seen_state,
            )
        except workflow.WorkflowError as error:
            form.add_problems(error.problems)
        else:
            if submitting:
                messages.success(request, f"Your scores for {bid.reference} have been submitted")
                return redirect("home")
            messages.success(
                request, "Your scores have been saved as a draft. Submit them when you are ready."
            )
            return redirect("bids:score", reference=bid.reference)
    scores_by_criterion = {s.criterion_id: s for s in assessment.scores.all()} if assessment.pk else {}
    others = others_scores(bid, user, assessment if assessment.pk else None)
    return render(
        request,
        "bids/assessment/score.html",
        {
            "page_title": f"Score {bid.authority.name}'s bid",
            "bid": bid,
            "form": form,
            "editable": editable,
            "assessment": assessment,
            "criteria_scores": [(criterion, scores_by_criterion.get(criterion.pk)) for criterion in criteria],
            "others": others,
            "comparison": comparison(criteria, assessment, others) if others else [],
            "back_url": bid_url(bid),
        },
    )


def comparison(criteria, own, others):
    """Per criterion: (criterion, [(assessment, its score on it)]), the assessor's own first."""
    everyone = [own, *others]
    scored = {
        assessment.pk: {row.criterion_id: row for row in assessment.scores.all()} for assessment in everyone
    }
    return [
        (criterion, [(assessment, scored[assessment.pk].get(criterion.pk)) for assessment in everyone])
        for criterion in criteria
    ]


def interview_panels(user):
    """Interviews the official sits on that are still to come (or not yet recorded), each
    with whether it has started and whether they have given their own score."""
    own_score = InterviewScore.objects.filter(interview=OuterRef("pk"), member=user)
    return (
        Interview.objects.filter(panel=user, state=Interview.State.SCHEDULED, bid__in=bids_for(user))
        .select_related("bid__authority")
        .annotate(has_started=Q(starts_at__lte=timezone.now()), scored=Exists(own_score))
        .order_by("starts_at")
    )
