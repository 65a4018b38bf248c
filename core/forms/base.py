"""Forms in the Design System's style: what every form of the service starts from."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape


def helper(*fields):
    """A crispy helper for a form drawn inside the page's own <form> tag (which carries
    the CSRF token), laid out as `fields`."""
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.disable_csrf = True
    if fields:
        form_helper.layout = Layout(*fields)
    return form_helper


def count_words(text):
    return len((text or "").split())


class WordLimit:
    """Refuses text of more than `limit` words, saying so in the GOV.UK style. The field's
    layout shows the count as you type (crispy-forms-gds's `max_words`)."""

    def __init__(self, limit, message):
        self.limit = limit
        self.message = message

    def __call__(self, value):
        if count_words(value) > self.limit:
            raise ValidationError(self.message, code="max_words")

    def __eq__(self, other):
        return isinstance(other, WordLimit) and (self.limit, self.message) == (other.limit, other.message)


def words_at_most(limit, what):
    """A WordLimit whose message names the text: "The reason must be 300 words or fewer"."""
    return WordLimit(limit, f"{what} must be {limit:,} words or fewer")


def counted_textarea(rows=6):
    # crispy-forms-gds expects aria-describedby to exist on a counted textarea without a hint.
    return forms.Textarea(attrs={"aria-describedby": "", "rows": rows})


def short_text(label, required, max_length, too_long, **extra):
    """A one-line text input with the messages for leaving it out and for typing too much."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={"required": required, "max_length": too_long},
        **extra,
    )


def long_text(label, *, max_words, what, required="", help_text="", rows=6):
    """A textarea with a word limit the page shows as you type and the server enforces."""
    too_long = f"{what} must be {max_words:,} words or fewer"
    field = forms.CharField(
        label=label,
        help_text=help_text,
        widget=counted_textarea(rows),
        max_length=20000,
        required=bool(required),
        error_messages={"required": required, "max_length": too_long},
        validators=[WordLimit(max_words, too_long)],
    )
    field.max_words = max_words
    return field


class GovForm(forms.Form):
    """Limits are checked on the server and explained; the browser is not asked to cut
    text off silently at a maxlength, as the GOV.UK Design System advises."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def __getitem__(self, name):
        """crispy-forms-gds prints labels, legends and hints as they are (|safe), and some
        are made from set-up text (a criterion's name and guidance): text containing HTML
        must show as text. A label written as HTML on purpose is a SafeString and stays."""
        bound = super().__getitem__(name)
        bound.label = conditional_escape(bound.label)
        bound.help_text = conditional_escape(bound.help_text)
        return bound

    def add_problems(self, problems, field=None):
        """Sentences a verb refused the change with, for the error summary."""
        for problem in problems:
            self.add_error(field, problem)


class StateForm(GovForm):
    """Every change page carries the state the person saw, so a change made meanwhile by
    someone else is caught (core.door.Stale) instead of overwritten."""

    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        if record is not None and hasattr(record, "state"):
            # Only a state the record can be in: anything else was not drawn by this page.
            choices = record._meta.get_field("state").choices
            self.fields["expected_state"] = forms.ChoiceField(
                choices=choices, widget=forms.HiddenInput, required=False, initial=record.state
            )

    @property
    def seen_state(self):
        return self.cleaned_data.get("expected_state") or None


class ReasonForm(StateForm):
    """A change that needs only a reason in the person's own words (the state they saw too)."""

    reason = forms.CharField(widget=counted_textarea(rows=5))

    def __init__(self, *args, label, required_message, hint="", max_words=300, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.help_text = hint
        field.error_messages["required"] = required_message
        field.validators.append(words_at_most(max_words, "The reason"))
        self.helper = helper(
            Field("expected_state"),
            Field.textarea("reason", label_size=Size.MEDIUM, max_words=max_words, rows=5),
        )
