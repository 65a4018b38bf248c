"""Inviting someone: their account is made without a password, and they are emailed a link
to choose one. Administrators invite anyone; a council's bid lead invites colleagues of
their own authority (accounts/colleague_pages.py). Both are throttled alike, and so is
sending an invitation again.
"""

from django.db import IntegrityError, transaction

from core.door import Refused
from core.throttle import over_limit

from .mail import queue_email
from .models import Role, User
from .passwords import set_password_link

# How often one person may send invitations, and one address may be sent one.
INVITATIONS_PER_SENDER = "60/h"
INVITATIONS_PER_ADDRESS = "3/h"
TOO_MANY = "You have sent too many invitations for now. Try again in an hour."
TAKEN = "An account with this email address already exists"


def too_many(request, email):
    """Count one more invitation from the person asking, to `email`; True when either is
    over its limit (nothing is then sent)."""
    return over_limit(request, "invitations-sent", request.user.pk, INVITATIONS_PER_SENDER) or over_limit(
        request, "invitations-to", email, INVITATIONS_PER_ADDRESS
    )


@transaction.atomic
def invite(sender, *, full_name, email, role, local_authority=None, job_title=""):
    """Make the account and queue the invitation. Only council users belong to an authority;
    nobody invited here may use the Django admin (that is for superusers alone)."""
    council = role == Role.COUNCIL
    if council and local_authority is None:
        raise Refused("Choose the local authority this council user works for")
    person = User(
        email=email.strip().lower(),
        full_name=full_name,
        job_title=job_title,
        role=role,
        local_authority=local_authority if council else None,
        invited_by=sender,
        is_staff=False,
    )
    person.set_unusable_password()
    person._history_user = sender
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # the same address invited a moment ago, by someone else
        raise Refused(TAKEN) from None
    send_invitation(person, sender)
    return person


def can_resend(person):
    """An invitation can be sent again to someone active who has never chosen a password."""
    return person.is_active and not person.has_usable_password()


@transaction.atomic
def resend(person, sender):
    """A new link: the earlier one stops working, since a link's token is made from the
    password's stored value and that changes here."""
    if not can_resend(person):
        raise Refused(f"{person.full_name} has already accepted their invitation.")
    person.set_unusable_password()
    person.save(update_fields=["password"])
    send_invitation(person, sender)
    return person


def send_invitation(person, sender):
    queue_email(
        [person.email],
        "invitation",
        {"user": person, "invited_by": sender, "link": set_password_link(person)},
    )
