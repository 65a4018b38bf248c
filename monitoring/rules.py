"""Who may see and act on monitoring returns.

Views fetch a return through monitoring.queries.returns_for (an award through
trusts.queries.awards_for) first, so anything else is a 404; then they ask these, and
monitoring/returns.py asks them again inside its transaction. The predicates read the return's
award and bid as selected with it, never a query of their own.
"""

import rules

from accounts.rules import is_admin, is_council, is_lead
from trusts.enums import ACCEPTED_STATES
from trusts.rules import is_own_award

from .enums import EDITABLE_STATES


@rules.predicate
def is_own_return(user, monitoring_return):
    return (
        monitoring_return is not None and user.local_authority_id == monitoring_return.award.bid.authority_id
    )


@rules.predicate
def is_editable(user, monitoring_return):
    return monitoring_return is not None and monitoring_return.state in EDITABLE_STATES


@rules.predicate
def is_a_pilot(user, award):
    """An award the council has accepted (whatever happened next): it runs a pilot trust."""
    return award is not None and award.state in ACCEPTED_STATES


# The whole programme's list of returns.
rules.add_perm("monitoring.view_returns", is_lead | is_admin)
# One award's returns, and one return: whoever may see the award.
rules.add_perm("monitoring.view_award_returns", (is_council & is_own_award) | is_lead | is_admin)
rules.add_perm("monitoring.view_return", (is_council & is_own_return) | is_lead | is_admin)
# The council starts a return, fills it in, and sends it to a colleague to certify.
rules.add_perm("monitoring.start_return", is_council & is_own_award & is_a_pilot)
rules.add_perm("monitoring.edit_return", is_council & is_own_return & is_editable)
# Whether the return is in a state to be sent is its state machine's to say (the door and the
# page say so in words); the permission is whose it is.
rules.add_perm("monitoring.send_for_certification", is_council & is_own_return)
# Another officer of the same council certifies and submits it, or sends it back to draft;
# that it is not the one who prepared it is the door's guard (monitoring/returns.py), which
# says so in words.
rules.add_perm("monitoring.certify_return", is_council & is_own_return)
# The programme lead accepts it or asks for changes.
rules.add_perm("monitoring.decide_return", is_lead)
