"""The award page, its letter, the consultation the council records, and the pilot trust.
The changes a person confirms (respond, confirm the condition, pay, withdraw) are in
trusts/views/changes.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from bids.models import GovernanceModel
from core.views import posted, posted_files

from .. import agreements, awards, payments
from ..awards import AwardError, describe_audiences
from ..enums import AwardState
from ..evidence import describe
from ..forms import ConsultationForm
from ..letters import award_letter, letter_filename
from ..models import GrantAgreement, Trust
from ..queries import awards_for, consultation_progress
from .access import get_award


def award_url(award):
    return reverse("trusts:award", kwargs={"pk": award.pk})


def back_url(request, award):
    if request.user.is_council:
        return reverse("bids:bid", kwargs={"reference": award.bid.reference})
    return reverse("trusts:awards")


@login_required
def award_page(request, pk):
    award = get_award(request, pk)
    activities = list(award.consultation_activities.select_related("recorded_by"))
    for activity in activities:
        activity.evidence_description = describe(activity.evidence_content_type, activity.evidence_size)
    progress = consultation_progress(award, activities)
    missing = [item["audience"] for item in progress if not item["covered"]]
    trust = Trust.objects.filter(award=award).first()
    agreement = (
        GrantAgreement.objects.filter(award=award).select_related("signed_by").defer("document").first()
    )
    return render(
        request,
        "trusts/award.html",
        {
            "page_title": f"Funding award: {award.bid.authority.name}",
            "award": award,
            "bid": award.bid,
            "actions": awards.available_actions(award, request.user),
            "payments": payments.schedule_for(award, request.user),
            "can_record": request.user.has_perm("trusts.record_consultation", award),
            "activities": activities,
            "progress": progress,
            "covered_count": len(progress) - len(missing),
            "missing": describe_audiences(missing),
            "agreement": agreement,
            "clauses": agreements.clauses(agreement.terms if agreement else award.terms),
            "trust": trust,
            "reviews": list(award.reviews.select_related("reviewed_by")),
            "can_review": request.user.has_perm("trusts.review_award", award),
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


@login_required
def agreement(request, pk):
    """The grant agreement as signed, for the council and the programme team alike."""
    award = get_award(request, pk)
    signed = get_object_or_404(GrantAgreement, award=award)
    response = HttpResponse(bytes(signed.document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, agreements.agreement_filename(award))
    return response


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
        try:
            activity = awards.record_consultation(
                award,
                request.user,
                held_on=form.cleaned_data["held_on"],
                audience=form.cleaned_data["audience"],
                people_reached=form.cleaned_data["people_reached"],
                summary=form.cleaned_data["summary"],
                evidence=form.cleaned_data["evidence"],
                evidence_name=form.evidence_name,
                evidence_type=form.evidence_type,
            )
        except AwardError as error:
            form.add_problems(error.problems)
        else:
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
