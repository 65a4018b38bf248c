"""2. Focus and vision: specific client groups or broad commissioning, and what will change."""

from crispy_forms_gds.layout import Field, Size

from core.forms.layout import Reveal

from ...models import Focus, Section
from ..pages import SectionPage


class FocusForm(SectionPage):
    section = Section.FOCUS
    slug = "trust-focus"
    title = "Focus of the trust"

    def layout(self):
        return [
            Reveal(
                "focus",
                {Focus.CLIENT_GROUPS: [Field.textarea("client_groups", max_words=250, rows=5)]},
                legend_size=Size.MEDIUM,
            )
        ]

    def clean(self):
        cleaned = super().clean()
        focus = cleaned.get("focus")
        self.follow_up(
            cleaned,
            "client_groups",
            asked=focus == Focus.CLIENT_GROUPS if focus else None,
            message="Enter the client groups the trust will serve",
        )
        return cleaned


class VisionForm(SectionPage):
    section = Section.FOCUS
    slug = "vision"
    title = "Vision"

    def layout(self):
        return [Field.textarea("vision", max_words=500, rows=12, label_size=Size.MEDIUM)]
