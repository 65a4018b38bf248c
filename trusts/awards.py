"""Funding awards: the one module through which an award is made or changes state.

An offer is made here (`offer`), inside the approval's transaction (trusts/approvals.py).
Every later change goes through the award's door (core/door.py): it locks the award,
records an AwardEvent (who, when, from what, to what, why), queues its email for after
commit, and happens in one transaction with whatever caused it. Nothing else writes
`FundingAward.state` (a protected FSMField).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.mail import queue_email
from accounts.models import Role, User
from bids.models import FundingRound, GovernanceModel
from bids.queries import council_recipients as bid_recipients
from core.door import Edge, LifeCycle, Refused, Stale
from core.money import money

from . import agreements, diligence, schedules
from .enums import COMMITTED_STATES, Audience, AwardState
from .letters import award_letter, letter_filename
from .models import AwardEvent, ConsultationActivity, FundingAward, Trust


class AwardError(Refused):
    """A change that cannot be made. `problems` are sentences to show the user."""


class StaleAward(Stale, AwardError):
    """Someone else changed the award since the user loaded the page."""


def committed(funding_round):
    """(total committed, number of awards) for the round."""
    totals = FundingAward.objects.filter(
        bid__funding_round=funding_round, state__in=COMMITTED_STATES
    ).aggregate(total=Sum("total"), count=Count("pk"))
    return totals["total"] or Decimal("0"), totals["count"]


def award_problems(funding_round, base_amount, supplement_amount, justification):
    problems = []
    if base_amount is None or base_amount <= 0:
        problems.append("Enter a base amount greater than £0")
    elif base_amount > funding_round.base_award:
        problems.append(
            f"The base amount cannot be more than the round's base award of {money(funding_round.base_award)}"
        )
    if supplement_amount is None or supplement_amount < 0:
        problems.append("The supplement cannot be negative")
    elif supplement_amount > funding_round.max_supplement:
        problems.append(f"The supplement cannot be more than {money(funding_round.max_supplement)}")
    elif supplement_amount > 0 and not (justification or "").strip():
        problems.append("Explain why this large or complex trust needs a supplement")
    return problems


def budget_problems(funding_round, total, excluding=None):
    """Whether an award of `total` fits the round's budget, counting every award that stands
    but `excluding` (an award being varied, whose own amount is replaced). Call with the
    round locked, as offering and varying an award both do."""
    if funding_round.total_budget is None:
        return []
    spent = committed(funding_round)[0]
    if excluding is not None and excluding.state in COMMITTED_STATES:
        spent -= excluding.total
    if spent + total <= funding_round.total_budget:
        return []
    left = funding_round.total_budget - spent
    return [
        f"This award of {money(total)} would take {funding_round.name} past its budget: "
        f"{money(left)} of {money(funding_round.total_budget)} is left"
    ]


def offer(bid, base_amount, supplement_amount, justification, actor, now=None, ggis_reference=""):
    """Offer an award to an approved bid. Call inside the approval's transaction.

    Locks the round so that two approvals at once cannot both take its last pilot place
    or its last pounds of budget.
    """
    now = now or timezone.now()
    supplement_amount = supplement_amount or Decimal("0")
    with transaction.atomic():
        funding_round = FundingRound.objects.select_for_update().get(pk=bid.funding_round_id)
        problems = diligence.offer_problems(bid) + award_problems(
            funding_round, base_amount, supplement_amount, justification
        )
        if problems:
            raise AwardError(*problems)
        places_taken = committed(funding_round)[1]
        if funding_round.pilot_places is not None and places_taken >= funding_round.pilot_places:
            raise AwardError(
                f"All {funding_round.pilot_places} pilot places in {funding_round.name} have been awarded"
            )
        problems = budget_problems(funding_round, base_amount + supplement_amount)
        if problems:
            raise AwardError(*problems)
        award = FundingAward.objects.create(
            bid=bid,
            base_amount=base_amount,
            supplement_amount=supplement_amount,
            supplement_justification=(justification or "").strip(),
            terms=funding_round.grant_terms,
            ggis_reference=ggis_reference or "",
            offered_at=now,
            offered_by=actor,
        )
        schedules.default_schedule(award)
        AwardEvent.objects.create(
            award=award,
            actor=actor,
            from_state="",
            to_state=AwardState.OFFERED,
            reason="Bid approved",
            created_at=now,
        )
        queue_email(
            council_recipients(award),
            "award_offered",
            {"award": award, "bid": bid, "total": award.base_amount + award.supplement_amount},
            attachments=[(letter_filename(award), award_letter(award), "application/pdf")],
        )
    return award


# State changes after the offer ---------------------------------------------------------


def missing_audiences(award):
    """The audiences the consultation has not yet reached, in the order the domain names them."""
    covered = set(award.consultation_activities.values_list("audience", flat=True))
    return [audience for audience in Audience if audience.value not in covered]


def describe_audiences(audiences):
    labels = [audience.label[0].lower() + audience.label[1:] for audience in audiences]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def conditions_met_problems(award):
    """Why the lead cannot yet confirm the consultation condition: the audiences not reached."""
    missing = missing_audiences(award)
    if missing:
        return [
            f"You cannot mark the consultation condition met yet: no consultation has been recorded "
            f"with {describe_audiences(missing)}"
        ]
    return []


def all_instalments_paid(change):
    """The award is paid only when every instalment of its schedule is (trusts/payments.py)."""
    if schedules.unpaid(change.record).exists():
        return ["The award is paid only once every instalment of its schedule has been paid"]
    return []


def consultation_complete(change):
    return conditions_met_problems(change.record)


def signed(change):
    return agreements.signatory_problems(change.details)


def sign_and_set_up_trust(change):
    """Accepting is signing the grant agreement; the pilot trust is set up with it."""
    agreements.sign(change)
    create_trust(change.record, change.now)


@dataclass(frozen=True)
class AwardEdge(Edge):
    tell_programme: bool = False  # the council acted: tell the lead who made the offer


MANAGE = "trusts.manage_awards"
RESPOND = "trusts.respond_to_award"

EDGES = {
    "accept": AwardEdge(
        RESPOND,
        "accept",
        email="award_accepted",
        tell_programme=True,
        guard=signed,
        also=sign_and_set_up_trust,
    ),
    "decline": AwardEdge(RESPOND, "decline", needs_reason=True, email="award_declined", tell_programme=True),
    "mark_conditions_met": AwardEdge(
        MANAGE,
        "mark the consultation condition met for",
        email="award_conditions_met",
        guard=consultation_complete,
        also=schedules.release_on_conditions_met,
    ),
    # Taken by the payments door as the last instalment is paid; that door tells the council.
    "mark_paid": AwardEdge(
        schedules.RECORD_PAYMENT, "record the last payment for", guard=all_instalments_paid
    ),
    "withdraw": AwardEdge(MANAGE, "withdraw", needs_reason=True, email="award_withdrawn"),
    # Stopping a pilot at its annual review (trusts/reviews.py), which tells the council.
    "stop": AwardEdge(MANAGE, "stop", needs_reason=True),
    # An annual review increases an award already paid in full (trusts/reviews.py).
    "increase": AwardEdge(MANAGE, "increase", needs_reason=True),
}


class AwardLifeCycle(LifeCycle):
    noun = "award"
    edges = EDGES
    detail_names = frozenset(agreements.SIGNATORY_FIELDS)
    refused = AwardError
    stale = StaleAward
    event_model = AwardEvent
    record_field = "award"
    # Changes whose states alone would be titled wrongly in the award's history.
    titles = {
        "stop": "Pilot stopped at its annual review",
        "increase": "Award increased at its annual review",
    }

    def event_details(self, change):
        return {"title": self.titles.get(change.name, "")}

    def lock(self, award, expected_state=None):
        locked = (
            FundingAward.objects.select_for_update()
            .select_related("bid__authority", "bid__funding_round", "offered_by")
            .get(pk=award.pk)
        )
        if locked.state != (expected_state or award.state):
            raise StaleAward(
                f"The award to {locked.bid.authority.name} has changed since you opened it: it is now "
                f"{locked.get_state_display().lower()}. Nothing was changed. Check the award and try again."
            )
        return locked

    def stamp(self, change):
        award, name, actor, now = change.record, change.name, change.actor, change.now
        if name in ("accept", "decline"):
            award.responded_at = now
            award.responded_by = actor
            award.decline_reason = change.reason if name == "decline" else ""
        elif name == "mark_conditions_met":
            award.conditions_met_at = now
            award.conditions_met_by = actor
        elif name in ("withdraw", "stop"):
            award.withdrawn_at = now
            award.withdrawn_by = actor
            award.withdrawn_reason = change.reason

    def tell(self, change):
        award = change.record
        recipients = council_recipients(award, change.actor)
        if change.edge.tell_programme:
            recipients = programme_recipients(award) + [change.actor.email]
        queue_email(recipients, change.edge.email, {"award": award, "bid": award.bid, "event": change.event})


AWARDS = AwardLifeCycle()
# Changes an annual review makes (trusts/reviews.py), never offered on the award page itself.
BY_REVIEW_ONLY = {"stop", "increase"}


def available_actions(award, user):
    """What this person can do to the award from its page now."""
    return [name for name in AWARDS.available(award, user) if name not in BY_REVIEW_ONLY]


def accept(award, actor, *, signatory_name, signatory_job_title, expected_state=None, now=None):
    """The council accepts the offer by signing its grant agreement through a named signatory
    with authority to commit it; the agreement and the pilot trust are made in the same
    transaction."""
    return AWARDS.change_state(
        award,
        "accept",
        actor,
        expected_state=expected_state,
        now=now,
        signatory_name=signatory_name,
        signatory_job_title=signatory_job_title,
    )


def decline(award, actor, reason, *, expected_state=None, now=None):
    return AWARDS.change_state(award, "decline", actor, reason=reason, expected_state=expected_state, now=now)


def mark_conditions_met(award, actor, note="", *, expected_state=None, now=None):
    """The lead confirms the consultation condition. Refused until all three audiences are covered."""
    return AWARDS.change_state(
        award, "mark_conditions_met", actor, reason=note, expected_state=expected_state, now=now
    )


def increase(award, actor, reason, *, now=None):
    """An award paid in full has more to pay once an annual review increases it."""
    return AWARDS.change_state(award, "increase", actor, reason=reason, now=now)


def stop(award, actor, reason, *, now=None):
    """Withdraw an accepted award whose pilot is stopped: only through an annual review."""
    return AWARDS.change_state(award, "stop", actor, reason=reason, now=now)


def withdraw(award, actor, reason, *, expected_state=None, now=None):
    return AWARDS.change_state(
        award, "withdraw", actor, reason=reason, expected_state=expected_state, now=now
    )


def create_trust(award, now):
    """The pilot trust, as the bid described it when the council accepted the award."""
    bid = award.bid
    governance = GovernanceModel(bid.governance_model) if bid.governance_model else None
    summary = "\n\n".join(part for part in [bid.governance_other, bid.member_oversight] if part)
    trust = Trust.objects.create(
        award=award,
        authority=bid.authority,
        name=f"{bid.authority.short_name} Children's Trust",
        partners=[
            {"name": partner.name, "sector": partner.get_sector_display(), "role": partner.role}
            for partner in bid.partners.all()
        ],
        governance_model=governance.value if governance else "",
        governance_summary=summary,
        operational_on=bid.funding_round.operational_on,
        created_at=now,
    )
    trust.service_scopes.set(bid.service_scopes.all())
    return trust


def record_consultation(
    award,
    actor,
    *,
    held_on,
    audience,
    people_reached,
    summary,
    evidence=None,
    evidence_name="",
    evidence_type="",
    now=None,
):
    """Record one consultation activity against an accepted award.

    evidence: an uploaded file already checked (trusts.evidence.check_evidence), with the
    clean name and content type that check returned.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = FundingAward.objects.select_for_update().select_related("bid__authority").get(pk=award.pk)
        if not actor.has_perm("trusts.record_consultation", locked):
            raise AwardError(
                f"Consultation can only be recorded on an accepted award; this one is "
                f"{locked.get_state_display().lower()}"
            )
        missing_before = missing_audiences(locked)
        activity = ConsultationActivity(
            award=locked,
            held_on=held_on,
            audience=audience,
            people_reached=people_reached,
            summary=summary.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        stored = None
        if evidence is not None:
            activity.evidence_name = evidence_name or "evidence"
            activity.evidence_content_type = evidence_type
            activity.evidence_size = evidence.size
            activity.evidence.save(activity.evidence_name, evidence, save=False)
            stored = activity.evidence.name
        try:
            activity.save()
            AwardEvent.objects.create(
                award=locked,
                actor=actor,
                from_state=locked.state,
                to_state=locked.state,
                reason=(
                    f"Consultation recorded: {Audience(audience).label.lower()}, {people_reached:,} "
                    f"{'person' if people_reached == 1 else 'people'} reached on {held_on.day} {held_on:%B %Y}"
                ),
                created_at=now,
            )
            if missing_before and not missing_audiences(locked):
                queue_email(
                    programme_recipients(locked),
                    "award_consultation_complete",
                    {"award": locked, "bid": locked.bid},
                )
        except Exception:
            # The row is rolled back, so the file stored for it must go too.
            if stored:
                activity.evidence.storage.delete(stored)
            raise
    return activity


def council_recipients(award, actor=None):
    return bid_recipients(award.bid, actor)


def programme_recipients(award):
    """The lead who made the offer, or every active programme lead if they have left."""
    if award.offered_by.is_active and award.offered_by.role == Role.LEAD:
        return [award.offered_by.email]
    return list(User.objects.filter(role=Role.LEAD, is_active=True).values_list("email", flat=True))
