"""Payments in arrears: the steps an official takes on an instalment (each on the one change
page, core.views.ChangePage), the lead's schedule, and the programme's list of payments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_fsm import can_proceed

from core.money import money
from core.views import ChangePage, pagination, posted

from .. import payments, schedules
from ..forms import NoteForm, PaymentFilter, PaymentForm, ScheduleForm, send_back_form
from ..queries import PAYMENTS_PER_PAGE, payments_in
from .access import get_award, programme_page
from .awards import award_url

MAX_ROWS = 12  # instalments on one schedule, and the empty row to add one


def payments_url(award):
    return award_url(award) + "#payments"


class InstalmentChange(ChangePage):
    """A step on one instalment: its award must be one this person may see (else 404), the
    step theirs to take (else 403), and the instalment where the step can be taken (else back
    to the award, saying why)."""

    permission = ""
    transition = ""
    not_now_on_post = True
    summary_template = "trusts/summaries/instalment.html"

    def find(self, request, pk, number):
        award = get_award(request, pk)
        instalment = get_object_or_404(
            award.instalments.select_related("requested_by", "approved_by"), number=number
        )
        instalment.award = award
        if not request.user.has_perm(self.permission, instalment):
            raise PermissionDenied
        return instalment

    def not_now(self):
        instalment = self.record
        if not can_proceed(getattr(instalment, self.transition)):
            return f"Instalment {instalment.number} is {instalment.get_state_display().lower()}. There is nothing to do here."
        return ""

    def record_url(self):
        return payments_url(self.record.award)

    def caption(self):
        return self.record.award.bid.authority.name

    def extra_context(self):
        return {"instalment": self.record, "payable_from": schedules.payable_from(self.record)}


class SecondOfficial(InstalmentChange):
    """Approving or sending back: never by the official who requested the payment."""

    permission = payments.APPROVE

    def not_now(self):
        if self.record.requested_by_id == self.request.user.pk and self.record.state == "requested":
            return payments.two_person_refusal(self.transition) + "."
        return super().not_now()


class RequestPayment(InstalmentChange):
    permission = payments.REQUEST
    transition = "request"
    form_class = NoteForm
    title = "Request a payment"
    submit_text = "Request the payment"

    @property
    def warning(self):
        return "Another official, a programme lead or an administrator, must approve the payment before it is made."

    def not_now(self):
        return super().not_now() or " ".join(
            schedules.release_problems(self.record, self.record.award, timezone.now())
        )

    def perform(self, form):
        return payments.request(
            self.record, self.request.user, note=form.cleaned_data["note"], expected_state=form.seen_state
        )

    def success_message(self, done):
        return f"Payment of {money(done.amount)} requested. Another official must now approve it."


class ApprovePayment(SecondOfficial):
    transition = "approve"
    form_class = NoteForm
    title = "Approve a payment"
    submit_text = "Approve the payment"

    def perform(self, form):
        return payments.approve(
            self.record, self.request.user, note=form.cleaned_data["note"], expected_state=form.seen_state
        )

    def success_message(self, done):
        return f"Payment of {money(done.amount)} approved. Record it once the finance system has paid it."


class SendBackPayment(SecondOfficial):
    transition = "send_back"
    title = "Send a payment request back"
    submit_text = "Send the request back"

    def get_form(self, data):
        return send_back_form(data, instalment=self.record)

    def perform(self, form):
        return payments.send_back(
            self.record, self.request.user, form.cleaned_data["reason"], expected_state=form.seen_state
        )

    def success_message(self, done):
        return "The payment request has been sent back. The official who requested it has been told."


class RecordPaid(InstalmentChange):
    permission = schedules.RECORD_PAYMENT
    transition = "record_paid"
    form_class = PaymentForm
    title = "Record a payment"
    submit_text = "Record the payment"

    def perform(self, form):
        return payments.record_paid(
            self.record,
            self.request.user,
            reference=form.cleaned_data["reference"],
            paid_on=form.cleaned_data["paid_on"],
            expected_state=form.seen_state,
        )

    def success_message(self, done):
        return f"Payment of {money(done.amount)} to {done.award.bid.authority.name} recorded"


@login_required
def schedule(request, pk):
    """The lead changes an award's payment schedule while no instalment has been requested."""
    award = get_award(request, pk)
    if not request.user.has_perm("trusts.change_schedule", award):
        raise PermissionDenied
    problems = schedules.editable_problems(award)
    if problems:
        messages.info(request, problems[0])
        return redirect(payments_url(award))
    instalments = list(award.instalments.all())
    data = posted(request)
    # The rows on the page: each instalment, and one empty row to add another.
    rows = len(instalments) + 1
    if data is not None and str(data.get("rows", "")).isdecimal():
        rows = int(data["rows"])
    rows = max(1, min(rows, MAX_ROWS))
    initial = {}
    for number, instalment in enumerate(instalments, start=1):
        initial[f"amount_{number}"] = instalment.amount
        initial[f"trigger_{number}"] = instalment.trigger
        if instalment.due_on:
            initial[f"due_on_{number}"] = [
                instalment.due_on.day,
                instalment.due_on.month,
                instalment.due_on.year,
            ]
    form = ScheduleForm(data, award=award, rows=rows, initial=initial)
    if data is not None and form.is_valid():
        try:
            schedules.set_schedule(award, form.cleaned_data["schedule"], request.user)
        except schedules.ScheduleError as error:
            form.add_problems(error.problems)
        else:
            messages.success(request, "Payment schedule saved")
            return redirect(payments_url(award))
    return render(
        request,
        "trusts/schedule_form.html",
        {
            "page_title": "Change the payment schedule",
            "caption": award.bid.authority.name,
            "award": award,
            "form": form,
            "rows": rows,
            "back_url": payments_url(award),
            "cancel_url": payments_url(award),
            "submit_text": "Save the schedule",
        },
    )


@programme_page("trusts.view_payments")
def payment_list(request):
    """Every instalment across the awards, filtered by status (awaiting approval ...) and round."""
    instalments = payments_in()
    filters = PaymentFilter(request.GET or None, queryset=instalments)
    listed = instalments
    if filters.is_bound:
        listed = filters.qs if filters.is_valid() else instalments.none()
    page = Paginator(listed, PAYMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "trusts/payments.html",
        {
            "page_title": "Payments",
            "form": filters.form,
            "page": page,
            "pages": pagination(page, request.GET),
            "filtered": filters.is_bound
            and any(request.GET.get(name) for name in ("state", "funding_round")),
        },
    )
