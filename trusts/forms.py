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
from core.forms.base import GovForm, ReasonForm, StateForm, WordLimit, helper, words_at_most
from core.forms.fields import DATE_PARTS, DateField, MoneyField
from core.forms.layout import money
from core.money import money as money_text
from core.money import plain_amount

from .enums import Audience, AwardState, CheckKind, CheckResult, ExportFormat
from .evidence import check_evidence
from .exports import giving
from .models import FundingAward

MAX_REASON_WORDS = 300
MAX_SUMMARY_WORDS = 300
MAX_PEOPLE = 10_000_000


# Awards -------------------------------------------------------------------------------


class AcceptForm(StateForm):
    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        name = record.bid.authority.name
        self.fields["confirm"].label = f"I confirm that {name} accepts this award and its conditions"
        self.fields["confirm"].error_messages["required"] = (
            f"Confirm that {name} accepts this award and its conditions"
        )
        self.helper = helper("expected_state", Field.checkbox("confirm"))


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


class ConditionsMetForm(StateForm):
    note = forms.CharField(
        label="Notes (optional)",
        help_text="For example, how you checked the consultation. Recorded in the award's history.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[WordLimit(MAX_REASON_WORDS, f"Notes must be {MAX_REASON_WORDS} words or fewer")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("expected_state", Field.textarea("note", max_words=MAX_REASON_WORDS))


class PaymentForm(StateForm):
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
        self.award = record
        self.fields["paid_on"].help_text = f"For example, {timezone.localdate():%-d %-m %Y}"
        self.helper = helper(
            "expected_state",
            Field.text("reference", field_width=20),
            Field("paid_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        met = self.award.conditions_met_at
        if paid_on and met and paid_on < timezone.localtime(met).date():
            self.fields["paid_on"].widget.error_parts = DATE_PARTS
            raise ValidationError(
                f"The date the payment was made must be on or after {timezone.localtime(met):%-d %B %Y}, "
                "when the consultation condition was met"
            )
        return paid_on


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
                "base_amount": plain_amount(funding_round.base_award, grouped=True),
                "supplement_amount": plain_amount(bid.supplement_requested or Decimal("0"), grouped=True),
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
        queryset=FundingRound.objects.order_by("-opens_at"),
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


class AwardFilter(django_filters.FilterSet):
    """The awards list's filters, read from the query string."""

    funding_round = django_filters.ModelChoiceFilter(
        label="Round",
        field_name="bid__funding_round",
        queryset=FundingRound.objects.order_by("-opens_at"),
        to_field_name="slug",
        empty_label="All rounds",
    )
    state = django_filters.ChoiceFilter(
        label="Status", choices=AwardState.choices, empty_label="All statuses"
    )

    class Meta:
        model = FundingAward
        fields = ["funding_round", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = helper(
            Div(
                Div(Field.select("funding_round"), css_class="govuk-grid-column-one-third"),
                Div(Field.select("state"), css_class="govuk-grid-column-one-third"),
                css_class="govuk-grid-row",
            )
        )
