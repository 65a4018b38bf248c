"""Who may answer the satisfaction question, and who sees the service's performance."""

import rules

from accounts.rules import is_admin, is_council, is_lead
from bids.models import BidState
from bids.rules import is_own_authority


@rules.predicate
def is_submitted(user, bid):
    """Submitted, and not since returned to the council as a draft."""
    return bid is not None and bid.submitted_at is not None and bid.state != BidState.DRAFT


# The council that submitted the bid: any officer of its authority, as for the bid itself.
rules.add_perm("insights.answer_satisfaction", is_council & is_own_authority & is_submitted)
# The programme team, who see the pipeline and the reports.
rules.add_perm("insights.view_performance", is_lead | is_admin)
