"""Due diligence: the checks the programme lead records on a bidding authority, and the rule
that no award is offered without a passed one (GovS 015). The latest check decides: a failed
check after a passed one stops the offer until a new check passes."""

from django.db import transaction
from django.utils import timezone

from bids.models import Bid
from core.door import Refused

from .enums import CheckResult
from .models import DueDiligenceCheck


def latest_check(bid):
    return DueDiligenceCheck.objects.filter(bid=bid).select_related("recorded_by").first()


def offer_problems(bid):
    """Why `bid` cannot yet be offered an award, as far as due diligence goes."""
    check = latest_check(bid)
    name = bid.authority.name
    if check is None:
        return [
            f"Record a passed due diligence check on {name} before you approve its bid and offer an award"
        ]
    if check.result != CheckResult.PASSED:
        return [
            f"The latest due diligence check on {name} ({check.get_kind_display().lower()} on "
            f"{check.checked_on.day} {check.checked_on:%B %Y}) was not passed. Record a passed check "
            "before you offer an award"
        ]
    return []


def record_check(bid, actor, *, kind, result, checked_on, note="", now=None):
    """Record one check on the bid's authority. Only the programme lead records checks, and
    only until the bid is decided; the check is kept as recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Bid.objects.select_for_update().select_related("authority").get(pk=bid.pk)
        if not actor.has_perm("trusts.record_due_diligence", locked):
            raise Refused(
                f"Due diligence can only be recorded before a decision; this bid is "
                f"{locked.get_state_display().lower()}"
            )
        if checked_on > timezone.localtime(now).date():
            raise Refused("The date of the check must be today or in the past")
        return DueDiligenceCheck.objects.create(
            bid=locked,
            kind=kind,
            result=result,
            checked_on=checked_on,
            note=(note or "").strip(),
            recorded_by=actor,
            recorded_at=now,
        )
