"""The programme lead gives one authority more time to submit."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from core.forms.base import GovForm, helper
from core.forms.fields import DateTimeField
from core.forms.layout import date_and_time
from core.london import london
from reference.models import LocalAuthority

REASON_LIMIT = 1000


class ExtensionForm(GovForm):
    """A new closing date and time, in London time, for one authority.

    The time is the last minute in which a bid may be submitted: 23:59 means until
    23:59:59, as the round's own deadline does.
    """

    authority = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.order_by("name"),
        empty_label="Choose a local authority",
        error_messages={
            "required": "Select the local authority to give more time to",
            "invalid_choice": "Select the local authority to give more time to",
        },
    )
    closes_at = DateTimeField(
        subject="the new closing date",
        example="7 4 2003",
        time_subject="the new closing time",
        labels=("New closing date", "New closing time"),
        hints=(
            "For example, 7 4 2003",
            "London time, on the 24-hour clock. The council can submit until the end of this minute: "
            "for the end of the day, enter 23 59.",
        ),
        second=59,
        error_messages={"short_year": "The new closing date must be a real date, like 7 4 2003"},
    )
    reason = forms.CharField(
        label="Reason for the extension",
        help_text="The council will not see this. It is kept with the round's record.",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reason for the extension",
            "max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer",
        },
    )

    def __init__(self, *args, funding_round, **kwargs):
        self.funding_round = funding_round
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.select("authority"), date_and_time("closes_at"), Field.textarea("reason", rows=4)
        )

    def clean(self):
        cleaned = super().clean()
        closes_at = cleaned.get("closes_at")
        problem = ""
        if closes_at and closes_at <= self.funding_round.closes_at:
            problem = f"The new closing time must be after the round closes, at {london(self.funding_round.closes_at)}"
        elif closes_at and closes_at <= timezone.now():
            problem = "The new closing time must be in the future"
        if problem:
            self.add_error("closes_at", problem)
            self.fields["closes_at"].widget.add_date_error(problem)
        return cleaned
