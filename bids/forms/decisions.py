"""Forms for the programme lead's decisions on a bid: shortlisting (one bid, or many from
the ranking) and rejecting, each told to the council now or recorded as pending (bids/
staging.py), and changing or taking back a pending decision. Approving, which also offers
the award, builds on RejectForm in trusts/forms.py.

Feedback for the council can be drafted from the assessors' comments the lead picks: the
page's "Draft feedback" button posts action=draft, and the page comes back with the
feedback filled in and everything else as typed (DraftsFeedback in bids/views/changes.py).
"""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.forms.utils import ErrorDict
from django.template.loader import render_to_string

from core.forms.base import GovForm, StateForm, helper, words_at_most
from core.forms.fields import ModelIdsField
from core.forms.layout import Reveal

from .. import staging
from ..models import CriterionScore

SHORTLIST_CHOICES = [("shortlist", "Shortlist"), ("not_shortlist", "Do not shortlist")]
NOW, LATER = "now", "later"
WHEN_CHOICES = [
    Choice(NOW, "Now"),
    Choice(
        LATER,
        "Later, with the round's other pending decisions",
        hint="Nothing changes and no one is emailed until you release the round's pending decisions.",
    ),
]
FEEDBACK_REQUIRED = "Enter the feedback to share with the council"


def decision_field(label):
    return forms.ChoiceField(
        label=label,
        choices=SHORTLIST_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select shortlist or do not shortlist"},
    )


def when_field():
    """Now (as always) or later, staged with the round's other pending decisions. Left out,
    it is now."""
    return forms.ChoiceField(
        label="When should the council be told?",
        choices=WHEN_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        initial=NOW,
    )


def feedback_field(help_text, required=True):
    return forms.CharField(
        label="Feedback for the council",
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=required,
        error_messages={"required": FEEDBACK_REQUIRED},
        validators=[words_at_most(500, "The feedback")],
    )


def need_feedback_if_later(form, cleaned):
    """Feedback is asked for only when the decision is staged (the council is then told it
    on release); told now, shortlisting emails the outcome alone, as it always has."""
    later = cleaned.get("when") == LATER
    if later and not (cleaned.get("feedback") or "").strip() and "feedback" not in form.errors:
        form.add_error("feedback", FEEDBACK_REQUIRED)
    return cleaned


class CommentPicker:
    """The assessors' comments as checkboxes grouped by criterion, and the button that drafts
    the feedback from those ticked (a layout object: crispy-forms-gds has no grouping)."""

    template = "bids/includes/comment_picker.html"

    def __init__(self, field="drawn_from"):
        self.field = field

    def render(self, form, context, template_pack=None, **kwargs):
        bound = form[self.field]
        value = bound.value() or []
        chosen = {str(pk) for pk in value}
        groups = {}
        for position, comment in enumerate(form.comments, start=1):
            groups.setdefault(comment.criterion.name, []).append(
                {
                    "id": f"id_{bound.html_name}_{position}",
                    "comment": comment,
                    "checked": str(comment.pk) in chosen,
                }
            )
        if hasattr(form, "rendered_fields"):
            form.rendered_fields.add(self.field)
        return render_to_string(
            self.template,
            {"field": bound, "groups": list(groups.items()), "draft_problem": form.draft_problem},
        )


class DraftsFeedback(forms.Form):
    """A form whose feedback can be drafted from the counted assessors' comments on the bid.

    While drafting (`drafting = True`) the page is drawn again as typed, with no errors but
    the picker's own: drafting is not saving."""

    drawn_from = ModelIdsField(
        queryset=CriterionScore.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Assessors' comments",
        error_messages={"invalid_choice": "Select comments from the list"},
    )
    drafting = False
    draft_problem = ""
    second_button = True  # the picker's, inside the form (templates/includes/form_page.html)

    def pick_comments_from(self, bid):
        self.comments = list(staging.comments_for(bid))
        self.fields["drawn_from"].queryset = CriterionScore.objects.filter(
            pk__in=[comment.pk for comment in self.comments]
        )

    def picked(self):
        """The comments ticked, as posted (before the form is judged)."""
        ticked = set(self.data.getlist("drawn_from")) if self.is_bound else set()
        return [comment for comment in self.comments if str(comment.pk) in ticked]

    def draft(self):
        """Fill the feedback from the comments ticked, keeping everything else as typed."""
        self.drafting = True
        picked = self.picked()
        if not picked:
            self.draft_problem = "Select the comments you want to draft the feedback from"
            return
        self.data = self.data.copy()
        self.data["feedback"] = staging.draft_feedback(picked)

    def full_clean(self):
        super().full_clean()
        if self.drafting:
            self._errors = ErrorDict()
            if self.draft_problem:
                self._errors["drawn_from"] = self.error_class([self.draft_problem])

    @property
    def later(self):
        return self.cleaned_data.get("when") == LATER


def reason_field(help_text):
    return forms.CharField(
        label="Reason",
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for your shortlisting decision"},
        validators=[words_at_most(300, "The reason")],
    )


class ShortlistForm(DraftsFeedback, StateForm):
    decision = decision_field("Shortlist this bid?")
    reason = reason_field("Kept on the bid's record for officials. The council is emailed the outcome.")
    when = when_field()
    feedback = feedback_field(
        "Emailed to the council with the outcome when you release the decision.", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pick_comments_from(self.record)
        self.helper = helper(
            Field("expected_state"),
            Field.radios("decision", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("reason", label_size=Size.SMALL, rows=4, max_words=300),
            Reveal(
                "when",
                {
                    LATER: [
                        CommentPicker(),
                        Field.textarea("feedback", label_size=Size.SMALL, rows=5, max_words=500),
                    ]
                },
            ),
        )

    def clean(self):
        return need_feedback_if_later(self, super().clean())


class BulkShortlistForm(GovForm):
    """The ranking page's bulk action. The bids ticked and the states seen come from the
    table rows; the view checks them against the bids on the page."""

    decision = decision_field("What do you want to do with the selected bids?")
    reason = reason_field("Kept on each bid's record for officials. Each council is emailed the outcome.")
    when = when_field()
    feedback = feedback_field(
        "The same for each council to begin with: change each one on the pending decisions page.",
        required=False,
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
        self.helper = helper(
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason", label_size=Size.SMALL, rows=3, max_words=300),
            Reveal(
                "when",
                {LATER: [Field.textarea("feedback", label_size=Size.SMALL, rows=4, max_words=500)]},
                legend_size=Size.SMALL,
            ),
        )

    def clean(self):
        return need_feedback_if_later(self, super().clean())

    @property
    def later(self):
        return self.cleaned_data.get("when") == LATER


DECISION_REASONS_HELP = "The record of why. Officials only: the council does not see this."
FEEDBACK_HELP = "What the council is told, on its bid page and in the email."


def reasons_field():
    return forms.CharField(
        label="Reasons for the decision",
        help_text=DECISION_REASONS_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons for the decision"},
        validators=[words_at_most(500, "The reasons")],
    )


class RejectForm(DraftsFeedback, StateForm):
    reasons = reasons_field()
    feedback = feedback_field(FEEDBACK_HELP)
    when = when_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pick_comments_from(self.record)
        self.helper = helper(*self.layout_fields())

    def layout_fields(self):
        return [
            Field("expected_state"),
            Field.textarea("reasons", label_size=Size.MEDIUM, rows=5, max_words=500),
            CommentPicker(),
            Field.textarea("feedback", label_size=Size.MEDIUM, rows=5, max_words=500),
            Field.radios("when", legend_size=Size.MEDIUM),
        ]


class PendingDecisionForm(DraftsFeedback, GovForm):
    """Changing a pending decision's words before it is released."""

    reasons = reasons_field()
    feedback = feedback_field("What the council is told when the decision is released.")

    def __init__(self, *args, staged, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "reasons": staged.reasons,
                "feedback": staged.feedback,
                "drawn_from": [comment.pk for comment in staged.drawn_from.all()],
            },
        )
        super().__init__(*args, **kwargs)
        self.pick_comments_from(staged.bid)
        self.helper = helper(
            Field.textarea("reasons", label_size=Size.MEDIUM, rows=5, max_words=500),
            CommentPicker(),
            Field.textarea("feedback", label_size=Size.MEDIUM, rows=8, max_words=500),
        )


class TakeBackForm(GovForm):
    reason = forms.CharField(
        label="Why are you taking it back? (optional)",
        help_text="Kept on the bid's record for officials.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        validators=[words_at_most(300, "The reason")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.textarea("reason", label_size=Size.SMALL, rows=3, max_words=300))


class ReleaseForm(GovForm):
    """The pending decisions the lead saw on the confirmation page, so that a set changed
    meanwhile is not released unseen."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, pending=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen"].initial = ",".join(str(staged.pk) for staged in pending)
        self.helper = helper(Field("seen"))

    def clean_seen(self):
        seen = self.cleaned_data["seen"]
        if not seen:
            return None
        pks = [part for part in seen.split(",") if part.strip().isdecimal() and len(part.strip()) <= 18]
        return {int(pk) for pk in pks}
