"""The programme lead approves an interviewed bid and offers its award, on one page: now,
or recorded as pending and offered when the round's pending decisions are released."""

from bids.views.changes import Decide
from core.money import money

from .. import approvals, diligence, releases
from ..awards import committed
from ..forms import ApproveForm


class Approve(Decide):
    doing = "approve"
    verb = "Approve"
    submit_text = "Approve and offer the award"

    def get_form(self, data):
        return ApproveForm(data, bid=self.record)

    def extra_context(self):
        spent, places = committed(self.record.funding_round)
        return {
            **super().extra_context(),
            "committed": spent,
            "places_taken": places,
            "diligence": diligence.latest_check(self.record),
            "diligence_problems": diligence.offer_problems(self.record),
        }

    def offer(self, form):
        """What approving now and staging the approval both pass on: the award and the words."""
        data = form.cleaned_data
        return {
            "base_amount": data["base_amount"],
            "supplement_amount": data["supplement_amount"],
            "justification": data["supplement_justification"],
            "reasons": data["reasons"],
            "feedback": data["feedback"],
            "expected_state": form.seen_state,
            "ggis_reference": data.get("ggis_reference", ""),
        }

    def decide(self, form):
        return approvals.approve(self.record, self.request.user, **self.offer(form))

    def stage(self, form):
        return releases.stage_approval(
            self.record, self.request.user, drawn_from=form.cleaned_data["drawn_from"], **self.offer(form)
        )

    def told_message(self, award):
        bid = self.record
        return (
            f"{bid.reference} approved with an award of {money(award.base_amount + award.supplement_amount)}. "
            f"{bid.authority.name} has been emailed."
        )
