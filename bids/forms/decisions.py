"""Forms for the programme lead's decisions on a bid: shortlisting (one bid, or many from
the ranking) and rejecting. Approving, which also offers the award, builds on RejectForm in
trusts/forms.py."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms.base import GovForm, StateForm, helper, words_at_most

SHORTLIST_CHOICES = [("shortlist", "Shortlist"), ("not_shortlist", "Do not shortlist")]


def decision_field(label):
    return forms.ChoiceField(
        label=label,
        choices=SHORTLIST_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select shortlist or do not shortlist"},
    )


def reason_field(help_text):
    return forms.CharField(
        label="Reason",
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for your shortlisting decision"},
        validators=[words_at_most(300, "The reason")],
    )


class ShortlistForm(StateForm):
    decision = decision_field("Shortlist this bid?")
    reason = reason_field("Kept on the bid's record for officials. The council is emailed the outcome.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field("expected_state"),
            Field.radios("decision", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("reason", label_size=Size.SMALL, rows=4, max_words=300),
        )


class BulkShortlistForm(GovForm):
    """The ranking page's bulk action. The bids ticked and the states seen come from the
    table rows; the view checks them against the bids on the page."""

    decision = decision_field("What do you want to do with the selected bids?")
    reason = reason_field("Kept on each bid's record for officials. Each council is emailed the outcome.")
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
        self.helper = helper(
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason", label_size=Size.SMALL, rows=3, max_words=300),
        )


DECISION_REASONS_HELP = "The record of why. Officials only: the council does not see this."
FEEDBACK_HELP = "What the council is told, on its bid page and in the email."


class RejectForm(StateForm):
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text=DECISION_REASONS_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons for the decision"},
        validators=[words_at_most(500, "The reasons")],
    )
    feedback = forms.CharField(
        label="Feedback for the council",
        help_text=FEEDBACK_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the feedback to share with the council"},
        validators=[words_at_most(500, "The feedback")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(*self.layout_fields())

    def layout_fields(self):
        return [
            Field("expected_state"),
            Field.textarea("reasons", label_size=Size.MEDIUM, rows=5, max_words=500),
            Field.textarea("feedback", label_size=Size.MEDIUM, rows=5, max_words=500),
        ]
