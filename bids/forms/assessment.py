"""Forms for assessors' and the programme lead's work on bids before the decision: conflicts
of interest, assignment, scoring and moderation. Each error message says what to do, in the
GOV.UK style."""

from decimal import Decimal, InvalidOperation

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Size
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.models import Role, User
from core.forms.base import GovForm, StateForm, helper, words_at_most
from reference.models import LocalAuthority

from .. import assignment
from ..models import ConflictOfInterest, Criterion, Recommendation

SCORES = [(value, str(value)) for value in range(Criterion.MAX_SCORE + 1)]
# What each score means on any criterion, where the round does not say for that criterion.
GENERAL_DESCRIPTORS = ["Not addressed", "Weak", "Adequate", "Good", "Excellent"]
# "0 not addressed, 1 weak, 2 adequate, 3 good, 4 excellent"
SCORE_SCALE = ", ".join(f"{score} {meaning.lower()}" for score, meaning in enumerate(GENERAL_DESCRIPTORS))


# Conflicts of interest -------------------------------------------------------------------


class ConflictForm(GovForm):
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
        validators=[words_at_most(150, "The reason")],
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
        self.helper = helper(*fields)

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
        help_text="Assessors with a conflict of interest with this council, or excluded from this bid, "
        "are not listed.",
        empty_label="Choose an assessor",
        error_messages={"required": "Select an assessor to add"},
    )

    def __init__(self, *args, bid, **kwargs):
        super().__init__(*args, record=bid, **kwargs)
        self.fields["assessor"].queryset = assignment.assignable(bid)
        self.helper = helper(Field("expected_state"), Field.select("assessor"))


class RemoveAssessorForm(StateForm):
    """Taking an assessor off a bid: nothing to fill in, only the state the lead saw."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("expected_state"))


class ExcludableChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, assessor):
        region = assessor.get_region_display() or "no region"
        return f"{assessor.full_name} ({region}{', assessing this bid now' if assessor.on_bid else ''})"


class ExcludeAssessorForm(StateForm):
    """The lead keeps an assessor off one bid, saying why."""

    assessor = ExcludableChoiceField(
        queryset=User.objects.none(),
        label="Which assessor should not assess this bid?",
        help_text="Assessors with a conflict of interest with this council, already excluded, or whose "
        "submitted scores for this bid count are not listed.",
        empty_label="Choose an assessor",
        error_messages={"required": "Select the assessor to exclude from this bid"},
    )
    reason = forms.CharField(
        label="Why should they not assess this bid?",
        help_text="For example, they advised the council on its bid. Officials only: the council does not "
        "see this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for excluding the assessor from this bid"},
        validators=[words_at_most(150, "The reason")],
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.fields["assessor"].queryset = assignment.excludable(record)
        self.helper = helper(
            Field("expected_state"),
            Field.select("assessor"),
            Field.textarea("reason", label_size=Size.MEDIUM, rows=4, max_words=150),
        )


# Scoring ---------------------------------------------------------------------------------


def score_choices(criterion):
    """0 to 4, each with what it means beside its radio button: the criterion's own words
    where the round gives them, else the general meaning of the score."""
    return [
        Choice(score, str(score), hint=text or GENERAL_DESCRIPTORS[score])
        for score, text in criterion.descriptors
    ]


class ScoreForm(StateForm):
    """One criterion after another (score 0-4 and a comment), then the recommendation.

    Saving a draft accepts gaps; submitting needs every score, a comment on each and the
    recommendation.
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
        validators=[words_at_most(500, "The summary")],
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
        super().__init__(*args, record=bid, initial=initial, **kwargs)
        layout = [Field("expected_state")]
        for number, criterion in enumerate(criteria, start=1):
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {criterion.name} ({criterion.weight.normalize():f}% of the total)",
                help_text=criterion.guidance,
                choices=score_choices(criterion),
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=format_html('Comment<span class="govuk-visually-hidden"> on {}</span>', criterion.name),
                help_text="What in the bid led to your score. Every score needs a comment before you submit.",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                validators=[words_at_most(300, f"Your comment on ‘{criterion.name}’")],
            )
            layout += [
                Field.radios(f"score_{criterion.pk}", legend_size=Size.MEDIUM),
                Field.textarea(f"comment_{criterion.pk}", rows=3, max_words=300),
            ]
        layout += [
            HTML(mark_safe('<h2 class="govuk-heading-l">Your recommendation</h2>')),  # noqa: S308
            Field.radios("recommendation", legend_size=Size.MEDIUM),
            Field.textarea("summary", label_size=Size.MEDIUM, rows=6, max_words=500),
        ]
        self.helper = helper(*layout)

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for criterion in self.criteria:
                name = f"score_{criterion.pk}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Select a score for ‘{criterion.name}’")
                comment = f"comment_{criterion.pk}"
                if not (cleaned.get(comment) or "").strip() and comment not in self.errors:
                    self.add_error(comment, f"Enter a comment on ‘{criterion.name}’ to explain your score")
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
        validators=[words_at_most(300, "The reason")],
    )
    seen_moderation = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, bid, moderation=None, **kwargs):
        super().__init__(*args, record=bid, **kwargs)
        self.fields["seen_moderation"].initial = moderation.moderated_at.isoformat() if moderation else ""
        if moderation and not self.is_bound:
            self.fields["score"].initial = f"{moderation.score.normalize():f}"
        self.helper = helper(
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
