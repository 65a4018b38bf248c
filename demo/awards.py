"""Demo awards for the 2003 round's approved bids, made and moved on through trusts/awards.py.

So every report has real rows on a fresh `make run`: most pilots accepted, consulted and
paid by the end of 2003, some part of the way, one declined and one withdrawn. Idempotent:
a bid that already has an award keeps it, and only awards still as first offered are moved.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from accounts.models import Role, User
from bids.models import BidState, FundingRound
from core.london import LONDON
from trusts import awards
from trusts.enums import Audience, AwardState
from trusts.models import FundingAward

from .content import minimal_pdf

# Where each approved bid's award ends up, in order of the authorities' names.
PLAN = [
    AwardState.PAID,
    AwardState.PAID,
    AwardState.CONDITIONS_MET,
    AwardState.DECLINED,
    AwardState.PAID,
    AwardState.ACCEPTED,
    AwardState.PAID,
    AwardState.WITHDRAWN,
    AwardState.CONDITIONS_MET,
    AwardState.OFFERED,
    AwardState.PAID,
    AwardState.ACCEPTED,
]

ACTIVITIES = {
    Audience.COMMUNITIES: (
        "Public meetings in three neighbourhood centres and a survey of families who use children's "
        "services. Parents asked for one named worker and for health visitors to stay in the team."
    ),
    Audience.AGENCIES: (
        "A workshop with the primary care trust, schools, the voluntary sector council and housing. "
        "Partners agreed the joint commissioning plan and how budgets will be pooled."
    ),
    Audience.STAFF: (
        "Briefings in every team with trade union representatives on the new joint teams, line "
        "management and working practices. Questions and answers were published on the intranet."
    ),
}


def london(day, hour=10):
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def seed_awards(seeder):
    funding_round = FundingRound.objects.filter(slug="pilots-2003").first()
    if funding_round is None:
        return
    approved = list(
        funding_round.bids.filter(state=BidState.APPROVED)
        .select_related("authority", "decision")
        .order_by("authority__name")
    )
    made = moved = 0
    for number, bid in enumerate(approved):
        award = FundingAward.objects.filter(bid=bid).first()
        offered_at = _offer_time(bid)
        if award is None:
            award = awards.offer(
                bid,
                funding_round.base_award,
                min(bid.supplement_requested or Decimal("0"), funding_round.max_supplement),
                bid.supplement_justification,
                seeder.lead,
                now=offered_at,
            )
            made += 1
        target = PLAN[number % len(PLAN)]
        if award.state == AwardState.OFFERED and target != AwardState.OFFERED and award.events.count() == 1:
            _take_to(award, target, number, seeder, offered_at)
            moved += 1
    seeder.say(f"2003 awards: {made} offered, {moved} taken on from the offer")


def _offer_time(bid):
    decision = getattr(bid, "decision", None)
    if decision is not None:
        return decision.decided_at
    event = bid.events.filter(to_state=BidState.APPROVED).order_by("created_at").first()
    return event.created_at if event else london(bid.funding_round.decision_on)


def _officer(bid):
    return (
        User.objects.filter(local_authority=bid.authority, role=Role.COUNCIL, is_active=True)
        .order_by("pk")
        .first()
    )


def _take_to(award, target, number, seeder, offered_at):
    bid = award.bid
    officer = _officer(bid)
    lead = seeder.lead
    offered = offered_at.astimezone(LONDON).date()
    responded = london(offered + timedelta(days=8 + number % 6), 14)
    if target == AwardState.DECLINED:
        awards.decline(
            award,
            officer,
            "The council's cabinet decided to fold the trust into its wider review of children's services "
            "and to bid again in a later round.",
            now=responded,
        )
        return
    awards.accept(award, officer, now=responded)
    if target == AwardState.WITHDRAWN:
        awards.withdraw(
            award,
            lead,
            "The council told us in September that its partnership board had been dissolved and the trust "
            "could not be operational by the end of 2003.",
            now=london(date(2003, 9, 22), 11),
        )
        return
    audiences = list(Audience)
    if target == AwardState.ACCEPTED:
        audiences = audiences[: number % 3]  # part of the way: none, one or two groups
    held = responded.date()
    for index, audience in enumerate(audiences):
        held += timedelta(days=9 + (number + index) % 7)
        evidence = None
        name = ""
        if index != 1:
            title = f"{bid.authority.short_name}: consultation with {audience.label.lower()}"
            evidence = ContentFile(minimal_pdf(title), name="notes.pdf")
            name = f"{bid.authority.short_name} consultation notes - {audience.label.lower()}.pdf"
        awards.record_consultation(
            award,
            officer,
            held_on=held,
            audience=audience.value,
            people_reached=[140, 18, 65][index] + (number * 7) % 40,
            summary=ACTIVITIES[audience],
            evidence=evidence,
            evidence_name=name,
            evidence_type="application/pdf" if evidence else "",
            now=london(held + timedelta(days=1), 16),
        )
    if target == AwardState.ACCEPTED:
        return
    met = london(held + timedelta(days=14), 10)
    awards.mark_conditions_met(
        award, lead, "Checked the notes of each meeting and the staff briefings.", now=met
    )
    if target == AwardState.CONDITIONS_MET:
        return
    paid_on = met.date() + timedelta(days=10)
    awards.record_payment(
        award,
        lead,
        reference=f"DH-CTP-2003-{award.pk:04d}",
        paid_on=paid_on,
        now=london(paid_on + timedelta(days=1), 12),
    )
