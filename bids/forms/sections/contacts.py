"""1. Contacts: the lead officer the programme team deals with, and the director accountable."""

from crispy_forms_gds.layout import Field

from ...models import Section
from ..pages import SectionPage


class LeadOfficerForm(SectionPage):
    section = Section.CONTACTS
    slug = "lead-officer"
    title = "Lead officer"
    intro = "The person the programme team will contact about this bid."

    def layout(self):
        return [Field.text(name, field_width=20) for name in self.questions()]


class DirectorForm(SectionPage):
    section = Section.CONTACTS
    slug = "director"
    title = "Director responsible"
    intro = (
        "The director accountable for the trust, for example the director of social services or of education, "
        "and where the Department writes to them."
    )

    def layout(self):
        return [
            Field.textarea(name, rows=4) if name == "postal_address" else Field.text(name, field_width=20)
            for name in self.questions()
        ]
