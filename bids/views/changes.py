"""The changes officials and councils confirm on a bid, each on the one change page
(core.views.ChangePage): shortlisting, cancelling or recording an interview, reopening an
assessor's scores, rejecting, and a council withdrawing its bid. Approving, which also
offers the award, is the awards layer's (trusts/views/approval.py)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.forms.base import ReasonForm
from core.views import ChangePage

from .. import bookings, deadlines, decisions, interviews, scoring, workflow
from ..forms.council import WithdrawForm
from ..forms.decisions import RejectForm, ShortlistForm
from ..forms.interviews import RecordInterviewForm
from ..models import Assessment, BidState, Interview
from ..queries import bids_for
from .access import bid_url


class BidChange(ChangePage):
    """A change to one bid: found through bids_for (404 if this person may not see it), the
    page's permission asked on it (403), and on a GET, the bid in a state where the change
    can be made (else back to the bid, saying why)."""

    permission = "bids.manage_assessment"
    states = ()
    doing = ""

    def find(self, request, reference, **kwargs):
        bid = get_object_or_404(
            bids_for(request.user).select_related("funding_round", "authority"), reference=reference
        )
        if not request.user.has_perm(self.permission, bid):
            raise PermissionDenied
        return bid

    def not_now(self):
        if self.record.state in self.states:
            return ""
        return f"You cannot {self.doing} a bid that is {self.record.get_state_display().lower()}."

    def record_url(self):
        return bid_url(self.record)

    def caption(self):
        return self.record.reference

    def extra_context(self):
        return {"bid": self.record}

    @property
    def title(self):
        return f"{self.heading}: {self.record.authority.name}"


class Shortlist(BidChange):
    states = [BidState.UNDER_ASSESSMENT]
    doing = "shortlist"
    heading = "Shortlisting decision"
    form_class = ShortlistForm
    submit_text = "Save decision"
    summary_template = "bids/summaries/score.html"

    def extra_context(self):
        return {**super().extra_context(), "effective_score": scoring.effective_score(self.record)}

    def perform(self, form):
        self.decision = form.cleaned_data["decision"]
        return workflow.change_state(
            self.record,
            self.decision,
            self.request.user,
            reason=form.cleaned_data["reason"],
            expected_state=form.seen_state,
        )

    def success_message(self, bid):
        verb = "shortlisted" if self.decision == "shortlist" else "not shortlisted"
        return f"{bid.reference} has been {verb}. {bid.authority.name} has been emailed."


class InterviewChange(BidChange):
    """A change to the bid's booked interview."""

    states = [BidState.INTERVIEW_SCHEDULED]

    def not_now(self):
        self.interview = bookings.scheduled_interview(self.record)
        if self.interview is None:
            return f"You cannot {self.doing} a bid that is {self.record.get_state_display().lower()}."
        return super().not_now()

    def extra_context(self):
        return {**super().extra_context(), "interview": bookings.scheduled_interview(self.record)}


class CancelInterview(InterviewChange):
    doing = "cancel the interview for"
    heading = "Cancel the interview"
    submit_text = "Cancel the interview"
    summary_template = "bids/summaries/interview.html"
    warning = "The council and the panel are told at once, and calendars drop the interview."

    def get_form(self, data):
        return ReasonForm(
            data,
            record=self.record,
            label="Why is the interview being cancelled?",
            hint="The council is sent this reason with the cancellation. "
            "The bid goes back to shortlisted, so you can book another time.",
            required_message="Enter the reason for cancelling the interview",
        )

    def perform(self, form):
        return interviews.cancel(
            self.record, self.request.user, form.cleaned_data["reason"], expected_state=form.seen_state
        )

    def success_message(self, bid):
        return f"Interview cancelled. {bid.authority.name} has been sent the cancellation."


class RecordInterview(InterviewChange):
    permission = "bids.record_interview"
    doing = "record the interview for"
    heading = "Record the interview"
    form_class = RecordInterviewForm
    submit_text = "Save interview record"
    summary_template = "bids/summaries/interview_held.html"

    def perform(self, form):
        return interviews.record(
            self.record,
            self.request.user,
            notes=form.cleaned_data["notes"],
            score=form.cleaned_data["score"],
            expected_state=form.seen_state,
        )

    def success_message(self, bid):
        return f"Interview recorded. {bid.reference} is now interviewed."


class ReopenScores(BidChange):
    submit_text = "Reopen scores"

    def find(self, request, reference, assessment_pk):
        bid = super().find(request, reference)
        self.assessment = get_object_or_404(
            Assessment.objects.select_related("assessor"), pk=assessment_pk, bid=bid
        )
        return bid

    def not_now(self):
        return ""

    @property
    def title(self):
        return f"Reopen {self.assessment.assessor.full_name}'s scores"

    def caption(self):
        return f"{self.record.authority.name}: {self.record.reference}"

    def record_url(self):
        return reverse("bids:moderate", kwargs={"reference": self.record.reference})

    def get_form(self, data):
        return ReasonForm(
            data,
            record=self.record,
            label="Why are you reopening these scores?",
            hint=f"{self.assessment.assessor.full_name} is emailed this reason and can change and submit "
            "the scores again.",
            required_message="Enter the reason for reopening these scores",
        )

    def perform(self, form):
        return scoring.reopen(
            self.assessment, self.request.user, form.cleaned_data["reason"], expected_state=form.seen_state
        )

    def success_message(self, assessment):
        return f"{assessment.assessor.full_name}'s scores for {self.record.reference} are open again"


class Decide(BidChange):
    """Approving (trusts/views/approval.py) and rejecting: the bid's scores and request."""

    states = [BidState.INTERVIEWED]
    summary_template = "bids/summaries/decision.html"

    def extra_context(self):
        held = self.record.interviews.filter(state=Interview.State.HELD).order_by("-recorded_at").first()
        return {
            **super().extra_context(),
            "verb": self.verb,
            "effective_score": scoring.effective_score(self.record),
            "interview": held,
        }

    @property
    def title(self):
        return f"{self.verb} {self.record.authority.name}'s bid"


class Reject(Decide):
    doing = "reject"
    verb = "Reject"
    form_class = RejectForm
    submit_text = "Reject the bid"

    def perform(self, form):
        return decisions.reject(
            self.record,
            self.request.user,
            reasons=form.cleaned_data["reasons"],
            feedback=form.cleaned_data["feedback"],
            expected_state=form.seen_state,
        )

    def success_message(self, decision):
        return f"{self.record.reference} rejected. {self.record.authority.name} has been emailed."


class Withdraw(BidChange):
    """The council withdraws its own bid, with a reason the programme team reads."""

    permission = "bids.view_bid"
    title = "Withdraw your bid"
    submit_text = "Withdraw bid"
    destructive = True
    not_now_on_post = True
    stale_goes_back = True
    problem_field = "reason"
    summary_template = "bids/summaries/withdraw.html"

    def find(self, request, reference):
        bid = super().find(request, reference)
        if not request.user.is_council:
            raise PermissionDenied
        return bid

    def not_now(self):
        if self.request.user.has_perm("bids.withdraw_bid", self.record):
            return ""
        return (
            f"{self.record.reference} is {self.record.get_state_display().lower()}: it cannot be withdrawn."
        )

    @property
    def warning(self):
        return f"If you withdraw {self.record.reference}, the Department of Health will stop considering it."

    def caption(self):
        return f"{self.record.authority.name}: {self.record.reference}"

    def extra_context(self):
        bid = self.record
        return {
            **super().extra_context(),
            "can_copy_later": deadlines.is_open_for(bid.funding_round, bid.authority),
        }

    def get_form(self, data):
        return WithdrawForm(data)

    def perform(self, form):
        return workflow.change_state(
            self.record,
            "withdraw",
            self.request.user,
            reason=form.cleaned_data["reason"],
            expected_state=self.record.state,
        )

    def success_message(self, bid):
        return f"You have withdrawn {bid.reference}"
