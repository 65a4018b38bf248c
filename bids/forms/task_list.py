"""The bid form's sections as the task list sees them: which question pages make up each
section, in order, whether a section can be marked complete, and the question that says so."""

from dataclasses import dataclass

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms.base import helper

from ..eligibility import core_sector_message, missing_core_sectors
from ..models import Section
from .pages import VersionedForm
from .sections.consultation import ConsultationForm
from .sections.contacts import DirectorForm, LeadOfficerForm
from .sections.delivery import DeliverySettingsForm, PopulationForm
from .sections.focus import FocusForm, VisionForm
from .sections.funding import FundingForm
from .sections.governance import AccountabilityForm, GovernanceModelForm, OversightForm
from .sections.scopes import ScopesForm


@dataclass(frozen=True)
class SectionPages:
    section: Section
    pages: tuple

    def page(self, slug):
        return next((page for page in self.pages if page.slug == slug), None)

    def after(self, slug):
        slugs = [page.slug for page in self.pages]
        index = slugs.index(slug)
        return slugs[index + 1] if index + 1 < len(slugs) else "complete"

    def before(self, slug):
        slugs = [page.slug for page in self.pages]
        if slug == "complete":
            return slugs[-1] if slugs else None
        index = slugs.index(slug)
        return slugs[index - 1] if index > 0 else None


QUESTION_PAGES = {
    Section.CONTACTS: SectionPages(Section.CONTACTS, (LeadOfficerForm, DirectorForm)),
    Section.FOCUS: SectionPages(Section.FOCUS, (FocusForm, VisionForm)),
    Section.SCOPES: SectionPages(Section.SCOPES, (ScopesForm,)),
    Section.DELIVERY: SectionPages(Section.DELIVERY, (DeliverySettingsForm, PopulationForm)),
    Section.GOVERNANCE: SectionPages(
        Section.GOVERNANCE, (GovernanceModelForm, OversightForm, AccountabilityForm)
    ),
    Section.FUNDING: SectionPages(Section.FUNDING, (FundingForm,)),
    Section.CONSULTATION: SectionPages(Section.CONSULTATION, (ConsultationForm,)),
}


def completion_problems(bid, section):
    """Why the section cannot be marked complete yet, as sentences; empty when it can."""
    section = Section(section)
    if section in QUESTION_PAGES:
        return [problem for page in QUESTION_PAGES[section].pages for problem in page.problems(bid)]
    if section == Section.PARTNERS:
        missing = missing_core_sectors(bid)
        return [core_sector_message(missing)] if missing else []
    if section == Section.DOCUMENTS:
        return [] if bid.documents.exists() else ["Upload at least one supporting document"]
    return []


# "Have you completed this section?" ----------------------------------------------------


class CompleteForm(VersionedForm):
    completed = forms.ChoiceField(
        label="Have you completed this section?",
        choices=[("yes", "Yes, I’ve completed this section"), ("no", "No, I’ll come back to it later")],
        widget=forms.RadioSelect,
        # The Design System's words ("Complete multiple tasks" pattern).
        error_messages={
            "required": "Select whether you’ve completed this section",
            "invalid_choice": "Select whether you’ve completed this section",
        },
    )

    def __init__(self, *args, bid, section, version=0, **kwargs):
        self.bid = bid
        self.section = section
        kwargs.setdefault("initial", {"version": version})
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("version"), Field.radios("completed", legend_size=Size.MEDIUM))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("completed") == "yes":
            for problem in completion_problems(self.bid, self.section):
                self.add_error("completed", problem)
        return cleaned
