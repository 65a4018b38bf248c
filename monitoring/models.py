"""Monitoring returns (GovS 015 performance monitoring): what a pilot reports on each due date,
the audit of each return's life cycle, and the reminders sent about them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, transition

from core.fsm import ConcurrentTransitionModel
from core.money import MONEY

from .enums import EDITABLE_STATES, Rag, ReminderKind, ReturnState

USER = settings.AUTH_USER_MODEL


class MonitoringReturn(ConcurrentTransitionModel, models.Model):
    """One pilot's return for one period: prepared by a council officer, certified and
    submitted by another of the same council, accepted by the programme lead or sent back
    for changes. State changes only through monitoring/returns.py."""

    award = models.ForeignKey(
        "trusts.FundingAward", on_delete=models.PROTECT, related_name="monitoring_returns"
    )
    period = models.PositiveSmallIntegerField(help_text="1 for the first return after the operational date.")
    due_on = models.DateField("due date")
    state = FSMField(max_length=30, choices=ReturnState.choices, default=ReturnState.DRAFT, protected=True)

    # What the return says (the milestones are rows of their own).
    spending_to_date = models.DecimalField(**MONEY, null=True, blank=True)
    planned_spending_to_date = models.DecimalField(**MONEY, null=True, blank=True)
    children_reached = models.PositiveIntegerField(null=True, blank=True)
    families_reached = models.PositiveIntegerField(null=True, blank=True)
    partners_involvement = models.TextField("partners' involvement", blank=True)
    risks_and_issues = models.TextField("risks and issues", blank=True)
    narrative = models.TextField("progress in the period", blank=True)

    # Who did what, and when.
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    prepared_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    prepared_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    certified_at = models.DateTimeField(null=True, blank=True)
    # When it was last submitted to the Department; set once it has been, and kept when the
    # lead asks for changes, so a return sent on time is never counted overdue.
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    changes_reason = models.TextField("changes asked for", blank=True)

    class Meta:
        ordering = ["award", "period"]
        constraints = [
            models.UniqueConstraint(fields=["award", "period"], name="one_return_per_period"),
            models.CheckConstraint(name="return_period_from_one", condition=Q(period__gte=1)),
            models.CheckConstraint(
                name="return_spending_not_negative",
                condition=(Q(spending_to_date__isnull=True) | Q(spending_to_date__gte=0))
                & (Q(planned_spending_to_date__isnull=True) | Q(planned_spending_to_date__gte=0)),
            ),
            # The GovS 015 separation of duties: whoever prepares a return does not certify it.
            models.CheckConstraint(
                name="return_certifier_is_not_preparer",
                condition=Q(certified_by__isnull=True) | ~Q(certified_by=F("prepared_by")),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"], name="return_state_due_idx"),
            # The programme's list, latest due first, reads its page from here.
            models.Index(fields=["due_on"], name="return_due_idx"),
        ]

    def __str__(self):
        return f"Return {self.period} (due {self.due_on:%d %b %Y}) for award {self.award_id}"

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    # Transitions: only the state machine lives here. monitoring/returns.py is the one door
    # that calls them, checks the actor, saves, records the event and queues email.
    @transition(field=state, source=EDITABLE_STATES, target=ReturnState.AWAITING_CERTIFICATION)
    def send_for_certification(self):
        pass

    @transition(field=state, source=ReturnState.AWAITING_CERTIFICATION, target=ReturnState.DRAFT)
    def send_back(self):
        pass

    @transition(field=state, source=ReturnState.AWAITING_CERTIFICATION, target=ReturnState.SUBMITTED)
    def certify(self):
        pass

    @transition(field=state, source=ReturnState.SUBMITTED, target=ReturnState.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=ReturnState.SUBMITTED, target=ReturnState.CHANGES_REQUESTED)
    def request_changes(self):
        pass


class Milestone(models.Model):
    """One of the pilot's milestones as the return reports it: red, amber or green."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="milestones"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Rag.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name}: {self.get_status_display().lower()}"


class ReturnEvent(models.Model):
    """The audit trail of a return: who did what, when, from what, to what, and why."""

    monitoring_return = models.ForeignKey(MonitoringReturn, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_state or 'new'} to {self.to_state} on return {self.monitoring_return_id}"


class Reminder(models.Model):
    """A reminder sent to a pilot's council about one due date: once before it is due, once
    when it is overdue. The row is what makes a second run of the reminders send nothing."""

    award = models.ForeignKey(
        "trusts.FundingAward", on_delete=models.CASCADE, related_name="return_reminders"
    )
    due_on = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_to = models.JSONField(default=list, help_text="The addresses the reminder went to.")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["award", "due_on", "kind"], name="one_reminder_of_a_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for award {self.award_id}, due {self.due_on}"
