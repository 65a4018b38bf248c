"""The programme lead gives one authority more time to submit."""

from datetime import datetime, time

from django import forms
from django.utils import timezone

from core.london import LONDON, london
from reference.models import LocalAuthority

REASON_LIMIT = 1000


def _digits(text):
    """A date or time part int() can read (isdecimal(), not isdigit(): "²" is a digit int()
    cannot read), of at most 4 digits: a longer one overflows datetime."""
    return text.isdecimal() and len(text) <= 4


class ExtensionForm(forms.Form):
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
    day = forms.CharField(required=False)
    month = forms.CharField(required=False)
    year = forms.CharField(required=False)
    hour = forms.CharField(required=False)
    minute = forms.CharField(required=False)
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
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def clean(self):
        cleaned = super().clean()
        parts = {name: (cleaned.get(name) or "").strip() for name in ("day", "month", "year")}
        closes_on = None
        if not any(parts.values()):
            self.add_error("day", "Enter the new closing date")
        elif not all(parts.values()):
            missing = " and ".join(name for name, value in parts.items() if not value)
            self.add_error("day", f"The new closing date must include a {missing}")
        elif not all(_digits(value) for value in parts.values()) or len(parts["year"]) != 4:
            self.add_error("day", "The new closing date must be a real date, like 7 4 2003")
        else:
            try:
                closes_on = datetime(int(parts["year"]), int(parts["month"]), int(parts["day"])).date()
            except ValueError:
                self.add_error("day", "The new closing date must be a real date, like 7 4 2003")
        hour, minute = (cleaned.get("hour") or "").strip(), (cleaned.get("minute") or "").strip()
        at = None
        if not hour and not minute:
            self.add_error("hour", "Enter the new closing time")
        elif not (_digits(hour) and _digits(minute) and int(hour) < 24 and int(minute) < 60):
            self.add_error(
                "hour", "The new closing time must be a real time on the 24-hour clock, like 17 00"
            )
        else:
            at = time(int(hour), int(minute), 59)
        if closes_on and at:
            closes_at = datetime.combine(closes_on, at, tzinfo=LONDON)
            if closes_at <= self.funding_round.closes_at:
                self.add_error(
                    "day",
                    f"The new closing time must be after the round closes, at {london(self.funding_round.closes_at)}",
                )
            elif closes_at <= timezone.now():
                self.add_error("day", "The new closing time must be in the future")
            else:
                cleaned["closes_at"] = closes_at
        return cleaned
