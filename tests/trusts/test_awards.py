"""Award states and refusals, through the one module that changes them (trusts/awards.py)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import F

from accounts.models import Role
from bids.models import Partner, Sector
from tests import factories
from trusts import awards
from trusts.awards import AwardError, StaleAward
from trusts.enums import Audience, AwardState
from trusts.models import AwardEvent, ConsultationActivity, FundingAward, Trust

from .conftest import award_in_state, consult

pytestmark = pytest.mark.django_db


def events(award):
    return list(AwardEvent.objects.filter(award=award).order_by("pk").values_list("from_state", "to_state"))


def test_approval_offers_the_award_with_an_event_and_the_letter_by_email(
    lead, kent_user, open_round, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        award = factories.approved_bid_with_award(open_round, "KEN", kent_user, lead)
    assert award.state == AwardState.OFFERED
    assert award.total == Decimal("60000")
    assert events(award) == [("", "offered")]
    offer = next(message for message in mail.outbox if "Funding offered" in message.subject)
    assert offer.to == [kent_user.email]
    assert "£60,000" in offer.body and f"/awards/{award.pk}" in offer.body
    (filename, content, mimetype), *_ = offer.attachments
    assert filename == f"award-letter-{award.bid.reference}.pdf"
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_accepting_creates_the_pilot_trust_from_the_bid(
    award, kent_user, lead, django_capture_on_commit_callbacks
):
    bid = award.bid
    Partner.objects.create(
        bid=bid, name="Kent Council for Voluntary Service", sector=Sector.VOLUNTARY, role="Brings in local groups",
        contact_name="Pat", added_by=kent_user,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        accepted = awards.accept(award, kent_user, **factories.SIGNATORY)
    assert accepted.state == AwardState.ACCEPTED
    assert accepted.responded_by == kent_user and accepted.responded_at is not None
    trust = Trust.objects.get(award=award)
    assert trust.authority == bid.authority
    assert trust.name == "Kent Children's Trust"
    assert set(trust.service_scopes.all()) == set(bid.service_scopes.all())
    assert {
        "name": "Kent Council for Voluntary Service",
        "sector": "Voluntary",
        "role": "Brings in local groups",
    } in (trust.partners)
    assert len(trust.partners) == bid.partners.count()
    assert trust.governance_model == "joint_board"
    assert "Lead member chairs the board." in trust.governance_summary
    assert trust.operational_on == bid.funding_round.operational_on
    assert events(award)[-1] == ("offered", "accepted")
    accepted_email = next(message for message in mail.outbox if "has accepted" in message.subject)
    assert lead.email in accepted_email.to


def test_declining_needs_a_reason_and_records_it(award, kent_user, lead):
    with pytest.raises(AwardError, match="Enter the reason you want to decline this award"):
        awards.decline(award, kent_user, "  ")
    declined = awards.decline(award, kent_user, "We cannot staff it this year.")
    assert declined.state == AwardState.DECLINED
    assert declined.decline_reason == "We cannot staff it this year."
    assert declined.accepted_at is None
    event = AwardEvent.objects.filter(award=award).last()
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        kent_user,
        "offered",
        "declined",
        "We cannot staff it this year.",
    )
    assert not Trust.objects.filter(award=award).exists()
    with pytest.raises(AwardError, match="You cannot accept an award that is declined"):
        awards.accept(declined, kent_user, **factories.SIGNATORY)


def test_only_the_council_of_the_authority_responds(award, lead, leeds_user, other_council):
    with pytest.raises(AwardError, match="You cannot accept this award"):
        awards.accept(award, lead, **factories.SIGNATORY)
    with pytest.raises(AwardError, match="You cannot accept this award"):
        awards.accept(award, leeds_user, **factories.SIGNATORY)
    assert awards.accept(award, other_council, **factories.SIGNATORY).state == AwardState.ACCEPTED


def test_consultation_is_recorded_only_once_the_award_is_accepted(award, kent_user):
    with pytest.raises(AwardError, match="only be recorded on an accepted award; this one is offered"):
        consult(award, kent_user, [Audience.STAFF])
    awards.accept(award, kent_user, **factories.SIGNATORY)
    consult(award, kent_user, [Audience.STAFF], people=12)
    activity = ConsultationActivity.objects.get(award=award)
    assert (activity.audience, activity.people_reached, activity.recorded_by) == ("staff", 12, kent_user)
    event = AwardEvent.objects.filter(award=award).last()
    assert event.from_state == event.to_state == "accepted"
    assert event.reason.startswith("Consultation recorded: staff involved in the trust, 12 people reached on")


def test_lead_is_told_when_all_three_groups_have_been_consulted(
    award, kent_user, lead, django_capture_on_commit_callbacks
):
    awards.accept(award, kent_user, **factories.SIGNATORY)
    with django_capture_on_commit_callbacks(execute=True):
        consult(award, kent_user, [Audience.COMMUNITIES, Audience.AGENCIES])
    assert not [m for m in mail.outbox if "consulted all three" in m.subject]
    with django_capture_on_commit_callbacks(execute=True):
        consult(award, kent_user, [Audience.STAFF])
    (told,) = [m for m in mail.outbox if "consulted all three" in m.subject]
    assert told.to == [lead.email]


def test_condition_met_is_refused_naming_the_groups_not_yet_consulted(award, kent_user, lead):
    awards.accept(award, kent_user, **factories.SIGNATORY)
    with pytest.raises(AwardError) as refused:
        awards.mark_conditions_met(award, lead)
    assert refused.value.problems == [
        "You cannot mark the consultation condition met yet: no consultation has been recorded with "
        "local communities, partner agencies and staff involved in the trust"
    ]
    consult(award, kent_user, [Audience.COMMUNITIES, Audience.STAFF])
    with pytest.raises(AwardError, match="has been recorded with partner agencies$"):
        awards.mark_conditions_met(award, lead)
    consult(award, kent_user, [Audience.AGENCIES])
    met = awards.mark_conditions_met(award, lead, "Checked the notes.")
    assert met.state == AwardState.CONDITIONS_MET and met.conditions_met_by == lead
    assert events(award)[-1] == ("accepted", "conditions_met")


def test_only_the_lead_marks_the_condition_met(award, kent_user, admin_user):
    awards.accept(award, kent_user, **factories.SIGNATORY)
    consult(award, kent_user)
    for person in (kent_user, admin_user):
        with pytest.raises(AwardError, match="You cannot mark the consultation condition met for this award"):
            awards.mark_conditions_met(award, person)


@pytest.mark.parametrize("state", [AwardState.OFFERED, AwardState.ACCEPTED])
def test_lead_withdraws_an_offer_with_a_reason(state, lead, kent_user, open_round):
    award = award_in_state(state, lead=lead, council=kent_user, funding_round=open_round)
    with pytest.raises(AwardError, match="Enter the reason you want to withdraw this award"):
        awards.withdraw(award, lead, "")
    withdrawn = awards.withdraw(award, lead, "The partnership board was dissolved.")
    assert (withdrawn.state, withdrawn.withdrawn_by, withdrawn.withdrawn_reason) == (
        "withdrawn",
        lead,
        "The partnership board was dissolved.",
    )


@pytest.mark.parametrize("state", [AwardState.CONDITIONS_MET, AwardState.PAID, AwardState.DECLINED])
def test_an_award_cannot_be_withdrawn_once_the_condition_is_met_or_it_is_closed(
    state, lead, kent_user, open_round
):
    award = award_in_state(state, lead=lead, council=kent_user, funding_round=open_round)
    with pytest.raises(AwardError, match="You cannot withdraw an award that is"):
        awards.withdraw(award, lead, "Too late")


def test_a_change_made_meanwhile_is_not_overwritten(award, kent_user, lead):
    stale_copy = FundingAward.objects.get(pk=award.pk)
    awards.withdraw(award, lead, "Budget was cut.")
    with pytest.raises(StaleAward, match="it is now withdrawn. Nothing was changed"):
        awards.accept(stale_copy, kent_user, expected_state=AwardState.OFFERED, **factories.SIGNATORY)
    assert FundingAward.objects.get(pk=award.pk).state == AwardState.WITHDRAWN


def test_every_change_records_who_when_from_to_and_why(lead, kent_user, open_round):
    award = award_in_state(AwardState.PAID, lead=lead, council=kent_user, funding_round=open_round)
    trail = list(AwardEvent.objects.filter(award=award).exclude(from_state=F("to_state")).order_by("pk"))
    assert [(e.from_state, e.to_state) for e in trail] == [
        ("", "offered"),
        ("offered", "accepted"),
        ("accepted", "conditions_met"),
        ("conditions_met", "paid"),
    ]
    assert [e.actor for e in trail] == [lead, kent_user, lead, lead]
    assert all(e.created_at for e in trail)
    assert trail[0].reason == "Bid approved" and trail[-1].reason == "Paid in full: £60,000 in 1 instalment"


def test_state_is_protected_from_direct_writes(award):
    with pytest.raises(AttributeError):
        award.state = AwardState.PAID


def test_declined_and_withdrawn_awards_free_the_budget_and_the_place(lead):
    funding_round = factories.open_round(total_budget=Decimal("160000"), pilot_places=2)
    first = award_in_state(
        AwardState.OFFERED,
        lead=lead,
        council=factories.user(Role.COUNCIL, "KEN"),
        funding_round=funding_round,
    )
    award_in_state(
        AwardState.OFFERED,
        lead=lead,
        council=factories.user(Role.COUNCIL, "LDS"),
        funding_round=funding_round,
        supplement=40000,
    )
    assert awards.committed(funding_round) == (Decimal("160000"), 2)
    with pytest.raises(AwardError, match="All 2 pilot places"):
        factories.approved_bid_with_award(funding_round, "BST", lead=lead)
    awards.decline(first, factories.user(Role.COUNCIL, "KEN"), "Not this year")
    assert awards.committed(funding_round) == (Decimal("100000"), 1)


def test_available_actions_follow_state_and_role(award, kent_user, lead, admin_user, leeds_user):
    assert awards.available_actions(award, kent_user) == ["accept", "decline"]
    assert awards.available_actions(award, lead) == ["withdraw"]
    assert awards.available_actions(award, admin_user) == []
    assert awards.available_actions(award, leeds_user) == []
    awards.accept(award, kent_user, **factories.SIGNATORY)
    assert awards.available_actions(award, lead) == ["mark_conditions_met", "withdraw"]
