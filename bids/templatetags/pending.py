"""The link to a round's pending decisions, with how many there are, for the programme
lead's pages (one query)."""

from django import template

from ..staging import pending_in

register = template.Library()


@register.inclusion_tag("bids/includes/pending_link.html", takes_context=True)
def pending_decisions_link(context, funding_round):
    user = context["request"].user
    if not user.has_perm("bids.manage_assessment"):
        return {"count": None}
    return {"round": funding_round, "count": pending_in(funding_round).count()}
