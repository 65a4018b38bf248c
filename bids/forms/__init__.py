"""Forms for bid pages. Each audience's forms live in their own module; what they share is here."""

from django import forms
from django.core.exceptions import ValidationError

LARGEST_ID = 2**63 - 1


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
