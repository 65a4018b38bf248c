"""What an approved bid becomes: a funding award, a pilot trust, the consultation recorded
against the award, and the reports built from them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, transition

from core.fsm import ConcurrentTransitionModel
from core.money import MONEY
from reference.models import LocalAuthority, ServiceScope

from .enums import (
    REVIEWABLE_STATES,
    WITHDRAWABLE_AWARD_STATES,
    Audience,
    AwardState,
    CheckKind,
    CheckResult,
    ExportFormat,
    ExportState,
    InstalmentState,
    PaymentTrigger,
    ReviewOutcome,
)


class DueDiligenceCheck(models.Model):
    """A check the programme lead made on a bidding authority before any offer (GovS 015):
    what was checked, the result, when, by whom, and what they noted. Recorded once and
    never changed (trusts/diligence.py); a later check is a new row."""

    bid = models.ForeignKey("bids.Bid", on_delete=models.CASCADE, related_name="due_diligence_checks")
    kind = models.CharField("check", max_length=20, choices=CheckKind.choices)
    result = models.CharField(max_length=10, choices=CheckResult.choices)
    checked_on = models.DateField("date of the check")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_on", "-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.checked_on}: {self.get_result_display().lower()}"


class FundingAward(ConcurrentTransitionModel, models.Model):
    """Money offered to an approved bid: the round's base award plus any supplement.

    State changes only through trusts/awards.py.
    """

    bid = models.OneToOneField("bids.Bid", on_delete=models.PROTECT, related_name="award")
    base_amount = models.DecimalField(**MONEY)
    supplement_amount = models.DecimalField(**MONEY, default=0)
    supplement_justification = models.TextField(blank=True)
    terms = models.TextField(
        "grant terms", blank=True, help_text="The round's grant terms as they stood when the offer was made."
    )
    ggis_reference = models.CharField(
        "GGIS grant reference",
        max_length=40,
        blank=True,
        help_text="The award's reference in the Government Grants Information System.",
    )
    total = models.GeneratedField(
        expression=F("base_amount") + F("supplement_amount"),
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
    )
    state = FSMField(max_length=20, choices=AwardState.choices, default=AwardState.OFFERED, protected=True)
    offered_at = models.DateTimeField(default=timezone.now)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(blank=True)
    conditions_met_at = models.DateTimeField(null=True, blank=True)
    conditions_met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-offered_at"]
        constraints = [
            models.CheckConstraint(name="award_base_positive", condition=Q(base_amount__gt=0)),
            models.CheckConstraint(
                name="award_supplement_not_negative", condition=Q(supplement_amount__gte=0)
            ),
        ]

    def __str__(self):
        return f"Award for {self.bid}"

    @property
    def accepted_at(self):
        """When the council accepted, or None if it has not (or declined)."""
        if self.responded_at and self.state != AwardState.DECLINED:
            return self.responded_at
        return None

    @property
    def paid_on(self):
        """The day its last instalment was paid, or None before any is. Payments are recorded
        only on instalments (trusts/payments.py), so this reads them."""
        days = [instalment.paid_on for instalment in self.instalments.all() if instalment.paid_on]
        return max(days, default=None)

    # Transitions: only the state machine lives here. trusts/awards.py is the one door that
    # calls them, checks the actor, saves, records the event and queues email.
    @transition(field=state, source=AwardState.OFFERED, target=AwardState.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=AwardState.OFFERED, target=AwardState.DECLINED)
    def decline(self):
        pass

    @transition(field=state, source=AwardState.ACCEPTED, target=AwardState.CONDITIONS_MET)
    def mark_conditions_met(self):
        pass

    @transition(field=state, source=AwardState.CONDITIONS_MET, target=AwardState.PAID)
    def mark_paid(self):
        """When its last instalment is paid (trusts/payments.py)."""

    @transition(field=state, source=WITHDRAWABLE_AWARD_STATES, target=AwardState.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=AwardState.PAID, target=AwardState.CONDITIONS_MET)
    def increase(self):
        """An annual review adds to an award paid in full: there is more to pay."""

    @transition(field=state, source=REVIEWABLE_STATES, target=AwardState.WITHDRAWN)
    def stop(self):
        """At an annual review (trusts/reviews.py): the pilot stops, whatever has been paid."""


class GrantAgreement(models.Model):
    """The grant agreement as the council's signatory accepted it: the exact terms and payment
    schedule they read, who signed (a person with authority to commit the council), when,
    and the PDF made of it at that moment, which both sides download (trusts/agreements.py)."""

    award = models.OneToOneField(FundingAward, on_delete=models.PROTECT, related_name="agreement")
    terms = models.TextField()
    schedule = models.JSONField(default=list, help_text="The instalments as they stood when it was signed.")
    signatory_name = models.CharField(max_length=200)
    signatory_job_title = models.CharField(max_length=200)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    # The PDF as signed, kept in the row so it is saved, or not, with the acceptance itself.
    document = models.BinaryField()
    document_sha256 = models.CharField(max_length=64)

    def __str__(self):
        return f"Grant agreement for {self.award.bid}"


class Instalment(ConcurrentTransitionModel, models.Model):
    """One payment of an award's schedule, paid in arrears: once its trigger has happened, one
    official requests it, another approves it, and its payment is recorded
    (trusts/payments.py is its one door)."""

    award = models.ForeignKey(FundingAward, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)
    trigger = models.CharField(max_length=20, choices=PaymentTrigger.choices)
    due_on = models.DateField(null=True, blank=True, help_text="For an instalment paid on or after a date.")
    released_at = models.DateTimeField(
        null=True, blank=True, help_text="When its trigger happened and it could be requested."
    )
    state = FSMField(
        max_length=20, choices=InstalmentState.choices, default=InstalmentState.SCHEDULED, protected=True
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField("date paid", null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)
    paid_recorded_at = models.DateTimeField(null=True, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="instalment_number_unique"),
            models.CheckConstraint(name="instalment_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"Instalment {self.number} of award {self.award_id}"

    # Transitions: only the state machine lives here. trusts/payments.py is the one door that
    # calls them, checks the actor and the two-person rule, saves, records and tells.
    @transition(field=state, source=InstalmentState.SCHEDULED, target=InstalmentState.REQUESTED)
    def request(self):
        pass

    @transition(field=state, source=InstalmentState.REQUESTED, target=InstalmentState.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=InstalmentState.REQUESTED, target=InstalmentState.SCHEDULED)
    def send_back(self):
        pass

    @transition(field=state, source=InstalmentState.APPROVED, target=InstalmentState.PAID)
    def record_paid(self):
        pass


class AnnualReview(models.Model):
    """The lead's annual review of a pilot: continue, amend the award (within the round's
    limits and budget, as an approval is held to) or stop it (the award withdrawn, with any
    sum to be recovered), with the reasons the council is told (trusts/reviews.py)."""

    award = models.ForeignKey(FundingAward, on_delete=models.CASCADE, related_name="reviews")
    number = models.PositiveSmallIntegerField(help_text="The pilot's first, second ... review.")
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    reasons = models.TextField()
    base_before = models.DecimalField(**MONEY)
    supplement_before = models.DecimalField(**MONEY)
    base_after = models.DecimalField(**MONEY)
    supplement_after = models.DecimalField(**MONEY)
    to_recover = models.DecimalField(
        **MONEY, default=0, help_text="On stopping: the sum the council must repay (paid but not spent)."
    )
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="review_number_unique"),
            models.CheckConstraint(name="review_recovery_not_negative", condition=Q(to_recover__gte=0)),
        ]

    def __str__(self):
        return f"Annual review {self.number} of award {self.award_id}: {self.get_outcome_display().lower()}"

    @property
    def total_before(self):
        return self.base_before + self.supplement_before

    @property
    def total_after(self):
        return self.base_after + self.supplement_after


class AwardEvent(models.Model):
    """The audit trail of an award: who did what, when, from what, to what, and why."""

    award = models.ForeignKey(FundingAward, on_delete=models.CASCADE, related_name="events")
    # An instalment's step: from_state and to_state are then the instalment's states.
    instalment = models.ForeignKey(
        Instalment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    # What happened, for an event that does not change the award's state ("Payment approved").
    title = models.CharField(max_length=80, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_state or 'new'} to {self.to_state} on award {self.award_id}"


class Trust(models.Model):
    """A pilot children's trust, created when a council accepts its award."""

    award = models.OneToOneField(FundingAward, on_delete=models.PROTECT, related_name="trust")
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="trusts")
    name = models.CharField(max_length=200)
    service_scopes = models.ManyToManyField(ServiceScope, blank=True, related_name="trusts")
    partners = models.JSONField(
        default=list, help_text="The partner agencies named in the bid when the award was accepted."
    )
    governance_model = models.CharField(max_length=40, blank=True)
    governance_summary = models.TextField(blank=True)
    operational_on = models.DateField(help_text="Planned date the pilot becomes operational.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def evidence_path(instance, filename):
    return f"consultation/{uuid.uuid4().hex}"


class ConsultationActivity(models.Model):
    """One piece of the consultation a successful bidder must carry out."""

    award = models.ForeignKey(FundingAward, on_delete=models.CASCADE, related_name="consultation_activities")
    held_on = models.DateField()
    audience = models.CharField(max_length=20, choices=Audience.choices)
    people_reached = models.PositiveIntegerField()
    summary = models.TextField()
    evidence = models.FileField(upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=120, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name_plural = "consultation activities"

    def __str__(self):
        return f"{self.get_audience_display()} on {self.held_on}"


def export_path(instance, filename):
    return f"exports/{uuid.uuid4().hex}"


class ReportExport(models.Model):
    """A report built in the background, private to admins and the programme lead."""

    format = models.CharField(max_length=20, choices=ExportFormat.choices)
    funding_round = models.ForeignKey(
        "bids.FundingRound", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    # When a worker last wrote rows: a running export that stops moving was lost with its worker.
    progressed_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker started building it: one that never finishes is given up on.
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=export_path, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_format_display()} requested {self.requested_at:%Y-%m-%d %H:%M}"
