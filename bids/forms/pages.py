"""What every page of the council's bid form is built on.

A question page is strict when the council presses "Save and continue" (every question
must be answered) and lenient on "Save and come back later" (what was typed is saved if
it is valid, blanks are allowed). Whether a section is complete is the strict form bound
to the bid's saved answers: one set of rules for pages and for completion.

A page asks the questions bids/questions.py says it asks; its fields come from there.
"""

from crispy_forms_gds.layout import Field
from django import forms

from core.forms.base import GovForm, helper

from ..questions import QUESTION_LIST, QUESTIONS

MAX_VERSION = 2**31 - 1  # the largest BidSection.version the database holds


class VersionedForm(GovForm):
    """Carries the section version the page was loaded at, to refuse overwriting a colleague."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    @property
    def loaded_version(self):
        # A missing or tampered version counts as out of date, so the save is checked. So does
        # one no section can have reached (SQLite cannot even compare a number past 2**63).
        try:
            version = int(self.data.get("version", ""))
        except (TypeError, ValueError):
            return -1
        return version if 0 <= version <= MAX_VERSION else -1


class SectionPage(VersionedForm):
    """One question page of a section: its slug, title and layout, and any rule that ties
    its questions together. Which questions it asks, and their fields, come from
    bids/questions.py."""

    section = None
    slug = ""
    title = ""
    intro = ""

    @classmethod
    def questions(cls):
        return [
            question.name
            for question in QUESTION_LIST
            if question.section == cls.section and question.page == cls.slug
        ]

    def __init__(self, *args, bid, version=0, strict=True, **kwargs):
        self.bid = bid
        self.strict = strict
        initial = self.initial_from(bid)
        initial["version"] = version
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in self.questions():
            field = QUESTIONS[name].ask()
            field.widget.attrs.pop("maxlength", None)
            self.fields[name] = field
        if not strict:
            for field in self.fields.values():
                field.required = False
        self.prepare()
        self.helper = helper(Field("version"), *self.layout())

    def prepare(self):
        """Anything the page's fields need from the bid (amounts from its round, a name)."""

    def layout(self):
        return [Field.text(name) for name in self.questions()]

    @classmethod
    def initial_from(cls, bid):
        return {name: QUESTIONS[name].value(bid) for name in cls.questions()}

    def require(self, cleaned, name, message):
        if self.strict and not cleaned.get(name) and name not in self.errors:
            self.add_error(name, message)

    def follow_up(self, cleaned, name, *, asked, message):
        """A question revealed by an answer (`asked`): required when it is asked, and emptied
        when it is not, so a hidden answer is never saved. Nothing changes while the answer
        that reveals it has not been given (a lenient save keeps what was typed)."""
        if asked is None:
            return
        if asked:
            self.require(cleaned, name, message)
        else:
            cleaned[name] = ""

    def changes(self):
        return {name: self.cleaned_data.get(name) or "" for name in self.questions()}

    def scopes(self):
        return None

    @classmethod
    def saved_answers_as_data(cls, bid):
        """The bid's saved answers as the page would post them, to check completeness."""
        data = {}
        for name, value in cls.initial_from(bid).items():
            if value is None:
                data[name] = ""
            elif isinstance(value, bool):
                if value:
                    data[name] = "on"
            elif isinstance(value, list | tuple):
                data[name] = [str(getattr(item, "pk", item)) for item in value]
            else:
                data[name] = str(value)
        return data

    @classmethod
    def problems(cls, bid):
        form = cls(data=cls.saved_answers_as_data(bid), bid=bid, strict=True)
        form.is_valid()
        return [error for name in form.fields if name in form.errors for error in form.errors[name]]
