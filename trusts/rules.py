"""Who may see and act on awards, trusts and reports.

Views fetch an award through trusts.queries.awards_for first (anything else is a 404),
then ask these; trusts/awards.py asks them again inside its transaction.
"""

import rules

from accounts.rules import is_admin, is_council, is_lead
from bids.models import BidState

from .enums import REVIEWABLE_STATES, AwardState

# A bid the lead may still check before deciding: submitted and not yet decided.
CHECKABLE_BID_STATES = {
    BidState.SUBMITTED,
    BidState.UNDER_ASSESSMENT,
    BidState.SHORTLISTED,
    BidState.INTERVIEW_SCHEDULED,
    BidState.INTERVIEWED,
}


@rules.predicate
def is_own_award(user, award):
    return award is not None and user.local_authority_id == award.bid.authority_id


@rules.predicate
def is_accepted(user, award):
    return award is not None and award.state == AwardState.ACCEPTED


rules.add_perm("trusts.view_award", (is_council & is_own_award) | is_lead | is_admin)


@rules.predicate
def is_reviewable(user, award):
    return award is not None and award.state in REVIEWABLE_STATES


@rules.predicate
def is_undecided(user, bid):
    return bid is not None and bid.state in CHECKABLE_BID_STATES


rules.add_perm("trusts.view_due_diligence", is_lead | is_admin)
rules.add_perm("trusts.record_due_diligence", is_lead & is_undecided)
rules.add_perm("trusts.respond_to_award", is_council & is_own_award)
# Consultation is recorded between accepting and the lead confirming the condition is met.
rules.add_perm("trusts.record_consultation", is_council & is_own_award & is_accepted)
rules.add_perm("trusts.manage_awards", is_lead)
rules.add_perm("trusts.review_award", is_lead & is_reviewable)
rules.add_perm("trusts.view_awards", is_lead | is_admin)
rules.add_perm("trusts.view_budget", is_lead | is_admin)
rules.add_perm("trusts.export_reports", is_lead | is_admin)
# Payments in arrears (trusts/payments.py): the lead asks for an instalment and changes the
# schedule; another official, a lead or an administrator, approves or sends it back (the
# door refuses the one who asked); either records the payment the finance system made.
rules.add_perm("trusts.view_payments", is_lead | is_admin)
rules.add_perm("trusts.change_schedule", is_lead)
rules.add_perm("trusts.request_payment", is_lead)
rules.add_perm("trusts.approve_payment", is_lead | is_admin)
rules.add_perm("trusts.record_payment", is_lead | is_admin)
