"""What a new funding round starts from: the default scoring criteria, with what each score
means on each. A round's dates, money and criteria are data (set up in bids/setup.py)."""

from decimal import Decimal
from typing import NamedTuple

from core.london import end_of_day, start_of_day

__all__ = ["DEFAULT_CRITERIA", "DEFAULT_GRANT_TERMS", "add_default_criteria", "end_of_day", "start_of_day"]


class DefaultCriterion(NamedTuple):
    name: str
    weight: Decimal
    guidance: str
    levels: tuple  # what a 0, 1, 2, 3 and 4 mean


# The terms every offer in a new round carries, as the council's signatory accepts them
# (trusts/agreements.py keeps the exact words accepted). Administrators edit them per round.
DEFAULT_GRANT_TERMS = """\
1. Purpose. The grant is for setting up and running the pilot children's trust described in the council's bid, \
as a partnership that brings together social care, education and health services for children.

2. Conditions. The council must consult widely with local communities, partner agencies and all staff involved \
in the trust on the impact the changes could have on services and working practices. The council remains \
accountable for the services it delegates to the trust.

3. Eligible spending. The grant may be spent on project management, joint commissioning and planning, \
consultation, training of staff in new joint ways of working, information sharing between partners, and the \
evaluation of the pilot. It may not be spent on buildings, on services the council already has to provide, \
or on costs incurred before the council accepted the award.

4. Payment. The grant is paid in arrears, in the instalments of the payment schedule, once each instalment's \
condition has been met.

5. Reporting. The council must send a monitoring return by each due date, certified by its director of \
children's services or another officer with authority to commit the council, and take part in an annual \
review of the pilot.

6. Recovery. The Department may withhold payments, or recover any part of the grant that is unspent at the \
end of the pilot, spent on anything other than eligible spending, or paid on the strength of information \
that proves to be false.
"""

# The default scoring criteria (0-4 each); weights are edited per round.
DEFAULT_CRITERIA = [
    DefaultCriterion(
        "Joint working across social services, education and health",
        Decimal("30"),
        "How far the three core services will jointly plan, commission and deliver.",
        (
            "No joint working is described, or one of the three services is missing.",
            "The three services are named but work side by side, with no shared plans or budgets.",
            "Some joint planning, with little shared commissioning or delivery.",
            "Joint planning and commissioning across all three, with a clear start on shared delivery.",
            "All three plan, commission and deliver together, with pooled resources and shared accountability.",
        ),
    ),
    DefaultCriterion(
        "Scope and coverage of children's services",
        Decimal("20"),
        "Which services and children the trust covers, and why that fits local needs.",
        (
            "The services and children covered are not described.",
            "A narrow or unclear scope, not linked to local needs.",
            "A defined scope with some link to local needs.",
            "A clear scope that fits local needs and reaches the children who most need joined-up services.",
            "A well-evidenced scope that fits local needs and shows how coverage will grow.",
        ),
    ),
    DefaultCriterion(
        "Governance and accountability",
        Decimal("20"),
        "How the trust is governed, the role of elected members, and how the council stays accountable.",
        (
            "No governance is described, or the council's accountability is unclear.",
            "Governance is described but roles, including elected members', are unclear.",
            "Workable governance with some gaps in oversight or accountability.",
            "Clear governance, a defined role for elected members, and the council stays accountable.",
            "Strong, proportionate governance with clear oversight, decision rights and accountability.",
        ),
    ),
    DefaultCriterion(
        "Community, private and voluntary sector involvement",
        Decimal("15"),
        "The part community, private and voluntary organisations play in delivery.",
        (
            "No involvement of community, private or voluntary organisations.",
            "Involvement is mentioned but not planned.",
            "Some organisations are involved in planning or delivery.",
            "Clear, agreed roles for community, private and voluntary organisations in delivery.",
            "These sectors are partners in designing and delivering services, with roles agreed.",
        ),
    ),
    DefaultCriterion(
        "Deliverability by the end of the year",
        Decimal("15"),
        "Whether the trust can be operational by the date the round sets.",
        (
            "No credible plan to be operational by the round's date.",
            "A plan with major risks or gaps.",
            "A plausible plan with some risks not yet managed.",
            "A realistic plan with milestones and resources, and its risks managed.",
            "A detailed, resourced plan with milestones, owners and contingency.",
        ),
    ),
]


def default_levels(name):
    """What each score means for a default criterion of this name, or five blanks."""
    for default in DEFAULT_CRITERIA:
        if default.name == name:
            return default.levels
    return ("",) * 5


def criterion_fields(default, position):
    """A default criterion as Criterion field values."""
    return {
        "name": default.name,
        "weight": default.weight,
        "guidance": default.guidance,
        "position": position,
        **{f"level_{score}": text for score, text in enumerate(default.levels)},
    }


def add_default_criteria(funding_round, Criterion):
    for position, default in enumerate(DEFAULT_CRITERIA, start=1):
        values = criterion_fields(default, position)
        Criterion.objects.get_or_create(
            funding_round=funding_round,
            name=values.pop("name"),
            defaults={
                key: value for key, value in values.items() if key in {f.name for f in Criterion._meta.fields}
            },
        )
