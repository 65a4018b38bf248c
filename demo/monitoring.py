"""Demo monitoring returns for the 2003 pilots, made and moved on through monitoring/returns.py.

Every pilot (an award its council accepted) sent its first two returns, due at the end of
March and June 2004, and had them accepted. Its third, due at the end of September 2004, is
where the demo leaves each one: the first pilot's came back for changes, the second's waits
for certification, the third's is a draft, and the others' wait for the programme lead.
Later returns are not started, so the lists show them overdue. Each pilot's returns are
prepared by its officer and certified by its director, who signs in no more than the officer
does. Idempotent: a pilot that already has returns keeps them.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from accounts.models import Role, User
from core.london import LONDON
from monitoring import returns
from monitoring.enums import Rag, ReturnState
from monitoring.schedule import schedule_for
from trusts.enums import ACCEPTED_STATES
from trusts.models import FundingAward

# Where each pilot's third return is left, in order of the authorities' names; the rest wait
# for the lead.
THIRD_RETURN = [ReturnState.CHANGES_REQUESTED, ReturnState.AWAITING_CERTIFICATION, ReturnState.DRAFT]

MILESTONES = [
    ("Joint commissioning board set up and meeting monthly", [Rag.GREEN, Rag.GREEN, Rag.GREEN]),
    (
        "Pooled budget agreed with the primary care trust",
        [Rag.AMBER, Rag.GREEN, Rag.GREEN],
    ),
    ("Integrated team co-located in the first neighbourhood centre", [Rag.GREEN, Rag.AMBER, Rag.RED]),
    ("Single assessment in use by every partner", [Rag.AMBER, Rag.AMBER, Rag.GREEN]),
]
COMMENTS = {
    Rag.AMBER: "Slipped by a month while the partners agreed the detail; a revised date is agreed.",
    Rag.RED: "The building work has stopped. We are looking at a second site and will report next time.",
}
CHANGES = (
    "Please break the spending down by partner agency, and say what the red milestone means for the "
    "families the integrated team was due to see this autumn."
)


def london(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def seed_monitoring(seeder):
    pilots = list(
        FundingAward.objects.filter(bid__funding_round__slug="pilots-2003", state__in=ACCEPTED_STATES)
        .select_related("trust", "bid__authority", "bid__funding_round")
        .order_by("bid__authority__name")
    )
    made = 0
    for number, award in enumerate(pilots):
        if award.monitoring_returns.exists():
            continue
        dues = schedule_for(award)[:3]
        if len(dues) < 3:
            continue
        officer = _officer(award)
        director = _director(award)
        third = THIRD_RETURN[number] if number < len(THIRD_RETURN) else ReturnState.SUBMITTED
        for index, due in enumerate(dues):
            target = ReturnState.ACCEPTED if index < 2 else third
            _take_to(award, due, index, number, target, officer, director, seeder.lead)
            made += 1
    seeder.say(f"Monitoring returns: {made} made for the 2003 pilots")


def _officer(award):
    return (
        User.objects.filter(local_authority=award.bid.authority, role=Role.COUNCIL, is_active=True)
        .order_by("pk")
        .first()
    )


def _director(award):
    """The council's director, named as in its bid, who certifies its returns."""
    bid = award.bid
    director, _ = User.objects.get_or_create(
        email=f"director.{bid.authority.code.lower()}@council.example",
        defaults={
            "full_name": bid.director_name or f"Director, {bid.authority.short_name}",
            "role": Role.COUNCIL,
            "local_authority": bid.authority,
            "job_title": bid.director_job_title or "Director of Children's Services",
        },
    )
    return director


def _answers(award, index, number):
    """What return `index` (0 for the first) of pilot `number` says: spending a little behind
    plan, more children and families each time."""
    planned = (award.total * Decimal(index + 1) / Decimal(12)).quantize(Decimal("1"))
    spent = (planned * Decimal(85 + (number * 3) % 15) / Decimal(100)).quantize(Decimal("1"))
    return {
        "spending_to_date": spent,
        "planned_spending_to_date": planned,
        "children_reached": 120 * (index + 1) + number * 17,
        "families_reached": 70 * (index + 1) + number * 9,
        "partners_involvement": (
            "Social services, education and the primary care trust sit on the joint commissioning board "
            "and share its chair. The voluntary sector council runs the parents' forum, which reported "
            "to the board this quarter."
        ),
        "risks_and_issues": (
            "Recruiting a joint team manager is taking longer than planned; an acting manager is in "
            "post. Partners' information systems do not yet share a child's record, so the single "
            "assessment is copied by hand."
        ),
        "narrative": (
            f"In this quarter the trust reached {120 * (index + 1) + number * 17} children. Health "
            "visitors, social workers and education welfare officers now take referrals at one "
            "point of contact, and families tell us they repeat their story less often. Next quarter "
            "we will open the second locality team."
        ),
    }


def _milestones(index):
    return [(name, statuses[index], COMMENTS.get(statuses[index], "")) for name, statuses in MILESTONES]


def _take_to(award, due, index, number, target, officer, director, lead):
    """One return, filled in over the fortnight before its due date and moved on to `target`."""
    prepared = london(due.due_on - timedelta(days=9 + number % 3))
    monitoring_return = returns.save(
        award,
        due.period,
        officer,
        answers=_answers(award, index, number),
        milestones=_milestones(index),
        now=prepared,
    )
    if target == ReturnState.DRAFT:
        return
    monitoring_return = returns.send_for_certification(
        monitoring_return, officer, now=prepared + timedelta(days=1)
    )
    if target == ReturnState.AWAITING_CERTIFICATION:
        return
    certified = london(due.due_on - timedelta(days=4 + number % 3), 15)
    monitoring_return = returns.certify(monitoring_return, director, now=certified)
    decided = london(due.due_on + timedelta(days=6 + number % 4), 11)
    if target == ReturnState.ACCEPTED:
        returns.accept(monitoring_return, lead, now=decided)
    elif target == ReturnState.CHANGES_REQUESTED:
        returns.request_changes(monitoring_return, lead, CHANGES, now=decided)
