"""Forms for monitoring returns, in the GOV.UK Design System's patterns: the return itself
(milestones as rows, the blank ones ignored, so adding one needs no JavaScript), the
certifier's declaration, the lead's decision, and the programme list's filters."""

from crispy_forms_gds.layout import HTML, Div, Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError

from core.forms.base import ReasonForm, StateForm, WordLimit, counted_textarea, helper, long_text
from core.forms.fields import FigureInput, MoneyField, capitalised
from core.forms.layout import money
from core.money import money as money_text
from trusts.forms import round_and_status_filter

from .enums import (
    MAX_MILESTONES,
    MILESTONE_COMMENT_WORDS,
    NARRATIVE_WORDS,
    PARTNERS_WORDS,
    REASON_WORDS,
    RISKS_WORDS,
    Rag,
    ReturnState,
)
from .models import MonitoringReturn
from .returns import ANSWERS

MAX_COUNT = 10_000_000
# Blank milestone rows under those saved: enough to add a few at a time. Saving the return
# draws three more.
BLANK_MILESTONE_ROWS = 3


class CountField(forms.CharField):
    """A whole number of people (0 or more), typed as 40 or 1,200."""

    def __init__(self, *, subject, **kwargs):
        self.subject = subject
        messages = {
            "required": f"Enter {subject}",
            "invalid": f"{capitalised(subject)} must be a whole number, like 40",
            "maximum": f"{capitalised(subject)} must be {MAX_COUNT:,} or fewer",
            **kwargs.pop("error_messages", {}),
        }
        kwargs.setdefault("widget", FigureInput())
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        digits = text.strip().replace(",", "")
        if not digits.isdecimal():  # not isdigit(): "²" is a digit int() cannot read
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        digits = digits.lstrip("0") or "0"
        if len(digits) > len(str(MAX_COUNT)):  # before int(), which refuses 4,300 digits and more
            raise ValidationError(self.error_messages["maximum"], code="maximum")
        number = int(digits)
        if number > MAX_COUNT:
            raise ValidationError(self.error_messages["maximum"], code="maximum")
        return number


def milestone_rows(monitoring_return):
    """How many milestone rows the form draws: those saved and three blank ones, at most 20."""
    saved = monitoring_return.milestones.count() if monitoring_return is not None else 0
    return min(MAX_MILESTONES, saved + BLANK_MILESTONE_ROWS)


class ReturnForm(StateForm):
    """The return. `draft`: saved to come back to later, so nothing is required yet (what is
    typed must still be right); sending it for certification needs every answer."""

    spending_to_date = MoneyField(
        subject="the spending to date",
        label="Spent so far",
        error_messages={"required": "Enter the spending to date"},
    )
    planned_spending_to_date = MoneyField(
        subject="the planned spending to date",
        label="Planned to have spent by now",
        error_messages={"required": "Enter the planned spending to date"},
    )
    children_reached = CountField(subject="the number of children reached", label="Children reached")
    families_reached = CountField(subject="the number of families reached", label="Families reached")
    partners_involvement = long_text(
        "How have your partners been involved in this period?",
        max_words=PARTNERS_WORDS,
        what="How partners have been involved",
        required="Enter how partners have been involved",
        help_text="Social services, education and health, and any community, private or voluntary partners.",
    )
    risks_and_issues = long_text(
        "What are the main risks and issues, and what are you doing about them?",
        max_words=RISKS_WORDS,
        what="The risks and issues",
        required="Enter the risks and issues",
    )
    narrative = long_text(
        "What progress has the trust made in this period?",
        max_words=NARRATIVE_WORDS,
        what="The progress in the period",
        required="Enter the progress in the period",
        help_text="What has changed for children and families, and what you plan for the next period.",
        rows=8,
    )

    def __init__(self, *args, record=None, award, rows, draft=False, **kwargs):
        if record is not None:
            kwargs.setdefault("initial", initial_answers(record))
        super().__init__(*args, record=record, **kwargs)
        if record is None:
            # A return not yet started: the page saw no state, and says so with an empty one.
            self.fields["expected_state"] = forms.ChoiceField(
                choices=[("", "")], widget=forms.HiddenInput, required=False
            )
        self.draft = draft
        self.rows = rows
        spending_hint = f"Of the {money_text(award.total)} award, in pounds."
        for name in ("spending_to_date", "planned_spending_to_date"):
            self.fields[name].maximum = award.total
            self.fields[name].help_text = spending_hint
        for name, field in self.fields.items():
            if name != "expected_state":
                field.required = not draft
        for row in range(1, rows + 1):
            self.fields.update(milestone_fields(row))
        self.helper = helper(
            Field("expected_state"),
            HTML('<h2 class="govuk-heading-m" id="milestones">Milestones</h2>'),
            HTML(
                '<p class="govuk-body">Give each milestone of your plan a status: red if it will not be '
                "met without help or a change of plan, amber if it has slipped or is at risk, green if "
                "it is on track. Say why for any that are red or amber.</p>"
                '<p class="govuk-body">Leave the rows you do not need empty. To remove a milestone, '
                "delete its name and comment. Save the return to get more rows.</p>"
            ),
            *[milestone_layout(row) for row in range(1, rows + 1)],
            Fieldset(
                money("spending_to_date"),
                money("planned_spending_to_date"),
                legend="Spending of the grant to date",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("children_reached", field_width=10),
                Field.text("families_reached", field_width=10),
                legend="Children and families reached so far",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("partners_involvement", label_size=Size.MEDIUM, max_words=PARTNERS_WORDS, rows=6),
            Field.textarea("risks_and_issues", label_size=Size.MEDIUM, max_words=RISKS_WORDS, rows=6),
            Field.textarea("narrative", label_size=Size.MEDIUM, max_words=NARRATIVE_WORDS, rows=8),
        )

    def clean(self):
        cleaned = super().clean()
        milestones = []
        for row in range(1, self.rows + 1):
            name = (cleaned.get(f"milestone_{row}_name") or "").strip()
            status = cleaned.get(f"milestone_{row}_status") or ""
            comment = (cleaned.get(f"milestone_{row}_comment") or "").strip()
            if f"milestone_{row}_name" in self.errors or f"milestone_{row}_comment" in self.errors:
                continue
            if not name and not comment:
                continue  # a blank row, or one whose milestone was removed
            if not name:
                self.add_error(f"milestone_{row}_name", f"Enter the name of milestone {row}")
                continue
            if not status:
                self.add_error(f"milestone_{row}_status", f"Select the status of milestone {row}")
                continue
            if status in (Rag.RED, Rag.AMBER) and not comment:
                self.add_error(
                    f"milestone_{row}_comment",
                    f"Say why milestone {row} is {Rag(status).label.lower()} and what you are doing about it",
                )
                continue
            milestones.append((name, status, comment))
        if not milestones and not self.draft and not self.milestone_errors():
            self.add_error("milestone_1_name", "Add at least one milestone")
        cleaned["milestones"] = milestones
        return cleaned

    def milestone_errors(self):
        return any(name.startswith("milestone_") for name in self.errors)

    @property
    def answers(self):
        return {name: self.cleaned_data.get(name) for name in ANSWERS}


def milestone_fields(row):
    return {
        f"milestone_{row}_name": forms.CharField(
            label=f"Name of milestone {row}",
            required=False,
            max_length=200,
            error_messages={"max_length": f"The name of milestone {row} must be 200 characters or fewer"},
        ),
        f"milestone_{row}_status": forms.ChoiceField(
            label=f"Status of milestone {row}",
            choices=Rag.choices,
            widget=forms.RadioSelect,
            required=False,
            error_messages={"invalid_choice": f"Select the status of milestone {row}"},
        ),
        f"milestone_{row}_comment": forms.CharField(
            label=f"Comment on milestone {row}",
            help_text="Needed for a milestone that is red or amber.",
            required=False,
            max_length=5000,
            widget=counted_textarea(rows=2),
            error_messages={
                "max_length": f"The comment on milestone {row} must be {MILESTONE_COMMENT_WORDS} words or fewer"
            },
            validators=[
                WordLimit(
                    MILESTONE_COMMENT_WORDS,
                    f"The comment on milestone {row} must be {MILESTONE_COMMENT_WORDS} words or fewer",
                )
            ],
        ),
    }


def milestone_layout(row):
    """One milestone's row; a rule between rows tells where one milestone ends."""
    rule = '<hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">'
    return Div(
        HTML(rule if row > 1 else ""),
        Field.text(f"milestone_{row}_name", label_size=Size.SMALL),
        Field.radios(f"milestone_{row}_status", legend_size=Size.SMALL, inline=True),
        Field.textarea(f"milestone_{row}_comment", rows=2, max_words=MILESTONE_COMMENT_WORDS),
    )


def initial_answers(monitoring_return):
    """What the form shows for a saved return: its answers (the inputs show amounts as typed,
    60,000), its milestones in order."""
    initial = {name: getattr(monitoring_return, name) for name in ANSWERS}
    for row, milestone in enumerate(monitoring_return.milestones.all(), start=1):
        initial[f"milestone_{row}_name"] = milestone.name
        initial[f"milestone_{row}_status"] = milestone.status
        initial[f"milestone_{row}_comment"] = milestone.comment
    return initial


# The changes a person confirms ----------------------------------------------------------


class CheckAnswersForm(StateForm):
    """Sending for certification: the answers are on the page above it; only the state seen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("expected_state")


class CertifyForm(StateForm):
    confirm = forms.BooleanField(
        label="I certify that this return is accurate and that I have authority to commit the council",
        error_messages={
            "required": "Confirm that this return is accurate and that you have authority to commit the council"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("expected_state", Field.checkbox("confirm"))


class AcceptForm(StateForm):
    note = forms.CharField(
        label="Note to the council (optional)",
        help_text="It is sent with the email telling them and kept in the return's history.",
        required=False,
        widget=counted_textarea(rows=3),
        validators=[WordLimit(REASON_WORDS, f"The note must be {REASON_WORDS} words or fewer")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("expected_state", Field.textarea("note", rows=3, max_words=REASON_WORDS))


def changes_form(data=None, *, monitoring_return):
    return ReasonForm(
        data,
        record=monitoring_return,
        label="What needs to change?",
        hint=f"{monitoring_return.award.bid.authority.name} sees this on the return and in the email telling them.",
        required_message="Enter what needs to change",
        max_words=REASON_WORDS,
    )


def send_back_form(data=None, *, monitoring_return):
    return ReasonForm(
        data,
        record=monitoring_return,
        label="What needs to be put right before you can certify it?",
        hint="The officer who prepared the return sees this.",
        required_message="Enter what needs to be put right",
        max_words=REASON_WORDS,
    )


# The programme's list ----------------------------------------------------------------------


ReturnFilter = round_and_status_filter(
    MonitoringReturn,
    "award__bid__funding_round",
    ReturnState.choices,
    "The returns list's filters, read from the query string.",
)
