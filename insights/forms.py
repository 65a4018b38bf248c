"""The satisfaction question, as the GOV.UK feedback pattern asks it."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms.base import GovForm, counted_textarea, helper

from .enums import IMPROVEMENT_LIMIT, Satisfaction


class SatisfactionForm(GovForm):
    satisfaction = forms.ChoiceField(
        label="Overall, how did you feel about using this service?",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you felt about using this service",
            "invalid_choice": "Select how you felt about using this service",
        },
    )
    improvement = forms.CharField(
        label="How could we improve this service? (optional)",
        help_text="Do not include personal information, such as names, email addresses or phone numbers.",
        required=False,
        max_length=IMPROVEMENT_LIMIT,
        widget=counted_textarea(rows=5),
        error_messages={"max_length": f"Your suggestion must be {IMPROVEMENT_LIMIT:,} characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("satisfaction", legend_size=Size.MEDIUM),
            Field.textarea("improvement", max_characters=IMPROVEMENT_LIMIT, rows=5, label_size=Size.MEDIUM),
        )
