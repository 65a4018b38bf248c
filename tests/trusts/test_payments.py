"""Payments in arrears, through their one door (trusts/payments.py) and the schedule
(trusts/schedules.py): released only after the conditions they follow, requested by one
official and approved by another, never more than the award, and the award paid when the
last instalment is."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from tests import factories
from trusts import payments, schedules
from trusts.enums import AwardState, InstalmentState, PaymentTrigger
from trusts.models import AwardEvent, FundingAward, Instalment
from trusts.payments import PaymentError, StalePayment
from trusts.schedules import ScheduleError

from .conftest import award_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def met(lead, kent_user, open_round):
    """Kent's award of £100,000 with its consultation condition met: £60,000 released now,
    £40,000 waiting for the first monitoring return."""
    return award_in_state(
        AwardState.CONDITIONS_MET, lead=lead, council=kent_user, funding_round=open_round, supplement=40000
    )


def first(award, number=1):
    return Instalment.objects.get(award=award, number=number)


def test_the_offer_schedules_the_base_then_the_supplement(met):
    assert [(i.number, i.amount, i.trigger, i.state) for i in met.instalments.all()] == [
        (1, Decimal("60000"), PaymentTrigger.CONDITIONS_MET, InstalmentState.SCHEDULED),
        (2, Decimal("40000"), PaymentTrigger.FIRST_RETURN, InstalmentState.SCHEDULED),
    ]
    # Marking the condition met released the first, at that moment; the second waits.
    assert first(met).released_at == met.conditions_met_at
    assert first(met, 2).released_at is None


def test_no_payment_before_the_consultation_condition_is_met(lead, kent_user, open_round):
    award = award_in_state(AwardState.ACCEPTED, lead=lead, council=kent_user, funding_round=open_round)
    with pytest.raises(PaymentError) as refused:
        payments.request(first(award), lead)
    assert refused.value.problems == ["Payments start once the consultation condition has been met"]
    assert first(award).state == InstalmentState.SCHEDULED


def test_an_instalment_waiting_for_the_first_return_is_released_by_it_once(met, lead):
    with pytest.raises(PaymentError, match="can be requested once the first monitoring return is accepted"):
        payments.request(first(met, 2), lead)
    accepted_at = timezone.now()
    assert payments.release_first_return(met, accepted_at) == 1
    assert payments.release_first_return(met, accepted_at + timedelta(days=30)) == 0  # idempotent
    assert first(met, 2).released_at == accepted_at
    assert payments.request(first(met, 2), lead).state == InstalmentState.REQUESTED


def test_an_instalment_on_a_date_is_released_when_the_london_date_comes(met, lead):
    today = timezone.localdate()
    schedules.set_schedule(
        met,
        [
            (Decimal("50000"), PaymentTrigger.CONDITIONS_MET, None),
            (Decimal("50000"), PaymentTrigger.ON_DATE, today + timedelta(days=1)),
        ],
        lead,
    )
    with pytest.raises(PaymentError, match="Instalment 2 cannot be requested before"):
        payments.request(first(met, 2), lead)
    # 23:30 UTC on the day before is already the due day in London in summer; test a plain
    # midday of the due day, and that the request stamps when it was released.
    due = timezone.make_aware(
        timezone.datetime.combine(today + timedelta(days=1), timezone.datetime.min.time().replace(hour=12))
    )
    requested = payments.request(first(met, 2), lead, now=due)
    assert requested.state == InstalmentState.REQUESTED and requested.released_at == due


def test_one_official_requests_and_another_approves(
    met, lead, admin_user, django_capture_on_commit_callbacks
):
    other_lead = factories.user(Role.LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        requested = payments.request(first(met), lead, note="Consultation evidence checked.")
    assert (requested.state, requested.requested_by) == (InstalmentState.REQUESTED, lead)
    told = next(message for message in mail.outbox if message.subject.startswith("Payment to approve"))
    assert set(told.to) == {admin_user.email, other_lead.email}  # every approver but the requester
    with pytest.raises(PaymentError) as refused:
        payments.approve(first(met), lead)
    assert refused.value.problems == ["You requested this payment, so someone else must approve it"]
    with pytest.raises(PaymentError, match="You requested this payment, so someone else must send it back"):
        payments.send_back(first(met), lead, "Changed my mind")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = payments.approve(first(met), admin_user)
    assert (approved.state, approved.approved_by) == (InstalmentState.APPROVED, admin_user)
    (approval,) = mail.outbox
    assert approval.to == [lead.email] and "Payment approved" in approval.subject
    event = AwardEvent.objects.filter(award=met).last()
    assert (event.title, event.reason, event.actor, event.instalment) == (
        "Payment approved",
        "Instalment 1 of £60,000 approved",
        admin_user,
        approved,
    )
    # The award stands where it was: instalment steps do not move it.
    assert (event.from_state, event.to_state) == ("conditions_met", "conditions_met")


def test_another_lead_may_approve(met, lead):
    payments.request(first(met), lead)
    assert payments.approve(first(met), factories.user(Role.LEAD)).state == InstalmentState.APPROVED


def test_only_the_lead_requests_and_only_officials_approve(met, lead, admin_user, kent_user):
    for person in (admin_user, kent_user):
        with pytest.raises(PaymentError, match="You cannot request this instalment"):
            payments.request(first(met), person)
    payments.request(first(met), lead)
    with pytest.raises(PaymentError, match="You cannot approve this instalment"):
        payments.approve(first(met), kent_user)


def test_sending_back_needs_a_reason_and_returns_it_to_be_requested_again(
    met, lead, admin_user, django_capture_on_commit_callbacks
):
    payments.request(first(met), lead)
    with pytest.raises(PaymentError, match="Enter the reason you want to send back this instalment"):
        payments.send_back(first(met), admin_user, "  ")
    with django_capture_on_commit_callbacks(execute=True):
        sent_back = payments.send_back(first(met), admin_user, "The consultation notes are unsigned.")
    assert (sent_back.state, sent_back.requested_by, sent_back.requested_at) == (
        InstalmentState.SCHEDULED,
        None,
        None,
    )
    told = next(message for message in mail.outbox if "sent back" in message.subject)
    assert told.to == [lead.email] and "The consultation notes are unsigned." in told.body
    assert AwardEvent.objects.filter(award=met).last().reason == (
        "Instalment 1 of £60,000 sent back: The consultation notes are unsigned."
    )
    assert payments.request(first(met), lead).state == InstalmentState.REQUESTED


def test_a_step_on_an_instalment_in_the_wrong_state_is_refused(met, lead, admin_user):
    with pytest.raises(PaymentError, match="You cannot approve an instalment that is scheduled"):
        payments.approve(first(met), admin_user)
    today = timezone.localdate()
    with pytest.raises(
        PaymentError, match="You cannot record the payment of an instalment that is scheduled"
    ):
        payments.record_paid(first(met), lead, reference="DH-1", paid_on=today)


def test_a_page_out_of_date_is_stale(met, lead, admin_user):
    seen = first(met)
    payments.request(seen, lead)
    with pytest.raises(StalePayment, match="it is now requested. Nothing was changed"):
        payments.request(first(met), lead, expected_state=InstalmentState.SCHEDULED)


def test_recording_the_payment_needs_its_reference_and_a_date_since_approval(
    met, lead, admin_user, kent_user, django_capture_on_commit_callbacks
):
    payments.request(first(met), lead)
    payments.approve(first(met), admin_user)
    today = timezone.localdate()
    with pytest.raises(PaymentError) as refused:
        payments.record_paid(first(met), lead, reference=" ", paid_on=today + timedelta(days=1))
    assert refused.value.problems == [
        "Enter the payment reference",
        "The date the payment was made must be today or in the past",
    ]
    with pytest.raises(PaymentError, match="must be on or after .*, when the payment was approved"):
        payments.record_paid(first(met), lead, reference="DH-1", paid_on=today - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        paid = payments.record_paid(first(met), admin_user, reference=" DH-PAY-7 ", paid_on=today)
    assert (paid.state, paid.payment_reference, paid.paid_on, paid.paid_recorded_by) == (
        InstalmentState.PAID,
        "DH-PAY-7",
        today,
        admin_user,
    )
    assert FundingAward.objects.get(pk=met.pk).state == AwardState.CONDITIONS_MET  # £40,000 still to pay
    told = next(message for message in mail.outbox if message.subject.startswith("Payment made"))
    assert told.to == [kent_user.email]
    assert "DH-PAY-7" in told.body and "Next: instalment 2 of £40,000" in told.body
    assert "Requested by" not in told.body and lead.full_name not in told.body


def test_the_last_instalment_paid_pays_the_award(met, lead, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        paid = factories.pay_in_full(met, lead, admin_user)
    assert paid.state == AwardState.PAID
    assert paid.paid_on == timezone.localdate()
    last = AwardEvent.objects.filter(award=met).exclude(instalment__isnull=False).last()
    assert (last.from_state, last.to_state, last.reason) == (
        "conditions_met",
        "paid",
        "Paid in full: £100,000 in 2 instalments",
    )
    told = [message for message in mail.outbox if message.subject.startswith("Payment made")]
    assert len(told) == 2 and "paid in full" in told[-1].body


def test_payments_never_exceed_the_award(met, lead, admin_user):
    # A third instalment written past the schedule's checks (as a faulty import might):
    # the door still refuses to ask for more than the award.
    Instalment.objects.create(award=met, number=3, amount=Decimal("1"), trigger=PaymentTrigger.CONDITIONS_MET)
    payments.release_first_return(met)
    Instalment.objects.filter(award=met).update(released_at=timezone.now())
    payments.request(first(met), lead)
    payments.request(first(met, 2), lead)
    with pytest.raises(PaymentError) as refused:
        payments.request(first(met, 3), lead)
    assert refused.value.problems == [
        "Instalment 3 of £1 would take payments past the award of £100,000: £0 is left to pay"
    ]


def test_the_lead_changes_the_schedule_within_the_award(met, lead, admin_user):
    today = timezone.localdate()
    rows = [
        (Decimal("30000"), PaymentTrigger.CONDITIONS_MET, None),
        (Decimal("30000"), PaymentTrigger.ON_DATE, today + timedelta(days=90)),
        (Decimal("40000"), PaymentTrigger.FIRST_RETURN, None),
    ]
    with pytest.raises(ScheduleError, match="You cannot change this award's payment schedule"):
        schedules.set_schedule(met, rows, admin_user)
    with pytest.raises(ScheduleError) as refused:
        schedules.set_schedule(met, rows[:2], lead)
    assert refused.value.problems == [
        "The instalments must add up to £100,000, the award's total: they add up to £60,000"
    ]
    with pytest.raises(ScheduleError, match="Enter an amount greater than £0 for instalment 2"):
        schedules.set_schedule(met, [rows[0], (Decimal("0"), PaymentTrigger.FIRST_RETURN, None)], lead)
    with pytest.raises(ScheduleError, match="Enter the date instalment 1 becomes payable"):
        schedules.set_schedule(met, [(Decimal("100000"), PaymentTrigger.ON_DATE, None)], lead)
    schedules.set_schedule(met, rows, lead)
    assert [(i.number, i.amount, i.trigger, i.due_on) for i in met.instalments.all()] == [
        (1, Decimal("30000"), "conditions_met", None),
        (2, Decimal("30000"), "on_date", today + timedelta(days=90)),
        (3, Decimal("40000"), "first_return", None),
    ]
    # The condition is already met, so the new first instalment is released with it.
    assert first(met).released_at == met.conditions_met_at
    assert AwardEvent.objects.filter(award=met).last().title == "Payment schedule changed"


def test_the_schedule_is_fixed_once_a_payment_is_requested(met, lead):
    payments.request(first(met), lead)
    with pytest.raises(ScheduleError, match="cannot be changed once a payment has been requested"):
        schedules.set_schedule(met, [(Decimal("100000"), PaymentTrigger.CONDITIONS_MET, None)], lead)
