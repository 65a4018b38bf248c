"""Fields the Design System needs and Django lacks: amounts in pounds, model ids that are
checked before the database sees them, the date input, and a date with a time.

Each message can be put in the form's own words through `error_messages`, as any Django
field's can; the defaults follow the Design System's error message patterns.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.london import LONDON
from core.money import PENNY, money, plain_amount

LARGEST_ID = 2**63 - 1
# An amount as typed, once a £ sign, commas and spaces are gone: pounds, and pence if any.
AMOUNT = re.compile(r"^\d+(\.\d+)?$")


def capitalised(text):
    return text[:1].upper() + text[1:]


class FigureInput(forms.TextInput):
    """A text input for an amount or a count: a saved figure comes back as people type it
    (60,000 and 162,000, not 60000.00 and 162000); what someone typed comes back unchanged."""

    def __init__(self, attrs=None, inputmode="numeric"):
        super().__init__({"inputmode": inputmode, "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return plain_amount(value, grouped=True)
        return super().format_value(value)


class MoneyField(forms.CharField):
    """Pounds as a Decimal: accepts £60,000, 60000 or 60,000.50.

    subject: how messages name the amount ("the supplement"). maximum: the most it may be.
    """

    def __init__(self, *, subject, maximum=None, **kwargs):
        self.subject = subject
        self.maximum = maximum
        invalid = f"Enter {subject} in pounds, like 60,000"
        messages = {
            "invalid": invalid,
            "max_length": invalid,
            "negative": f"{capitalised(subject)} cannot be negative",
            "pence": f"Enter {subject} in pounds and pence, with no more than 2 decimal places",
            "maximum": f"{capitalised(subject)} must be %(maximum)s or less",
            **kwargs.pop("error_messages", {}),
        }
        kwargs.setdefault("widget", FigureInput(inputmode="decimal"))
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 20:  # checked before reading: a long string is not worth parsing
            raise ValidationError(self.error_messages["max_length"], code="max_length")
        cleaned = text.strip().removeprefix("£").replace(",", "").replace(" ", "")
        if cleaned.startswith("-"):
            raise ValidationError(self.error_messages["negative"], code="negative")
        if not AMOUNT.match(cleaned):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        pounds, _, pence = cleaned.partition(".")
        if len(pence) > 2:
            raise ValidationError(self.error_messages["pence"], code="pence")
        if len(pounds) > 10:  # no award comes near a billion pounds; the database holds 12 digits
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(cleaned).quantize(PENNY)

    def validate(self, value):
        super().validate(value)
        if value is not None and self.maximum is not None and value > self.maximum:
            raise ValidationError(
                self.error_messages["maximum"], code="maximum", params={"maximum": money(self.maximum)}
            )


def could_be_an_id(posted):
    text = str(posted).strip()
    return text.isdecimal() and len(text) <= 19 and int(text) <= LARGEST_ID


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Checkboxes of model objects, posted as their ids.

    A value that cannot be an id is refused as an invalid choice before the database is
    asked: Django compares the ids with an IN clause, and SQLite cannot hold a number past
    2**63 to compare it (PostgreSQL can, and finds nothing).
    """

    def _check_values(self, value):
        if self.to_field_name is None:
            for posted in value:
                if not could_be_an_id(posted):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": posted}
                    )
        return super()._check_values(value)


def number(text, digits=4):
    """A box's number, or None. isdecimal(), not isdigit(): "²" is a digit int() cannot read.
    No box needs more than 4 digits; more overflow a date."""
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) <= digits else None


# The date input ---------------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")
TIME_PARTS = ("hour", "minute")
WIDTHS = {"day": 2, "month": 2, "year": 4, "hour": 2, "minute": 2}
LABELS = {"day": "Day", "month": "Month", "year": "Year", "hour": "Hour", "minute": "Minutes"}


class PartsWidget(forms.MultiWidget):
    """Boxes of the GOV.UK date input. The first box takes the field's id, so the error
    summary's link (to the field's id) lands in it; only the boxes that need fixing are
    marked in error, as the Design System asks (crispy-forms-gds would mark them all)."""

    parts = DATE_PARTS
    use_fieldset = True

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{WIDTHS[part]}",
                    "inputmode": "numeric",
                }
            )
            for part in self.parts
        }
        self.error_parts = ()
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["group_id"] = f"{base_id}-parts"
        for index, (part, subwidget) in enumerate(
            zip(self.parts, context["widget"]["subwidgets"], strict=True)
        ):
            subwidget["part"] = part
            subwidget["attrs"]["id"] = base_id if index == 0 else f"{base_id}_{part}"
            subwidget["label"] = LABELS[part]
            classes = [name for name in subwidget["attrs"]["class"].split() if name != "govuk-input--error"]
            if part in self.error_parts:
                classes.append("govuk-input--error")
                subwidget["attrs"]["aria-invalid"] = "true"
            else:
                subwidget["attrs"].pop("aria-invalid", None)
            subwidget["attrs"]["class"] = " ".join(classes)
        return context

    def id_for_label(self, id_):
        return id_


class DateInputWidget(PartsWidget):
    template_name = "core/widgets/date_input.html"

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed into the GOV.UK date input.

    subject: how messages name the date ("the date the activity was held"). example: a date
    to add to "must be a real date" ("7 4 2003"). not_in_future: refuse dates after today.
    """

    widget = DateInputWidget

    def __init__(self, *, subject, example="", not_in_future=False, **kwargs):
        self.subject = subject
        self.not_in_future = not_in_future
        real = f"{capitalised(subject)} must be a real date" + (f", like {example}" if example else "")
        defaults = {
            "required": f"Enter {subject}",
            "incomplete": f"{capitalised(subject)} must include a %(missing)s",
            "invalid": real,
            "short_year": "Year must include 4 numbers",
            "future": f"{capitalised(subject)} must be today or in the past",
        }
        messages = {**defaults, **kwargs.pop("error_messages", {})}
        fields = tuple(forms.CharField() for _ in DATE_PARTS)
        super().__init__(fields=fields, require_all_fields=False, error_messages=messages, **kwargs)

    def compress(self, data_list):
        return data_list

    def refuse(self, code, parts, **params):
        self.widget.error_parts = tuple(parts)
        raise ValidationError(self.error_messages[code], code=code, params=params)

    def clean(self, value):
        self.widget.error_parts = ()
        parts = dict(
            zip(DATE_PARTS, [str(part or "").strip() for part in (value or ["", "", ""])], strict=True)
        )
        if not any(parts.values()):
            if self.required:
                self.refuse("required", DATE_PARTS)
            return None
        return self.read_date(parts)

    def read_date(self, parts):
        missing = [name for name in DATE_PARTS if not parts[name]]
        if missing:
            self.refuse("incomplete", missing, missing=" and ".join(missing))
        unreadable = [name for name in DATE_PARTS if number(parts[name], digits=99) is None]
        if unreadable:
            self.refuse("invalid", unreadable)
        if len(parts["year"]) != 4:
            self.refuse("short_year", ["year"])
        day, month, year = (number(parts[name]) for name in DATE_PARTS)
        try:
            value = date(year, month, day)
        except (TypeError, ValueError, OverflowError):  # a day of 99999999999999999999 overflows
            self.refuse("invalid", DATE_PARTS)
        if self.not_in_future and value > timezone.localdate():
            self.refuse("future", DATE_PARTS)
        return value


# A date and a time -------------------------------------------------------------------------


class DateTimeInputWidget(PartsWidget):
    """The date input and, beside it, the hour and minutes, for a moment in London time."""

    template_name = "core/widgets/date_time_input.html"
    parts = DATE_PARTS + TIME_PARTS

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.date_errors, self.time_errors = [], []
        self.date_label = self.time_label = self.date_hint = self.time_hint = ""

    def add_date_error(self, message):
        """A problem the form found with the moment as a whole (outside a window, too early)."""
        self.date_errors = [*self.date_errors, message]
        self.error_parts = tuple(dict.fromkeys(self.error_parts + DATE_PARTS))

    def decompress(self, value):
        if not value:
            return [None] * 5
        local = timezone.localtime(value, LONDON)
        return [local.day, local.month, local.year, f"{local.hour:02d}", f"{local.minute:02d}"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        context["widget"]["base_id"] = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["halves"] = [
            ("date", self.date_label, self.date_hint, self.date_errors, subwidgets[:3]),
            ("time", self.time_label, self.time_hint, self.time_errors, subwidgets[3:]),
        ]
        return context


class DateTimeField(DateField):
    """A moment typed as a date and a time on the 24-hour clock, in London time; each half
    has its own legend, hint and messages, and its boxes are marked when they are wrong.

    time_subject: how messages name the time ("the time the interview starts").
    labels, hints: the two legends and hints, date first.
    second: the second within the minute that is meant (59: "until the end of 17:00").
    blank_minute: what empty minutes mean (0: "10" is 10:00); None refuses them.
    """

    widget = DateTimeInputWidget

    def __init__(
        self, *, subject, time_subject, labels, hints=("", ""), second=0, blank_minute=None, **kwargs
    ):
        self.labels, self.hints = labels, hints
        self.second, self.blank_minute = second, blank_minute
        time_messages = {
            "time_required": f"Enter {time_subject}",
            "hour": f"{capitalised(time_subject)} must be a real time on the 24-hour clock, like 17 00",
            "minute": f"{capitalised(time_subject)} must be a real time on the 24-hour clock, like 17 00",
        }
        overrides = kwargs.pop("error_messages", {})
        super().__init__(subject=subject, error_messages={**time_messages, **overrides}, **kwargs)
        self.fields = self.fields + (forms.CharField(), forms.CharField())

    def widget_attrs(self, widget):
        widget.date_label, widget.time_label = self.labels
        widget.date_hint, widget.time_hint = self.hints
        return super().widget_attrs(widget)

    def clean(self, value):
        widget = self.widget
        widget.error_parts, widget.date_errors, widget.time_errors = (), [], []
        boxes = [str(part or "").strip() for part in (value or [""] * 5)]
        parts = dict(zip(DATE_PARTS + TIME_PARTS, boxes, strict=True))
        if not any(parts.values()) and not self.required:
            return None
        day, error_parts, problems = None, [], []
        try:
            if not any(parts[name] for name in DATE_PARTS):
                self.refuse("required", DATE_PARTS)
            day = self.read_date(parts)
        except ValidationError as error:
            widget.date_errors = error.messages
            error_parts += widget.error_parts
            problems.append(error)
        at = None
        try:
            at = self.read_time(parts)
        except ValidationError as error:
            widget.time_errors = error.messages
            error_parts += widget.error_parts
            problems.append(error)
        widget.error_parts = tuple(error_parts)
        if problems:
            raise ValidationError(problems)
        return datetime.combine(day, at, tzinfo=LONDON)

    def read_time(self, parts):
        self.widget.error_parts = ()
        hour_text, minute_text = parts["hour"], parts["minute"]
        if not hour_text and not minute_text:
            self.refuse("time_required", TIME_PARTS)
        hour = number(hour_text)
        if hour is None or hour > 23:
            self.refuse("hour", ["hour"])
        minute = number(minute_text) if minute_text else self.blank_minute
        if minute is None or minute > 59:
            self.refuse("minute", ["minute"])
        return time(hour, minute, self.second)
