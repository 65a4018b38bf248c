"""Funding awards: the one module through which an award is made or changes state.

Every change locks what it checks, records an AwardEvent (who, when, from what, to what,
why), queues its email for after commit, and happens in one transaction with whatever
caused it. Nothing else writes `FundingAward.state` (a protected FSMField).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from accounts.mail import queue_email
from accounts.models import Role, User
from bids.models import FundingRound, GovernanceModel

from .models import (
    Audience,
    AwardEvent,
    AwardState,
    ConsultationActivity,
    FundingAward,
    Trust,
)

# Awards that still count against a round's budget and pilot places.
COMMITTED_STATES = [AwardState.OFFERED, AwardState.ACCEPTED, AwardState.CONDITIONS_MET, AwardState.PAID]
# Awards the council has accepted, whatever happened next.
ACCEPTED_STATES = [AwardState.ACCEPTED, AwardState.CONDITIONS_MET, AwardState.PAID]

# The condition every pilot carries (domain facts: successful bidders must consult widely).
CONSULTATION_CONDITION = (
    "Consult widely with local communities, partner agencies and all staff involved in the trust "
    "on the impact the changes could have on services and working practices."
)


class AwardError(Exception):
    """A change that cannot be made. `problems` are sentences to show the user."""

    def __init__(self, *problems):
        self.problems = [str(problem) for problem in problems]
        super().__init__("; ".join(self.problems))


class StaleAward(AwardError):
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
            f"The base amount cannot be more than the round's base award of £{funding_round.base_award:,.0f}"
        )
    if supplement_amount is None or supplement_amount < 0:
        problems.append("The supplement cannot be negative")
    elif supplement_amount > funding_round.max_supplement:
        problems.append(f"The supplement cannot be more than £{funding_round.max_supplement:,.0f}")
    elif supplement_amount > 0 and not (justification or "").strip():
        problems.append("Explain why this large or complex trust needs a supplement")
    return problems


def offer(bid, base_amount, supplement_amount, justification, actor, now=None):
    """Offer an award to an approved bid. Call inside the approval's transaction.

    Locks the round so that two approvals at once cannot both take its last pilot place
    or its last pounds of budget.
    """
    now = now or timezone.now()
    supplement_amount = supplement_amount or Decimal("0")
    with transaction.atomic():
        funding_round = FundingRound.objects.select_for_update().get(pk=bid.funding_round_id)
        problems = award_problems(funding_round, base_amount, supplement_amount, justification)
        if problems:
            raise AwardError(*problems)
        spent, places_taken = committed(funding_round)
        total = base_amount + supplement_amount
        if funding_round.pilot_places is not None and places_taken >= funding_round.pilot_places:
            raise AwardError(
                f"All {funding_round.pilot_places} pilot places in {funding_round.name} have been awarded"
            )
        if funding_round.total_budget is not None and spent + total > funding_round.total_budget:
            left = funding_round.total_budget - spent
            raise AwardError(
                f"This award of £{total:,.0f} would take {funding_round.name} past its budget: "
                f"£{left:,.0f} of £{funding_round.total_budget:,.0f} is left"
            )
        award = FundingAward.objects.create(
            bid=bid,
            base_amount=base_amount,
            supplement_amount=supplement_amount,
            supplement_justification=(justification or "").strip(),
            offered_at=now,
            offered_by=actor,
        )
        AwardEvent.objects.create(
            award=award,
            actor=actor,
            from_state="",
            to_state=AwardState.OFFERED,
            reason="Bid approved",
            created_at=now,
        )
        from .letters import award_letter, letter_filename

        queue_email(
            council_recipients(award),
            "award_offered",
            {"award": award, "bid": bid, "total": total},
            attachments=[(letter_filename(award), award_letter(award), "application/pdf")],
        )
    return award


# State changes after the offer ---------------------------------------------------------


@dataclass(frozen=True)
class Action:
    permission: str
    verb: str  # for messages: "accept", "withdraw" ...
    needs_reason: bool = False
    email: str = ""
    tell_programme: bool = False  # the council acted: tell the lead who made the offer


ACTIONS = {
    "accept": Action("trusts.respond_to_award", "accept", email="award_accepted", tell_programme=True),
    "decline": Action(
        "trusts.respond_to_award", "decline", needs_reason=True, email="award_declined", tell_programme=True
    ),
    "mark_conditions_met": Action(
        "trusts.manage_awards", "mark the consultation condition met for", email="award_conditions_met"
    ),
    "record_payment": Action("trusts.manage_awards", "record a payment for", email="award_paid"),
    "withdraw": Action("trusts.manage_awards", "withdraw", needs_reason=True, email="award_withdrawn"),
}


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


def _guard_payment(award, actor, now, *, reference="", paid_on=None, **details):
    problems = []
    if not (reference or "").strip():
        problems.append("Enter the payment reference")
    if paid_on is None:
        problems.append("Enter the date the payment was made")
    elif paid_on > timezone.localtime(now).date():
        problems.append("The date the payment was made must be today or in the past")
    elif award.conditions_met_at and paid_on < timezone.localtime(award.conditions_met_at).date():
        problems.append(
            "The date the payment was made must be on or after the day the consultation condition was met"
        )
    return problems


def _guard_conditions_met(award, actor, now, **details):
    return conditions_met_problems(award)


GUARDS = {"mark_conditions_met": _guard_conditions_met, "record_payment": _guard_payment}


def available_actions(award, user):
    """The actions this person could take on this award now (guards not yet checked)."""
    return [
        name
        for name, action in ACTIONS.items()
        if can_proceed(getattr(award, name)) and user.has_perm(action.permission, award)
    ]


def change_state(award, action_name, actor, *, reason="", expected_state=None, now=None, **details):
    """Make one state change to an award. Returns the saved award or raises AwardError."""
    action = ACTIONS[action_name]
    now = now or timezone.now()
    reason = (reason or "").strip()
    if action.needs_reason and not reason:
        raise AwardError(f"Enter the reason you want to {action.verb} this award")
    try:
        with transaction.atomic():
            locked = (
                FundingAward.objects.select_for_update()
                .select_related("bid__authority", "bid__funding_round", "offered_by")
                .get(pk=award.pk)
            )
            seen = expected_state or award.state
            if locked.state != seen:
                raise StaleAward(
                    f"The award to {locked.bid.authority.name} has changed since you opened it: it is now "
                    f"{locked.get_state_display().lower()}. Nothing was changed. Check the award and try again."
                )
            if not actor.has_perm(action.permission, locked):
                raise AwardError(f"You cannot {action.verb} this award")
            if not can_proceed(getattr(locked, action_name)):
                raise AwardError(
                    f"You cannot {action.verb} an award that is {locked.get_state_display().lower()}"
                )
            problems = GUARDS.get(action_name, lambda *args, **kwargs: [])(locked, actor, now, **details)
            if problems:
                raise AwardError(*problems)
            from_state = locked.state
            getattr(locked, action_name)()
            _stamp(locked, action_name, actor, now, reason, **details)
            locked.save()
            event = AwardEvent.objects.create(
                award=locked,
                actor=actor,
                from_state=from_state,
                to_state=locked.state,
                reason=_event_reason(action_name, reason, **details),
                created_at=now,
            )
            if action_name == "accept":
                create_trust(locked, now)
            if action.email:
                recipients = council_recipients(locked, actor)
                if action.tell_programme:
                    recipients = programme_recipients(locked) + [actor.email]
                queue_email(recipients, action.email, {"award": locked, "bid": locked.bid, "event": event})
    except ConcurrentTransition as error:
        raise StaleAward(
            "The award was changed by someone else at the same moment. Nothing was changed. "
            "Check the award and try again."
        ) from error
    award.refresh_from_db()
    return locked


def _stamp(award, action_name, actor, now, reason, *, reference="", paid_on=None, **details):
    if action_name in ("accept", "decline"):
        award.responded_at = now
        award.responded_by = actor
        award.decline_reason = reason if action_name == "decline" else ""
    elif action_name == "mark_conditions_met":
        award.conditions_met_at = now
        award.conditions_met_by = actor
    elif action_name == "record_payment":
        award.paid_at = now
        award.paid_by = actor
        award.paid_on = paid_on
        award.payment_reference = reference.strip()
    elif action_name == "withdraw":
        award.withdrawn_at = now
        award.withdrawn_by = actor
        award.withdrawn_reason = reason


def _event_reason(action_name, reason, *, reference="", paid_on=None, **details):
    if action_name == "record_payment":
        paid = f"{paid_on.day} {paid_on:%B %Y}"
        return f"Paid on {paid}, reference {reference.strip()}" + (f". {reason}" if reason else "")
    return reason


def accept(award, actor, *, expected_state=None, now=None):
    """The council accepts the offer; its pilot trust is created in the same transaction."""
    return change_state(award, "accept", actor, expected_state=expected_state, now=now)


def decline(award, actor, reason, *, expected_state=None, now=None):
    return change_state(award, "decline", actor, reason=reason, expected_state=expected_state, now=now)


def mark_conditions_met(award, actor, note="", *, expected_state=None, now=None):
    """The lead confirms the consultation condition. Refused until all three audiences are covered."""
    return change_state(
        award, "mark_conditions_met", actor, reason=note, expected_state=expected_state, now=now
    )


def record_payment(award, actor, *, reference, paid_on, note="", expected_state=None, now=None):
    """The lead records the payment. Only after the consultation condition is met."""
    return change_state(
        award,
        "record_payment",
        actor,
        reason=note,
        expected_state=expected_state,
        now=now,
        reference=reference,
        paid_on=paid_on,
    )


def withdraw(award, actor, reason, *, expected_state=None, now=None):
    return change_state(award, "withdraw", actor, reason=reason, expected_state=expected_state, now=now)


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
    from bids.workflow import council_recipients as bid_recipients

    return bid_recipients(award.bid, actor)


def programme_recipients(award):
    """The lead who made the offer, or every active programme lead if they have left."""
    if award.offered_by.is_active and award.offered_by.role == Role.LEAD:
        return [award.offered_by.email]
    return list(User.objects.filter(role=Role.LEAD, is_active=True).values_list("email", flat=True))
