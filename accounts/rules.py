"""Who someone is. Object-level rules for bids and awards build on these predicates."""

import rules

from .models import Role


@rules.predicate
def is_council(user):
    return user.is_authenticated and user.is_active and user.role == Role.COUNCIL


@rules.predicate
def is_assessor(user):
    return user.is_authenticated and user.is_active and user.role == Role.ASSESSOR


@rules.predicate
def is_lead(user):
    return user.is_authenticated and user.is_active and user.role == Role.LEAD


@rules.predicate
def is_admin(user):
    return user.is_authenticated and user.is_active and user.role == Role.ADMIN


@rules.predicate
def leads_their_councils_bid(user):
    return user.is_authenticated and bool(getattr(user, "is_bid_lead", False))


rules.add_perm("accounts.manage_users", is_admin)
# A council's bid lead invites colleagues of their own authority and removes them: the
# colleagues a page may name are those of accounts.queries.colleagues_of.
rules.add_perm("accounts.manage_colleagues", is_council & leads_their_councils_bid)

# The Django admin asks model permissions; administrators hold them through rules. Each app
# grants its own; reference data sits below accounts, so its grants are made here.
for model in ["user", "outboundemail"]:
    for action in ["view", "add", "change"]:
        rules.add_perm(f"accounts.{action}_{model}", is_admin)
for model in ["localauthority", "servicescope"]:
    for action in ["view", "add", "change", "delete"]:
        rules.add_perm(f"reference.{action}_{model}", is_admin)
rules.add_perm("accounts", is_admin)
rules.add_perm("reference", is_admin)
