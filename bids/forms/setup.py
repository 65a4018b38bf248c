"""Setting up a funding round: its details in sections, its criteria and their weights.

A round's details are one form (`RoundForm`) drawn whole when a round is made and one
section at a time when it is changed from its check-your-answers page. Every rule about the
values is checked here, against the values on the page and, for a section, the round's
others; the rules that depend on what has happened in the round (bids started or
submitted, scores submitted) are bids.setup's, asked from here so the page says them beside
the field, and asked again by the verb under the round's lock.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.utils import timezone

from core.forms.base import GovForm, helper, long_text, short_text
from core.forms.fields import DATE_PARTS, DateField, MoneyField
from core.forms.layout import Reveal, money, percent
from core.london import end_of_day, long_date, start_of_day
from core.money import money as money_text

from .. import setup
from ..models import Criterion, FundingRound
from ..rounds import DEFAULT_GRANT_TERMS

CODE = re.compile(r"^[A-Z0-9]{1,12}$")
GGIS = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
GUIDANCE_WORDS = 500
TERMS_WORDS = 2000


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple
    hint: str = ""


SECTIONS = {
    "about": Section("Name and references", ("name", "code", "ggis_reference", "description")),
    "dates": Section(
        "Dates",
        (
            "opens_on",
            "closes_on",
            "interviews_start_on",
            "interviews_end_on",
            "decision_on",
            "operational_on",
        ),
        "All dates are London time. A round opens at the start of its opening day and closes at "
        "23:59:59 on its closing day.",
    ),
    "funding": Section(
        "Funding", ("base_award", "max_supplement", "total_budget", "pilot_places", "pilot_months")
    ),
    "assessment": Section("Assessment", ("min_assessors", "leniency_threshold", "assessor_guidance")),
    "councils": Section("Guidance for councils", ("council_guidance",)),
    "terms": Section(
        "Grant terms and monitoring",
        ("grant_terms", "returns_every_months", "reminder_working_days"),
        "Every offer in the round carries these terms; the council's signatory accepts them as they "
        "stand on the day they sign.",
    ),
}
DATES = SECTIONS["dates"].fields
# The round's own fields the form's dates stand for.
DATE_FIELDS = {"opens_on": "opens_at", "closes_on": "closes_at"}


def ggis_reference(typed):
    """A GGIS reference as GGIS shows it (spaces dropped, capitals), or a clear error."""
    reference = "".join(typed.split()).upper()
    if reference and not GGIS.match(reference):
        raise forms.ValidationError(
            "Enter the GGIS reference as GGIS shows it, in letters, numbers and hyphens, like G2-SCH-2026-11-0412"
        )
    return reference


def round_date(label, subject, hint=""):
    return DateField(
        subject=subject, example="31 3 2004", label=label, help_text=hint or "For example, 31 3 2004"
    )


class RoundForm(GovForm):
    name = short_text(
        "Name",
        "Enter the round's name",
        150,
        "The name must be 150 characters or fewer",
        help_text="Councils see this name, for example “Children's trust pilots 2004”.",
    )
    code = short_text(
        "Reference code",
        "Enter a reference code",
        12,
        "The reference code must be 12 letters and numbers or fewer",
        help_text="Up to 12 letters and numbers. It goes into each bid's reference: CTP-2004-KEN for 2004.",
    )
    ggis_reference = forms.CharField(
        label="GGIS scheme reference (optional)",
        max_length=40,
        required=False,
        help_text="The scheme's reference in the Government Grants Information System, like G2-SCH-2026-11-0412.",
        error_messages={"max_length": "The GGIS reference must be 40 characters or fewer"},
    )
    description = long_text("What the round is for (optional)", max_words=200, what="The description", rows=4)
    opens_on = round_date("Expressions of interest open", "the date expressions of interest open")
    closes_on = round_date(
        "Expressions of interest close",
        "the closing date",
        "Bids can be submitted until 23:59:59 London time on this day. For example, 31 3 2004",
    )
    interviews_start_on = round_date("Interviews start", "the date interviews start")
    interviews_end_on = round_date("Interviews end", "the date interviews end")
    decision_on = round_date("Decision date", "the decision date")
    operational_on = round_date(
        "Pilots operational by",
        "the date pilots are operational by",
        "The date successful trusts should be running by. For example, 31 12 2004",
    )
    base_award = MoneyField(
        subject="the base award",
        label="Base award for each pilot",
        error_messages={"required": "Enter the base award"},
    )
    max_supplement = MoneyField(
        subject="the maximum supplement",
        label="Most a large or complex trust may get on top",
        help_text="Enter 0 if there is no supplement.",
        error_messages={"required": "Enter the maximum supplement, or 0 for none"},
    )
    total_budget = MoneyField(subject="the total budget", label="Total budget (optional)", required=False)
    pilot_places = forms.IntegerField(
        label="Number of pilots (optional)",
        required=False,
        min_value=1,
        max_value=1000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of pilots as a whole number, like 12",
            "min_value": "The number of pilots must be 1 or more",
            "max_value": "The number of pilots must be 1,000 or fewer",
        },
    )
    pilot_months = forms.IntegerField(
        label="How long each pilot runs, in months",
        min_value=1,
        max_value=120,
        help_text="From the date each pilot is operational. For example, 36 for three years.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how long each pilot runs, in months",
            "invalid": "Enter the pilot period as a whole number of months, like 36",
            "min_value": "The pilot period must be at least 1 month",
            "max_value": "The pilot period must be 120 months (10 years) or fewer",
        },
    )
    min_assessors = forms.IntegerField(
        label="Assessors for each bid",
        min_value=1,
        max_value=10,
        help_text="How many assessors score each bid. Automatic assignment brings every bid up to this.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many assessors score each bid",
            "invalid": "Enter the number of assessors as a whole number, like 2",
            "min_value": "Each bid needs at least 1 assessor",
            "max_value": "Each bid can have at most 10 assessors",
        },
    )
    leniency_threshold = forms.DecimalField(
        label="Flag an assessor whose scores are this lenient or harsh, in percentage points",
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        max_digits=4,
        decimal_places=1,
        help_text="The calibration page flags an assessor whose weighted totals are, on average, this "
        "many points above or below the other assessors' on the same bids. For example, 10.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the leniency that flags an assessor, in percentage points",
            "invalid": "Enter the leniency as a number of percentage points, like 10",
            "min_value": "The leniency that flags an assessor must be more than 0 points",
            "max_value": "The leniency that flags an assessor must be 100 points or fewer",
            "max_digits": "Enter the leniency with up to 1 decimal place, like 7.5",
            "max_decimal_places": "Enter the leniency with up to 1 decimal place, like 7.5",
            "max_whole_digits": "The leniency that flags an assessor must be 100 points or fewer",
        },
    )
    assessor_guidance = long_text(
        "Guidance for assessors (optional)",
        max_words=GUIDANCE_WORDS,
        what="The guidance for assessors",
        help_text="Shown on the scoring page of every bid in the round.",
        rows=8,
    )
    council_guidance = long_text(
        "Guidance for councils (optional)",
        max_words=GUIDANCE_WORDS,
        what="The guidance for councils",
        help_text="Shown to councils on the round's page before they start a bid.",
        rows=8,
    )

    grant_terms = long_text(
        "Grant terms",
        max_words=TERMS_WORDS,
        what="The grant terms",
        required="Enter the grant terms every offer in the round carries",
        help_text="The conditions, eligible spending, payment, reporting and recovery terms. Leave a "
        "blank line between clauses.",
        rows=16,
    )
    returns_every_months = forms.IntegerField(
        label="Monitoring returns every, in months",
        min_value=1,
        max_value=12,
        help_text="The first return is due this many months after a pilot's operational date, then "
        "every so many months until the pilot period ends. For example, 3 for quarterly.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how often monitoring returns are due, in months",
            "invalid": "Enter how often returns are due as a whole number of months, like 3",
            "min_value": "Returns must be due at least every 1 month",
            "max_value": "Returns must be due at least once every 12 months",
        },
    )
    reminder_working_days = forms.IntegerField(
        label="Reminder, in working days before a return is due",
        min_value=1,
        max_value=30,
        help_text="Weekends and England and Wales bank holidays are not counted.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many working days before a return is due councils are reminded",
            "invalid": "Enter the reminder as a whole number of working days, like 5",
            "min_value": "The reminder must be at least 1 working day before a return is due",
            "max_value": "The reminder must be 30 working days or fewer before a return is due",
        },
    )

    def __init__(self, *args, instance=None, section=None, copy_of=None, **kwargs):
        """instance: the round being changed (None for a new one). section: the one section
        this page changes (None: all). copy_of: a round a new one starts from."""
        self.instance = instance
        self.section = section
        if instance is not None:
            kwargs.setdefault("initial", initial_values(instance))
        elif copy_of is not None:
            kwargs.setdefault("initial", initial_values(copy_of, copying=True))
        else:
            kwargs.setdefault(
                "initial",
                {
                    "min_assessors": 2,
                    "leniency_threshold": "10",
                    "max_supplement": "0",
                    "grant_terms": DEFAULT_GRANT_TERMS,
                    "returns_every_months": 3,
                    "reminder_working_days": 5,
                },
            )
        super().__init__(*args, **kwargs)
        shown = SECTIONS[section].fields if section else [n for s in SECTIONS.values() for n in s.fields]
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        self.progress = setup.Progress.of(instance) if instance is not None else setup.Progress(0, 0, 0, 0)
        self.helper = helper(*self.layout())

    def layout(self):
        def draw(name):
            if name in DATES:
                return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})
            if name in ("base_award", "max_supplement", "total_budget"):
                return money(name)
            if name in ("description", "assessor_guidance", "council_guidance", "grant_terms"):
                field = self.fields[name]
                return Field.textarea(name, rows=field.widget.attrs.get("rows", 6), max_words=field.max_words)
            if name in (
                "pilot_places",
                "pilot_months",
                "min_assessors",
                "leniency_threshold",
                "returns_every_months",
                "reminder_working_days",
            ):
                return Field.text(name, field_width=4)
            if name == "code":
                return Field.text(name, field_width=10)
            return Field.text(name, field_width=20)

        if self.section:
            return [draw(name) for name in SECTIONS[self.section].fields]
        return [
            Fieldset(*[draw(name) for name in section.fields], legend=section.title, legend_size=Size.MEDIUM)
            for section in SECTIONS.values()
        ]

    # One field at a time ------------------------------------------------------------------

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = FundingRound.objects.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"There is already a round called {name}")
        return name

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        if not CODE.match(code):
            raise forms.ValidationError("The reference code must be letters and numbers only, like 2004")
        others = FundingRound.objects.filter(code__iexact=code)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"Another round already uses the reference code {code}")
        problem = setup.problems_with_code(self.instance, code, self.progress)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean_ggis_reference(self):
        return ggis_reference(self.cleaned_data["ggis_reference"])

    def clean_base_award(self):
        amount = self.cleaned_data["base_award"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError("The base award must be more than £0")
        return amount

    def clean_total_budget(self):
        amount = self.cleaned_data["total_budget"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError("The total budget must be more than £0, or leave it empty")
        return amount

    # The fields together -----------------------------------------------------------------

    def value(self, name):
        """A value from the page, or the round's own for a field in another section."""
        if name in self.fields:
            return self.cleaned_data.get(name)
        if self.instance is None:
            return None
        if name in DATE_FIELDS:
            return timezone.localtime(getattr(self.instance, DATE_FIELDS[name])).date()
        return getattr(self.instance, name)

    def date_error(self, name, message):
        if name in self.fields and name not in self.errors:
            self.fields[name].widget.error_parts = DATE_PARTS
            self.add_error(name, message)

    def clean(self):
        cleaned = super().clean()
        if self.section in (None, "dates"):
            self.check_dates()
        if self.section in (None, "funding"):
            self.check_funding()
        return cleaned

    def check_dates(self):
        opens, closes = self.value("opens_on"), self.value("closes_on")
        start, end = self.value("interviews_start_on"), self.value("interviews_end_on")
        decision, operational = self.value("decision_on"), self.value("operational_on")
        if opens and closes and closes < opens:
            self.date_error(
                "closes_on", f"The closing date must be on or after the opening date, {long_date(opens)}"
            )
        if closes and start and start <= closes:
            self.date_error(
                "interviews_start_on",
                f"Interviews must start after expressions of interest close on {long_date(closes)}",
            )
        if start and end and end < start:
            self.date_error(
                "interviews_end_on", f"Interviews must end on or after the day they start, {long_date(start)}"
            )
        last_interview = end or start
        if last_interview and decision and decision < last_interview:
            self.date_error(
                "decision_on",
                f"The decision date must be on or after the last interview day, {long_date(last_interview)}",
            )
        if decision and operational and operational < decision:
            self.date_error(
                "operational_on",
                f"Pilots cannot be operational before the decision date, {long_date(decision)}",
            )
        values = {}
        if "opens_on" in self.fields and opens:
            values["opens_at"] = start_of_day(opens)
        if "closes_on" in self.fields and closes:
            values["closes_at"] = end_of_day(closes)
        for name, message in setup.problems_with_dates(self.instance, values, self.progress).items():
            self.date_error(name, message)

    def check_funding(self):
        problem = setup.problems_with_funding(self.instance, self.progress)
        if problem and self.instance is not None and self.funding_changed():
            self.add_error(None, problem)
            return
        base, supplement = self.value("base_award"), self.value("max_supplement")
        budget, places = self.value("total_budget"), self.value("pilot_places")
        if (
            base is None
            or supplement is None
            or "base_award" in self.errors
            or "max_supplement" in self.errors
        ):
            return
        if budget is not None and "total_budget" not in self.errors:
            if base > budget:
                self.add_error(
                    "total_budget", f"The total budget must be at least the base award, {money_text(base)}"
                )
            elif base + supplement > budget:
                self.add_error(
                    "max_supplement",
                    f"The maximum supplement cannot be more than {money_text(budget - base)}: "
                    f"the total budget of {money_text(budget)} less the base award",
                )
            elif places and "pilot_places" not in self.errors and base * places > budget:
                affordable = int(budget // base)
                self.add_error(
                    "pilot_places",
                    f"The total budget of {money_text(budget)} pays the base award to at most "
                    f"{affordable} pilot{'s' if affordable != 1 else ''}",
                )

    def funding_changed(self):
        return any(
            name in self.fields and self.cleaned_data.get(name) != getattr(self.instance, name)
            for name in SECTIONS["funding"].fields
        )

    def round_values(self):
        """The page's values as the round's own fields."""
        values = {}
        for name, value in self.cleaned_data.items():
            if name == "opens_on":
                values["opens_at"] = start_of_day(value)
            elif name == "closes_on":
                values["closes_at"] = end_of_day(value)
            else:
                values[name] = value
        return values


def initial_values(funding_round, copying=False):
    """What the form shows for a round; a copy gets its money and guidance but not its name
    or codes, and its dates a year on, so 31 March stays 31 March."""
    values = {
        "name": funding_round.name,
        "code": funding_round.code,
        "ggis_reference": funding_round.ggis_reference,
        "description": funding_round.description,
        "opens_on": timezone.localtime(funding_round.opens_at).date(),
        "closes_on": timezone.localtime(funding_round.closes_at).date(),
        "interviews_start_on": funding_round.interviews_start_on,
        "interviews_end_on": funding_round.interviews_end_on,
        "decision_on": funding_round.decision_on,
        "operational_on": funding_round.operational_on,
        "base_award": funding_round.base_award,
        "max_supplement": funding_round.max_supplement,
        "total_budget": funding_round.total_budget,
        "pilot_places": funding_round.pilot_places,
        "pilot_months": funding_round.pilot_months,
        "min_assessors": funding_round.min_assessors,
        "leniency_threshold": f"{funding_round.leniency_threshold.normalize():f}",
        "assessor_guidance": funding_round.assessor_guidance,
        "council_guidance": funding_round.council_guidance,
        "grant_terms": funding_round.grant_terms,
        "returns_every_months": funding_round.returns_every_months,
        "reminder_working_days": funding_round.reminder_working_days,
    }
    if copying:
        values.update(name="", code="", ggis_reference="")
        for name in DATES:
            values[name] = a_year_on(values[name])
    return values


def a_year_on(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# Starting a round --------------------------------------------------------------------------


class StartForm(GovForm):
    """From scratch, or from a copy of an earlier round."""

    start = forms.ChoiceField(
        label="How do you want to set up the round?",
        choices=[("scratch", "Start from scratch"), ("copy", "Copy an earlier round")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you want to set up the round"},
    )
    copy_of = forms.ModelChoiceField(
        label="Round to copy",
        queryset=FundingRound.objects.order_by("-opens_at"),
        required=False,
        empty_label="Choose a round",
        help_text="The new round gets its funding, guidance and criteria. You give it a new name and dates.",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select the round to copy"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Reveal("start", {"copy": ["copy_of"]}, legend_size=Size.MEDIUM))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") == "copy" and not cleaned.get("copy_of") and "copy_of" not in self.errors:
            self.add_error("copy_of", "Select the round to copy")
        return cleaned


# Criteria and their weights -------------------------------------------------------------------


def weight_field(name):
    quoted = name.replace("%", "%%")
    return forms.DecimalField(
        label=name,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        # Django fills in these messages with %-formatting: a % of our own is written %%,
        # and a name typed with a % in it is doubled likewise.
        error_messages={
            "required": f"Enter the weight of “{name}”",
            "invalid": f"The weight of “{name}” must be a number, like 20",
            "min_value": f"The weight of “{quoted}” must be more than 0%%",
            "max_value": f"The weight of “{quoted}” must be 100%% or less",
            "max_decimal_places": f"The weight of “{quoted}” can have at most 2 decimal places",
            "max_digits": f"The weight of “{quoted}” must be 100%% or less",
            "max_whole_digits": f"The weight of “{quoted}” must be 100%% or less",
        },
    )


class WeightsForm(GovForm):
    """The weight of each of `criteria`, adding up to 100% (with `weight`, a new criterion's,
    when a subclass has one)."""

    TOTAL_ERROR_FIELD = None

    def __init__(self, *args, criteria, **kwargs):
        self.criteria = list(criteria)
        kwargs.setdefault("initial", {})
        kwargs["initial"].update({f"weight_{c.pk}": c.weight.normalize() for c in self.criteria})
        super().__init__(*args, **kwargs)
        for criterion in self.criteria:
            self.fields[f"weight_{criterion.pk}"] = weight_field(criterion.name)
        self.helper = helper(*self.layout())

    def weight_layout(self, legend="Weights"):
        return Fieldset(
            *[percent(f"weight_{c.pk}") for c in self.criteria],
            legend=legend,
            legend_size=Size.MEDIUM,
        )

    def layout(self):
        return [self.weight_layout()]

    def weights(self):
        return {c.pk: self.cleaned_data[f"weight_{c.pk}"] for c in self.criteria}

    def new_weight(self):
        return []

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            problem = setup.weight_total_problem([*self.weights().values(), *self.new_weight()])
            if problem:
                self.add_error(None, problem)
        return cleaned


class CriterionForm(GovForm):
    """A criterion's name, guidance and what each score means on it."""

    name = short_text(
        "Name", "Enter the criterion's name", 200, "The criterion's name must be 200 characters or fewer"
    )
    guidance = long_text(
        "Guidance (optional)",
        max_words=150,
        what="The guidance",
        help_text="What assessors look for. Shown with the criterion on the scoring page.",
        rows=3,
    )

    def __init__(self, *args, funding_round, instance=None, **kwargs):
        self.funding_round = funding_round
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial", {name: getattr(instance, name) for name in ["name", "guidance", *Criterion.LEVELS]}
            )
        super().__init__(*args, **kwargs)
        for score, name in enumerate(Criterion.LEVELS):
            self.fields[name] = long_text(
                f"What a {score} means",
                max_words=60,
                what=f"What a {score} means",
                required=f"Enter what a score of {score} means on this criterion",
                rows=2,
            )
        self.helper = helper(*self.layout())

    def criterion_layout(self):
        return [
            Field.text("name", field_width=None),
            Field.textarea("guidance", rows=3, max_words=150),
            Fieldset(
                *[Field.textarea(name, rows=2, max_words=60) for name in Criterion.LEVELS],
                legend="What each score means",
                legend_size=Size.MEDIUM,
            ),
        ]

    def layout(self):
        return self.criterion_layout()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Criterion.objects.filter(funding_round=self.funding_round, name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"This round already has a criterion called {name}")
        return name

    def criterion_values(self):
        return {name: self.cleaned_data[name] for name in ["name", "guidance", *Criterion.LEVELS]}


class NewCriterionForm(CriterionForm, WeightsForm):
    """A new criterion, its weight, and the other criteria's weights, adding up to 100%."""

    def __init__(self, *args, funding_round, **kwargs):
        super().__init__(*args, funding_round=funding_round, criteria=funding_round.criteria.all(), **kwargs)
        self.fields["weight"] = weight_field("this criterion")
        self.fields["weight"].label = "Weight"
        self.fields[
            "weight"
        ].help_text = "The other criteria's weights are below: together they must add up to 100%."
        self.helper = helper(*self.layout())

    def layout(self):
        return [
            *self.criterion_layout(),
            percent("weight"),
            self.weight_layout("Weights of the other criteria"),
        ]

    def new_weight(self):
        return [self.cleaned_data["weight"]]

    def criterion_values(self):
        return {**super().criterion_values(), "weight": self.cleaned_data["weight"]}


class RemoveCriterionForm(WeightsForm):
    """Removing a criterion: the weights the others take, adding up to 100%."""

    def layout(self):
        return [self.weight_layout("Weights of the remaining criteria")]
