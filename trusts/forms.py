"""Forms for awards, consultation and reports, in the GOV.UK Design System's patterns."""

from decimal import Decimal

import django_filters
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Div, Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from bids.forms.decisions import RejectForm
from bids.forms.setup import ggis_reference
from bids.models import FundingRound
from core.forms import widgets
from core.forms.base import (
    GovForm,
    ReasonForm,
    StateForm,
    WordLimit,
    counted_textarea,
    helper,
    words_at_most,
)
from core.forms.fields import DATE_PARTS, DateField, MoneyField
from core.forms.layout import Reveal, money
from core.money import money as money_text

from .enums import (
    Audience,
    AwardState,
    CheckKind,
    CheckResult,
    ExportFormat,
    InstalmentState,
    PaymentTrigger,
    ReviewOutcome,
)
from .evidence import check_evidence
from .exports import giving
from .models import FundingAward, Instalment

MAX_REASON_WORDS = 300
MAX_SUMMARY_WORDS = 300
MAX_PEOPLE = 10_000_000


# Every round, newest first, as a select offers them: only what an option shows of each. A
# programme that runs a round every few months has hundreds after some years.
ROUND_CHOICES = FundingRound.objects.only("slug", "name").order_by("-opens_at", "-pk")


def round_and_status_filter(model, round_path, statuses, doc):
    """A list's filters by round and by status, side by side, read from the query string:
    the awards, payments and monitoring returns lists each have one."""

    class Meta:
        fields = ["funding_round", "state"]

    Meta.model = model

    def __init__(self, *args, **kwargs):
        django_filters.FilterSet.__init__(self, *args, **kwargs)
        self.form.helper = helper(
            Div(
                Div(Field.select("funding_round"), css_class="govuk-grid-column-one-third"),
                Div(Field.select("state"), css_class="govuk-grid-column-one-third"),
                css_class="govuk-grid-row",
            )
        )

    return type(
        f"{model.__name__}Filter",
        (django_filters.FilterSet,),
        {
            "__doc__": doc,
            "__module__": __name__,
            "funding_round": django_filters.ModelChoiceFilter(
                label="Round",
                field_name=round_path,
                queryset=ROUND_CHOICES,
                to_field_name="slug",
                empty_label="All rounds",
                widget=widgets.Select,
            ),
            "state": django_filters.ChoiceFilter(
                label="Status", choices=statuses, empty_label="All statuses", widget=widgets.Select
            ),
            "Meta": Meta,
            "__init__": __init__,
        },
    )


# Awards -------------------------------------------------------------------------------


class AcceptForm(StateForm):
    """Accepting is signing the grant agreement: by a named person with authority to commit
    the council, who confirms it."""

    signatory_name = forms.CharField(
        label="Full name of the person signing for the council",
        max_length=200,
        error_messages={
            "required": "Enter the full name of the person signing for the council",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    signatory_job_title = forms.CharField(
        label="Their job title",
        help_text="For example, Director of Children's Services or Chief Executive.",
        max_length=200,
        error_messages={
            "required": "Enter the job title of the person signing for the council",
            "max_length": "The job title must be 200 characters or fewer",
        },
    )
    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        name = record.bid.authority.name
        self.fields["confirm"].label = (
            f"I confirm that I have authority to commit {name} to this grant agreement, and that {name} "
            "accepts the award on these terms"
        )
        self.fields["confirm"].error_messages["required"] = (
            f"Confirm that you have authority to commit {name} and that it accepts the award on these terms"
        )
        self.helper = helper(
            "expected_state",
            Fieldset(
                Field.text("signatory_name", field_width=30, autocomplete="name"),
                Field.text("signatory_job_title", field_width=30, autocomplete="organization-title"),
                Field.checkbox("confirm"),
                legend="Sign the agreement",
                legend_size=Size.MEDIUM,
            ),
        )


def decline_form(data=None, *, award):
    name = award.bid.authority.name
    return ReasonForm(
        data,
        record=award,
        label=f"Why is {name} declining the award?",
        hint="The programme team reads this. It helps them offer the place to another council.",
        required_message=f"Enter the reason {name} is declining the award",
    )


def withdraw_form(data=None, *, award):
    return ReasonForm(
        data,
        record=award,
        label="Why are you withdrawing the offer?",
        hint=f"{award.bid.authority.name} will see this reason in the email telling them.",
        required_message="Enter the reason you are withdrawing the offer",
    )


class NoteForm(StateForm):
    """A change confirmed with optional notes for the award's history: the consultation
    condition met, a payment requested or approved."""

    note = forms.CharField(
        label="Notes (optional)",
        help_text="Recorded in the award's history.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[WordLimit(MAX_REASON_WORDS, f"Notes must be {MAX_REASON_WORDS} words or fewer")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("expected_state", Field.textarea("note", max_words=MAX_REASON_WORDS))


class ConditionsMetForm(NoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "note"
        ].help_text = "For example, how you checked the consultation. Recorded in the award's history."


# Payments ------------------------------------------------------------------------------


def send_back_form(data=None, *, instalment):
    return ReasonForm(
        data,
        record=instalment,
        label="Why are you sending this payment request back?",
        hint="The official who requested it will see this reason in the email telling them.",
        required_message="Enter the reason you are sending the payment request back",
    )


class PaymentForm(StateForm):
    """The payment of an approved instalment, as the finance system made it."""

    reference = forms.CharField(
        label="Payment reference",
        help_text="As it appears in the finance system, for example DH-PAY-2003-0142.",
        max_length=60,
        error_messages={
            "required": "Enter the payment reference",
            "max_length": "Payment reference must be 60 characters or fewer",
        },
    )
    paid_on = DateField(
        subject="the date the payment was made", not_in_future=True, label="Date the payment was made"
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.instalment = record
        self.fields["paid_on"].help_text = f"For example, {timezone.localdate():%-d %-m %Y}"
        self.helper = helper(
            "expected_state",
            Field.text("reference", field_width=20),
            Field("paid_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        approved = self.instalment.approved_at
        if paid_on and approved and paid_on < timezone.localtime(approved).date():
            self.fields["paid_on"].widget.error_parts = DATE_PARTS
            raise ValidationError(
                f"The date the payment was made must be on or after {timezone.localtime(approved):%-d %B %Y}, "
                "when the payment was approved"
            )
        return paid_on


class ScheduleForm(GovForm):
    """An award's instalments, one row of fields each (amount, when it becomes payable, the
    date for one paid on a date), a box to remove each, and one empty row to add another."""

    def __init__(self, *args, award, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.award = award
        self.rows = rows
        layout = []
        for number in range(1, rows + 1):
            self.fields[f"amount_{number}"] = MoneyField(
                subject=f"the amount of instalment {number}",
                label="Amount",
                required=False,
            )
            self.fields[f"trigger_{number}"] = forms.ChoiceField(
                label="When it becomes payable",
                choices=PaymentTrigger.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"due_on_{number}"] = DateField(
                subject=f"the date instalment {number} becomes payable",
                label="Date",
                required=False,
                help_text="For an instalment paid on or after a date, for example 1 4 2004.",
            )
            self.fields[f"remove_{number}"] = forms.BooleanField(
                label=f"Remove instalment {number}", required=False
            )
            layout.append(
                Fieldset(
                    money(f"amount_{number}"),
                    Field.radios(f"trigger_{number}", legend_size=Size.SMALL),
                    Field(f"due_on_{number}", context={"legend_size": Size.for_legend(Size.SMALL)}),
                    Field.checkbox(f"remove_{number}", small=True),
                    legend=f"Instalment {number}",
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = helper(*layout)

    def clean(self):
        cleaned = super().clean()
        schedule = []
        for number in range(1, self.rows + 1):
            amount = cleaned.get(f"amount_{number}")
            trigger = cleaned.get(f"trigger_{number}")
            due_on = cleaned.get(f"due_on_{number}")
            if cleaned.get(f"remove_{number}") or (
                amount is None and not trigger and f"amount_{number}" not in self.errors
            ):
                continue
            if f"amount_{number}" in self.errors:
                schedule.append((None, trigger, due_on))
                continue
            if amount is None:
                self.add_error(f"amount_{number}", f"Enter the amount of instalment {number}")
            elif amount <= 0:
                self.add_error(f"amount_{number}", f"Enter an amount greater than £0 for instalment {number}")
            if not trigger:
                self.add_error(f"trigger_{number}", f"Select when instalment {number} becomes payable")
            elif (
                trigger == PaymentTrigger.ON_DATE and due_on is None and f"due_on_{number}" not in self.errors
            ):
                self.add_error(f"due_on_{number}", f"Enter the date instalment {number} becomes payable")
            schedule.append((amount, trigger, due_on))
        if not self.errors:
            added = sum((amount for amount, _, _ in schedule), Decimal("0"))
            if not schedule:
                self.add_error(
                    None,
                    f"Add at least one instalment: the schedule must add up to {money_text(self.award.total)}",
                )
            elif added != self.award.total:
                self.add_error(
                    None,
                    f"The instalments must add up to {money_text(self.award.total)}, the award's total: "
                    f"they add up to {money_text(added)}",
                )
        cleaned["schedule"] = schedule
        return cleaned


PaymentFilter = round_and_status_filter(
    Instalment,
    "award__bid__funding_round",
    [
        (InstalmentState.SCHEDULED, "Scheduled"),
        (InstalmentState.REQUESTED, "Awaiting approval"),
        (InstalmentState.APPROVED, "Approved, awaiting payment"),
        (InstalmentState.PAID, "Paid"),
    ],
    "The payments list's filters, read from the query string.",
)


# Due diligence -------------------------------------------------------------------------


class DueDiligenceForm(GovForm):
    kind = forms.ChoiceField(
        label="Which check did you make?",
        choices=CheckKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which check you made"},
    )
    result = forms.ChoiceField(
        label="What was the result?",
        choices=CheckResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the result of the check"},
    )
    checked_on = DateField(
        subject="the date of the check", not_in_future=True, label="When was the check made?"
    )
    note = forms.CharField(
        label="Notes (optional)",
        help_text="For example, the Spotlight report's reference, or what a check that did not pass found.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[WordLimit(MAX_REASON_WORDS, f"Notes must be {MAX_REASON_WORDS} words or fewer")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].help_text = f"For example, {timezone.localdate():%-d %-m %Y}"
        self.helper = helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("result", legend_size=Size.SMALL, inline=True),
            Field("checked_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("note", rows=4, max_words=MAX_REASON_WORDS),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == CheckResult.FAILED and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say what the check found, as it was not passed")
        return cleaned


# Approving with an award ---------------------------------------------------------------


class ApproveForm(RejectForm):
    """The decision to approve, and the award it offers: base, any supplement and why."""

    base_amount = MoneyField(
        subject="the base amount",
        label="Base award",
        error_messages={"required": "Enter the base award", "negative": "Enter a base award greater than £0"},
    )
    supplement_amount = MoneyField(
        subject="the supplement", label="Supplement for a large or complex trust", required=False
    )
    supplement_justification = forms.CharField(
        label="Why does this trust need a supplement?",
        help_text="Needed when there is a supplement.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=[words_at_most(300, "The justification")],
    )

    ggis_reference = forms.CharField(
        label="GGIS grant reference (optional)",
        max_length=40,
        required=False,
        help_text="The award's reference in the Government Grants Information System, like G2-GRA-2026-11-0001.",
        error_messages={"max_length": "The GGIS reference must be 40 characters or fewer"},
    )

    def __init__(self, *args, bid, **kwargs):
        funding_round = bid.funding_round
        kwargs.setdefault(
            "initial",
            {
                "base_amount": funding_round.base_award,
                "supplement_amount": bid.supplement_requested or Decimal("0"),
                "supplement_justification": bid.supplement_justification,
            },
        )
        self.funding_round = funding_round
        super().__init__(*args, record=bid, **kwargs)
        self.fields[
            "base_amount"
        ].help_text = f"Up to {money_text(funding_round.base_award)}, the round's base award."
        self.fields["supplement_amount"].help_text = (
            f"Up to {money_text(funding_round.max_supplement)}. Enter 0 for none. "
            f"The council asked for {money_text(bid.supplement_requested or 0)}."
        )

    def layout_fields(self):
        fields = super().layout_fields()
        return [
            fields[0],
            Fieldset(
                money("base_amount"),
                money("supplement_amount"),
                Field.textarea("supplement_justification", rows=4, max_words=300),
                Field.text("ggis_reference", field_width=20),
                legend="The award",
                legend_size=Size.MEDIUM,
            ),
            *fields[1:],
        ]

    def clean_ggis_reference(self):
        return ggis_reference(self.cleaned_data["ggis_reference"])

    def clean(self):
        cleaned = super().clean()
        base = cleaned.get("base_amount")
        supplement = cleaned.get("supplement_amount") or Decimal("0")
        if base is not None:
            if base <= 0:
                self.add_error("base_amount", "Enter a base award greater than £0")
            elif base > self.funding_round.base_award:
                self.add_error(
                    "base_amount",
                    f"The base award cannot be more than {money_text(self.funding_round.base_award)}",
                )
        if "supplement_amount" not in self.errors:
            if supplement > self.funding_round.max_supplement:
                self.add_error(
                    "supplement_amount",
                    f"The supplement cannot be more than {money_text(self.funding_round.max_supplement)}",
                )
            elif supplement > 0 and not (cleaned.get("supplement_justification") or "").strip():
                self.add_error(
                    "supplement_justification", "Explain why this large or complex trust needs a supplement"
                )
        cleaned["supplement_amount"] = supplement
        return cleaned


# Consultation -------------------------------------------------------------------------


class ConsultationForm(GovForm):
    held_on = DateField(
        subject="the date the activity was held", not_in_future=True, label="When was the activity held?"
    )
    audience = forms.ChoiceField(
        label="Who was consulted?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who was consulted"},
    )
    people_reached = forms.CharField(
        label="How many people did it reach?",
        help_text="A whole number, for example 40.",
        error_messages={"required": "Enter the number of people the activity reached"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    summary = forms.CharField(
        label="What happened?",
        help_text="Say what you told people about the changes to services and working practices, "
        "and what they said.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a summary of the activity"},
        validators=[WordLimit(MAX_SUMMARY_WORDS, f"The summary must be {MAX_SUMMARY_WORDS} words or fewer")],
    )
    evidence = forms.FileField(
        label="Upload evidence (optional)",
        help_text="For example, meeting notes or a survey report. A PDF, DOCX, XLSX or ODT file, "
        "smaller than 10MB.",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].help_text = f"For example, {timezone.localdate():%-d %-m %Y}"
        self.evidence_type = ""
        self.evidence_name = ""
        self.helper = helper(
            Field("held_on", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            Field.radios("audience", legend_size=Size.MEDIUM),
            Field.text("people_reached", field_width=5, label_size=Size.MEDIUM),
            Field.textarea("summary", label_size=Size.MEDIUM, max_words=MAX_SUMMARY_WORDS),
            Field("evidence", context={"label_size": Size.for_label(Size.MEDIUM)}),
        )

    def clean_people_reached(self):
        raw = self.cleaned_data["people_reached"].strip().replace(",", "")
        if not raw.isdecimal():  # not isdigit(): "²" is a digit int() cannot read
            raise ValidationError("The number of people reached must be a whole number, like 40")
        raw = raw.lstrip("0") or "0"
        if len(raw) > len(str(MAX_PEOPLE)):  # before int(), which refuses 4,300 digits and more
            raise ValidationError(f"The number of people reached must be {MAX_PEOPLE:,} or fewer")
        number = int(raw)
        if number < 1:
            raise ValidationError("The number of people reached must be 1 or more")
        if number > MAX_PEOPLE:
            raise ValidationError(f"The number of people reached must be {MAX_PEOPLE:,} or fewer")
        return number

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        self.evidence_name, self.evidence_type = check_evidence(upload)
        return upload


# Reports ------------------------------------------------------------------------------


REPORT_HINTS = {
    ExportFormat.CSV: "One row per award, for any spreadsheet or database.",
    ExportFormat.XLSX: "A formatted Excel sheet with totals.",
    ExportFormat.GIVING_JSON: "Grants in the 360Giving open data standard, to publish.",
    ExportFormat.GIVING_CSV: "The same grants as a 360Giving spreadsheet.",
    ExportFormat.PDF: "Bids by status, their scores, and awards by region.",
}


GIVING_FORMATS = (ExportFormat.GIVING_JSON, ExportFormat.GIVING_CSV)


class ReportForm(GovForm):
    format = forms.ChoiceField(
        label="What do you want to export?",
        choices=[Choice(value, label, hint=REPORT_HINTS[value]) for value, label in ExportFormat.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to export"},
    )
    funding_round = forms.ModelChoiceField(
        label="Which round?",
        queryset=ROUND_CHOICES,
        widget=widgets.Select,
        required=False,
        empty_label="All rounds",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a round from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("format", legend_size=Size.MEDIUM),
            Field.select("funding_round", label_size=Size.MEDIUM),
        )

    def clean(self):
        cleaned = super().clean()
        fmt, funding_round = cleaned.get("format"), cleaned.get("funding_round")
        if (
            fmt in GIVING_FORMATS
            and "funding_round" not in self.errors
            and not giving.has_grants(funding_round)
        ):
            where = funding_round.name if funding_round is not None else "Any round"
            self.add_error(
                "funding_round",
                f"{where} has no awards that stand (offered, accepted, conditions met or paid), so "
                "there are no grants to publish to 360Giving. Choose another round, or export the awards",
            )
        return cleaned


AwardFilter = round_and_status_filter(
    FundingAward,
    "bid__funding_round",
    AwardState.choices,
    "The awards list's filters, read from the query string.",
)


# Annual review ---------------------------------------------------------------------------


class ReviewForm(GovForm):
    """The annual review's decision: continue, amend the award (its new amounts revealed under
    that choice) or stop the pilot (the sum to recover revealed under that one), with reasons."""

    outcome = forms.ChoiceField(
        label="What is the review's decision?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the review's decision"},
    )
    base_amount = MoneyField(subject="the base award", label="Base award", required=False)
    supplement_amount = MoneyField(
        subject="the supplement", label="Supplement for a large or complex trust", required=False
    )
    supplement_justification = forms.CharField(
        label="Why does this trust need a supplement?",
        widget=counted_textarea(3),
        required=False,
        validators=[words_at_most(300, "The justification")],
    )
    to_recover = MoneyField(
        subject="the sum to recover",
        label="Sum to recover from the council (optional)",
        required=False,
    )
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text="The council is sent these reasons.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons for the review's decision"},
        validators=[words_at_most(MAX_REASON_WORDS, "The reasons")],
    )

    def __init__(self, *args, award, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "base_amount": award.base_amount,
                "supplement_amount": award.supplement_amount,
                "supplement_justification": award.supplement_justification,
            },
        )
        super().__init__(*args, **kwargs)
        self.award = award
        funding_round = award.bid.funding_round
        self.fields[
            "base_amount"
        ].help_text = f"Up to {money_text(funding_round.base_award)}, the round's base award."
        self.fields[
            "supplement_amount"
        ].help_text = f"Up to {money_text(funding_round.max_supplement)}. Enter 0 for none."
        self.fields[
            "to_recover"
        ].help_text = "Grant paid that the council has not spent on the pilot, or spent on anything else."
        self.helper = helper(
            Reveal(
                "outcome",
                {
                    ReviewOutcome.AMEND: [
                        money("base_amount"),
                        money("supplement_amount"),
                        Field.textarea("supplement_justification", rows=3, max_words=300),
                    ],
                    ReviewOutcome.STOP: [money("to_recover")],
                },
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("reasons", rows=5, max_words=MAX_REASON_WORDS),
        )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == ReviewOutcome.AMEND:
            if cleaned.get("base_amount") is None and "base_amount" not in self.errors:
                self.add_error("base_amount", "Enter the amended base award")
            if cleaned.get("supplement_amount") is None and "supplement_amount" not in self.errors:
                cleaned["supplement_amount"] = Decimal("0")
            if (cleaned.get("supplement_amount") or 0) > 0 and not (
                cleaned.get("supplement_justification") or ""
            ).strip():
                self.add_error(
                    "supplement_justification", "Explain why this large or complex trust needs a supplement"
                )
        else:
            # Only the chosen decision's own questions count: amounts typed under another
            # choice before changing one's mind are not read.
            for name in ("base_amount", "supplement_amount", "supplement_justification"):
                self.errors.pop(name, None)
                cleaned.pop(name, None)
        if outcome != ReviewOutcome.STOP:
            self.errors.pop("to_recover", None)
            cleaned.pop("to_recover", None)
        return cleaned
