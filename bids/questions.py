"""Every question of the bid, defined once.

A `Question` says which section and page ask it, the form field that asks it, how the
answer reads on the council's check-answers page and in officials' view of the bid, when
it is shown at all, and whether starting again from a withdrawn bid copies it. The
question pages (bids/forms/sections/), the check-answers and officials' pages
(`section_answers`), the task list (`has_answers`) and `drafting.copy_bid` all read this
registry, so a question is added or changed here and nowhere else.

Partners and supporting documents are rows of their own, not questions of the bid: their
answers are read here too, so every section reads the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass

from crispy_forms_gds.choices import Choice
from django import forms

from core.forms.base import long_text, short_text
from core.forms.fields import FigureInput, MoneyField
from core.money import money
from reference.models import ServiceScope

from .form_fields import ADDRESS_LENGTH, PHONE_EXAMPLE, ScopeChoiceField, check_phone, check_postcode
from .models import DeliverySetting, Focus, GovernanceModel, Section, Sector


@dataclass(frozen=True)
class Answer:
    """One answer as the council reads it: the key a form field or snapshot uses, a label, text."""

    field: str
    label: str
    text: str


def _label(choices, value):
    try:
        return choices(value).label if value else ""
    except ValueError:
        return str(value)


def _yes_no(value):
    return {True: "Yes", False: "No"}.get(value, "")


class Answers:
    """A bid's answers as a question reads them: saved, or as someone typed them but has
    not saved (`overrides`, question name -> value)."""

    def __init__(self, bid, overrides=None):
        self.bid = bid
        self.overrides = overrides or {}

    def __call__(self, name):
        return self.overrides[name] if name in self.overrides else QUESTIONS[name].value(self.bid)


def plain(value, answers):
    return "" if value is None else str(value)


def choice_of(choices):
    def reads(value, answers):
        return _label(choices, value)

    return reads


def choices_of(choices):
    def reads(value, answers):
        return "\n".join(_label(choices, item) for item in value or [])

    return reads


def always(answers):
    return True


@dataclass(frozen=True)
class Question:
    """One question of the bid.

    name: the Bid field that holds the answer (or, for a figure worked out from others, a
    key of its own). page: the slug of the question page that asks it; "" for figures the
    council does not answer. ask(): the form field. reads(value, answers): the answer as
    text. shown(answers): whether it is asked and shown, given the other answers.
    """

    name: str
    section: Section
    label: str
    page: str = ""
    ask: Callable | None = None
    reads: Callable = plain
    shown: Callable = always
    stored: bool = True
    many: bool = False  # a set of rows (service scopes) rather than a value

    def value(self, bid):
        if self.many:
            return list(getattr(bid, self.name).all())
        return getattr(bid, self.name)


# The form fields ------------------------------------------------------------------------


YES_NO = [("yes", "Yes"), ("no", "No")]
FOCUS_REQUIRED = "Select whether the trust will focus on specific client groups or broad commissioning"
SUPPLEMENT_FORMAT = "Enter the supplement as an amount in pounds, like 25000 or 25000.50"
POPULATION_FORMAT = "Enter the number of children and young people as a whole number, like 45000"


def _one_of(field, wanted):
    def shown(answers):
        return answers(field) == wanted

    return shown


def _includes(field, wanted):
    def shown(answers):
        return wanted in (answers(field) or [])

    return shown


def _large(answers):
    return bool(answers("large_or_complex"))


def _population(value, answers):
    return f"{value:,}" if value is not None else ""


def _scope_names(scopes, answers):
    return "\n".join(scope.name for scope in sorted(scopes, key=lambda s: (s.position, s.name)))


def _base_award(value, answers):
    return money(answers.bid.funding_round.base_award)


def _total_requested(value, answers):
    supplement = (answers("supplement_requested") or 0) if answers("large_or_complex") else 0
    return money(answers.bid.funding_round.base_award + supplement)


def _supplement(value, answers):
    return money(value or 0)


# The questions, in the order the council meets them ------------------------------------

C, F, S, D, G, M, P = (
    Section.CONTACTS,
    Section.FOCUS,
    Section.SCOPES,
    Section.DELIVERY,
    Section.GOVERNANCE,
    Section.FUNDING,
    Section.CONSULTATION,
)

QUESTION_LIST = [
    Question(
        "lead_name",
        C,
        "Lead officer's name",
        "lead-officer",
        lambda: short_text(
            "Full name",
            "Enter the lead officer's full name",
            150,
            "The lead officer's name must be 150 characters or fewer",
            widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        ),
    ),
    Question(
        "lead_job_title",
        C,
        "Lead officer's job title",
        "lead-officer",
        lambda: short_text(
            "Job title",
            "Enter the lead officer's job title",
            150,
            "The lead officer's job title must be 150 characters or fewer",
            widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        ),
    ),
    Question(
        "lead_email",
        C,
        "Lead officer's email address",
        "lead-officer",
        lambda: forms.EmailField(
            label="Email address",
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            error_messages={
                "required": "Enter the lead officer's email address",
                "invalid": "Enter the lead officer's email address in the correct format, like name@example.com",
                "max_length": "The lead officer's email address must be 254 characters or fewer",
            },
        ),
    ),
    Question(
        "lead_phone",
        C,
        "Lead officer's telephone number",
        "lead-officer",
        lambda: short_text(
            "Telephone number",
            "Enter the lead officer's telephone number",
            30,
            PHONE_EXAMPLE,
            help_text="For international numbers include the country code",
            validators=[check_phone],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        ),
    ),
    Question(
        "director_name",
        C,
        "Responsible director's name",
        "director",
        lambda: short_text(
            "Full name",
            "Enter the responsible director's full name",
            150,
            "The director's name must be 150 characters or fewer",
            widget=forms.TextInput(attrs={"spellcheck": "false"}),
        ),
    ),
    Question(
        "director_job_title",
        C,
        "Responsible director's job title",
        "director",
        lambda: short_text(
            "Job title",
            "Enter the responsible director's job title",
            150,
            "The director's job title must be 150 characters or fewer",
        ),
    ),
    Question(
        "postal_address",
        C,
        "Postal address for letters",
        "director",
        lambda: forms.CharField(
            label="Postal address for letters",
            help_text="Where the Department writes about this bid and any award, usually the director's "
            "office. Include the postcode.",
            max_length=ADDRESS_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
            validators=[check_postcode],
            error_messages={
                "required": "Enter the postal address for letters",
                "max_length": f"The postal address must be {ADDRESS_LENGTH} characters or fewer",
            },
        ),
    ),
    Question(
        "focus",
        F,
        "Focus of the trust",
        "trust-focus",
        lambda: forms.ChoiceField(
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
            error_messages={"required": FOCUS_REQUIRED, "invalid_choice": FOCUS_REQUIRED},
        ),
        reads=choice_of(Focus),
    ),
    Question(
        "client_groups",
        F,
        "Client groups",
        "trust-focus",
        lambda: long_text(
            "Which client groups will the trust serve?", max_words=250, what="The client groups", rows=5
        ),
        shown=_one_of("focus", Focus.CLIENT_GROUPS),
    ),
    Question(
        "vision",
        F,
        "Vision",
        "vision",
        lambda: long_text(
            "What is your vision for the trust?",
            required="Enter your vision for the trust",
            max_words=500,
            what="Your vision",
            help_text="What will be different for children and families, and how social services, "
            "education and health will work together.",
            rows=12,
        ),
    ),
    Question(
        "service_scopes",
        S,
        "Services in scope",
        "services",
        lambda: ScopeChoiceField(
            label="Which services will the trust cover?",
            help_text="Select all that apply.",
            queryset=ServiceScope.objects.filter(allowed=True),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        ),
        reads=_scope_names,
        many=True,
    ),
    Question(
        "other_scope",
        S,
        "Other services",
        "services",
        lambda: long_text(
            "Other services (optional)",
            max_words=250,
            what="Other services",
            help_text="Any other children's services where social care, health and education need "
            "to work together.",
            rows=4,
        ),
    ),
    Question(
        "delivery_settings",
        D,
        "Where services will be delivered",
        "settings",
        lambda: forms.MultipleChoiceField(
            label="Where will the trust deliver services?",
            help_text="Select all that apply.",
            choices=DeliverySetting.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Select where the trust will deliver services",
                "invalid_choice": "Select where the trust will deliver services from the list",
            },
        ),
        reads=choices_of(DeliverySetting),
    ),
    Question(
        "delivery_other",
        D,
        "Other settings",
        "settings",
        lambda: long_text("Describe the other settings", max_words=150, what="The other settings", rows=4),
        shown=_includes("delivery_settings", DeliverySetting.OTHER),
    ),
    Question(
        "population_covered",
        D,
        "Children and young people covered",
        "population",
        lambda: forms.CharField(
            label="How many children and young people will the trust cover?",
            help_text="An estimate is fine, for example 45,000.",
            max_length=20,
            widget=FigureInput(),
            error_messages={
                "required": "Enter the number of children and young people the trust will cover",
                "max_length": POPULATION_FORMAT,
            },
        ),
        reads=_population,
    ),
    Question(
        "governance_model",
        G,
        "Governance model",
        "model",
        lambda: forms.ChoiceField(
            label="How will the trust be governed?",
            choices=GovernanceModel.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select how the trust will be governed",
                "invalid_choice": "Select how the trust will be governed",
            },
        ),
        reads=choice_of(GovernanceModel),
    ),
    Question(
        "governance_other",
        G,
        "Other governance model",
        "model",
        lambda: long_text(
            "Describe the governance model", max_words=150, what="The governance model", rows=4
        ),
        shown=_one_of("governance_model", GovernanceModel.OTHER),
    ),
    Question(
        "member_oversight",
        G,
        "How elected members oversee the trust",
        "oversight",
        lambda: long_text(
            "How will elected members oversee the trust?",
            required="Describe how elected members will oversee the trust",
            max_words=300,
            what="How elected members oversee the trust",
            help_text="For example, the lead member for children's services chairs the board and "
            "reports to cabinet.",
            rows=8,
        ),
    ),
    Question(
        "accountability_confirmed",
        G,
        "Council remains accountable",
        "accountability",
        lambda: forms.BooleanField(
            error_messages={
                "required": "Confirm that the council remains accountable for the services it delegates"
            },
        ),
        reads=lambda value, answers: "Confirmed" if value else "Not confirmed",
    ),
    Question("base_award", M, "Base award", reads=_base_award, stored=False),
    Question(
        "large_or_complex",
        M,
        "Large or complex trust",
        "amount",
        lambda: forms.ChoiceField(
            label="Is the trust large or complex?",
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select yes if the trust is large or complex",
                "invalid_choice": "Select yes if the trust is large or complex",
            },
        ),
        reads=lambda value, answers: _yes_no(value),
    ),
    Question(
        "supplement_requested",
        M,
        "Supplement requested",
        "amount",
        lambda: MoneyField(
            subject="the supplement",
            label="How much more are you asking for?",
            required=False,
            error_messages={
                "required": "Enter the supplement you are asking for",
                "invalid": SUPPLEMENT_FORMAT,
                "max_length": SUPPLEMENT_FORMAT,
                "negative": "The supplement cannot be a negative amount",
            },
        ),
        reads=_supplement,
        shown=_large,
    ),
    Question(
        "supplement_justification",
        M,
        "Why a supplement is needed",
        "amount",
        lambda: long_text(
            "Why does the trust need a supplement?",
            max_words=300,
            what="Why the trust needs a supplement",
            help_text="Say what makes the trust large or complex, for example the number of partners "
            "or the area it covers.",
        ),
        shown=_large,
    ),
    Question("total_requested", M, "Total requested", reads=_total_requested, stored=False),
    Question(
        "consultation_communities",
        P,
        "Local communities",
        "plan",
        lambda: long_text(
            "How will you consult local communities?",
            required="Describe how you will consult local communities",
            max_words=300,
            what="How you will consult local communities",
            rows=5,
        ),
    ),
    Question(
        "consultation_agencies",
        P,
        "Partner agencies",
        "plan",
        lambda: long_text(
            "How will you consult partner agencies?",
            required="Describe how you will consult partner agencies",
            max_words=300,
            what="How you will consult partner agencies",
            rows=5,
        ),
    ),
    Question(
        "consultation_staff",
        P,
        "Staff involved in the trust",
        "plan",
        lambda: long_text(
            "How will you consult all staff involved in the trust?",
            required="Describe how you will consult all staff involved in the trust",
            max_words=300,
            what="How you will consult staff",
            rows=5,
        ),
    ),
]

QUESTIONS = {question.name: question for question in QUESTION_LIST}
# What starting again from a withdrawn bid carries over (documents are uploaded afresh).
COPIED = [question for question in QUESTION_LIST if question.stored]


def in_section(section):
    return [question for question in QUESTION_LIST if question.section == section]


# Partners ---------------------------------------------------------------------------------

PARTNER_FIELDS = ["name", "sector", "role", "contact_name", "contact_email"]


def partner_answers(values):
    """A partner's answers; `values` is a dict of PARTNER_FIELDS."""
    return [
        Answer("name", "Agency name", values.get("name") or ""),
        Answer("sector", "Sector", _label(Sector, values.get("sector"))),
        Answer("role", "Role in the trust", values.get("role") or ""),
        Answer("contact_name", "Named contact", values.get("contact_name") or ""),
        Answer("contact_email", "Contact's email address", values.get("contact_email") or ""),
    ]


# Reading the answers -----------------------------------------------------------------------


def section_answers(bid, section, overrides=None):
    """The section's answers as the council and officials read them.

    `overrides` (question name -> value) shows what someone typed but has not saved, so it
    can be set beside what a colleague saved; a question it names is shown even where the
    other answers would hide it.
    """
    answers = Answers(bid, overrides)
    section = Section(section)
    if section == Section.PARTNERS:
        return [
            Answer(
                f"partner-{partner.pk}",
                partner.name,
                "\n".join(
                    answer.text
                    for answer in partner_answers({f: getattr(partner, f) for f in PARTNER_FIELDS})[1:]
                    if answer.text
                ),
            )
            for partner in bid.partners.all()
        ]
    if section == Section.DOCUMENTS:
        return [
            Answer(f"document-{doc.pk}", doc.original_name, doc.content_type) for doc in bid.documents.all()
        ]
    return [
        Answer(
            question.name,
            question.label,
            question.reads(answers(question.name) if question.stored else None, answers),
        )
        for question in in_section(section)
        if question.name in answers.overrides or question.shown(answers)
    ]


def has_answers(bid, section):
    """Whether anything has been entered in the section (works on prefetched relations)."""
    if section == Section.PARTNERS:
        return bool(bid.partners.all())
    if section == Section.DOCUMENTS:
        return bool(bid.documents.all())
    return any(
        question.value(bid) not in (None, "", [], False, 0)
        for question in in_section(section)
        if question.stored
    )
