"""The council's forms: the question pages of each section, partners, documents, the
"Have you completed this section?" question, the declaration and withdrawal.

A question page is strict when the council presses "Save and continue" (every question
must be answered) and lenient on "Save and come back later" (what was typed is saved if
it is valid, blanks are allowed). Whether a section is complete is the strict form bound
to the bid's saved answers: one set of rules for pages and for completion.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from core.money import money as money_text
from reference.models import ServiceScope

from .. import documents
from ..drafting import PARTNER_FIELDS
from ..eligibility import core_sector_message, missing_core_sectors
from ..models import DeliverySetting, Focus, GovernanceModel, Section, Sector
from . import ModelIdsField
from .layout import Reveal, money

YES_NO = [("yes", "Yes"), ("no", "No")]


def helper(*fields):
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.disable_csrf = True  # the page's own form tag carries the token
    form_helper.layout = Layout(*fields)
    return form_helper


def words(text):
    return len((text or "").split())


def counted_textarea():
    # crispy-forms-gds expects aria-describedby to exist on a counted textarea without a hint.
    return forms.Textarea(attrs={"aria-describedby": "", "rows": 6})


def text(label, required, max_length, too_long, **extra):
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={"required": required, "max_length": too_long},
        **extra,
    )


def long_text(label, required, max_words, what, help_text=""):
    """A textarea with a word limit the page shows as you type and the server enforces."""
    field = forms.CharField(
        label=label,
        help_text=help_text,
        widget=counted_textarea(),
        max_length=20000,
        error_messages={
            "required": required,
            "max_length": f"{what} must be {max_words:,} words or fewer",
        },
    )
    field.max_words = max_words
    field.too_many_words = f"{what} must be {max_words:,} words or fewer"
    return field


class GovForm(forms.Form):
    """Limits are checked on the server and explained; the browser is not asked to cut
    text off silently at a maxlength, as the GOV.UK Design System advises."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)


MAX_VERSION = 2**31 - 1  # the largest BidSection.version the database holds


class VersionedForm(GovForm):
    """Carries the section version the page was loaded at, to refuse overwriting a colleague."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    @property
    def loaded_version(self):
        # A missing or tampered version counts as out of date, so the save is checked. So does
        # one no section can have reached (SQLite cannot even compare a number past 2**63).
        try:
            version = int(self.data.get("version", ""))
        except (TypeError, ValueError):
            return -1
        return version if 0 <= version <= MAX_VERSION else -1

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            limit = getattr(field, "max_words", None)
            if limit and words(cleaned.get(name)) > limit:
                self.add_error(name, field.too_many_words)
        return cleaned


class SectionPage(VersionedForm):
    """One question page of a section. Subclasses list the Bid fields they save."""

    section = None
    slug = ""
    title = ""
    saves = ()

    def __init__(self, *args, bid, version=0, strict=True, **kwargs):
        self.bid = bid
        self.strict = strict
        initial = self.initial_from(bid)
        initial["version"] = version
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if not strict:
            for field in self.fields.values():
                field.required = False
        self.helper = helper(Field("version"), *self.layout())

    def layout(self):
        return [Field.text(name) for name in self.saves]

    @classmethod
    def initial_from(cls, bid):
        return {name: getattr(bid, name) for name in cls.saves}

    def require(self, cleaned, name, message):
        if self.strict and not cleaned.get(name) and name not in self.errors:
            self.add_error(name, message)

    def changes(self):
        return {name: self.cleaned_data.get(name) or "" for name in self.saves}

    def scopes(self):
        return None

    @classmethod
    def saved_answers_as_data(cls, bid):
        """The bid's saved answers as the page would post them, to check completeness."""
        data = {}
        for name, value in cls.initial_from(bid).items():
            if value is None:
                data[name] = ""
            elif isinstance(value, bool):
                if value:
                    data[name] = "on"
            elif isinstance(value, list | tuple):
                data[name] = [str(getattr(item, "pk", item)) for item in value]
            else:
                data[name] = str(value)
        return data

    @classmethod
    def problems(cls, bid):
        form = cls(data=cls.saved_answers_as_data(bid), bid=bid, strict=True)
        form.is_valid()
        return [error for name in form.fields if name in form.errors for error in form.errors[name]]


# 1. Contacts ---------------------------------------------------------------------------

PHONE = re.compile(r"^\+?[0-9 ()\-]+$")


def check_phone(value):
    if value and (not PHONE.match(value) or not 10 <= len(re.sub(r"\D", "", value)) <= 15):
        raise ValidationError(
            "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
        )


class LeadOfficerForm(SectionPage):
    section = Section.CONTACTS
    slug = "lead-officer"
    title = "Lead officer"
    intro = "The person the programme team will contact about this bid."
    saves = ("lead_name", "lead_job_title", "lead_email", "lead_phone")

    lead_name = text(
        "Full name",
        "Enter the lead officer's full name",
        150,
        "The lead officer's name must be 150 characters or fewer",
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    lead_job_title = text(
        "Job title",
        "Enter the lead officer's job title",
        150,
        "The lead officer's job title must be 150 characters or fewer",
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    lead_email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the lead officer's email address",
            "invalid": "Enter the lead officer's email address in the correct format, like name@example.com",
            "max_length": "The lead officer's email address must be 254 characters or fewer",
        },
    )
    lead_phone = text(
        "Telephone number",
        "Enter the lead officer's telephone number",
        30,
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        help_text="For international numbers include the country code",
        validators=[check_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def layout(self):
        return [
            Field.text("lead_name", field_width=20),
            Field.text("lead_job_title", field_width=20),
            Field.text("lead_email", field_width=20),
            Field.text("lead_phone", field_width=20),
        ]


class DirectorForm(SectionPage):
    section = Section.CONTACTS
    slug = "director"
    title = "Director responsible"
    intro = (
        "The director accountable for the trust, for example the director of social services or of education."
    )
    saves = ("director_name", "director_job_title")

    director_name = text(
        "Full name",
        "Enter the responsible director's full name",
        150,
        "The director's name must be 150 characters or fewer",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    director_job_title = text(
        "Job title",
        "Enter the responsible director's job title",
        150,
        "The director's job title must be 150 characters or fewer",
    )

    def layout(self):
        return [Field.text("director_name", field_width=20), Field.text("director_job_title", field_width=20)]


# 2. Focus and vision -------------------------------------------------------------------


class FocusForm(SectionPage):
    section = Section.FOCUS
    slug = "trust-focus"
    title = "Focus of the trust"
    saves = ("focus", "client_groups")

    focus = forms.ChoiceField(
        label="What will the trust focus on?",
        choices=[
            Choice(
                Focus.CLIENT_GROUPS.value,
                Focus.CLIENT_GROUPS.label,
                hint="For example disabled children, or children with special educational needs",
            ),
            Choice(
                Focus.BROAD.value,
                Focus.BROAD.label,
                hint="Jointly planning and commissioning most children's services in the area",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the trust will focus on specific client groups or broad commissioning",
            "invalid_choice": "Select whether the trust will focus on specific client groups or broad commissioning",
        },
    )
    client_groups = long_text(
        "Which client groups will the trust serve?",
        "Enter the client groups the trust will serve",
        250,
        "The client groups",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_groups"].required = False

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
        if cleaned.get("focus") == Focus.CLIENT_GROUPS:
            self.require(cleaned, "client_groups", "Enter the client groups the trust will serve")
        elif cleaned.get("focus"):
            cleaned["client_groups"] = ""
        return cleaned


class VisionForm(SectionPage):
    section = Section.FOCUS
    slug = "vision"
    title = "Vision"
    saves = ("vision",)

    vision = long_text(
        "What is your vision for the trust?",
        "Enter your vision for the trust",
        500,
        "Your vision",
        help_text="What will be different for children and families, and how social services, "
        "education and health will work together.",
    )

    def layout(self):
        return [Field.textarea("vision", max_words=500, rows=12, label_size=Size.MEDIUM)]


# 3. Services in scope ------------------------------------------------------------------


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


class ScopesForm(SectionPage):
    section = Section.SCOPES
    slug = "services"
    title = "Services the trust will cover"
    saves = ("service_scopes", "other_scope")

    service_scopes = ScopeChoiceField(
        label="Which services will the trust cover?",
        help_text="Select all that apply.",
        queryset=ServiceScope.objects.filter(allowed=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_scope = long_text(
        "Other services (optional)",
        "",
        250,
        "Other services",
        help_text="Any other children's services where social care, health and education need to work together.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_scope"].required = False
        # Choices with hints for the checkboxes; what may be chosen is still the queryset.
        self.fields["service_scopes"].choices = [
            Choice(scope.pk, scope.name, hint=scope.description)
            for scope in ServiceScope.objects.filter(allowed=True).order_by("position", "name")
        ]

    @classmethod
    def initial_from(cls, bid):
        return {"service_scopes": list(bid.service_scopes.all()), "other_scope": bid.other_scope}

    def layout(self):
        self.excluded = list(ServiceScope.objects.filter(allowed=False).order_by("position", "name"))
        excluded = format_html_join(
            "",
            '<p class="govuk-body"><strong>{}</strong>: {}</p>',
            ((scope.name, scope.excluded_reason) for scope in self.excluded),
        )
        return [
            Field.checkboxes("service_scopes", legend_size=Size.MEDIUM),
            HTML(
                format_html(
                    '<div class="govuk-inset-text" id="excluded-scopes">'
                    '<h2 class="govuk-heading-s">Services a trust cannot include</h2>{}</div>',
                    excluded,
                )
            )
            if self.excluded
            else HTML(""),
            Field.textarea("other_scope", max_words=250, rows=4),
        ]

    def clean(self):
        cleaned = super().clean()
        answered = cleaned.get("service_scopes") or cleaned.get("other_scope")
        if self.strict and not answered and not self.errors:
            self.add_error(
                "service_scopes", "Select the services the trust will cover, or describe other services"
            )
        return cleaned

    def changes(self):
        return {"other_scope": self.cleaned_data.get("other_scope") or ""}

    def scopes(self):
        return list(self.cleaned_data.get("service_scopes") or [])


# 5. Delivery ---------------------------------------------------------------------------


class DeliverySettingsForm(SectionPage):
    section = Section.DELIVERY
    slug = "settings"
    title = "Where services will be delivered"
    saves = ("delivery_settings", "delivery_other")

    delivery_settings = forms.MultipleChoiceField(
        label="Where will the trust deliver services?",
        help_text="Select all that apply.",
        choices=DeliverySetting.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select where the trust will deliver services",
            "invalid_choice": "Select where the trust will deliver services from the list",
        },
    )
    delivery_other = long_text(
        "Describe the other settings", "Describe the other settings", 150, "The other settings"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_other"].required = False

    def layout(self):
        return [
            Reveal(
                "delivery_settings",
                {DeliverySetting.OTHER: [Field.textarea("delivery_other", max_words=150, rows=4)]},
            )
        ]

    def clean(self):
        cleaned = super().clean()
        if DeliverySetting.OTHER in (cleaned.get("delivery_settings") or []):
            self.require(cleaned, "delivery_other", "Describe the other settings")
        else:
            cleaned["delivery_other"] = ""
        return cleaned

    def changes(self):
        return {
            "delivery_settings": list(self.cleaned_data.get("delivery_settings") or []),
            "delivery_other": self.cleaned_data.get("delivery_other") or "",
        }


MAX_POPULATION = 2_000_000


class PopulationForm(SectionPage):
    section = Section.DELIVERY
    slug = "population"
    title = "Children and young people covered"
    saves = ("population_covered",)

    population_covered = forms.CharField(
        label="How many children and young people will the trust cover?",
        help_text="An estimate is fine, for example 45,000.",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the number of children and young people the trust will cover",
            "max_length": "Enter the number of children and young people as a whole number, like 45000",
        },
    )

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
            raise ValidationError(
                "Enter the number of children and young people as a whole number, like 45000"
            )
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


# 6. Governance and accountability ------------------------------------------------------


class GovernanceModelForm(SectionPage):
    section = Section.GOVERNANCE
    slug = "model"
    title = "Governance model"
    saves = ("governance_model", "governance_other")

    governance_model = forms.ChoiceField(
        label="How will the trust be governed?",
        choices=GovernanceModel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the trust will be governed",
            "invalid_choice": "Select how the trust will be governed",
        },
    )
    governance_other = long_text(
        "Describe the governance model", "Describe the governance model", 150, "The governance model"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governance_other"].required = False

    def layout(self):
        return [
            Reveal(
                "governance_model",
                {GovernanceModel.OTHER: [Field.textarea("governance_other", max_words=150, rows=4)]},
            )
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("governance_model") == GovernanceModel.OTHER:
            self.require(cleaned, "governance_other", "Describe the governance model")
        elif cleaned.get("governance_model"):
            cleaned["governance_other"] = ""
        return cleaned


class OversightForm(SectionPage):
    section = Section.GOVERNANCE
    slug = "oversight"
    title = "Elected members' oversight"
    saves = ("member_oversight",)

    member_oversight = long_text(
        "How will elected members oversee the trust?",
        "Describe how elected members will oversee the trust",
        300,
        "How elected members oversee the trust",
        help_text="For example, the lead member for children's services chairs the board and reports to cabinet.",
    )

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
    saves = ("accountability_confirmed",)

    accountability_confirmed = forms.BooleanField(
        error_messages={
            "required": "Confirm that the council remains accountable for the services it delegates"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accountability_confirmed"].label = (
            f"I confirm that {self.bid.authority.name} remains accountable for the services it delegates "
            "to the trust"
        )

    def layout(self):
        return [Field.checkbox("accountability_confirmed")]

    def changes(self):
        return {"accountability_confirmed": bool(self.cleaned_data.get("accountability_confirmed"))}


# 7. Funding ----------------------------------------------------------------------------

AMOUNT = re.compile(r"^\d+(\.\d+)?$")


class FundingForm(SectionPage):
    section = Section.FUNDING
    slug = "amount"
    title = "Funding you are asking for"
    saves = ("large_or_complex", "supplement_requested", "supplement_justification")

    large_or_complex = forms.ChoiceField(
        label="Is the trust large or complex?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the trust is large or complex",
            "invalid_choice": "Select yes if the trust is large or complex",
        },
    )
    supplement_requested = forms.CharField(
        label="How much more are you asking for?",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the supplement you are asking for",
            "max_length": "Enter the supplement as an amount in pounds, like 25000 or 25000.50",
        },
    )
    supplement_justification = long_text(
        "Why does the trust need a supplement?",
        "Explain why the trust needs a supplement",
        300,
        "Why the trust needs a supplement",
        help_text="Say what makes the trust large or complex, for example the number of partners or the area it covers.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        funding_round = self.bid.funding_round
        self.max_supplement = funding_round.max_supplement
        self.intro = (
            f"Every pilot receives the round's base award of {money_text(funding_round.base_award)}. "
            "You cannot change this amount."
        )
        self.fields["large_or_complex"].help_text = (
            f"A large or complex trust may ask for up to {money_text(funding_round.max_supplement)} "
            f"on top of the base award of {money_text(funding_round.base_award)}."
        )
        self.fields[
            "supplement_requested"
        ].help_text = (
            f"In pounds, up to {money_text(funding_round.max_supplement)}. For example 25000 or 25,000.50."
        )
        for name in ("supplement_requested", "supplement_justification"):
            self.fields[name].required = False

    @classmethod
    def initial_from(cls, bid):
        large = {True: "yes", False: "no"}.get(bid.large_or_complex, "")
        amount = bid.supplement_requested if bid.large_or_complex else None
        return {
            "large_or_complex": large,
            "supplement_requested": _plain_amount(amount) if amount else "",
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

    def clean_supplement_requested(self):
        raw = (self.cleaned_data.get("supplement_requested") or "").strip()
        raw = raw.removeprefix("£").replace(",", "").replace(" ", "")
        if not raw:
            return None
        if raw.startswith("-"):
            raise ValidationError("The supplement cannot be a negative amount")
        if not AMOUNT.match(raw):
            raise ValidationError("Enter the supplement as an amount in pounds, like 25000 or 25000.50")
        if "." in raw and len(raw.split(".")[1]) > 2:
            raise ValidationError(
                "Enter the supplement in pounds and pence, with no more than 2 decimal places"
            )
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(
                "Enter the supplement as an amount in pounds, like 25000 or 25000.50"
            ) from None
        if amount > self.max_supplement:
            raise ValidationError(f"The supplement must be {money_text(self.max_supplement)} or less")
        return amount

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


def _plain_amount(amount):
    amount = Decimal(amount)
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


# 8. Consultation -----------------------------------------------------------------------


class ConsultationForm(SectionPage):
    section = Section.CONSULTATION
    slug = "plan"
    title = "How you will consult"
    intro = (
        "Successful bidders must consult widely with local communities, agencies and all staff involved "
        "in the trust on the impact the changes could have on services and working practices."
    )
    saves = ("consultation_communities", "consultation_agencies", "consultation_staff")

    consultation_communities = long_text(
        "How will you consult local communities?",
        "Describe how you will consult local communities",
        300,
        "How you will consult local communities",
    )
    consultation_agencies = long_text(
        "How will you consult partner agencies?",
        "Describe how you will consult partner agencies",
        300,
        "How you will consult partner agencies",
    )
    consultation_staff = long_text(
        "How will you consult all staff involved in the trust?",
        "Describe how you will consult all staff involved in the trust",
        300,
        "How you will consult staff",
    )

    def layout(self):
        return [Field.textarea(name, max_words=300, rows=5, label_size=Size.SMALL) for name in self.saves]


# The registry: which pages make up each section, in order ---------------------------


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

    def page_for_field(self, field):
        """The page that asks this question; None for what the council does not answer."""
        return next((page.slug for page in self.pages if field in page.saves), None)


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
        error_messages={
            "required": "Select whether you have completed this section",
            "invalid_choice": "Select whether you have completed this section",
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


# 4. Partners ---------------------------------------------------------------------------


class PartnerForm(VersionedForm):
    name = text(
        "Name of the partner agency",
        "Enter the name of the partner agency",
        200,
        "The partner agency's name must be 200 characters or fewer",
    )
    sector = forms.ChoiceField(
        label="Which sector is the partner in?",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the partner's sector",
            "invalid_choice": "Select the partner's sector",
        },
    )
    role = long_text(
        "What will the partner do in the trust?",
        "Describe the partner's role in the trust",
        150,
        "The partner's role",
    )
    contact_name = text(
        "Named contact",
        "Enter the name of the partner's contact",
        150,
        "The contact's name must be 150 characters or fewer",
        help_text="The person at the partner agency who is responsible for its part in the trust.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    contact_email = forms.EmailField(
        label="Contact's email address (optional)",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the contact's email address in the correct format, like name@example.com",
            "max_length": "The contact's email address must be 254 characters or fewer",
        },
    )

    def __init__(self, *args, bid, partner=None, version=0, **kwargs):
        self.bid = bid
        initial = {field: getattr(partner, field) for field in PARTNER_FIELDS} if partner else {}
        initial["version"] = version
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        missing = missing_core_sectors(bid)
        if missing:
            self.fields["sector"].help_text = "Still needed: " + ", ".join(missing) + "."
        self.helper = helper(
            Field("version"),
            Field.text("name", field_width=30),
            Field.radios("sector", legend_size=Size.SMALL),
            Field.textarea("role", max_words=150, rows=4),
            Field.text("contact_name", field_width=20),
            Field.text("contact_email", field_width=20),
        )

    def values(self):
        return {field: self.cleaned_data.get(field) or "" for field in PARTNER_FIELDS}


# 9. Documents --------------------------------------------------------------------------


class DocumentForm(GovForm):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"{documents.ALLOWED_WORDS.removeprefix('a ')}. Up to 10MB each, "
        f"{documents.MAX_FILES} files at most.",
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded – try again",
            "missing": "Select a file to upload",
        },
        widget=forms.ClearableFileInput,
    )

    def __init__(self, *args, existing_count=0, **kwargs):
        self.existing_count = existing_count
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("file"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.checked = documents.check_upload(uploaded, self.existing_count)
        return uploaded


# Check your answers, and withdrawing -------------------------------------------------


class DeclarationForm(GovForm):
    declaration_confirmed = forms.BooleanField(
        error_messages={"required": "Confirm the declaration to submit your expression of interest"},
    )

    def __init__(self, *args, bid, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration_confirmed"].label = (
            f"I confirm that the information in this expression of interest is correct and that I am "
            f"authorised to submit it on behalf of {bid.authority.name}"
        )
        self.helper = helper(Field.checkbox("declaration_confirmed"))


WITHDRAW_REASON_LIMIT = 1000


class WithdrawForm(GovForm):
    reason = forms.CharField(
        label="Why are you withdrawing this bid?",
        help_text="The programme team will see this.",
        max_length=WITHDRAW_REASON_LIMIT,
        widget=counted_textarea(),
        error_messages={
            "required": "Enter the reason you are withdrawing the bid",
            "max_length": f"The reason must be {WITHDRAW_REASON_LIMIT:,} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.textarea("reason", max_characters=WITHDRAW_REASON_LIMIT, rows=5, label_size=Size.MEDIUM)
        )
