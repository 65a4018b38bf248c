"""Layout pieces crispy-forms-gds lacks: radios and checkboxes whose items reveal further
questions (the GOV.UK "conditional reveal"), an amount in pounds with a £ prefix, a
percentage with a % suffix, and a
date with a time (core.forms.fields.DateTimeField), which draws its own two fieldsets.

crispy-forms-gds's own ConditionalRadios numbers items from 0 while its plain radios
number them from 1, and it points aria-controls at panels that do not exist for items
with nothing to reveal; these follow the GOV.UK Frontend templates instead, so the error
summary (core.templatetags.service.error_anchor) can link to the first item.
"""

from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.layout import Field, Size
from django.template.loader import render_to_string


class Reveal:
    """A radios or checkboxes field; `reveals` maps an item's value to the fields it shows."""

    template = "core/layout/reveal.html"

    def __init__(self, field, reveals=None, legend_size=Size.MEDIUM, legend_tag=None):
        self.field = field
        self.reveals = {str(value): fields for value, fields in (reveals or {}).items()}
        self.legend_size = Size.for_legend(legend_size) if legend_size else ""
        self.legend_tag = legend_tag

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        bound = form[self.field]
        multiple = getattr(bound.field.widget, "allow_multiple_selected", False)
        value = bound.value()
        chosen = (
            {str(v) for v in value} if multiple and value else {str(value)} if value is not None else set()
        )
        items = []
        for position, choice in enumerate(bound.field.choices, start=1):
            item_value = str(getattr(choice[0], "value", choice[0]))
            revealed = [
                render_field(field, form, context, template_pack=template_pack, **kwargs)
                for field in self.reveals.get(item_value, [])
            ]
            items.append(
                {
                    "id": f"id_{bound.html_name}_{position}",
                    "value": item_value,
                    "label": choice[1],
                    "hint": getattr(choice, "hint", ""),
                    "checked": item_value in chosen,
                    "revealed": revealed,
                    "reveal_id": f"conditional-{bound.html_name}-{position}",
                }
            )
        if hasattr(form, "rendered_fields"):
            form.rendered_fields.add(self.field)
        return render_to_string(
            self.template,
            {
                "field": bound,
                "items": items,
                "kind": "checkboxes" if multiple else "radios",
                "legend_size": self.legend_size,
                "legend_tag": self.legend_tag,
            },
        )


def money(field):
    """A text input for pounds with the GOV.UK £ prefix."""
    return Field(field, template="core/layout/money.html", css_class="govuk-input--width-10")


def percent(field):
    """A text input for a percentage with the GOV.UK % suffix."""
    return Field(field, template="core/layout/percent.html", css_class="govuk-input--width-5")


def date_and_time(field):
    """A DateTimeField: its widget draws the legends, hints, errors and boxes of both halves."""
    return Field(field, template="core/layout/widget_only.html")
