"""The lead records a pilot's annual review (continue, amend or stop) on the one change page."""

from django.core.exceptions import PermissionDenied

from core.money import money
from core.views import ChangePage

from .. import reviews
from ..enums import REVIEWABLE_STATES, ReviewOutcome
from ..forms import ReviewForm
from .access import get_award
from .awards import award_url


class AnnualReview(ChangePage):
    title = "Record the annual review"
    submit_text = "Record the review"
    summary_template = "trusts/summaries/review.html"

    def find(self, request, pk):
        award = get_award(request, pk)
        if not request.user.has_perm("trusts.manage_awards"):
            raise PermissionDenied
        return award

    def not_now(self):
        if self.record.state in REVIEWABLE_STATES:
            return ""
        return (
            f"An annual review is held on a pilot the council has accepted; this award is "
            f"{self.record.get_state_display().lower()}."
        )

    def record_url(self):
        return award_url(self.record)

    def caption(self):
        return self.record.bid.authority.name

    def get_form(self, data):
        return ReviewForm(data, award=self.record)

    def extra_context(self):
        award = self.record
        return {
            "paid": reviews.paid_total(award),
            "asked_for": reviews.asked_for_total(award),
            "previous": list(award.reviews.select_related("reviewed_by")),
        }

    def perform(self, form):
        data = form.cleaned_data
        return reviews.record_review(
            self.record,
            self.request.user,
            outcome=data["outcome"],
            reasons=data["reasons"],
            base_amount=data.get("base_amount"),
            supplement_amount=data.get("supplement_amount"),
            justification=data.get("supplement_justification", ""),
            to_recover=data.get("to_recover"),
        )

    def success_message(self, review):
        name = self.record.bid.authority.name
        if review.outcome == ReviewOutcome.AMEND:
            return (
                f"Annual review recorded: the award to {name} is now "
                f"{money(review.total_after)}. {name} has been emailed."
            )
        if review.outcome == ReviewOutcome.STOP:
            return f"Annual review recorded: the pilot is stopped and the award withdrawn. {name} has been emailed."
        return f"Annual review recorded: the pilot continues as agreed. {name} has been emailed."
