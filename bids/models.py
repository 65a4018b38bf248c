"""Funding rounds, the bids councils make to them, and everything officials record while
assessing them. State changes happen only through bids/workflow.py."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, transition

from core.fsm import ConcurrentTransitionModel
from core.money import MONEY

USER = settings.AUTH_USER_MODEL


class FundingRound(models.Model):
    """A call for expressions of interest: its dates, money and scoring criteria are data."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(unique=True)
    code = models.CharField(
        max_length=12, unique=True, help_text="Appears in bid references, e.g. 2003 in CTP-2003-KEN."
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
    created_at = models.DateTimeField(default=timezone.now)

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
        ]

    def __str__(self):
        return self.name

    @property
    def max_award(self):
        return self.base_award + self.max_supplement

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now <= self.closes_at


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
    position = models.PositiveSmallIntegerField(default=0)

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


class BidState(models.TextChoices):
    """Stable slugs: renaming a label is fine, renaming a slug is a data migration."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_ASSESSMENT = "under_assessment", "Under assessment"
    NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEW_SCHEDULED = "interview_scheduled", "Interview scheduled"
    INTERVIEWED = "interviewed", "Interviewed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


WITHDRAWABLE = [
    BidState.DRAFT,
    BidState.SUBMITTED,
    BidState.UNDER_ASSESSMENT,
    BidState.SHORTLISTED,
    BidState.INTERVIEW_SCHEDULED,
    BidState.INTERVIEWED,
]


class Focus(models.TextChoices):
    CLIENT_GROUPS = "client_groups", "Services for specific client groups"
    BROAD = "broad", "Broad commissioning of children's services"


class DeliverySetting(models.TextChoices):
    NEIGHBOURHOOD_CENTRES = "neighbourhood_centres", "Neighbourhood centres"
    EXTENDED_SCHOOLS = "extended_schools", "Extended schools"
    OTHER = "other", "Other settings"


class GovernanceModel(models.TextChoices):
    COUNCIL_LED = "council_led", "Council-led board"
    JOINT_BOARD = "joint_board", "Joint partnership board"
    MIXED_MANAGEMENT = (
        "mixed_management",
        "Management team with private or voluntary sector members",
    )
    OTHER = "other", "Other"


class Bid(ConcurrentTransitionModel, models.Model):
    """A local authority's expression of interest in running a pilot trust."""

    funding_round = models.ForeignKey(FundingRound, on_delete=models.PROTECT, related_name="bids")
    authority = models.ForeignKey("reference.LocalAuthority", on_delete=models.PROTECT, related_name="bids")
    reference = models.CharField(max_length=30, unique=True)
    state = FSMField(
        max_length=24, choices=BidState.choices, default=BidState.DRAFT, protected=True, db_index=True
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # 1. Contacts
    lead_name = models.CharField("lead officer's name", max_length=150, blank=True)
    lead_job_title = models.CharField("lead officer's job title", max_length=150, blank=True)
    lead_email = models.EmailField("lead officer's email address", blank=True)
    lead_phone = models.CharField("lead officer's telephone number", max_length=30, blank=True)
    director_name = models.CharField("responsible director's name", max_length=150, blank=True)
    director_job_title = models.CharField("responsible director's job title", max_length=150, blank=True)

    # 2. Focus and vision
    focus = models.CharField(max_length=20, choices=Focus.choices, blank=True)
    client_groups = models.TextField(blank=True)
    vision = models.TextField(blank=True)

    # 3. Services in scope
    service_scopes = models.ManyToManyField("reference.ServiceScope", blank=True, related_name="bids")
    other_scope = models.TextField("other services", blank=True)

    # 5. Delivery
    delivery_settings = models.JSONField(default=list, blank=True)
    delivery_other = models.TextField("other delivery settings", blank=True)
    population_covered = models.PositiveIntegerField(
        "children and young people covered", null=True, blank=True
    )

    # 6. Governance and accountability
    governance_model = models.CharField(max_length=20, choices=GovernanceModel.choices, blank=True)
    governance_other = models.TextField(blank=True)
    member_oversight = models.TextField("how elected members oversee the trust", blank=True)
    accountability_confirmed = models.BooleanField(default=False)

    # 7. Funding: the base award is the round's; only a large or complex trust asks for more.
    large_or_complex = models.BooleanField(null=True, blank=True)
    supplement_requested = models.DecimalField(**MONEY, default=Decimal("0"))
    supplement_justification = models.TextField(blank=True)

    # 8. Consultation plan
    consultation_communities = models.TextField(blank=True)
    consultation_agencies = models.TextField(blank=True)
    consultation_staff = models.TextField(blank=True)

    declaration_confirmed = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["authority__name"]
        constraints = [
            # A withdrawn bid stays on record; the council may then start again from a copy.
            models.UniqueConstraint(
                fields=["funding_round", "authority"],
                condition=~Q(state="withdrawn"),
                name="one_bid_per_authority_per_round",
            ),
            models.CheckConstraint(
                name="bid_supplement_not_negative", condition=Q(supplement_requested__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["funding_round", "state"], name="bid_round_state_idx")]

    def __str__(self):
        return f"{self.reference} {self.authority.short_name}"

    @property
    def base_requested(self):
        return self.funding_round.base_award

    @property
    def total_requested(self):
        return self.funding_round.base_award + (self.supplement_requested or Decimal("0"))

    @property
    def is_draft(self):
        return self.state == BidState.DRAFT

    # Transitions: only the state machine lives here. bids/workflow.py is the one door that
    # calls them, checks the actor, saves, records the event and queues email.
    @transition(field=state, source=BidState.DRAFT, target=BidState.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.DRAFT)
    def return_to_council(self):
        pass

    @transition(field=state, source=WITHDRAWABLE, target=BidState.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.UNDER_ASSESSMENT)
    def begin_assessment(self):
        pass

    @transition(field=state, source=BidState.UNDER_ASSESSMENT, target=BidState.SHORTLISTED)
    def shortlist(self):
        pass

    @transition(field=state, source=BidState.UNDER_ASSESSMENT, target=BidState.NOT_SHORTLISTED)
    def not_shortlist(self):
        pass

    @transition(field=state, source=BidState.SHORTLISTED, target=BidState.INTERVIEW_SCHEDULED)
    def schedule_interview(self):
        pass

    @transition(field=state, source=BidState.INTERVIEW_SCHEDULED, target=BidState.SHORTLISTED)
    def cancel_interview(self):
        pass

    @transition(field=state, source=BidState.INTERVIEW_SCHEDULED, target=BidState.INTERVIEWED)
    def record_interview(self):
        pass

    @transition(field=state, source=BidState.INTERVIEWED, target=BidState.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=BidState.INTERVIEWED, target=BidState.REJECTED)
    def reject(self):
        pass


class Section(models.TextChoices):
    """The sections of the bid's task list, in order."""

    CONTACTS = "contacts", "Contacts"
    FOCUS = "focus", "Focus and vision"
    SCOPES = "scopes", "Services in scope"
    PARTNERS = "partners", "Partners"
    DELIVERY = "delivery", "Delivery"
    GOVERNANCE = "governance", "Governance and accountability"
    FUNDING = "funding", "Funding"
    CONSULTATION = "consultation", "Consultation plan"
    DOCUMENTS = "documents", "Supporting documents"


class BidSection(models.Model):
    """Progress on one section of a bid, and the version colleagues' saves are checked against."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField(max_length=20, choices=Section.choices)
    completed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    snapshot = models.JSONField(
        default=dict, blank=True, help_text="The answers as last saved, to show colleagues what changed."
    )
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bid", "section"]
        constraints = [models.UniqueConstraint(fields=["bid", "section"], name="one_row_per_bid_section")]

    def __str__(self):
        return f"{self.get_section_display()} of bid {self.bid_id}"


class Sector(models.TextChoices):
    SOCIAL_SERVICES = "social_services", "Social services"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    COMMUNITY = "community", "Community"
    PRIVATE = "private", "Private"
    VOLUNTARY = "voluntary", "Voluntary"
    OTHER = "other", "Other"


CORE_SECTORS = (Sector.SOCIAL_SERVICES, Sector.EDUCATION, Sector.HEALTH)


class Partner(models.Model):
    """A partner agency in the proposed trust."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("agency name", max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    role = models.TextField("role in the trust")
    contact_name = models.CharField("named contact", max_length=150)
    contact_email = models.EmailField("contact's email address", blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.name


def document_path(instance, filename):
    # Random names: the original name is kept only in the database, cleaned.
    return f"bid-documents/{uuid.uuid4().hex}"


class SupportingDocument(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class EventKind(models.TextChoices):
    CREATED = "created", "Bid started"
    EDITED = "edited", "Section saved"
    STATE_CHANGED = "state_changed", "Status changed"
    DOCUMENT_ADDED = "document_added", "Document added"
    DOCUMENT_REMOVED = "document_removed", "Document removed"
    EXTENSION_GRANTED = "extension_granted", "Deadline extended"
    ASSESSOR_ASSIGNED = "assessor_assigned", "Assessor assigned"
    ASSESSOR_UNASSIGNED = "assessor_unassigned", "Assessor removed"
    SCORE_SUBMITTED = "score_submitted", "Score submitted"
    SCORE_REOPENED = "score_reopened", "Score reopened"
    SCORE_SET_ASIDE = "score_set_aside", "Score set aside"
    MODERATED = "moderated", "Score moderated"
    INTERVIEW_SCHEDULED = "interview_scheduled", "Interview booked"
    INTERVIEW_RESCHEDULED = "interview_rescheduled", "Interview rearranged"
    INTERVIEW_CANCELLED = "interview_cancelled", "Interview cancelled"


class BidEvent(models.Model):
    """The record of what happened to a bid: who, when, from what, to what, and why."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    shown_to_council = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.bid_id}"


# Assessment ---------------------------------------------------------------------------


class ConflictOfInterest(models.Model):
    """An assessor may not assess bids from an authority they have a link with."""

    assessor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="conflicts")
    authority = models.ForeignKey("reference.LocalAuthority", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    declared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)

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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "assessor"], name="one_assignment_per_pair")]

    def __str__(self):
        return f"{self.assessor} assesses bid {self.bid_id}"


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
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Percentage, set by bids/scoring.py when the scores are submitted.",
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
    mean_at_moderation = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
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

    def __str__(self):
        return f"Interview for bid {self.bid_id} at {self.starts_at:%Y-%m-%d %H:%M}"


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
