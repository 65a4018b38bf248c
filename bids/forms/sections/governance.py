"""6. Governance and accountability: who runs the trust, how elected members oversee it, and
the council's confirmation that it stays accountable."""

from crispy_forms_gds.layout import Field, Size

from core.forms.layout import Reveal

from ...models import GovernanceModel, Section
from ..pages import SectionPage


class GovernanceModelForm(SectionPage):
    section = Section.GOVERNANCE
    slug = "model"
    title = "Governance model"

    def layout(self):
        return [
            Reveal(
                "governance_model",
                {GovernanceModel.OTHER: [Field.textarea("governance_other", max_words=150, rows=4)]},
            )
        ]

    def clean(self):
        cleaned = super().clean()
        model = cleaned.get("governance_model")
        self.follow_up(
            cleaned,
            "governance_other",
            asked=model == GovernanceModel.OTHER if model else None,
            message="Describe the governance model",
        )
        return cleaned


class OversightForm(SectionPage):
    section = Section.GOVERNANCE
    slug = "oversight"
    title = "Elected members' oversight"

    def layout(self):
        return [Field.textarea("member_oversight", max_words=300, rows=8, label_size=Size.MEDIUM)]


class AccountabilityForm(SectionPage):
    section = Section.GOVERNANCE
    slug = "accountability"
    title = "Accountability"
    intro = (
        "A council that delegates commissioning and delivery of services to a children's trust "
        "remains accountable for those services."
    )

    def prepare(self):
        self.fields["accountability_confirmed"].label = (
            f"I confirm that {self.bid.authority.name} remains accountable for the services it delegates "
            "to the trust"
        )

    def layout(self):
        return [Field.checkbox("accountability_confirmed")]

    def changes(self):
        return {"accountability_confirmed": bool(self.cleaned_data.get("accountability_confirmed"))}
