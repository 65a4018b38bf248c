"""Forms for awards, consultation and reports, in the GOV.UK Design System's patterns."""

import re
from datetime import date

import django_filters
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from bids.models import FundingRound

from .enums import Audience, AwardState, ExportFormat
from .evidence import check_evidence
from .models import FundingAward

MAX_REASON_WORDS = 300
MAX_SUMMARY_WORDS = 300
MAX_PEOPLE = 10_000_000


def helper(*fields):
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.disable_csrf = True
    if fields:
        form_helper.layout = Layout(*fields)
    return form_helper


def count_words(text):
    return len(re.findall(r"\S+", text or ""))


def word_limited(limit, too_long):
    def check(value):
        if count_words(value) > limit:
            raise ValidationError(too_long)

    return check


# The GOV.UK date input ----------------------------------------------------------------


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes. The day box takes the field's id, so the error summary
    link (which points at the field's id) lands in the first box; boxes in error are
    marked as the Design System asks."""

    template_name = "trusts/widgets/date_input.html"
    use_fieldset = True
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widths = {"day": 2, "month": 2, "year": 4}
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{widths[part]}",
                    "inputmode": "numeric",
                }
            )
            for part in self.parts
        }
        self.error_parts = ()
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["group_id"] = f"{base_id}-date"
        for index, (part, subwidget) in enumerate(
            zip(self.parts, context["widget"]["subwidgets"], strict=True)
        ):
            subwidget["attrs"]["id"] = base_id if index == 0 else f"{base_id}_{part}"
            subwidget["label"] = part.title()
            # crispy-forms-gds marks every box in error; the Design System marks only the
            # boxes that need fixing.
            classes = [name for name in subwidget["attrs"]["class"].split() if name != "govuk-input--error"]
            if part in self.error_parts:
                classes.append("govuk-input--error")
            else:
                subwidget["attrs"].pop("aria-invalid", None)
            subwidget["attrs"]["class"] = " ".join(classes)
        return context

    def id_for_label(self, id_):
        return id_


class DateField(forms.MultiValueField):
    """A date typed into the GOV.UK date input, with the Design System's error messages.

    subject: how the messages name the date, e.g. "the date the activity was held".
    """

    widget = DateInputWidget

    def __init__(self, *, subject, not_in_future=True, **kwargs):
        self.subject = subject
        self.not_in_future = not_in_future
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        return data_list

    def clean(self, value):
        parts = [str(part or "").strip() for part in (value or [None, None, None])]
        capital = self.subject[0].upper() + self.subject[1:]
        self.widget.error_parts = ()
        if not any(parts):
            if self.required:
                self.widget.error_parts = DateInputWidget.parts
                raise ValidationError(f"Enter {self.subject}", code="required")
            return None
        missing = [name for name, part in zip(DateInputWidget.parts, parts, strict=True) if not part]
        if missing:
            self.widget.error_parts = tuple(missing)
            raise ValidationError(f"{capital} must include a {' and '.join(missing)}", code="incomplete")
        # isdecimal(), not isdigit(): "²" is a digit, but not one int() can read.
        if not all(part.isdecimal() for part in parts):
            self.widget.error_parts = tuple(
                name for name, part in zip(DateInputWidget.parts, parts, strict=True) if not part.isdecimal()
            )
            raise ValidationError(f"{capital} must be a real date", code="invalid")
        if len(parts[2]) != 4:
            self.widget.error_parts = ("year",)
            raise ValidationError("Year must include 4 numbers", code="invalid")
        try:
            day, month, year = (int(part) for part in parts)
            value = date(year, month, day)
        except (ValueError, OverflowError) as error:  # a day of 99999999999999999999 overflows
            self.widget.error_parts = DateInputWidget.parts
            raise ValidationError(f"{capital} must be a real date", code="invalid") from error
        if self.not_in_future and value > timezone.localdate():
            self.widget.error_parts = DateInputWidget.parts
            raise ValidationError(f"{capital} must be today or in the past", code="future")
        return value


# Awards -------------------------------------------------------------------------------


class ExpectedStateForm(forms.Form):
    """Carries the state the person saw, so a change made meanwhile is caught, not overwritten."""

    seen_state = forms.ChoiceField(choices=AwardState.choices, widget=forms.HiddenInput, required=False)


class AcceptForm(ExpectedStateForm):
    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, award, **kwargs):
        super().__init__(*args, **kwargs)
        name = award.bid.authority.name
        self.fields["confirm"].label = f"I confirm that {name} accepts this award and its conditions"
        self.fields["confirm"].error_messages["required"] = (
            f"Confirm that {name} accepts this award and its conditions"
        )
        self.helper = helper("seen_state", Field.checkbox("confirm"))


class ReasonForm(ExpectedStateForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, label, hint, required_message, too_long_message, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.help_text = hint
        field.error_messages["required"] = required_message
        field.validators.append(word_limited(MAX_REASON_WORDS, too_long_message))
        self.helper = helper(
            "seen_state", Field.textarea("reason", label_size=Size.MEDIUM, max_words=MAX_REASON_WORDS)
        )


def decline_form(data=None, *, award):
    name = award.bid.authority.name
    return ReasonForm(
        data,
        initial={"seen_state": award.state},
        label=f"Why is {name} declining the award?",
        hint="The programme team reads this. It helps them offer the place to another council.",
        required_message=f"Enter the reason {name} is declining the award",
        too_long_message=f"The reason must be {MAX_REASON_WORDS} words or fewer",
    )


def withdraw_form(data=None, *, award):
    return ReasonForm(
        data,
        initial={"seen_state": award.state},
        label="Why are you withdrawing the offer?",
        hint=f"{award.bid.authority.name} will see this reason in the email telling them.",
        required_message="Enter the reason you are withdrawing the offer",
        too_long_message=f"The reason must be {MAX_REASON_WORDS} words or fewer",
    )


class ConditionsMetForm(ExpectedStateForm):
    note = forms.CharField(
        label="Notes (optional)",
        help_text="For example, how you checked the consultation. Recorded in the award's history.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[word_limited(MAX_REASON_WORDS, f"Notes must be {MAX_REASON_WORDS} words or fewer")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("seen_state", Field.textarea("note", max_words=MAX_REASON_WORDS))


class PaymentForm(ExpectedStateForm):
    reference = forms.CharField(
        label="Payment reference",
        help_text="As it appears in the finance system, for example DH-PAY-2003-0142.",
        max_length=60,
        error_messages={
            "required": "Enter the payment reference",
            "max_length": "Payment reference must be 60 characters or fewer",
        },
    )
    paid_on = DateField(subject="the date the payment was made", label="Date the payment was made")

    def __init__(self, *args, award, **kwargs):
        super().__init__(*args, **kwargs)
        self.award = award
        self.fields["paid_on"].help_text = f"For example, {timezone.localdate():%-d %-m %Y}"
        self.helper = helper(
            "seen_state",
            Field.text("reference", field_width=20),
            Field("paid_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        met = self.award.conditions_met_at
        if paid_on and met and paid_on < timezone.localtime(met).date():
            self.fields["paid_on"].widget.error_parts = DateInputWidget.parts
            raise ValidationError(
                f"The date the payment was made must be on or after {timezone.localtime(met):%-d %B %Y}, "
                "when the consultation condition was met"
            )
        return paid_on


# Consultation -------------------------------------------------------------------------


class ConsultationForm(forms.Form):
    held_on = DateField(subject="the date the activity was held", label="When was the activity held?")
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
        validators=[
            word_limited(MAX_SUMMARY_WORDS, f"The summary must be {MAX_SUMMARY_WORDS} words or fewer")
        ],
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


class ReportForm(forms.Form):
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
