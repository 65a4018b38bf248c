"""The changes a person makes to an award, each on the one change page (core.views.ChangePage):
the council accepts or declines; the lead confirms the consultation condition or withdraws
the offer. Payments have their own pages (trusts/views/payments.py)."""

from django.core.exceptions import PermissionDenied
from django_fsm import can_proceed

from core.views import ChangePage

from .. import agreements, awards
from ..awards import describe_audiences
from ..forms import AcceptForm, ConditionsMetForm, decline_form, withdraw_form
from ..queries import consultation_progress
from .access import get_award
from .awards import award_url


class AwardChange(ChangePage):
    """A change to one award: the award must be one this person may see (else 404), the
    change theirs to make (else 403), and the award where the change can be made (else back
    to the award page, saying why)."""

    permission = ""
    transition = ""
    not_now_on_post = True

    def find(self, request, pk):
        award = get_award(request, pk)
        if not request.user.has_perm(self.permission, award):
            raise PermissionDenied
        return award

    def not_now(self):
        if can_proceed(getattr(self.record, self.transition)):
            return ""
        return f"This award is {self.record.get_state_display().lower()}. There is nothing to do here."

    def record_url(self):
        return award_url(self.record)

    def caption(self):
        return self.record.bid.authority.name


class Accept(AwardChange):
    permission = "trusts.respond_to_award"
    transition = "accept"
    form_class = AcceptForm
    title = "Accept the award and sign the grant agreement"
    submit_text = "Accept and sign"
    summary_template = "trusts/summaries/accept.html"

    def extra_context(self):
        return {
            "clauses": agreements.clauses(self.record.terms),
            "schedule": agreements.schedule_of(self.record),
        }

    def perform(self, form):
        return awards.accept(
            self.record,
            self.request.user,
            signatory_name=form.cleaned_data["signatory_name"],
            signatory_job_title=form.cleaned_data["signatory_job_title"],
            expected_state=form.seen_state,
        )

    def success_message(self, accepted):
        return (
            f"You have accepted the award and signed its grant agreement. {accepted.trust.name} is set up: "
            "record your consultation below."
        )


class Decline(AwardChange):
    permission = "trusts.respond_to_award"
    transition = "decline"
    title = "Decline the award"
    submit_text = "Decline the award"
    summary_template = "trusts/summaries/decline.html"

    @property
    def warning(self):
        short = self.record.bid.authority.short_name
        return (
            f"If you decline, {short} will not run a pilot trust in this round and will not receive the "
            "funding. The place may be offered to another council. You cannot undo this."
        )

    def get_form(self, data):
        return decline_form(data, award=self.record)

    def perform(self, form):
        return awards.decline(
            self.record, self.request.user, form.cleaned_data["reason"], expected_state=form.seen_state
        )

    def success_message(self, declined):
        return "You have declined the award. The programme team has been told."


class ConditionsMet(AwardChange):
    permission = "trusts.manage_awards"
    transition = "mark_conditions_met"
    form_class = ConditionsMetForm
    title = "Confirm the consultation condition is met"
    submit_text = "Confirm the condition is met"
    summary_template = "trusts/summaries/consultation.html"

    def extra_context(self):
        award = self.record
        missing = awards.missing_audiences(award)
        return {
            "progress": consultation_progress(award, list(award.consultation_activities.all())),
            "missing": describe_audiences(missing),
            "hide_form": bool(missing),
            "return_text": "Return to the award",
        }

    def perform(self, form):
        return awards.mark_conditions_met(
            self.record, self.request.user, form.cleaned_data["note"], expected_state=form.seen_state
        )

    def success_message(self, award):
        return "The consultation condition is met. You can now request the first payment."


class Withdraw(AwardChange):
    permission = "trusts.manage_awards"
    transition = "withdraw"
    title = "Withdraw the offer"
    submit_text = "Withdraw the offer"
    summary_template = "trusts/summaries/withdraw.html"

    @property
    def warning(self):
        short = self.record.bid.authority.short_name
        return (
            f"{short} will be told by email and will not be paid. The money and the pilot place return to "
            "the round's budget. You cannot undo this."
        )

    def get_form(self, data):
        return withdraw_form(data, award=self.record)

    def perform(self, form):
        return awards.withdraw(
            self.record, self.request.user, form.cleaned_data["reason"], expected_state=form.seen_state
        )

    def success_message(self, withdrawn):
        return f"The offer to {withdrawn.bid.authority.name} has been withdrawn."
