"""Demo awards for the 2003 round's approved bids, made and moved on through trusts/awards.py.

So every report has real rows on a fresh `make run`: most pilots accepted, consulted and
paid their base award by the end of 2003 (and any supplement in 2004, once their first
monitoring return was accepted), some part of the way, one declined and one withdrawn. Idempotent:
a bid that already has an award keeps it, and only awards still as first offered are moved.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef

from accounts.models import Role, User
from bids.models import BidState, FundingRound
from core.london import LONDON
from trusts import awards, payments, reviews
from trusts.enums import Audience, AwardState, InstalmentState, PaymentTrigger, ReviewOutcome
from trusts.models import AnnualReview, FundingAward, Instalment

from .content import minimal_pdf

# Instalments not yet paid: an award still waiting for its base is not paid its supplement.
WAITING = [InstalmentState.SCHEDULED, InstalmentState.REQUESTED, InstalmentState.APPROVED]

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
    awards.accept(
        award,
        officer,
        signatory_name=bid.director_name or "Director of Children's Services",
        signatory_job_title=bid.director_job_title or "Director of Children's Services",
        now=responded,
    )
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
    _pay(award, target, number, lead, met)


def _pay(award, target, number, lead, met):
    """Payments in arrears: the lead requests each instalment released by the consultation
    condition and the programme's administrator, another official, approves it before it is
    paid. An award left with its condition met is part of the way: its first payment
    requested, or approved and awaiting payment. A supplement waits for the pilot's first
    accepted monitoring return, in 2004 (seed_supplements)."""
    stop = None
    if target == AwardState.CONDITIONS_MET:
        stop = "request" if number % 4 == 2 else "approve"
    for instalment in award.instalments.filter(trigger=PaymentTrigger.CONDITIONS_MET).order_by("number"):
        _pay_instalment(instalment, lead, met.date() + timedelta(days=3), stop)
        if stop:
            return


def _pay_instalment(instalment, lead, start, stop=None):
    """Requested on `start`, approved two days later by the administrator, paid a week on."""
    payments.request(instalment, lead, now=london(start, 11))
    if stop == "request":
        return
    payments.approve(
        instalment, User.objects.get(email="admin@doh.example"), now=london(start + timedelta(days=2), 15)
    )
    if stop == "approve":
        return
    paid_on = start + timedelta(days=7)
    payments.record_paid(
        instalment,
        lead,
        reference=f"DH-CTP-{paid_on.year}-{instalment.award_id:04d}-{instalment.number}",
        paid_on=paid_on,
        now=london(paid_on + timedelta(days=1), 12),
    )


def seed_supplements(seeder):
    """The supplements of the pilots paid through 2003: each released when the pilot's first
    monitoring return was accepted in 2004 (demo/monitoring.py, through the returns' door),
    then requested, approved and paid. Idempotent: only instalments still scheduled move."""
    base_unpaid = Instalment.objects.filter(
        award=OuterRef("award"), trigger=PaymentTrigger.CONDITIONS_MET, state__in=WAITING
    )
    waiting = (
        Instalment.objects.filter(
            award__bid__funding_round__slug="pilots-2003",
            award__state=AwardState.CONDITIONS_MET,
            trigger=PaymentTrigger.FIRST_RETURN,
            state=InstalmentState.SCHEDULED,
            released_at__isnull=False,
        )
        .exclude(Exists(base_unpaid))
        .select_related("award")
        .order_by("award__bid__authority__name")
    )
    paid = 0
    for instalment in waiting:
        released = instalment.released_at.astimezone(LONDON).date()
        _pay_instalment(instalment, seeder.lead, released + timedelta(days=3))
        paid += 1
    seeder.say(f"2003 supplements: {paid} paid after the first accepted return")


# Annual reviews, a year into the pilots: one of each kind -----------------------------------

REVIEWS = [
    (
        ReviewOutcome.CONTINUE,
        "All four returns accepted; the trust is operational and reaching the families it planned to.",
    ),
    (
        ReviewOutcome.AMEND,
        "Two more districts joined the trust in the spring; the supplement is increased to cover them.",
    ),
    (
        ReviewOutcome.STOP,
        "The council has ended the partnership with its primary care trust, so the pilot cannot go on. "
        "Grant not spent on the pilot is to be repaid.",
    ),
]


def seed_reviews(seeder):
    """The first annual review of three paid 2003 pilots: continued, amended (a larger
    supplement, paid as a new instalment) and stopped (with a sum to recover). Idempotent: a
    round whose pilots have been reviewed is left as it is."""
    funding_round = FundingRound.objects.filter(slug="pilots-2003").first()
    if funding_round is None or AnnualReview.objects.filter(award__bid__funding_round=funding_round).exists():
        return
    paid = list(
        FundingAward.objects.filter(bid__funding_round=funding_round, state=AwardState.PAID).order_by(
            "bid__authority__name"
        )
    )
    more = Decimal("10000")
    amendable = [award for award in paid if award.supplement_amount + more <= funding_round.max_supplement]
    if len(paid) < len(REVIEWS) or not amendable:
        return
    others = [award for award in paid if award != amendable[0]]
    chosen = {
        ReviewOutcome.CONTINUE: others[0],
        ReviewOutcome.AMEND: amendable[0],
        ReviewOutcome.STOP: others[1],
    }
    for number, (outcome, reasons) in enumerate(REVIEWS):
        award = chosen[outcome]
        extra = {}
        if outcome == ReviewOutcome.AMEND:
            extra = {
                "base_amount": award.base_amount,
                "supplement_amount": award.supplement_amount + more,
                "justification": award.supplement_justification or "Two more districts joined the trust.",
            }
        elif outcome == ReviewOutcome.STOP:
            extra = {"to_recover": Decimal("8500")}
        held = london(date(2004, 11, 15) + timedelta(days=7 * number), 11)
        reviews.record_review(award, seeder.lead, outcome=outcome, reasons=reasons, now=held, **extra)
    seeder.say(f"2003 annual reviews: {len(REVIEWS)} held")
