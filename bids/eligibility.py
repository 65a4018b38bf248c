"""What a bid must have before it can be submitted, and before it can be assessed.

The submission guard of the workflow (bids/workflow.py), the council's check-answers page
and the lead's eligibility check all read these, so each rule is written once.
"""

from core.money import money

from .models import CORE_SECTORS, Section, Sector
from .questions import QUESTIONS


def missing_core_sectors(bid):
    covered = set(bid.partners.values_list("sector", flat=True))
    return [Sector(sector).label.lower() for sector in CORE_SECTORS if sector not in covered]


def core_sector_message(missing):
    words = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return (
        f"Add a partner from {words}: every trust must bring together social services, education and health"
    )


def submission_problems(bid):
    """(where, message) pairs that stop the bid being submitted; empty when it is ready.
    `where` is the Question a message names, so the check-answers page links to the page
    that asks it, or else the section's value."""
    problems = []
    completed = set(bid.sections.filter(completed=True).values_list("section", flat=True))
    for section in Section:
        if section not in completed:
            problems.append((section.value, f"Complete the section ‘{section.label}’"))
    missing = missing_core_sectors(bid)
    if missing:
        problems.append((Section.PARTNERS.value, core_sector_message(missing)))
    if bid.service_scopes.filter(allowed=False).exists():
        problems.append(
            (QUESTIONS["service_scopes"], "Remove services that a children's trust cannot include")
        )
    if bid.supplement_requested > bid.funding_round.max_supplement:
        problems.append(
            (
                QUESTIONS["supplement_requested"],
                f"The supplement cannot be more than {money(bid.funding_round.max_supplement)}",
            )
        )
    if not bid.accountability_confirmed:
        problems.append(
            (
                QUESTIONS["accountability_confirmed"],
                "Confirm that the council stays accountable for the services it delegates",
            )
        )
    return problems


def eligibility_problems(bid):
    """What the programme lead checks before a submitted bid goes to assessors."""
    problems = []
    missing = missing_core_sectors(bid)
    if missing:
        problems.append(core_sector_message(missing))
    if bid.supplement_requested > bid.funding_round.max_supplement:
        problems.append("The supplement requested is more than the round allows")
    if bid.supplement_requested and not bid.large_or_complex:
        problems.append("A supplement is requested but the trust is not described as large or complex")
    if not bid.documents.exists():
        problems.append("The bid has no supporting documents")
    return problems
