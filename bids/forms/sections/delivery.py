"""5. Delivery: where the trust will deliver services, and how many children it will cover."""

from crispy_forms_gds.layout import Field, Size
from django.core.exceptions import ValidationError

from core.forms.layout import Reveal

from ...models import DeliverySetting, Section
from ...questions import POPULATION_FORMAT
from ..pages import SectionPage

MAX_POPULATION = 2_000_000


class DeliverySettingsForm(SectionPage):
    section = Section.DELIVERY
    slug = "settings"
    title = "Where services will be delivered"

    def layout(self):
        return [
            Reveal(
                "delivery_settings",
                {DeliverySetting.OTHER: [Field.textarea("delivery_other", max_words=150, rows=4)]},
            )
        ]

    def clean(self):
        cleaned = super().clean()
        self.follow_up(
            cleaned,
            "delivery_other",
            asked=DeliverySetting.OTHER in (cleaned.get("delivery_settings") or []),
            message="Describe the other settings",
        )
        return cleaned

    def changes(self):
        return {
            "delivery_settings": list(self.cleaned_data.get("delivery_settings") or []),
            "delivery_other": self.cleaned_data.get("delivery_other") or "",
        }


class PopulationForm(SectionPage):
    section = Section.DELIVERY
    slug = "population"
    title = "Children and young people covered"

    def layout(self):
        return [Field.text("population_covered", field_width=10, label_size=Size.MEDIUM)]

    def clean_population_covered(self):
        raw = (self.cleaned_data.get("population_covered") or "").strip().replace(",", "").replace(" ", "")
        if not raw:
            return None
        # isdecimal(), not isdigit(): "²" is a digit, but not one int() can read.
        if raw.startswith("-") and raw[1:].isdecimal():
            raise ValidationError("The number of children and young people must be 1 or more")
        if not raw.isdecimal():
            raise ValidationError(POPULATION_FORMAT)
        number = int(raw)
        if number < 1:
            raise ValidationError("The number of children and young people must be 1 or more")
        if number > MAX_POPULATION:
            raise ValidationError(
                f"The number of children and young people must be {MAX_POPULATION:,} or fewer"
            )
        return number

    def changes(self):
        return {"population_covered": self.cleaned_data.get("population_covered")}
