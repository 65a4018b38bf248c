"""Builders for monitoring tests (and the authorisation matrix's scenes): pilots with their
trust operational in the past, and returns taken to each state through monitoring/returns.py."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from monitoring import returns
from monitoring.enums import Rag, ReturnState
from tests import factories
from trusts import awards
from trusts.models import FundingAward, Trust

ANSWERS = {
    "spending_to_date": Decimal("12500"),
    "planned_spending_to_date": Decimal("15000"),
    "children_reached": 340,
    "families_reached": 210,
    "partners_involvement": "The primary care trust and schools sit on the joint commissioning board.",
    "risks_and_issues": "Recruiting a joint team manager has taken longer than planned.",
    "narrative": "The joint team is in place in two localities and the single assessment is in use.",
}
MILESTONES = [
    ("Joint commissioning board meets monthly", Rag.GREEN, ""),
    ("Pooled budget agreed", Rag.AMBER, "The health partner's finance sign-off is a month late."),
]


def reload(award):
    """The award as the returns read it: with its trust, bid, council and round."""
    return FundingAward.objects.select_related("trust", "bid__authority", "bid__funding_round").get(
        pk=award.pk
    )


def operational(award, days_ago=60):
    """Move the award's trust's operational date into the past, so its first return has begun."""
    Trust.objects.filter(award=award).update(operational_on=timezone.localdate() - timedelta(days=days_ago))
    return reload(award)


def pilot(council, lead=None, funding_round=None, days_ago=60):
    """An award its council has accepted, whose trust became operational `days_ago` days ago."""
    award = factories.approved_bid_with_award(funding_round, council.local_authority.code, council, lead)
    return operational(awards.accept(award, council, **factories.SIGNATORY), days_ago)


def return_in_state(state, award, *, preparer, certifier=None, lead=None, period=1):
    """Return `period` of the award, filled in by `preparer` and taken to `state` by the verbs."""
    monitoring_return = returns.save(award, period, preparer, answers=ANSWERS, milestones=MILESTONES)
    if state == ReturnState.DRAFT:
        return monitoring_return
    monitoring_return = returns.send_for_certification(monitoring_return, preparer)
    if state == ReturnState.AWAITING_CERTIFICATION:
        return monitoring_return
    monitoring_return = returns.certify(monitoring_return, certifier)
    if state == ReturnState.SUBMITTED:
        return monitoring_return
    lead = lead or factories.lead_user()
    if state == ReturnState.ACCEPTED:
        return returns.accept(monitoring_return, lead)
    return returns.request_changes(monitoring_return, lead, "Say how the pooled budget will be agreed.")
