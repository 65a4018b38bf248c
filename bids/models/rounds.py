"""Funding rounds: a call for expressions of interest, its dates, money and weighted
scoring criteria, all data set up by administrators (bids/setup.py)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.money import MONEY

from ..rounds import DEFAULT_GRANT_TERMS

USER = settings.AUTH_USER_MODEL


class RoundQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class FundingRound(models.Model):
    """A call for expressions of interest: its dates, money and scoring criteria are data."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(unique=True)
    code = models.CharField(
        "reference code",
        max_length=12,
        unique=True,
        help_text="Appears in bid references, e.g. 2003 in CTP-2003-KEN.",
    )
    ggis_reference = models.CharField(
        "GGIS scheme reference",
        max_length=40,
        blank=True,
        help_text="The scheme's reference in the Government Grants Information System.",
    )
    description = models.TextField(blank=True)
    opens_at = models.DateTimeField("expressions of interest open")
    closes_at = models.DateTimeField(
        "expressions of interest close",
        help_text="A deadline of 31 March means 23:59:59 London time that day.",
    )
    interviews_start_on = models.DateField("interview window starts")
    interviews_end_on = models.DateField("interview window ends")
    decision_on = models.DateField("decision date")
    operational_on = models.DateField(
        "pilots operational by", help_text="Planned date successful trusts become operational."
    )
    base_award = models.DecimalField(**MONEY)
    max_supplement = models.DecimalField(
        **MONEY, help_text="Most a large or complex trust may receive on top of the base award."
    )
    total_budget = models.DecimalField(**MONEY, null=True, blank=True)
    pilot_places = models.PositiveIntegerField("number of pilots", null=True, blank=True)
    pilot_months = models.PositiveSmallIntegerField(
        "pilot period in months",
        default=36,
        help_text="How long each pilot runs from its operational date: the grants' planned dates.",
    )
    min_assessors = models.PositiveSmallIntegerField("assessors for each bid", default=2)
    leniency_threshold = models.DecimalField(
        "leniency that flags an assessor (percentage points)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("10.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("100"))],
        help_text="An assessor whose weighted totals are on average this far above or below the other "
        "assessors' on the same bids is flagged on the calibration page.",
    )
    grant_terms = models.TextField(
        "grant terms",
        default=DEFAULT_GRANT_TERMS,
        help_text="The terms every offer in the round carries: conditions, eligible spending, "
        "payment, reporting and recovery.",
    )
    returns_every_months = models.PositiveSmallIntegerField(
        "monitoring returns every (months)",
        default=3,
        help_text="Each pilot sends a monitoring return this many months after its operational date, "
        "and again every so many months until its pilot period ends.",
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        "reminder (working days before a return is due)",
        default=5,
        help_text="Councils are reminded this many working days before a return is due, counting "
        "England and Wales bank holidays as non-working days.",
    )
    council_guidance = models.TextField("guidance for councils", blank=True)
    assessor_guidance = models.TextField("guidance for assessors", blank=True)
    # Councils see a round once it is published and open; until then it is a draft that
    # administrators set up (bids/setup.py).
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                name="round_closes_after_opening", condition=Q(closes_at__gt=models.F("opens_at"))
            ),
            models.CheckConstraint(
                name="round_interview_window_ordered",
                condition=Q(interviews_end_on__gte=models.F("interviews_start_on")),
            ),
            models.CheckConstraint(name="round_base_award_positive", condition=Q(base_award__gt=0)),
            models.CheckConstraint(name="round_supplement_not_negative", condition=Q(max_supplement__gte=0)),
            models.CheckConstraint(name="round_has_an_assessor_a_bid", condition=Q(min_assessors__gte=1)),
        ]
        # The newest rounds first: lists of awards and payments across rounds read the latest
        # round's rows from here rather than sorting every row of every round.
        indexes = [models.Index(fields=["opens_at"], name="round_opens_idx")]

    def __str__(self):
        return self.name

    @property
    def max_award(self):
        return self.base_award + self.max_supplement

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now <= self.closes_at

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def status(self):
        now = timezone.now()
        if not self.is_published:
            return RoundStatus.DRAFT
        if now < self.opens_at:
            return RoundStatus.PUBLISHED
        return RoundStatus.OPEN if now <= self.closes_at else RoundStatus.CLOSED

    def get_status_display(self):
        return RoundStatus(self.status).label


class Criterion(models.Model):
    """A weighted scoring criterion of a round. Each is scored 0 to 4."""

    MAX_SCORE = 4

    funding_round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text="Percentage of the total score. A round's weights add up to 100.",
    )
    # What each score means on this criterion, shown beside the score's radio button.
    level_0 = models.TextField("what a 0 means", blank=True)
    level_1 = models.TextField("what a 1 means", blank=True)
    level_2 = models.TextField("what a 2 means", blank=True)
    level_3 = models.TextField("what a 3 means", blank=True)
    level_4 = models.TextField("what a 4 means", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    LEVELS = ["level_0", "level_1", "level_2", "level_3", "level_4"]

    class Meta:
        ordering = ["funding_round", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["funding_round", "name"], name="unique_criterion_name"),
            models.CheckConstraint(
                name="criterion_weight_in_range", condition=Q(weight__gt=0, weight__lte=100)
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight.normalize():f}%)"

    @property
    def descriptors(self):
        """(score, what it means) for 0 to 4."""
        return [(score, getattr(self, name)) for score, name in enumerate(self.LEVELS)]


class DeadlineExtension(models.Model):
    """A later closing time the programme lead grants one authority in one round."""

    funding_round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="extensions")
    authority = models.ForeignKey("reference.LocalAuthority", on_delete=models.CASCADE, related_name="+")
    closes_at = models.DateTimeField()
    reason = models.TextField()
    granted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["funding_round", "authority"], name="one_extension_per_authority")
        ]

    def __str__(self):
        return f"Extension for {self.authority} to {self.closes_at:%Y-%m-%d %H:%M}"
