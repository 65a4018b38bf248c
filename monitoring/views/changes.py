"""The changes a person makes to a return, each on the one change page (core.views.ChangePage):
the council checks its answers and sends the return for certification; another officer of
the council certifies and submits it, or sends it back to draft; the programme lead accepts
it or asks for changes."""

from django.core.exceptions import PermissionDenied
from django_fsm import can_proceed

from core.london import long_date
from core.views import ChangePage

from .. import returns
from ..forms import AcceptForm, CertifyForm, CheckAnswersForm, changes_form, send_back_form
from ..returns import missing_answers, preparer_problems
from .access import form_url, get_return, return_url


class ReturnChange(ChangePage):
    """A change to one return: the return must be one this person may see (else 404), the
    change theirs to make (else 403), and the return where the change can be made (else
    back to the return's page, saying why)."""

    permission = ""
    transition = ""
    not_now_on_post = True
    summary_template = "monitoring/summaries/return.html"

    def find(self, request, pk):
        monitoring_return = get_return(request, pk)
        if not request.user.has_perm(self.permission, monitoring_return):
            raise PermissionDenied
        return monitoring_return

    def not_now(self):
        if can_proceed(getattr(self.record, self.transition)):
            return ""
        return f"This return is {self.record.get_state_display().lower()}. There is nothing to do here."

    def record_url(self):
        return return_url(self.record)

    def caption(self):
        return f"{self.record.award.bid.authority.name}: return {self.record.period}, due {long_date(self.record.due_on)}"

    def extra_context(self):
        return {"monitoring_return": self.record, "milestones": list(self.record.milestones.all())}


class SendForCertification(ReturnChange):
    """Check your answers, then send the return to a colleague to certify."""

    permission = returns.PREPARE
    transition = "send_for_certification"
    form_class = CheckAnswersForm
    title = "Check your answers before sending the return for certification"
    submit_text = "Send for certification"
    summary_template = "monitoring/summaries/check_answers.html"

    def extra_context(self):
        missing = missing_answers(self.record)
        return {
            **super().extra_context(),
            "change_url": form_url(self.record),
            "missing": missing,
            "hide_form": bool(missing),
            "return_text": "Complete the return",
            "back_url": form_url(self.record),
            "cancel_url": form_url(self.record),
        }

    def perform(self, form):
        return returns.send_for_certification(self.record, self.request.user, expected_state=form.seen_state)

    def success_message(self, sent):
        name = sent.award.bid.authority.name
        return (
            f"Return {sent.period} has been sent for certification. We have emailed the other officers of "
            f"{name}: one of them must now certify and submit it."
        )


class Certify(ReturnChange):
    permission = returns.CERTIFY
    transition = "certify"
    form_class = CertifyForm
    title = "Certify and submit the return"
    submit_text = "Certify and submit"

    def not_now(self):
        too_late = super().not_now()
        if too_late:
            return too_late
        # The preparer is sent back with the door's own words (monitoring/returns.py).
        prepared_it = preparer_problems(self.record, self.request.user)
        return f"{prepared_it[0]}." if prepared_it else ""

    @property
    def warning(self):
        return (
            "Once you submit it, the return goes to the Department of Health. You cannot change it unless "
            "the programme team asks for changes."
        )

    def perform(self, form):
        return returns.certify(self.record, self.request.user, expected_state=form.seen_state)

    def success_message(self, certified):
        return f"Return {certified.period} is certified and submitted to the Department of Health."


class SendBack(ReturnChange):
    permission = returns.CERTIFY
    transition = "send_back"
    title = "Send the return back to draft"
    submit_text = "Send back to draft"

    def get_form(self, data):
        return send_back_form(data, monitoring_return=self.record)

    def perform(self, form):
        return returns.send_back(
            self.record, self.request.user, form.cleaned_data["reason"], expected_state=form.seen_state
        )

    def success_message(self, returned):
        return f"Return {returned.period} is back in draft. Its preparer has been told what to put right."


class Accept(ReturnChange):
    permission = returns.DECIDE
    transition = "accept"
    form_class = AcceptForm
    title = "Accept the return"
    submit_text = "Accept the return"

    def perform(self, form):
        return returns.accept(
            self.record, self.request.user, form.cleaned_data["note"], expected_state=form.seen_state
        )

    def success_message(self, accepted):
        first = returns.first_accepted(accepted.award)
        also = " It is the award's first accepted return." if first and first.pk == accepted.pk else ""
        return f"Return {accepted.period} from {accepted.award.bid.authority.name} accepted.{also}"


class RequestChanges(ReturnChange):
    permission = returns.DECIDE
    transition = "request_changes"
    title = "Ask for changes to the return"
    submit_text = "Ask for changes"

    def get_form(self, data):
        return changes_form(data, monitoring_return=self.record)

    def perform(self, form):
        return returns.request_changes(
            self.record, self.request.user, form.cleaned_data["reason"], expected_state=form.seen_state
        )

    def success_message(self, returned):
        return (
            f"Return {returned.period} has been sent back to {returned.award.bid.authority.name} for changes. "
            "It will be certified again before it comes back to you."
        )
