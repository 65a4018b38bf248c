"""8. Consultation plan: how the council will consult communities, agencies and staff, as
every pilot must."""

from crispy_forms_gds.layout import Field, Size

from ...models import Section
from ..pages import SectionPage


class ConsultationForm(SectionPage):
    section = Section.CONSULTATION
    slug = "plan"
    title = "How you will consult"
    intro = (
        "Successful bidders must consult widely with local communities, agencies and all staff involved "
        "in the trust on the impact the changes could have on services and working practices."
    )

    def layout(self):
        return [
            Field.textarea(name, max_words=300, rows=5, label_size=Size.SMALL) for name in self.questions()
        ]
