"""Releasing a round's pending decisions (trusts/releases.py): the confirmation page lists
what will go, and its button releases them all at once."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

from bids import staging
from bids.forms.decisions import ReleaseForm
from bids.models import FundingRound, StagedDecision
from core.money import money
from core.views import ChangePage

from .. import releases


class ReleaseDecisions(ChangePage):
    """One button for the round's pending decisions. If any cannot go, none go, and every
    problem is listed by bid reference."""

    not_now_on_post = True
    stale_goes_back = True
    summary_template = "trusts/summaries/release.html"

    def find(self, request, round_slug):
        funding_round = get_object_or_404(FundingRound, slug=round_slug)
        if not request.user.has_perm("bids.manage_assessment"):
            raise PermissionDenied
        self.pending = list(staging.pending_in(funding_round))
        return funding_round

    def not_now(self):
        if self.pending:
            return ""
        return f"There are no pending decisions to release in {self.record.name}."

    @property
    def title(self):
        return f"Release {len(self.pending)} decision{'s' if len(self.pending) != 1 else ''}"

    @property
    def submit_text(self):
        return self.title

    def caption(self):
        return self.record.name

    def record_url(self):
        return reverse("bids:pending-decisions", kwargs={"round_slug": self.record.slug})

    def success_url(self, released):
        return reverse("bids:ranking", kwargs={"round_slug": self.record.slug})

    @property
    def warning(self):
        return (
            "Each council is emailed its decision and feedback now, and approved bids are offered "
            "their awards. This cannot be undone."
        )

    def extra_context(self):
        counts = Counter(staged.outcome for staged in self.pending)
        approvals = [staged for staged in self.pending if staged.outcome == StagedDecision.Outcome.APPROVE]
        return {
            "pending": self.pending,
            "outcomes": [
                (label, counts[value]) for value, label in StagedDecision.Outcome.choices if counts[value]
            ],
            "award_total": sum((staged.base_amount + staged.supplement_amount for staged in approvals), 0),
            "approvals": len(approvals),
        }

    def get_form(self, data):
        return ReleaseForm(data, pending=self.pending)

    def perform(self, form):
        return releases.release(self.record, self.request.user, expected=form.cleaned_data["seen"])

    def success_message(self, released):
        count = len(released)
        awarded = [staged for staged in released if staged.outcome == StagedDecision.Outcome.APPROVE]
        offered = (
            f" {len(awarded)} award{'s' if len(awarded) != 1 else ''} offered, "
            f"{money(sum(staged.base_amount + staged.supplement_amount for staged in awarded))} in all."
            if awarded
            else ""
        )
        return (
            f"{count} decision{'s' if count != 1 else ''} released.{offered} "
            "Each council has been emailed its decision and feedback."
        )
