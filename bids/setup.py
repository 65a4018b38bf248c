"""Setting up a funding round: the one door for every change an administrator makes to a
round and its criteria.

Each verb runs in one transaction holding the round's row lock, checks the rules that
depend on what has happened in the round since the page was drawn (bids started or
submitted, scores submitted), writes, and leaves the change in the round's history
(django-simple-history, with who made it). The rules about the values themselves (dates in
order, amounts that fit the budget, weights that add up to 100%) are the forms' (bids/forms/
setup.py), which ask the same questions of `problems_with_*` here so a verb called from
anywhere else is held to them too.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.mail import queue_email
from accounts.models import Role, User
from core.door import Refused
from core.london import london

from .models import Assessment, Bid, BidState, Criterion, CriterionScore, FundingRound
from .rounds import DEFAULT_CRITERIA, criterion_fields

HUNDRED = Decimal("100")
ROUND_COPIED = [
    "description",
    "ggis_reference",
    "base_award",
    "max_supplement",
    "total_budget",
    "pilot_places",
    "pilot_months",
    "min_assessors",
    "leniency_threshold",
    "council_guidance",
    "assessor_guidance",
    "grant_terms",
    "returns_every_months",
    "reminder_working_days",
]
CRITERION_COPIED = ["name", "weight", "guidance", "position", *Criterion.LEVELS]


# What has happened in a round, and what it fixes -------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far a round has gone, as far as setting it up is concerned."""

    bids_started: int
    bids_submitted: int
    bids_approved: int
    scores_submitted: int

    @classmethod
    def of(cls, funding_round):
        bids = Bid.objects.filter(funding_round=funding_round)
        return cls(
            bids_started=bids.count(),
            bids_submitted=bids.filter(submitted_at__isnull=False).count(),
            bids_approved=bids.filter(state=BidState.APPROVED).count(),
            scores_submitted=Assessment.objects.filter(
                bid__funding_round=funding_round, state=Assessment.State.SUBMITTED
            ).count(),
        )

    @property
    def criteria_locked(self):
        return self.scores_submitted > 0

    def criteria_lock_reason(self):
        if not self.criteria_locked:
            return ""
        scores = f"{self.scores_submitted} assessment{'s have' if self.scores_submitted != 1 else ' has'}"
        return (
            f"The criteria and weights are locked because {scores} been submitted against them. "
            "To change them, the programme lead must first reopen the submitted scores of every bid "
            "in the round, so that no bid is scored on criteria that have since changed."
        )


def problems_with_dates(funding_round, values, progress, now=None):
    """{field: message} for dates that cannot be set now, given what has happened in the
    round. `values` holds opens_at and closes_at (London-time datetimes)."""
    now = now or timezone.now()
    problems = {}
    opens_at, closes_at = values.get("opens_at"), values.get("closes_at")
    if funding_round is None or funding_round.pk is None:
        if closes_at and closes_at <= now:
            problems["closes_on"] = "The closing date must be in the future"
        return problems
    if opens_at and opens_at != funding_round.opens_at and progress.bids_started:
        problems["opens_on"] = (
            f"The opening date cannot change: councils have started {progress.bids_started} "
            f"bid{'s' if progress.bids_started != 1 else ''} in this round"
        )
    if closes_at and closes_at != funding_round.closes_at:
        if progress.bids_submitted and closes_at < funding_round.closes_at:
            problems["closes_on"] = (
                f"The closing date cannot be brought forward: councils have submitted bids to close "
                f"at {london(funding_round.closes_at)}. You can only extend it"
            )
        elif closes_at <= now:
            problems["closes_on"] = "The new closing date must be in the future"
    return problems


def problems_with_funding(funding_round, progress):
    if funding_round is not None and funding_round.pk and progress.bids_approved:
        return (
            f"The funding cannot change: {progress.bids_approved} bid"
            f"{'s have' if progress.bids_approved != 1 else ' has'} been approved with awards on these terms"
        )
    return ""


def problems_with_code(funding_round, code, progress):
    if (
        funding_round is not None
        and funding_round.pk
        and code != funding_round.code
        and progress.bids_started
    ):
        return "The reference code cannot change: bids in this round already carry it in their references"
    return ""


def weight_total_problem(weights):
    total = sum(weights, Decimal("0"))
    if total != HUNDRED:
        return f"The weights must add up to 100%. They add up to {total.normalize():f}%"
    return ""


# The verbs ----------------------------------------------------------------------------------


def _locked(funding_round):
    return FundingRound.objects.select_for_update().get(pk=funding_round.pk)


def _saved(instance, actor, reason=""):
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


RESERVED_SLUGS = {"new"}  # rounds/new is the page that sets up a round


def unique_slug(name):
    base = slugify(name)[:40].strip("-") or "round"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or FundingRound.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_round(actor, values, copy_of=None):
    """A new draft round with `values`, and the criteria of `copy_of` (a round) or the
    defaults. Councils see nothing of it until it is published."""
    funding_round = FundingRound(**values, slug=unique_slug(values["name"]))
    _saved(funding_round, actor, f"Copied from {copy_of.name}" if copy_of else "")
    if copy_of is not None:
        rows = [{name: getattr(c, name) for name in CRITERION_COPIED} for c in copy_of.criteria.all()]
    else:
        rows = [criterion_fields(default, position) for position, default in enumerate(DEFAULT_CRITERIA, 1)]
    for row in rows:
        _saved(Criterion(funding_round=funding_round, **row), actor)
    return funding_round


def copied_values(funding_round):
    """What a copy of the round starts from: everything but its name, codes and dates."""
    return {name: getattr(funding_round, name) for name in ROUND_COPIED}


@transaction.atomic
def change_round(funding_round, actor, values):
    """Change a round's details. Extending a published round's closing date tells every
    council user by email once the change is saved."""
    locked = _locked(funding_round)
    progress = Progress.of(locked)
    problems = list(problems_with_dates(locked, values, progress).values())
    if {"base_award", "max_supplement", "total_budget", "pilot_places"} & {
        name for name, value in values.items() if getattr(locked, name) != value
    }:
        problems.append(problems_with_funding(locked, progress))
    if "code" in values:
        problems.append(problems_with_code(locked, values["code"], progress))
    problems = [problem for problem in problems if problem]
    if problems:
        raise Refused(*problems)
    extended_from = locked.closes_at if values.get("closes_at", locked.closes_at) > locked.closes_at else None
    for name, value in values.items():
        setattr(locked, name, value)
    _saved(locked, actor)
    if extended_from and locked.is_published:
        tell_councils_of_extension(locked, extended_from)
    return locked


def tell_councils_of_extension(funding_round, extended_from):
    """One email to each active council user: any council may bid while a round is open."""
    people = User.objects.filter(role=Role.COUNCIL, is_active=True).values_list("email", flat=True)
    for email in people.iterator():
        queue_email(
            [email],
            "round_extended",
            {
                "round": funding_round,
                "was": london(extended_from),
                "now": london(funding_round.closes_at),
                "link": settings.SITE_URL + reverse("bids:round", args=[funding_round.slug]),
            },
        )


def refuse_if_criteria_locked(funding_round):
    reason = Progress.of(funding_round).criteria_lock_reason()
    if reason:
        raise Refused(reason)


@transaction.atomic
def set_weights(funding_round, actor, weights):
    """weights: {criterion id: Decimal}, one for every criterion of the round, adding up to 100."""
    locked = _locked(funding_round)
    refuse_if_criteria_locked(locked)
    criteria = list(locked.criteria.all())
    if {c.pk for c in criteria} != set(weights):
        raise Refused(
            "The criteria have changed since the page was loaded. Check the weights and save them again"
        )
    problem = weight_total_problem(weights.values())
    if problem:
        raise Refused(problem)
    for criterion in criteria:
        if criterion.weight != weights[criterion.pk]:
            criterion.weight = weights[criterion.pk]
            _saved(criterion, actor)
    return locked


@transaction.atomic
def add_criterion(funding_round, actor, values, weights):
    """A new criterion with `values` (its weight among them) and the others' new `weights`,
    all adding up to 100."""
    locked = _locked(funding_round)
    refuse_if_criteria_locked(locked)
    criteria = list(locked.criteria.all())
    if {c.pk for c in criteria} != set(weights):
        raise Refused(
            "The criteria have changed since the page was loaded. Check the weights and save them again"
        )
    problem = weight_total_problem([values["weight"], *weights.values()])
    if problem:
        raise Refused(problem)
    for criterion in criteria:
        if criterion.weight != weights[criterion.pk]:
            criterion.weight = weights[criterion.pk]
            _saved(criterion, actor)
    position = max((c.position for c in criteria), default=0) + 1
    return _saved(Criterion(funding_round=locked, position=position, **values), actor)


@transaction.atomic
def change_criterion(criterion, actor, values):
    """A criterion's name, guidance and what each score means (its weight is on the weights page)."""
    refuse_if_criteria_locked(_locked(criterion.funding_round))
    criterion = Criterion.objects.get(pk=criterion.pk)
    for name, value in values.items():
        setattr(criterion, name, value)
    return _saved(criterion, actor)


@transaction.atomic
def remove_criterion(criterion, actor, weights):
    """Remove a criterion; the others take `weights`, adding up to 100."""
    locked = _locked(criterion.funding_round)
    refuse_if_criteria_locked(locked)
    others = list(locked.criteria.exclude(pk=criterion.pk))
    if not others:
        raise Refused("A round needs at least one criterion. Add another before removing this one")
    if CriterionScore.objects.filter(criterion=criterion).exclude(score=None, comment="").exists():
        raise Refused(
            "Assessors have started scoring against this criterion. "
            "It can be removed only before anyone has scored it"
        )
    if {c.pk for c in others} != set(weights):
        raise Refused(
            "The criteria have changed since the page was loaded. Check the weights and save them again"
        )
    problem = weight_total_problem(weights.values())
    if problem:
        raise Refused(problem)
    CriterionScore.objects.filter(criterion=criterion).delete()  # empty rows only, as checked above
    gone = Criterion.objects.get(pk=criterion.pk)
    gone._history_user = actor
    gone.delete()
    for other in others:
        if other.weight != weights[other.pk]:
            other.weight = weights[other.pk]
            _saved(other, actor)
    return locked


def publish_problems(funding_round):
    """What stops the round being published: sentences for the check-your-answers page."""
    criteria = list(funding_round.criteria.all())
    problems = []
    if not criteria:
        problems.append("Add at least one scoring criterion")
    else:
        problem = weight_total_problem(c.weight for c in criteria)
        if problem:
            problems.append(problem)
        for criterion in criteria:
            if not all(getattr(criterion, level).strip() for level in Criterion.LEVELS):
                problems.append(f"Say what each score from 0 to 4 means for “{criterion.name}”")
    if funding_round.closes_at <= timezone.now():
        problems.append("The closing date has passed. Change the dates before publishing the round")
    return problems


@transaction.atomic
def publish(funding_round, actor):
    locked = _locked(funding_round)
    if locked.is_published:
        raise Refused(f"{locked.name} was published {london(locked.published_at)}")
    problems = publish_problems(locked)
    if problems:
        raise Refused(*problems)
    locked.published_at = timezone.now()
    return _saved(locked, actor, "Published")
