"""Widgets for the forms toolkit: what Django's own templates would write, written faster."""

import html

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attrs(attrs):
    """HTML attributes as django/forms/widgets/attrs.html writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class Select(forms.Select):
    """A select written in Python, character for character what Django's select.html and
    select_option.html templates write. Rendering each option through a template costs
    about a tenth of a millisecond: the ranking page has seven selects, and the lists
    filtered by round offer every round the programme has run (hundreds, over the years).

    Named as Django's is because crispy-forms-gds classes a field's widget by its class
    name ("select" becomes "govuk-select")."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "govuk-select", **(attrs or {})}, choices)

    def render(self, name, value, attrs=None, renderer=None):
        # Django's Select.get_context and optgroups build a dictionary for every option; this
        # writes each option straight from the choices, with the same rule for "selected" and
        # the same escaping (django.utils.html.escape is html.escape).
        chosen = {str(v) for v in self.format_value(value)}
        has_selected = False

        def option(option_value, label):
            nonlocal has_selected
            option_value = "" if option_value is None else str(option_value)
            selected = (not has_selected or self.allow_multiple_selected) and option_value in chosen
            has_selected = has_selected or selected
            text = label.__html__() if hasattr(label, "__html__") else html.escape(str(label))
            return OPTION.format(html.escape(option_value), " selected" if selected else "", text)

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                options = "".join(option(value, text) for value, text in label)
                parts.append(
                    GROUP.format(html.escape("" if option_value is None else str(option_value)), options)
                )
            else:
                parts.append(option(option_value, label))
        widget_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            widget_attrs["multiple"] = True
        # Each value and label was escaped as its option was written.
        options = mark_safe("".join(parts))  # noqa: S308  # nosec B308
        return format_html('<select name="{}"{}>{}\n</select>', name, _attrs(widget_attrs), options)


OPTION = '\n  <option value="{}"{}>{}</option>\n'
GROUP = '\n  <optgroup label="{}">{}\n  </optgroup>'
