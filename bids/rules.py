"""Who may do what to a bid. Views ask these; bids/workflow.py asks them again."""

import rules

from accounts.rules import is_admin, is_assessor, is_council, is_lead

from .models import WITHDRAWABLE, BidState


@rules.predicate
def is_own_authority(user, bid):
    return bid is not None and user.local_authority_id == bid.authority_id


@rules.predicate
def is_assigned(user, bid):
    if bid is None:
        return False
    return bid.assignments.filter(assessor=user).exists()


@rules.predicate
def is_conflicted(user, bid):
    if bid is None:
        return False
    return user.conflicts.filter(authority_id=bid.authority_id).exists()


@rules.predicate
def is_draft(user, bid):
    return bid is not None and bid.state == BidState.DRAFT


@rules.predicate
def is_withdrawable(user, bid):
    return bid is not None and bid.state in WITHDRAWABLE


@rules.predicate
def is_on_interview_panel(user, bid):
    if bid is None:
        return False
    return bid.interviews.filter(state="scheduled", panel=user).exists()


assigned_without_conflict = is_assessor & is_assigned & ~is_conflicted

can_view_bid = (is_council & is_own_authority) | assigned_without_conflict | is_lead | is_admin

rules.add_perm("bids.view_bid", can_view_bid)
rules.add_perm("bids.change_bid", is_council & is_own_authority & is_draft)
rules.add_perm("bids.submit_bid", is_council & is_own_authority & is_draft)
rules.add_perm("bids.withdraw_bid", is_council & is_own_authority & is_withdrawable)
rules.add_perm("bids.start_bid", is_council)
# Officials' view of a bid: scores, assessors' names and internal notes. Never councils.
rules.add_perm("bids.view_assessment", assigned_without_conflict | is_lead | is_admin)
rules.add_perm("bids.score_bid", assigned_without_conflict)
rules.add_perm("bids.manage_assessment", is_lead)
rules.add_perm("bids.record_interview", is_lead | (is_assessor & is_on_interview_panel & ~is_conflicted))
rules.add_perm("bids.declare_conflict", is_assessor)
rules.add_perm("bids.record_conflict", is_lead)
rules.add_perm("bids.view_conflicts", is_assessor | is_lead)
# The interview invitation (.ics): whoever may see the bid may add it to their calendar.
rules.add_perm("bids.view_interview", can_view_bid)
rules.add_perm("bids.grant_extension", is_lead)
rules.add_perm("bids.manage_rounds", is_admin)
rules.add_perm("bids.manage_retention", is_admin)
rules.add_perm("bids.view_programme", is_lead | is_admin)
