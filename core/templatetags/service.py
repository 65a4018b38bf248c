"""Template helpers shared by every page: money, London time, error summaries, tags."""

from django import template

from core.london import london
from core.money import money
from core.scores import percent, signed_percent

register = template.Library()


register.filter(money)
register.filter(london)


def error_anchor(field):
    """The id of the input an error summary link should move focus to.

    crispy-forms-gds numbers radio and checkbox items from 1 (id_<name>_1); a lone
    checkbox and every other widget use the field's own id.
    """
    widget = field.field.widget
    if getattr(widget, "input_type", "") in {"radio", "checkbox"} and getattr(field.field, "choices", None):
        return f"id_{field.html_name}_1"
    return field.auto_id


@register.simple_tag
def error_items(form=None, forms=None):
    """(anchor, message) pairs for the GOV.UK error summary, first field first."""
    items = []
    for each in ([form] if form is not None else []) + list(forms or []):
        if each is None:
            continue
        if hasattr(each, "forms"):  # a formset
            if not each.total_error_count():
                continue
            for error in each.non_form_errors():
                items.append((each.prefix + "-0", error))
            for sub in each.forms:
                items.extend(error_items(sub))
            continue
        if not each.errors:
            continue
        fields = list(each.visible_fields())
        first = fields[0].auto_id if fields else "main-content"
        for error in each.non_field_errors():
            items.append((first, error))
        # A hidden field (the state or version the page was drawn at) has no message of its
        # own on the page: without this a tampered one would leave the form refused in silence.
        for hidden in each.hidden_fields():
            for error in hidden.errors:
                items.append((first, error))
        for field in fields:
            for error in field.errors:
                items.append((error_anchor(field), error))
    return items


STATE_TAG_COLOURS = {
    "draft": "govuk-tag--grey",
    "submitted": "govuk-tag--blue",
    "under_assessment": "govuk-tag--light-blue",
    "not_shortlisted": "govuk-tag--orange",
    "shortlisted": "govuk-tag--turquoise",
    "interview_scheduled": "govuk-tag--purple",
    "interviewed": "govuk-tag--pink",
    "approved": "govuk-tag--green",
    "rejected": "govuk-tag--red",
    "withdrawn": "govuk-tag--grey",
    "offered": "govuk-tag--blue",
    "accepted": "govuk-tag--turquoise",
    "declined": "govuk-tag--red",
    "conditions_met": "govuk-tag--purple",
    "paid": "govuk-tag--green",
    # An instalment of an award (approved and paid as a bid's and an award's).
    "scheduled": "govuk-tag--grey",
    "requested": "govuk-tag--yellow",
    # A funding round (draft as a bid's).
    "published": "govuk-tag--blue",
    "open": "govuk-tag--green",
    "closed": "govuk-tag--grey",
}


@register.inclusion_tag("includes/state_tag.html")
def state_tag(obj, field="state"):
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    return {"label": label, "colour": STATE_TAG_COLOURS.get(value, "")}


register.filter(percent)
register.filter(signed_percent)
