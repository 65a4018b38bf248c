"""Forms for officials' pages: conflicts, assignment, scoring, moderation, shortlisting,
interviews and decisions. Each error message says what to do, in the GOV.UK style."""

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.models import Role, User
from core.london import LONDON
from reference.models import LocalAuthority

from . import assignment, bookings
from .forms import ModelIdsField
from .models import ConflictOfInterest, Criterion, Recommendation

SCORES = [(value, str(value)) for value in range(Criterion.MAX_SCORE + 1)]
SCORE_SCALE = "0 not addressed, 1 weak, 2 adequate, 3 good, 4 excellent"


def gds_helper(*fields):
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


def words(text):
    return len(re.findall(r"\S+", text or ""))


def word_limit(field_label, limit):
    def check(value):
        if words(value) > limit:
            raise forms.ValidationError(f"{field_label} must be {limit} words or fewer")

    return check


class StateForm(forms.Form):
    """Every action form carries the state the official saw, so a change made meanwhile
    by someone else is caught instead of overwritten."""

    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, bid=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bid = bid
        if bid is not None:
            self.fields["expected_state"].initial = bid.state

    @property
    def seen_state(self):
        return self.cleaned_data.get("expected_state") or None

    def add_problems(self, problems, field=None):
        for problem in problems:
            self.add_error(field, problem)


class ReasonForm(StateForm):
    """A state change that needs only a reason."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label, hint="", required_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        self.fields["reason"].error_messages["required"] = required_message
        self.fields["reason"].validators.append(word_limit("The reason", 300))
        self.helper = gds_helper(
            Field("expected_state"), Field.textarea("reason", label_size=Size.SMALL, max_words=300, rows=4)
        )


# Conflicts of interest -------------------------------------------------------------------


class ConflictForm(forms.Form):
    assessor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Assessor",
        empty_label="Choose an assessor",
        error_messages={"required": "Select the assessor who has the conflict of interest"},
    )
    authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.order_by("name"),
        label="Local authority",
        empty_label="Choose a local authority",
        error_messages={"required": "Select the local authority the conflict of interest is with"},
    )
    reason = forms.CharField(
        label="Why is there a conflict of interest?",
        help_text="For example, you worked for the council until 2001, or a close relative works in its "
        "children's services.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the conflict of interest"},
        validators=[word_limit("The reason", 150)],
    )

    def __init__(self, *args, declarer, **kwargs):
        super().__init__(*args, **kwargs)
        self.declarer = declarer
        fields = []
        if declarer.role == Role.LEAD:
            self.fields["assessor"].queryset = User.objects.filter(
                role=Role.ASSESSOR, is_active=True
            ).order_by("full_name")
            fields.append(Field.select("assessor"))
        else:
            del self.fields["assessor"]
            self.fields["authority"].label = "Which local authority do you have a conflict of interest with?"
        fields += [Field.select("authority"), Field.textarea("reason", max_words=150, rows=4)]
        self.helper = gds_helper(*fields)

    def clean(self):
        cleaned = super().clean()
        assessor = cleaned.get("assessor") or (self.declarer if "assessor" not in self.fields else None)
        authority = cleaned.get("authority")
        if (
            assessor
            and authority
            and ConflictOfInterest.objects.filter(assessor=assessor, authority=authority).exists()
        ):
            who = "You have" if assessor == self.declarer else f"{assessor.full_name} has"
            self.add_error(
                "authority", f"{who} already declared a conflict of interest with {authority.name}"
            )
        cleaned["assessor"] = assessor
        return cleaned


# Assignment ------------------------------------------------------------------------------


class AssessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, assessor):
        region = assessor.get_region_display() or "no region"
        load = getattr(assessor, "workload", 0)
        return f"{assessor.full_name} ({region}, {load} bid{'s' if load != 1 else ''} in this round)"


class AddAssessorForm(StateForm):
    assessor = AssessorChoiceField(
        queryset=User.objects.none(),
        label="Add an assessor",
        help_text="Assessors with a conflict of interest with this council are not listed.",
        empty_label="Choose an assessor",
        error_messages={"required": "Select an assessor to add"},
    )

    def __init__(self, *args, bid, **kwargs):
        super().__init__(*args, bid=bid, **kwargs)
        self.fields["assessor"].queryset = assignment.assignable(bid)
        self.helper = gds_helper(Field("expected_state"), Field.select("assessor", label_size=Size.MEDIUM))


# Scoring ---------------------------------------------------------------------------------


class ScoreForm(StateForm):
    """One criterion after another (score 0-4 and a comment), then the recommendation.

    Saving a draft accepts gaps; submitting needs every score and the recommendation.
    """

    recommendation = forms.ChoiceField(
        label="Do you recommend shortlisting this bid?",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    summary = forms.CharField(
        label="Summary of your assessment",
        help_text="What the programme lead should know when moderating. Up to 500 words.",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        validators=[word_limit("The summary", 500)],
    )

    def __init__(self, *args, bid, criteria, assessment, submitting=False, **kwargs):
        self.criteria = criteria
        self.submitting = submitting
        existing = {s.criterion_id: s for s in assessment.scores.all()} if assessment.pk else {}
        initial = {"recommendation": assessment.recommendation, "summary": assessment.summary}
        for criterion in criteria:
            score = existing.get(criterion.pk)
            initial[f"score_{criterion.pk}"] = score.score if score else None
            initial[f"comment_{criterion.pk}"] = score.comment if score else ""
        super().__init__(*args, bid=bid, initial=initial, **kwargs)
        layout = [Field("expected_state")]
        for number, criterion in enumerate(criteria, start=1):
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {criterion.name} ({criterion.weight.normalize():f}% of the total)",
                help_text=f"{criterion.guidance} Score from 0 to 4: {SCORE_SCALE}.".strip(),
                choices=SCORES,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=format_html(
                    'Comment<span class="govuk-visually-hidden"> on {}</span> (optional)', criterion.name
                ),
                help_text="What in the bid led to your score.",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                validators=[word_limit(f"Your comment on ‘{criterion.name}’", 300)],
            )
            layout += [
                Field.radios(f"score_{criterion.pk}", legend_size=Size.MEDIUM, inline=True),
                Field.textarea(f"comment_{criterion.pk}", rows=3, max_words=300),
            ]
        layout += [
            HTML(mark_safe('<h2 class="govuk-heading-l">Your recommendation</h2>')),  # noqa: S308
            Field.radios("recommendation", legend_size=Size.MEDIUM),
            Field.textarea("summary", label_size=Size.MEDIUM, rows=6, max_words=500),
        ]
        self.helper = gds_helper(*layout)

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for criterion in self.criteria:
                name = f"score_{criterion.pk}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Select a score for ‘{criterion.name}’")
            if not cleaned.get("recommendation") and "recommendation" not in self.errors:
                self.add_error("recommendation", "Select whether you recommend shortlisting this bid")
        return cleaned

    def scores(self):
        return {
            criterion.pk: (
                self.cleaned_data.get(f"score_{criterion.pk}"),
                self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }


# Moderation ------------------------------------------------------------------------------


class ModerationForm(StateForm):
    score = forms.CharField(
        label="Moderated score",
        help_text="A percentage from 0 to 100. It replaces the assessors' mean in the ranking.",
        error_messages={"required": "Enter the moderated score"},
    )
    reason = forms.CharField(
        label="Why are you moderating the score?",
        help_text="For example, how you resolved the assessors' disagreement. Officials only: the council "
        "does not see this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the moderated score"},
        validators=[word_limit("The reason", 300)],
    )
    seen_moderation = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, bid, moderation=None, **kwargs):
        super().__init__(*args, bid=bid, **kwargs)
        self.fields["seen_moderation"].initial = moderation.moderated_at.isoformat() if moderation else ""
        if moderation and not self.is_bound:
            self.fields["score"].initial = f"{moderation.score.normalize():f}"
        self.helper = gds_helper(
            Field("expected_state"),
            Field("seen_moderation"),
            Field.text("score", field_width=4, inputmode="decimal", spellcheck="false"),
            Field.textarea("reason", rows=4, max_words=300),
        )

    def clean_score(self):
        text = self.cleaned_data["score"].strip().rstrip("%").strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError("Enter the moderated score as a number, like 72.5") from None
        if not value.is_finite():
            raise forms.ValidationError("Enter the moderated score as a number, like 72.5")
        if value < 0 or value > 100:
            raise forms.ValidationError("The moderated score must be between 0 and 100")
        if value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError("The moderated score can have up to 2 decimal places")
        return value


# Shortlisting ----------------------------------------------------------------------------

SHORTLIST_CHOICES = [("shortlist", "Shortlist"), ("not_shortlist", "Do not shortlist")]


class ShortlistForm(StateForm):
    decision = forms.ChoiceField(
        label="Shortlist this bid?",
        choices=SHORTLIST_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select shortlist or do not shortlist"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Kept on the bid's record for officials. The council is emailed the outcome.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for your shortlisting decision"},
        validators=[word_limit("The reason", 300)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("expected_state"),
            Field.radios("decision", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("reason", label_size=Size.SMALL, rows=4, max_words=300),
        )


class BulkShortlistForm(forms.Form):
    """The ranking page's bulk action. The bids ticked and the states seen come from the
    table rows; the view checks them against the bids on the page."""

    decision = forms.ChoiceField(
        label="What do you want to do with the selected bids?",
        choices=SHORTLIST_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select shortlist or do not shortlist"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Kept on each bid's record for officials. Each council is emailed the outcome.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for your shortlisting decision"},
        validators=[word_limit("The reason", 300)],
    )
    bids = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=[],
        required=True,
        error_messages={
            "required": "Select the bids you want to shortlist or not shortlist",
            "invalid_choice": "Select bids that are under assessment",
        },
    )

    def __init__(self, *args, selectable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bids"].choices = [(pk, pk) for pk in selectable]
        self.helper = gds_helper(
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason", label_size=Size.SMALL, rows=3, max_words=300),
        )


# Interviews ------------------------------------------------------------------------------


def duration_label(minutes):
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours > 1 else ''}"] if hours else []
    if rest:
        parts.append(f"{rest} minutes")
    return " ".join(parts)


def _number(text):
    """A part of a date or time as a number, or None. isdecimal(), not isdigit(): "²" is a
    digit int() cannot read. No part needs more than 4 digits; more overflow datetime."""
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) <= 4 else None


class InterviewForm(StateForm):
    """Date and time (London), length, place or video link, and the panel."""

    day = forms.CharField(required=False, label="Day")
    month = forms.CharField(required=False, label="Month")
    year = forms.CharField(required=False, label="Year")
    hour = forms.CharField(required=False, label="Hour")
    minute = forms.CharField(required=False, label="Minutes")
    duration_minutes = forms.TypedChoiceField(
        label="How long will the interview last?",
        choices=[(minutes, duration_label(minutes)) for minutes in bookings.DURATIONS],
        coerce=int,
        widget=forms.RadioSelect,
        initial=60,
        error_messages={"required": "Select how long the interview will last"},
    )
    location = forms.CharField(
        label="Where will it be held? (optional if there is a video call)",
        help_text="The building and full address, for example Wellington House, 133-155 Waterloo Road, "
        "London SE1 8UG",
        required=False,
        max_length=255,
        error_messages={"max_length": "The place must be 255 characters or fewer"},
    )
    video_link = forms.URLField(
        label="Video call link (optional if there is a place)",
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the video call link as a web address, like https://meet.example.com/ctp"
        },
    )
    panel = ModelIdsField(
        queryset=User.objects.none(),
        label="Who is on the interview panel?",
        help_text="Programme leads and the bid's own assessors. Officials with a conflict of interest with "
        "this council are not listed.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one member of the interview panel",
            "invalid_choice": "Select panel members from the list",
        },
    )

    def __init__(self, *args, bid, interview=None, **kwargs):
        if interview is not None and not kwargs.get("initial"):
            local = interview.starts_at.astimezone(LONDON)
            kwargs["initial"] = {
                "day": local.day,
                "month": local.month,
                "year": local.year,
                "hour": f"{local.hour:02d}",
                "minute": f"{local.minute:02d}",
                "duration_minutes": interview.duration_minutes,
                "location": interview.location,
                "video_link": interview.video_link,
                "panel": [member.pk for member in interview.panel.all()],
            }
        super().__init__(*args, bid=bid, **kwargs)
        self.fields["panel"].queryset = bookings.panel_candidates(bid)
        self.window = bookings.window_text(bid.funding_round)
        layout = [
            Field("expected_state"),
            HTML('{% include "bids/programme/_interview_when.html" %}'),
            Field.radios("duration_minutes", legend_size=Size.MEDIUM),
            Fieldset(
                Field.text("location"),
                Field.text("video_link", spellcheck="false"),
                legend="Place or video call",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("panel", legend_size=Size.MEDIUM),
        ]
        if "reason" in self.fields:
            layout.append(Field.textarea("reason", label_size=Size.MEDIUM, rows=3, max_words=300))
        self.helper = gds_helper(*layout)

    @property
    def date_parts(self):
        return [(self["day"], 2), (self["month"], 2), (self["year"], 4)]

    @property
    def time_parts(self):
        return [self["hour"], self["minute"]]

    def date_errors(self):
        return _unique(
            self.errors.get("day", []) + self.errors.get("month", []) + self.errors.get("year", [])
        )

    def time_errors(self):
        return _unique(self.errors.get("hour", []) + self.errors.get("minute", []))

    def clean(self):
        cleaned = super().clean()
        day, month, year = (_number(cleaned.get(part)) for part in ("day", "month", "year"))
        raw = {part: (cleaned.get(part) or "").strip() for part in ("day", "month", "year", "hour", "minute")}
        starts_at = None
        when = None
        if not (raw["day"] or raw["month"] or raw["year"]):
            self.add_error("day", "Enter the date of the interview")
        else:
            missing = [part for part in ("day", "month", "year") if not raw[part]]
            if missing:
                self.add_error(missing[0], f"The date of the interview must include a {missing[0]}")
            elif None in (day, month, year) or len(raw["year"]) != 4:
                self.add_error("day", "The date of the interview must be a real date, like 12 5 2003")
            else:
                try:
                    when = datetime(year, month, day)
                except ValueError:
                    self.add_error("day", "The date of the interview must be a real date, like 12 5 2003")
        hour, minute = _number(raw["hour"]), _number(raw["minute"])
        if not raw["hour"] and not raw["minute"]:
            self.add_error("hour", "Enter the time the interview starts")
        elif hour is None or hour > 23:
            self.add_error("hour", "Enter the hour as a number from 0 to 23")
        elif raw["minute"] and (minute is None or minute > 59):
            self.add_error("minute", "Enter the minutes as a number from 0 to 59")
        elif when is not None:
            starts_at = when.replace(hour=hour, minute=minute or 0, tzinfo=LONDON)
            if not bookings.in_window(self.bid.funding_round, starts_at):
                self.add_error("day", f"The interview must be between {self.window}")
        if (
            not (cleaned.get("location") or "").strip()
            and not cleaned.get("video_link")
            and not (self.errors.get("video_link") or self.errors.get("location"))
        ):
            self.add_error(
                "location", "Enter where the interview will be held, or a video call link, or both"
            )
        cleaned["starts_at"] = starts_at
        return cleaned

    def booking(self):
        return {
            "starts_at": self.cleaned_data["starts_at"],
            "duration_minutes": self.cleaned_data["duration_minutes"],
            "location": self.cleaned_data.get("location", ""),
            "video_link": self.cleaned_data.get("video_link", ""),
            "panel": list(self.cleaned_data["panel"]),
        }


class RescheduleForm(InterviewForm):
    reason = forms.CharField(
        label="Why is the interview being rearranged?",
        help_text="The council is sent this reason with the updated invitation.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for rearranging the interview"},
        validators=[word_limit("The reason", 300)],
    )


def _unique(messages):
    seen = []
    for message in messages:
        if message not in seen:
            seen.append(message)
    return seen


class RecordInterviewForm(StateForm):
    score = forms.TypedChoiceField(
        label="The panel's interview score",
        help_text=f"From 0 to 4: {SCORE_SCALE}.",
        choices=SCORES,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's interview score"},
    )
    notes = forms.CharField(
        label="The panel's notes",
        help_text="What the council said and how the panel judged it. Officials only: the council never sees "
        "these notes.",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the panel's notes from the interview"},
        validators=[word_limit("The notes", 2000)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("expected_state"),
            Field.radios("score", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("notes", label_size=Size.MEDIUM, rows=10, max_words=2000),
        )


# Decisions -------------------------------------------------------------------------------


class MoneyField(forms.CharField):
    """Pounds as a Decimal: accepts £60,000, 60000 or 60000.00."""

    def __init__(self, *, name, **kwargs):
        self.name = name
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        cleaned = text.replace("£", "").replace(",", "").strip()
        try:
            amount = Decimal(cleaned)
            # quantize() raises too, for a number too large to hold in pence (1e400).
            exact = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
        except InvalidOperation:
            exact = False
        if not exact:
            raise forms.ValidationError(f"Enter the {self.name} in pounds, like 60,000")
        return amount.quantize(Decimal("0.01"))


DECISION_REASONS_HELP = "The record of why. Officials only: the council does not see this."
FEEDBACK_HELP = "What the council is told, on its bid page and in the email."


class RejectForm(StateForm):
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text=DECISION_REASONS_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons for the decision"},
        validators=[word_limit("The reasons", 500)],
    )
    feedback = forms.CharField(
        label="Feedback for the council",
        help_text=FEEDBACK_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the feedback to share with the council"},
        validators=[word_limit("The feedback", 500)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.layout_fields())

    def layout_fields(self):
        return [
            Field("expected_state"),
            Field.textarea("reasons", label_size=Size.MEDIUM, rows=5, max_words=500),
            Field.textarea("feedback", label_size=Size.MEDIUM, rows=5, max_words=500),
        ]


class ApproveForm(RejectForm):
    base_amount = MoneyField(
        name="base amount",
        label="Base award",
        error_messages={"required": "Enter the base award"},
    )
    supplement_amount = MoneyField(
        name="supplement",
        label="Supplement for a large or complex trust",
        required=False,
    )
    supplement_justification = forms.CharField(
        label="Why does this trust need a supplement?",
        help_text="Needed when there is a supplement.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=[word_limit("The justification", 300)],
    )

    def __init__(self, *args, bid, **kwargs):
        funding_round = bid.funding_round
        kwargs.setdefault(
            "initial",
            {
                "base_amount": _pounds(funding_round.base_award),
                "supplement_amount": _pounds(bid.supplement_requested or Decimal("0")),
                "supplement_justification": bid.supplement_justification,
            },
        )
        self.funding_round = funding_round
        super().__init__(*args, bid=bid, **kwargs)
        self.fields[
            "base_amount"
        ].help_text = f"Up to {_money(funding_round.base_award)}, the round's base award."
        self.fields["supplement_amount"].help_text = (
            f"Up to {_money(funding_round.max_supplement)}. Enter 0 for none. "
            f"The council asked for {_money(bid.supplement_requested or 0)}."
        )

    def layout_fields(self):
        fields = super().layout_fields()
        return [
            fields[0],
            Fieldset(
                Field(
                    "base_amount",
                    template="bids/programme/_money_field.html",
                    css_class="govuk-input--width-10",
                    inputmode="decimal",
                    spellcheck="false",
                ),
                Field(
                    "supplement_amount",
                    template="bids/programme/_money_field.html",
                    css_class="govuk-input--width-10",
                    inputmode="decimal",
                    spellcheck="false",
                ),
                Field.textarea("supplement_justification", rows=4, max_words=300),
                legend="The award",
                legend_size=Size.MEDIUM,
            ),
            *fields[1:],
        ]

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
                    f"The base award cannot be more than {_money(self.funding_round.base_award)}",
                )
        if "supplement_amount" not in self.errors:
            if supplement < 0:
                self.add_error("supplement_amount", "The supplement cannot be negative")
            elif supplement > self.funding_round.max_supplement:
                self.add_error(
                    "supplement_amount",
                    f"The supplement cannot be more than {_money(self.funding_round.max_supplement)}",
                )
            elif supplement > 0 and not (cleaned.get("supplement_justification") or "").strip():
                self.add_error(
                    "supplement_justification", "Explain why this large or complex trust needs a supplement"
                )
        cleaned["supplement_amount"] = supplement
        return cleaned


def _pounds(amount):
    amount = Decimal(amount)
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def _money(amount):
    return f"£{_pounds(amount)}"
