"""The changes officials and councils confirm on a bid, each on the one change page
(core.views.ChangePage): shortlisting, cancelling or recording an interview, reopening an
assessor's scores, rejecting, changing or taking back a pending decision, and a council
withdrawing its bid. Approving, which also offers the award, is the awards layer's
(trusts/views/approval.py).

Shortlisting, rejecting and approving are told to the council now, or recorded as pending
(bids/staging.py) and released with the round's other pending decisions."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.forms.base import ReasonForm
from core.views import ChangePage

from .. import assignment, bookings, deadlines, decisions, interviews, scoring, staging, workflow
from ..forms.assessment import ExcludeAssessorForm, RemoveAssessorForm
from ..forms.council import WithdrawForm
from ..forms.decisions import PendingDecisionForm, RejectForm, ShortlistForm, TakeBackForm
from ..forms.interviews import RecordInterviewForm
from ..models import Assessment, AssignmentExclusion, BidState, Interview, StagedDecision
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


class DraftsFeedback:
    """A change page whose feedback can be drafted from the assessors' comments: a POST with
    action=draft comes back with the feedback filled in and the rest as typed, saving nothing."""

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != "draft":
            return super().post(request, *args, **kwargs)
        form = self.get_form(request.POST)
        form.draft()
        return self.render(form)


class DecisionChange(DraftsFeedback, BidChange):
    """A decision told to the council now, or recorded as pending (the form's `when`).
    While a decision is pending the bid's decision pages send the lead back to it."""

    def not_now(self):
        self.pending = staging.pending_for(self.record)
        if self.pending is not None:
            return workflow.pending_sentence(self.pending)
        return super().not_now()

    def perform(self, form):
        if form.later:
            self.staged = True
            return self.stage(form)
        self.staged = False
        return self.decide(form)  # the door refuses it while a decision is pending

    def success_message(self, done):
        if self.staged:
            return (
                f"Decision on {self.record.reference} recorded as pending: "
                f"{done.get_outcome_display().lower()}. {self.record.authority.name} has not been told: "
                "release the round's pending decisions when you are ready."
            )
        return self.told_message(done)


class Shortlist(DecisionChange):
    states = [BidState.UNDER_ASSESSMENT]
    doing = "shortlist"
    heading = "Shortlisting decision"
    form_class = ShortlistForm
    submit_text = "Save decision"
    summary_template = "bids/summaries/score.html"

    def extra_context(self):
        return {**super().extra_context(), "effective_score": scoring.effective_score(self.record)}

    def decide(self, form):
        return workflow.change_state(
            self.record,
            form.cleaned_data["decision"],
            self.request.user,
            reason=form.cleaned_data["reason"],
            expected_state=form.seen_state,
        )

    def stage(self, form):
        data = form.cleaned_data
        return staging.stage(
            self.record,
            self.request.user,
            outcome=data["decision"],
            reasons=data["reason"],
            feedback=data["feedback"],
            drawn_from=data["drawn_from"],
            expected_state=form.seen_state,
        )

    def told_message(self, bid):
        verb = "shortlisted" if bid.state == BidState.SHORTLISTED else "not shortlisted"
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

    def not_now(self):
        return super().not_now() or interviews.too_early(self.interview, "record the interview")

    def extra_context(self):
        context = super().extra_context()
        if context["interview"] is not None:
            context["panel_scores"] = interviews.panel_scores(context["interview"])
        return context

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


class Decide(DecisionChange):
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

    def decide(self, form):
        return decisions.reject(
            self.record,
            self.request.user,
            reasons=form.cleaned_data["reasons"],
            feedback=form.cleaned_data["feedback"],
            expected_state=form.seen_state,
        )

    def stage(self, form):
        data = form.cleaned_data
        return staging.stage(
            self.record,
            self.request.user,
            outcome=StagedDecision.Outcome.REJECT,
            reasons=data["reasons"],
            feedback=data["feedback"],
            drawn_from=data["drawn_from"],
            expected_state=form.seen_state,
        )

    def told_message(self, decision):
        return f"{self.record.reference} rejected. {self.record.authority.name} has been emailed."


class PendingDecisionChange(BidChange):
    """A change to the bid's pending decision: there must be one."""

    not_now_on_post = True

    def not_now(self):
        if self.staged is None:
            return f"{self.record.reference} has no pending decision."
        return ""

    def find(self, request, reference, **kwargs):
        bid = super().find(request, reference)
        self.staged = staging.pending_for(bid)
        if self.staged is not None:
            self.staged.bid = bid
        return bid

    def extra_context(self):
        return {**super().extra_context(), "staged": self.staged}

    def caption(self):
        return f"{self.record.authority.name}: {self.record.reference}"

    def record_url(self):
        return reverse("bids:pending-decisions", kwargs={"round_slug": self.record.funding_round.slug})


class ChangePendingDecision(DraftsFeedback, PendingDecisionChange):
    submit_text = "Save the pending decision"
    summary_template = "bids/summaries/pending_decision.html"

    @property
    def title(self):
        return f"Pending decision: {self.staged.get_outcome_display().lower()}"

    def get_form(self, data):
        return PendingDecisionForm(data, staged=self.staged)

    def perform(self, form):
        data = form.cleaned_data
        return staging.revise(
            self.staged,
            self.request.user,
            reasons=data["reasons"],
            feedback=data["feedback"],
            drawn_from=data["drawn_from"],
        )

    def success_message(self, staged):
        return f"The pending decision on {self.record.reference} has been changed. It has not been released."


class TakeBackDecision(PendingDecisionChange):
    submit_text = "Take the decision back"
    summary_template = "bids/summaries/pending_decision.html"
    destructive = True

    @property
    def title(self):
        return f"Take back the pending decision to {self.staged.get_outcome_display().lower()}"

    @property
    def warning(self):
        return (
            f"The decision will not be released. {self.record.reference} stays "
            f"{self.record.get_state_display().lower()} and you can decide again."
        )

    def get_form(self, data):
        return TakeBackForm(data)

    def perform(self, form):
        return staging.drop(self.staged, self.request.user, reason=form.cleaned_data["reason"])

    def success_message(self, staged):
        return f"The pending decision on {self.record.reference} has been taken back. Nothing was sent."


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


class AssessorsChange(BidChange):
    """A change to who may assess the bid, made from its assessors page and back to it."""

    states = assignment.ASSIGNABLE_STATES
    doing = "change the assessors of"
    not_now_on_post = True

    def record_url(self):
        if self.record.state in self.states:
            return reverse("bids:bid-assessors", kwargs={"reference": self.record.reference})
        return bid_url(self.record)  # the assessors page would only send the lead on there

    def caption(self):
        return f"{self.record.authority.name}: {self.record.reference}"


class RemoveAssessor(AssessorsChange):
    """Taking an assessor off the bid, once the lead has read what happens to their scores."""

    form_class = RemoveAssessorForm
    destructive = True
    summary_template = "bids/summaries/remove_assessor.html"

    def find(self, request, reference, assessor_pk):
        bid = super().find(request, reference)
        # assessor__pk, not assessor_id: a lookup on the user's own id treats an id past the
        # database's largest (which SQLite cannot even compare) as matching nothing.
        self.assignment = get_object_or_404(
            bid.assignments.select_related("assessor"), assessor__pk=assessor_pk
        )
        self.assessment = Assessment.objects.filter(bid=bid, assessor=self.assignment.assessor).first()
        return bid

    @property
    def assessor(self):
        return self.assignment.assessor

    @property
    def title(self):
        return f"Remove {self.assessor.full_name} from this bid"

    @property
    def submit_text(self):
        return f"Remove {self.assessor.full_name}"

    @property
    def warning(self):
        if self.assessment and self.assessment.state == Assessment.State.DRAFT:
            return f"{self.assessor.full_name}'s draft scores will be deleted. This cannot be undone."
        return ""

    def extra_context(self):
        return {
            **super().extra_context(),
            "assessor": self.assessor,
            "assessment": self.assessment,
            "left": self.record.assignments.count() - 1,
            "per_bid": assignment.ASSESSORS_PER_BID,
        }

    def perform(self, form):
        return assignment.unassign(
            self.record, self.assessor, self.request.user, expected_state=form.seen_state
        )

    def success_message(self, done):
        return f"{self.assessor.full_name} is no longer assessing {self.record.reference}"


class ExcludeAssessor(AssessorsChange):
    """The lead keeps an assessor off the bid, with a reason; assigning passes them over."""

    doing = "exclude assessors from"
    title = "Exclude an assessor from this bid"
    form_class = ExcludeAssessorForm
    submit_text = "Exclude assessor"
    problem_field = "assessor"
    warning = (
        "An assessor who is on this bid now comes off it, and any scores they have not submitted "
        "are deleted. Neither automatic assignment nor you can assign them to it until the exclusion is lifted."
    )

    def perform(self, form):
        self.assessor = form.cleaned_data["assessor"]
        return assignment.exclude(
            self.record,
            self.assessor,
            self.request.user,
            form.cleaned_data["reason"],
            expected_state=form.seen_state,
        )

    def success_message(self, exclusion):
        return f"{self.assessor.full_name} is excluded from {self.record.reference}"


class IncludeAssessor(AssessorsChange):
    """Lifting the lead's exclusion of an assessor from the bid, with a reason."""

    doing = "change the exclusions of"
    summary_template = "bids/summaries/exclusion.html"

    def find(self, request, reference, assessor_pk):
        bid = super().find(request, reference)
        self.exclusion = get_object_or_404(
            AssignmentExclusion.objects.select_related("assessor", "excluded_by"),
            bid=bid,
            assessor__pk=assessor_pk,
        )
        return bid

    @property
    def title(self):
        return f"Let {self.exclusion.assessor.full_name} assess this bid again"

    @property
    def submit_text(self):
        return f"Lift the exclusion of {self.exclusion.assessor.full_name}"

    def extra_context(self):
        return {**super().extra_context(), "exclusion": self.exclusion}

    def get_form(self, data):
        return ReasonForm(
            data,
            record=self.record,
            label="Why can they assess this bid now?",
            hint="Recorded in the bid's history. This does not assign them: add them from the bid's "
            "assessors page, or let automatic assignment choose them.",
            required_message="Enter the reason they can assess this bid again",
        )

    def perform(self, form):
        return assignment.include_again(
            self.record,
            self.exclusion.assessor,
            self.request.user,
            form.cleaned_data["reason"],
            expected_state=form.seen_state,
        )

    def success_message(self, exclusion):
        return f"{exclusion.assessor.full_name} can be assigned to {self.record.reference} again"
