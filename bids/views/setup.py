"""Administrators' pages for setting up funding rounds: the list of rounds, a new round from
scratch or from a copy, its check-your-answers page (with its history), a section of its
details, its criteria and their weights, a preview as councils will see it, and publishing.

Every change goes through bids/setup.py; a refusal there (core.door.Refused) is shown in
the error summary with what the person typed kept.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import permission_required
from core import history
from core.door import Refused
from core.views import pagination, posted

from .. import setup
from ..forms.setup import (
    SECTIONS,
    CriterionForm,
    NewCriterionForm,
    RemoveCriterionForm,
    RoundForm,
    StartForm,
    WeightsForm,
)
from ..models import Criterion, FundingRound
from .council import round_page_context

ROUNDS_PER_PAGE = 20
ROUND_MONEY = ("base_award", "max_supplement", "total_budget")


def set_up_url(funding_round):
    return reverse("bids:set-up", args=[funding_round.slug])


def _round(slug):
    return get_object_or_404(FundingRound, slug=slug)


@permission_required("bids.manage_rounds")
def rounds(request):
    """The administrator's home: every round, drafts first, newest first."""
    listed = FundingRound.objects.annotate(
        n_bids=Count("bids"), n_submitted=Count("bids", filter=Q(bids__submitted_at__isnull=False))
    ).order_by(F("published_at").desc(nulls_first=True), "-opens_at", "pk")
    page = Paginator(listed, ROUNDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "bids/setup/rounds.html",
        {"page_title": "Funding rounds", "rounds": page, "pages": pagination(page, request.GET)},
    )


@permission_required("bids.manage_rounds")
def start(request):
    form = StartForm(posted(request))
    if request.method == "POST" and form.is_valid():
        url = reverse("bids:new-round")
        if form.cleaned_data["start"] == "copy":
            url += f"?copy={form.cleaned_data['copy_of'].slug}"
        return redirect(url)
    return render(
        request,
        "includes/form_page.html",
        {"page_title": "Set up a new round", "form": form, "back_url": reverse("home")},
    )


@permission_required("bids.manage_rounds")
def new_round(request):
    copy_of = None
    if request.GET.get("copy"):
        copy_of = FundingRound.objects.filter(slug=request.GET["copy"]).first()
        if copy_of is None:
            raise Http404
    form = RoundForm(posted(request), copy_of=copy_of)
    if request.method == "POST" and form.is_valid():
        values = form.round_values()
        if copy_of is not None:
            values = {**setup.copied_values(copy_of), **values}
        funding_round = setup.create_round(request.user, values, copy_of=copy_of)
        messages.success(
            request, f"{funding_round.name} has been set up as a draft. Check it, then publish it."
        )
        return redirect(set_up_url(funding_round))
    return render(
        request,
        "bids/setup/new_round.html",
        {
            "page_title": f"Copy {copy_of.name}" if copy_of else "New funding round",
            "form": form,
            "copy_of": copy_of,
            "back_url": reverse("bids:start-round"),
        },
    )


@require_GET
@permission_required("bids.manage_rounds")
def set_up(request, round_slug):
    """Check your answers: every detail with a link to change it, the criteria, whether it
    can be published, and its history."""
    funding_round = _round(round_slug)
    criteria = list(funding_round.criteria.all())
    progress = setup.Progress.of(funding_round)
    entries = history.entries(
        FundingRound.history.filter(id=funding_round.pk).select_related(None),
        money_fields=ROUND_MONEY,
    ) + history.entries(
        Criterion.history.filter(funding_round_id=funding_round.pk),
        subject=lambda record: f"Criterion “{record.name}”",
    )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return render(
        request,
        "bids/setup/set_up.html",
        {
            "page_title": funding_round.name,
            "round": funding_round,
            "criteria": criteria,
            "total_weight": sum(c.weight for c in criteria),
            "sections": SECTIONS,
            "progress": progress,
            "opens_later": funding_round.opens_at > timezone.now(),
            "lock_reason": progress.criteria_lock_reason(),
            "publish_problems": [] if funding_round.is_published else setup.publish_problems(funding_round),
            **history.paged(request, entries),
        },
    )


@permission_required("bids.manage_rounds")
def change_section(request, round_slug, section):
    funding_round = _round(round_slug)
    if section not in SECTIONS:
        raise Http404
    form = RoundForm(posted(request), instance=funding_round, section=section)
    if request.method == "POST" and form.is_valid():
        try:
            setup.change_round(funding_round, request.user, form.round_values())
        except Refused as refusal:
            form.add_problems(refusal.problems)
        else:
            messages.success(request, f"{SECTIONS[section].title} saved")
            return redirect(set_up_url(funding_round))
    return render(
        request,
        "bids/setup/section.html",
        {
            "page_title": SECTIONS[section].title,
            "caption": funding_round.name,
            "section": SECTIONS[section],
            "round": funding_round,
            "form": form,
            "submit_text": "Save",
            "back_url": set_up_url(funding_round),
            "cancel_url": set_up_url(funding_round),
        },
    )


def _criteria_page(request, funding_round, template, context):
    """A criteria page, or the set-up page saying why the criteria cannot change now."""
    reason = setup.Progress.of(funding_round).criteria_lock_reason()
    if reason:
        messages.info(request, reason)
        return redirect(set_up_url(funding_round) + "#criteria")
    return render(
        request,
        template,
        {
            "caption": funding_round.name,
            "round": funding_round,
            "back_url": set_up_url(funding_round) + "#criteria",
            "cancel_url": set_up_url(funding_round) + "#criteria",
            **context,
        },
    )


@permission_required("bids.manage_rounds")
def weights(request, round_slug):
    funding_round = _round(round_slug)
    form = WeightsForm(posted(request), criteria=funding_round.criteria.all())
    if request.method == "POST" and form.is_valid():
        try:
            setup.set_weights(funding_round, request.user, form.weights())
        except Refused as refusal:
            form.add_problems(refusal.problems)
        else:
            messages.success(request, "Weights saved")
            return redirect(set_up_url(funding_round) + "#criteria")
    return _criteria_page(
        request,
        funding_round,
        "bids/setup/weights.html",
        {"page_title": "Weights of the criteria", "form": form, "submit_text": "Save weights"},
    )


@permission_required("bids.manage_rounds")
def add_criterion(request, round_slug):
    funding_round = _round(round_slug)
    form = NewCriterionForm(posted(request), funding_round=funding_round)
    if request.method == "POST" and form.is_valid():
        try:
            criterion = setup.add_criterion(
                funding_round, request.user, form.criterion_values(), form.weights()
            )
        except Refused as refusal:
            form.add_problems(refusal.problems)
        else:
            messages.success(request, f"“{criterion.name}” added")
            return redirect(set_up_url(funding_round) + "#criteria")
    return _criteria_page(
        request,
        funding_round,
        "includes/form_page.html",
        {"page_title": "Add a criterion", "form": form, "submit_text": "Add criterion"},
    )


def _criterion(funding_round, pk):
    return get_object_or_404(Criterion, funding_round=funding_round, pk=pk)


@permission_required("bids.manage_rounds")
def change_criterion(request, round_slug, pk):
    funding_round = _round(round_slug)
    criterion = _criterion(funding_round, pk)
    form = CriterionForm(posted(request), funding_round=funding_round, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            setup.change_criterion(criterion, request.user, form.criterion_values())
        except Refused as refusal:
            form.add_problems(refusal.problems)
        else:
            messages.success(request, f"“{form.cleaned_data['name']}” saved")
            return redirect(set_up_url(funding_round) + "#criteria")
    return _criteria_page(
        request,
        funding_round,
        "includes/form_page.html",
        {"page_title": "Change a criterion", "form": form, "submit_text": "Save criterion"},
    )


@permission_required("bids.manage_rounds")
def remove_criterion(request, round_slug, pk):
    funding_round = _round(round_slug)
    criterion = _criterion(funding_round, pk)
    others = funding_round.criteria.exclude(pk=criterion.pk)
    form = RemoveCriterionForm(posted(request), criteria=others)
    if request.method == "POST" and form.is_valid():
        try:
            setup.remove_criterion(criterion, request.user, form.weights())
        except Refused as refusal:
            form.add_problems(refusal.problems)
        else:
            messages.success(request, f"“{criterion.name}” removed")
            return redirect(set_up_url(funding_round) + "#criteria")
    return _criteria_page(
        request,
        funding_round,
        "bids/setup/remove_criterion.html",
        {
            "page_title": f"Remove “{criterion.name}”",
            "criterion": criterion,
            "form": form,
            "submit_text": "Remove criterion",
            "destructive": True,
        },
    )


@require_POST
@permission_required("bids.manage_rounds")
def publish(request, round_slug):
    funding_round = _round(round_slug)
    try:
        published = setup.publish(funding_round, request.user)
    except Refused as refusal:
        for problem in refusal.problems:
            messages.error(request, problem)
        return redirect(set_up_url(funding_round) + "#publish")
    messages.success(
        request,
        f"{published.name} is published. Councils can see it "
        + ("now." if published.is_open() else "when it opens."),
    )
    return redirect(set_up_url(published))


@require_GET
@permission_required("bids.manage_rounds")
def preview(request, round_slug):
    """The round's page exactly as a council will see it, without the button to start."""
    funding_round = _round(round_slug)
    return render(
        request,
        "bids/council/round.html",
        {**round_page_context(funding_round), "preview": True, "back_url": set_up_url(funding_round)},
    )
