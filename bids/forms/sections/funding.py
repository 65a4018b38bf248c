"""7. Funding: every pilot gets the round's base award; only a large or complex trust may ask
for a supplement, up to the round's maximum, and must say why."""

from decimal import Decimal

from crispy_forms_gds.layout import Field

from core.forms.layout import Reveal, money
from core.money import money as money_text

from ...models import Section
from ..pages import SectionPage


class FundingForm(SectionPage):
    section = Section.FUNDING
    slug = "amount"
    title = "Funding you are asking for"

    def prepare(self):
        funding_round = self.bid.funding_round
        self.intro = (
            f"Every pilot receives the round's base award of {money_text(funding_round.base_award)}. "
            "You cannot change this amount."
        )
        self.fields["large_or_complex"].help_text = (
            f"A large or complex trust may ask for up to {money_text(funding_round.max_supplement)} "
            f"on top of the base award of {money_text(funding_round.base_award)}."
        )
        supplement = self.fields["supplement_requested"]
        supplement.maximum = funding_round.max_supplement
        supplement.help_text = (
            f"In pounds, up to {money_text(funding_round.max_supplement)}. For example 25000 or 25,000.50."
        )

    @classmethod
    def initial_from(cls, bid):
        large = {True: "yes", False: "no"}.get(bid.large_or_complex, "")
        amount = bid.supplement_requested if bid.large_or_complex else None
        return {
            "large_or_complex": large,
            "supplement_requested": amount or "",
            "supplement_justification": bid.supplement_justification if bid.large_or_complex else "",
        }

    def layout(self):
        return [
            Reveal(
                "large_or_complex",
                {
                    "yes": [
                        money("supplement_requested"),
                        Field.textarea("supplement_justification", max_words=300, rows=6),
                    ]
                },
            )
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("large_or_complex") == "no":
            # The amount and justification are hidden and ignored for a trust that is not large or complex.
            for name in ("supplement_requested", "supplement_justification"):
                self.errors.pop(name, None)
        if cleaned.get("large_or_complex") == "yes":
            if (
                self.strict
                and cleaned.get("supplement_requested") is None
                and "supplement_requested" not in self.errors
            ):
                self.add_error("supplement_requested", "Enter the supplement you are asking for")
            elif cleaned.get("supplement_requested") == 0 and self.strict:
                self.add_error(
                    "supplement_requested",
                    "The supplement must be more than £0. If you are not asking for one, answer no",
                )
            if cleaned.get("supplement_requested"):
                self.require(cleaned, "supplement_justification", "Explain why the trust needs a supplement")
        return cleaned

    def changes(self):
        large = {"yes": True, "no": False}.get(self.cleaned_data.get("large_or_complex"))
        if not large:
            # Only a large or complex trust may ask for more: whatever else was posted is dropped.
            return {
                "large_or_complex": large,
                "supplement_requested": Decimal("0"),
                "supplement_justification": "",
            }
        return {
            "large_or_complex": True,
            "supplement_requested": self.cleaned_data.get("supplement_requested") or Decimal("0"),
            "supplement_justification": self.cleaned_data.get("supplement_justification") or "",
        }
