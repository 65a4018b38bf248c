"""Forms for interviews: booking (date and time in London time, length, place or video link,
panel), rearranging with a reason, each panel member's own score, and recording what the
panel made of it."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from accounts.models import User
from core.forms.base import StateForm, helper, words_at_most
from core.forms.fields import DateTimeField, ModelIdsField
from core.forms.layout import date_and_time

from .. import bookings
from .assessment import SCORE_SCALE, SCORES


def duration_label(minutes):
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours > 1 else ''}"] if hours else []
    if rest:
        parts.append(f"{rest} minutes")
    return " ".join(parts)


class InterviewForm(StateForm):
    """Date and time (London), length, place or video link, and the panel."""

    starts_at = DateTimeField(
        subject="the date of the interview",
        example="12 5 2003",
        time_subject="the time the interview starts",
        labels=("Date of the interview", "Start time"),
        hints=("", "UK time, on the 24-hour clock. For example, 14 30"),
        blank_minute=0,
        error_messages={
            "short_year": "The date of the interview must be a real date, like 12 5 2003",
            "hour": "Enter the hour as a number from 0 to 23",
            "minute": "Enter the minutes as a number from 0 to 59",
        },
    )
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
            kwargs["initial"] = {
                "starts_at": interview.starts_at,
                "duration_minutes": interview.duration_minutes,
                "location": interview.location,
                "video_link": interview.video_link,
                "panel": [member.pk for member in interview.panel.all()],
            }
        super().__init__(*args, record=bid, **kwargs)
        self.bid = bid
        self.fields["panel"].queryset = bookings.panel_candidates(bid)
        self.window = bookings.window_text(bid.funding_round)
        self.fields[
            "starts_at"
        ].widget.date_hint = (
            f"Between {self.window}. For example, {bid.funding_round.interviews_start_on:%-d %-m %Y}"
        )
        layout = [
            Field("expected_state"),
            date_and_time("starts_at"),
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
        self.helper = helper(*layout)

    def clean(self):
        cleaned = super().clean()
        starts_at = cleaned.get("starts_at")
        if starts_at and not bookings.in_window(self.bid.funding_round, starts_at):
            message = f"The interview must be between {self.window}"
            self.add_error("starts_at", message)
            self.fields["starts_at"].widget.add_date_error(message)
        if (
            not (cleaned.get("location") or "").strip()
            and not cleaned.get("video_link")
            and not (self.errors.get("video_link") or self.errors.get("location"))
        ):
            self.add_error(
                "location", "Enter where the interview will be held, or a video call link, or both"
            )
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
        validators=[words_at_most(300, "The reason")],
    )


def interview_score(label, required):
    """An interview score from 0 to 4, on the scale assessors score bids on."""
    return forms.TypedChoiceField(
        label=label,
        help_text=f"From 0 to 4: {SCORE_SCALE}.",
        choices=SCORES,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": required},
    )


class RecordInterviewForm(StateForm):
    score = interview_score("The panel's interview score", "Select the panel's interview score")
    notes = forms.CharField(
        label="The panel's notes",
        help_text="What the council said and how the panel judged it. Officials only: the council never sees "
        "these notes.",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the panel's notes from the interview"},
        validators=[words_at_most(2000, "The notes")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field("expected_state"),
            Field.radios("score", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("notes", label_size=Size.MEDIUM, rows=10, max_words=2000),
        )


class MemberScoreForm(StateForm):
    """A panel member's own interview score and why, before the panel records its own."""

    score = interview_score("Your interview score", "Select your interview score")
    comment = forms.CharField(
        label="Why did you give this score?",
        help_text="What the council said and how you judged it. The panel sees your score and comment when it "
        "records the interview; the council never sees them.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a comment on your score"},
        validators=[words_at_most(500, "Your comment")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field("expected_state"),
            Field.radios("score", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("comment", label_size=Size.MEDIUM, rows=6, max_words=500),
        )
