"""Fields the bid form needs beyond the GOV.UK toolkit: a telephone number, and service
scopes that refuse the ones a trust cannot include, saying why."""

import re

from django.core.exceptions import ValidationError

from core.forms.fields import ModelIdsField
from reference.models import ServiceScope

PHONE = re.compile(r"^\+?[0-9 ()\-]+$")
PHONE_EXAMPLE = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


def check_phone(value):
    if value and (not PHONE.match(value) or not 10 <= len(re.sub(r"\D", "", value)) <= 15):
        raise ValidationError(PHONE_EXAMPLE)


ADDRESS_LENGTH = 500
# A UK postcode (its outward and inward parts), anywhere in the address: a letter that
# reaches the council needs one. Checked for shape only; the Royal Mail's list decides.
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)


def check_postcode(value):
    if value and not POSTCODE.search(value):
        raise ValidationError("Enter the postal address with its postcode, like ME14 1XQ")


class ScopeChoiceField(ModelIdsField):
    """Only allowed scopes are offered; a posted excluded scope is refused by name, with why."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError:
            # Only what int() reads ("²" passes isdigit(), not isdecimal()) and a database id fits.
            keys = [str(v) for v in value if str(v).isdecimal() and len(str(v)) <= 18]
            excluded = ServiceScope.objects.filter(pk__in=keys, allowed=False).first()
            if excluded:
                raise ValidationError(
                    f"{excluded.name} cannot be part of a children's trust. {excluded.excluded_reason}",
                    code="excluded",
                ) from None
            raise ValidationError("Select services from the list", code="invalid_choice") from None

    def label_from_instance(self, obj):
        return obj.name
