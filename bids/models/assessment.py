"""What officials record while assessing bids: conflicts of interest, assignments, scores,
moderation, interviews and decisions."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.money import MONEY

from .bid import Bid
from .rounds import Criterion

USER = settings.AUTH_USER_MODEL


class ConflictOfInterest(models.Model):
    """An assessor may not assess bids from an authority they have a link with."""

    assessor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="conflicts")
    authority = models.ForeignKey("reference.LocalAuthority", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    declared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["authority__name"]
        verbose_name_plural = "conflicts of interest"
        constraints = [
            models.UniqueConstraint(fields=["assessor", "authority"], name="one_conflict_per_pair")
        ]

    def __str__(self):
        return f"{self.assessor} conflicted with {self.authority}"


class Assignment(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    explanation = models.TextField(
        blank=True, help_text="Why this assessor was chosen: workload, region, no conflict of interest."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "assessor"], name="one_assignment_per_pair")]

    def __str__(self):
        return f"{self.assessor} assesses bid {self.bid_id}"


class AssignmentExclusion(models.Model):
    """The programme lead's word that an assessor is not to assess a bid, for a reason other
    than a declared conflict of interest: automatic assignment passes them over."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="exclusions")
    assessor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="exclusions")
    reason = models.TextField()
    excluded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    excluded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "assessor"], name="one_exclusion_per_bid"),
        ]

    def __str__(self):
        return f"{self.assessor} excluded from {self.bid_id}"

    @property
    def funding_round(self):
        return self.bid.funding_round


class Recommendation(models.TextChoices):
    SHORTLIST = "shortlist", "Shortlist"
    DO_NOT_SHORTLIST = "do_not_shortlist", "Do not shortlist"


class Assessment(models.Model):
    """One assessor's scores for one bid."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    weighted_total = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Percentage of the maximum, unrounded (exact to 4 places), set by bids/scoring.py when "
        "the scores are submitted. Rounded only when shown (core/scores.py).",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    set_aside = models.BooleanField(default=False)
    set_aside_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "assessor"], name="one_assessment_per_pair")]
        indexes = [models.Index(fields=["bid", "state"], name="assessment_bid_state_idx")]

    def __str__(self):
        return f"{self.assessor}'s assessment of bid {self.bid_id}"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(Criterion.MAX_SCORE)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(name="score_in_range", condition=Q(score__lte=4)),
        ]

    def __str__(self):
        return f"{self.score} on criterion {self.criterion_id}"


class Moderation(models.Model):
    """The programme lead's moderated score, which overrides the assessors' mean."""

    bid = models.OneToOneField(Bid, on_delete=models.CASCADE, related_name="moderation")
    score = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    mean_at_moderation = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    reason = models.TextField()
    moderated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(name="moderated_score_in_range", condition=Q(score__gte=0, score__lte=100))
        ]

    def __str__(self):
        return f"Moderated score {self.score} for bid {self.bid_id}"


class Interview(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        HELD = "held", "Held"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="interviews")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=255, blank=True)
    video_link = models.URLField(blank=True)
    panel = models.ManyToManyField(USER, related_name="interview_panels")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE for updates.")
    notes = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(4)])
    scheduled_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        # An official's home page lists the interviews still to come, soonest first.
        indexes = [models.Index(fields=["state", "starts_at"], name="interview_state_start_idx")]

    def __str__(self):
        return f"Interview for bid {self.bid_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class InterviewScore(models.Model):
    """One panel member's own score for an interview, recorded before the panel's."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="member_scores")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(4)])
    comment = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "member"], name="one_interview_score_per_member"),
            models.CheckConstraint(name="interview_score_in_range", condition=Q(score__lte=4)),
        ]

    def __str__(self):
        return f"{self.member}'s score {self.score} for interview {self.interview_id}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    bid = models.OneToOneField(Bid, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField(help_text="Internal record of why.")
    feedback = models.TextField(help_text="Shared with the council.")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.get_outcome_display()}: bid {self.bid_id}"


class StagedDecision(models.Model):
    """A shortlisting or final decision the programme lead has recorded but not yet released.

    The council sees nothing of it. Releasing puts each pending decision of the round
    through the bid's door at once (bids/staging.py), and the emails go then. Released and
    taken-back decisions stay, as the record of what was staged and when.
    """

    class Outcome(models.TextChoices):
        SHORTLIST = "shortlist", "Shortlist"
        NOT_SHORTLIST = "not_shortlist", "Do not shortlist"
        APPROVE = "approve", "Approve"
        REJECT = "reject", "Reject"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RELEASED = "released", "Released"
        DROPPED = "dropped", "Taken back"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="staged_decisions")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    bid_state = models.CharField(max_length=24, help_text="The bid's state when the decision was staged.")
    reasons = models.TextField(help_text="Internal record of why.")
    feedback = models.TextField(help_text="Shared with the council on release.")
    drawn_from = models.ManyToManyField(
        CriterionScore,
        blank=True,
        related_name="+",
        help_text="Assessors' comments the feedback was drafted from.",
    )
    # An approval's award, offered on release.
    base_amount = models.DecimalField(**MONEY, null=True, blank=True)
    supplement_amount = models.DecimalField(**MONEY, null=True, blank=True)
    supplement_justification = models.TextField(blank=True)
    ggis_reference = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid"], condition=Q(state="pending"), name="one_pending_decision_per_bid"
            ),
        ]
        indexes = [models.Index(fields=["state", "bid"], name="staged_state_bid_idx")]

    def __str__(self):
        return f"{self.get_state_display()} {self.get_outcome_display().lower()}: bid {self.bid_id}"
