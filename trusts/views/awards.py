"""The award page and everything done to an award: respond, consult, confirm, pay, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django_fsm import can_proceed

from bids.models import GovernanceModel
from core.money import money
from core.views import posted, posted_files

from .. import awards
from ..awards import AwardError, describe_audiences
from ..enums import CONSULTATION_CONDITION, AwardState
from ..evidence import describe
from ..forms import AcceptForm, ConditionsMetForm, ConsultationForm, PaymentForm, decline_form, withdraw_form
from ..letters import award_letter, letter_filename
from ..models import Trust
from ..queries import awards_for, consultation_progress
from .access import get_award


def award_url(award):
    return reverse("trusts:award", kwargs={"pk": award.pk})


def back_url(request, award):
    if request.user.is_council:
        return reverse("bids:bid", kwargs={"reference": award.bid.reference})
    return reverse("trusts:awards")


def conditions(award):
    funding_round = award.bid.funding_round
    return [
        CONSULTATION_CONDITION,
        f"{award.bid.authority.name} remains accountable for the services it delegates to the trust.",
        f"The trust should be operational by {funding_round.operational_on.day} "
        f"{funding_round.operational_on:%B %Y}.",
        "The award is paid once the Department confirms that the consultation condition has been met.",
    ]


@login_required
def award_page(request, pk):
    award = get_award(request, pk)
    activities = list(award.consultation_activities.select_related("recorded_by"))
    for activity in activities:
        activity.evidence_description = describe(activity.evidence_content_type, activity.evidence_size)
    progress = consultation_progress(award, activities)
    missing = [item["audience"] for item in progress if not item["covered"]]
    trust = Trust.objects.filter(award=award).first()
    return render(
        request,
        "trusts/award.html",
        {
            "page_title": f"Funding award: {award.bid.authority.name}",
            "award": award,
            "bid": award.bid,
            "actions": awards.available_actions(award, request.user),
            "can_record": request.user.has_perm("trusts.record_consultation", award),
            "activities": activities,
            "progress": progress,
            "covered_count": len(progress) - len(missing),
            "missing": describe_audiences(missing),
            "conditions": conditions(award),
            "trust": trust,
            "events": award.events.select_related("actor").order_by("-created_at", "-pk"),
            "back_url": back_url(request, award),
        },
    )


@login_required
def letter(request, pk):
    award = get_award(request, pk)
    response = HttpResponse(award_letter(award), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, letter_filename(award))
    return response


def _guarded(request, award, permission, transition):
    """Refuse people who may not take this action at all; send others back if it is too late."""
    if not request.user.has_perm(permission, award):
        raise PermissionDenied
    if not can_proceed(getattr(award, transition)):
        messages.info(
            request, f"This award is {award.get_state_display().lower()}. There is nothing to do here."
        )
        return redirect(award_url(award))
    return None


def _apply(form, verb):
    """Run a verb from awards.py; put its refusals on the form for the error summary."""
    try:
        return verb()
    except AwardError as error:
        for problem in error.problems:
            form.add_error(None, problem)
        return None


def _seen(form, award):
    return form.cleaned_data.get("seen_state") or award.state


@login_required
def accept(request, pk):
    award = get_award(request, pk)
    refused = _guarded(request, award, "trusts.respond_to_award", "accept")
    if refused:
        return refused
    form = AcceptForm(posted(request), award=award, initial={"seen_state": award.state})
    if request.method == "POST" and form.is_valid():
        accepted = _apply(form, lambda: awards.accept(award, request.user, expected_state=_seen(form, award)))
        if accepted:
            messages.success(
                request,
                f"You have accepted the award. {accepted.trust.name} is set up: record your consultation below.",
            )
            return redirect(award_url(award))
    return render(
        request,
        "trusts/accept.html",
        {
            "page_title": "Accept the award",
            "caption": award.bid.authority.name,
            "award": award,
            "form": form,
            "conditions": conditions(award),
            "back_url": award_url(award),
            "cancel_url": award_url(award),
            "submit_text": "Accept the award",
        },
    )


@login_required
def decline(request, pk):
    award = get_award(request, pk)
    refused = _guarded(request, award, "trusts.respond_to_award", "decline")
    if refused:
        return refused
    form = decline_form(posted(request), award=award)
    if request.method == "POST" and form.is_valid():
        declined = _apply(
            form,
            lambda: awards.decline(
                award, request.user, form.cleaned_data["reason"], expected_state=_seen(form, award)
            ),
        )
        if declined:
            messages.success(request, "You have declined the award. The programme team has been told.")
            return redirect(award_url(award))
    return render(
        request,
        "trusts/decline.html",
        {
            "page_title": "Decline the award",
            "caption": award.bid.authority.name,
            "award": award,
            "form": form,
            "back_url": award_url(award),
            "cancel_url": award_url(award),
            "submit_text": "Decline the award",
        },
    )


@login_required
def conditions_met(request, pk):
    award = get_award(request, pk)
    refused = _guarded(request, award, "trusts.manage_awards", "mark_conditions_met")
    if refused:
        return refused
    form = ConditionsMetForm(posted(request), initial={"seen_state": award.state})
    error_list = []
    if request.method == "POST" and form.is_valid():
        try:
            awards.mark_conditions_met(
                award, request.user, form.cleaned_data["note"], expected_state=_seen(form, award)
            )
        except AwardError as error:
            error_list = error.problems
        else:
            messages.success(request, "The consultation condition is met. You can now record the payment.")
            return redirect(award_url(award))
    activities = list(award.consultation_activities.all())
    missing = awards.missing_audiences(award)
    return render(
        request,
        "trusts/conditions_met.html",
        {
            "page_title": "Confirm the consultation condition is met",
            "caption": award.bid.authority.name,
            "award": award,
            "form": form,
            "error_list": error_list,
            "progress": consultation_progress(award, activities),
            "missing": describe_audiences(missing),
            "can_confirm": not missing,
            "back_url": award_url(award),
            "cancel_url": award_url(award),
            "submit_text": "Confirm the condition is met",
        },
    )


@login_required
def record_payment(request, pk):
    award = get_award(request, pk)
    refused = _guarded(request, award, "trusts.manage_awards", "record_payment")
    if refused:
        return refused
    form = PaymentForm(posted(request), award=award, initial={"seen_state": award.state})
    if request.method == "POST" and form.is_valid():
        paid = _apply(
            form,
            lambda: awards.record_payment(
                award,
                request.user,
                reference=form.cleaned_data["reference"],
                paid_on=form.cleaned_data["paid_on"],
                expected_state=_seen(form, award),
            ),
        )
        if paid:
            messages.success(
                request, f"Payment of {money(paid.total)} to {award.bid.authority.name} recorded"
            )
            return redirect(award_url(award))
    return render(
        request,
        "trusts/payment.html",
        {
            "page_title": "Record the payment",
            "caption": award.bid.authority.name,
            "award": award,
            "form": form,
            "back_url": award_url(award),
            "cancel_url": award_url(award),
            "submit_text": "Record the payment",
        },
    )


@login_required
def withdraw(request, pk):
    award = get_award(request, pk)
    refused = _guarded(request, award, "trusts.manage_awards", "withdraw")
    if refused:
        return refused
    form = withdraw_form(posted(request), award=award)
    if request.method == "POST" and form.is_valid():
        withdrawn = _apply(
            form,
            lambda: awards.withdraw(
                award, request.user, form.cleaned_data["reason"], expected_state=_seen(form, award)
            ),
        )
        if withdrawn:
            messages.success(request, f"The offer to {award.bid.authority.name} has been withdrawn.")
            return redirect(award_url(award))
    return render(
        request,
        "trusts/withdraw.html",
        {
            "page_title": "Withdraw the offer",
            "caption": award.bid.authority.name,
            "award": award,
            "form": form,
            "back_url": award_url(award),
            "cancel_url": award_url(award),
            "submit_text": "Withdraw the offer",
        },
    )


@login_required
def record_consultation(request, pk):
    award = get_award(request, pk)
    if not request.user.has_perm("trusts.record_consultation", award):
        if request.user.has_perm("trusts.respond_to_award", award):
            messages.info(request, _not_recordable(award))
            return redirect(award_url(award))
        raise PermissionDenied
    form = ConsultationForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        activity = _apply(
            form,
            lambda: awards.record_consultation(
                award,
                request.user,
                held_on=form.cleaned_data["held_on"],
                audience=form.cleaned_data["audience"],
                people_reached=form.cleaned_data["people_reached"],
                summary=form.cleaned_data["summary"],
                evidence=form.cleaned_data["evidence"],
                evidence_name=form.evidence_name,
                evidence_type=form.evidence_type,
            ),
        )
        if activity:
            messages.success(request, f"Consultation with {activity.get_audience_display().lower()} recorded")
            return redirect(award_url(award) + "#consultation")
    return render(
        request,
        "trusts/consultation_form.html",
        {
            "page_title": "Record a consultation activity",
            "caption": award.bid.authority.name,
            "award": award,
            "form": form,
            "back_url": award_url(award),
            "cancel_url": award_url(award),
            "submit_text": "Save the activity",
        },
    )


def _not_recordable(award):
    if award.state == AwardState.OFFERED:
        return "Accept the award before you record consultation."
    return f"This award is {award.get_state_display().lower()}, so no more consultation can be recorded."


@login_required
def evidence(request, pk, activity_pk):
    award = get_award(request, pk)
    activity = get_object_or_404(award.consultation_activities.exclude(evidence=""), pk=activity_pk)
    return FileResponse(
        activity.evidence.open("rb"),
        as_attachment=True,
        filename=activity.evidence_name,
        content_type=activity.evidence_content_type or "application/octet-stream",
    )


@login_required
def trust_page(request, pk):
    trust = get_object_or_404(
        Trust.objects.select_related("authority", "award__bid__funding_round")
        .prefetch_related("service_scopes")
        .filter(award__in=awards_for(request.user)),
        pk=pk,
    )
    governance = GovernanceModel(trust.governance_model).label if trust.governance_model else ""
    return render(
        request,
        "trusts/trust.html",
        {
            "page_title": trust.name,
            "trust": trust,
            "award": trust.award,
            "governance": governance,
            "back_url": award_url(trust.award),
        },
    )
