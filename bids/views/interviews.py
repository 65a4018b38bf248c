"""Booking and rearranging interviews, the calendar invitation a bid's interview has, and
each panel member's own score. Cancelling and recording are on the one change page
(bids/views/changes.py), as is a member's score."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from core.london import london
from core.views import posted

from .. import (
    bookings,
    interviews,
    invitations,
    workflow,
)
from ..forms.interviews import InterviewForm, MemberScoreForm, RescheduleForm
from ..models import BidState, Interview, InterviewScore
from .access import bid_url, bid_view
from .changes import BidChange
from .programme import not_now

# Interviews ------------------------------------------------------------------------------


@bid_view("bids.manage_assessment")
def schedule_interview(request, bid):
    if bid.state != BidState.SHORTLISTED and request.method == "GET":
        return not_now(request, bid, "schedule an interview for")
    form = InterviewForm(posted(request), bid=bid)
    return booking_page(
        request,
        bid,
        form,
        book=lambda: interviews.schedule(bid, request.user, expected_state=form.seen_state, **form.booking()),
        done="Interview booked for {when}. {council} has been sent the invitation.",
        title="Schedule an interview",
        submit_text="Book interview",
    )


@bid_view("bids.manage_assessment")
def reschedule_interview(request, bid):
    interview = bookings.scheduled_interview(bid)
    if (interview is None or bid.state != BidState.INTERVIEW_SCHEDULED) and request.method == "GET":
        return not_now(request, bid, "rearrange the interview for")
    form = RescheduleForm(posted(request), bid=bid, interview=interview)
    return booking_page(
        request,
        bid,
        form,
        book=lambda: interviews.reschedule(
            bid,
            request.user,
            reason=form.cleaned_data["reason"],
            expected_state=form.seen_state,
            **form.booking(),
        ),
        done="Interview moved to {when}. {council} has been sent the updated invitation.",
        title="Rearrange the interview",
        submit_text="Save and send update",
        interview=interview,
    )


def booking_page(request, bid, form, *, book, done, title, submit_text, interview=None):
    """Booking and rearranging: the same form, a different verb and words."""
    if request.method == "POST" and form.is_valid():
        try:
            booked = book()
        except workflow.WorkflowError as error:
            form.add_problems(error.problems)
        else:
            messages.success(request, done.format(when=london(booked.starts_at), council=bid.authority.name))
            return redirect(bid_url(bid))
    return render(
        request,
        "bids/programme/interview_form.html",
        {
            "page_title": f"{title}: {bid.authority.name}",
            "caption": bid.reference,
            "bid": bid,
            "form": form,
            "interview": interview,
            "submit_text": submit_text,
            "back_url": bid_url(bid),
            "cancel_url": bid_url(bid),
        },
    )


@bid_view("bids.view_interview")
def interview_ics(request, bid):
    """The current invitation for the bid's interview, to add to a calendar."""
    interview = (
        bid.interviews.filter(state__in=[Interview.State.SCHEDULED, Interview.State.CANCELLED])
        .select_related("bid__authority", "bid__funding_round", "scheduled_by")
        .order_by("-scheduled_at", "-pk")
        .first()
    )
    if interview is None:
        raise Http404
    # Officials' copy names the panel; the council's does not (bids/invitations.py).
    filename, content, mimetype = invitations.invitation_attachment(
        interview, for_panel=request.user.has_perm("bids.view_assessment", bid)
    )
    response = HttpResponse(content, content_type=f"{mimetype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MemberScore(BidChange):
    """A panel member's own score and comment, once the interview has started and until the
    panel records it. Only the interview's panel members: any other official gets 403."""

    permission = "bids.view_assessment"
    heading = "Your interview score"
    form_class = MemberScoreForm
    submit_text = "Save your score"
    summary_template = "bids/summaries/interview_member_score.html"

    def find(self, request, reference):
        bid = super().find(request, reference)
        self.interview = interviews.member_interview(bid, request.user)
        if self.interview is None:
            raise PermissionDenied
        return bid

    def not_now(self):
        return interviews.member_score_problem(self.interview, self.request.user)

    def get_form(self, data):
        own = InterviewScore.objects.filter(interview=self.interview, member=self.request.user).first()
        initial = {"score": own.score, "comment": own.comment} if own else None
        return MemberScoreForm(data, record=self.record, initial=initial)

    def extra_context(self):
        return {**super().extra_context(), "interview": self.interview}

    def perform(self, form):
        return interviews.score_as_member(
            self.record,
            self.request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            expected_state=form.seen_state,
        )

    def success_message(self, own):
        return (
            f"Your interview score for {self.record.reference} is saved. You can change it until the panel "
            "records the interview."
        )
