"""A council's bid to a round: its answers, sections, partners, documents and the history of
what happened to it. State changes happen only through bids/workflow.py."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, transition

from core.fsm import ConcurrentTransitionModel
from core.money import MONEY

from .rounds import FundingRound

USER = settings.AUTH_USER_MODEL


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
    # The council's office, not a person's: letters about the bid and any award go here.
    postal_address = models.TextField("postal address for letters", blank=True)

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
    # When the names, email addresses and phone numbers of its contacts were removed, once
    # the round's retention period ended (bids/retention.py).
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)

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
        indexes = [
            models.Index(fields=["funding_round", "state"], name="bid_round_state_idx"),
            # Lists that reach bids from another table (an assessor's assignments) and need only
            # each bid's authority and round read them here, not from the bids' long rows.
            models.Index(
                fields=["id"], include=["authority", "funding_round"], name="bid_authority_round_idx"
            ),
        ]

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
    # How long a section takes (the service's performance, insights/queries.py): its first
    # save, and the first time it was marked completed, kept if it is later reopened and
    # completed again. Empty for sections saved before these were recorded.
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

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
    PERSONAL_DATA_REMOVED = "personal_data_removed", "Contact details removed"
    ASSESSOR_EXCLUDED = "assessor_excluded", "Assessor excluded"
    INTERVIEW_SCORED = "interview_scored", "Panel member's interview score"
    DECISION_STAGED = "decision_staged", "Decision recorded as pending"
    STAGED_DECISION_DROPPED = "staged_decision_dropped", "Pending decision taken back"


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
