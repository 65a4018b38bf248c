"""Changes to someone's access: their role (with the authority a council user belongs to and
whether they lead its bid), and deactivating and reactivating them.

Each is saved once, so the person's history (User.history, shown through core.history)
records who made it, from what to what, and the reason they gave. A change that makes
what a session worked out at sign-in untrue (whether it needs a second factor, whether
the person may use the service at all) ends every session the person has.
"""

from django.utils import timezone

from core.door import Refused

from .models import Role, User

# The longest reason a history record keeps (django-simple-history's change reason field).
REASON_LIMIT = User.history.model._meta.get_field("history_change_reason").max_length


def end_sessions(person):
    """Each of the person's sessions ends at its next request (User.get_session_auth_hash);
    the next sign-in works out afresh whether a second factor is needed."""
    person.second_factor_changed_at = timezone.now()


def change_role(person, actor, *, role, local_authority=None, is_bid_lead=False, reason=""):
    """A council user belongs to one authority and may lead its bid; officials belong to
    none. Only superusers use the Django admin."""
    if person.pk == actor.pk:
        raise Refused("You cannot change your own role. Ask another administrator.")
    if person.is_superuser:
        raise Refused(f"{person.full_name} is a superuser: their role cannot be changed here.")
    council = role == Role.COUNCIL
    if council and local_authority is None:
        raise Refused("Choose the local authority this council user works for")
    fields = ["role", "local_authority", "is_bid_lead", "is_staff"]
    if person.role != role:
        end_sessions(person)
        fields.append("second_factor_changed_at")
    person.role = role
    person.local_authority = local_authority if council else None
    person.is_bid_lead = bool(is_bid_lead) and council
    person.is_staff = False
    return _save(person, actor, reason, fields)


def deactivate(person, actor, reason=""):
    """The person is signed out everywhere and cannot sign in, reset their password or use
    an invitation link until an administrator reactivates them."""
    if person.pk == actor.pk:
        raise Refused("You cannot deactivate your own account.")
    if not person.is_active:
        raise Refused(f"{person.full_name} has already been deactivated.")
    person.is_active = False
    end_sessions(person)
    return _save(person, actor, reason, ["is_active", "second_factor_changed_at"])


def reactivate(person, actor, reason=""):
    if person.is_active:
        raise Refused(f"{person.full_name} is already active.")
    person.is_active = True
    return _save(person, actor, reason, ["is_active"])


def _save(person, actor, reason, fields):
    person._history_user = actor
    person._change_reason = (reason or "").strip()[:REASON_LIMIT] or None
    try:
        person.save(update_fields=fields)
    finally:
        del person._change_reason
    return person
