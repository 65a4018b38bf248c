"""Reads the people pages share: the users list, a council's colleagues, one person's
page and their history."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.history import entries

from .models import Role, Status, User

PEOPLE_PER_PAGE = 25

# Which records each status stands for (User.status says the same of one person).
NEVER_CHOSE_A_PASSWORD = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
STATUS_FILTERS = {
    Status.ACTIVE: Q(is_active=True) & ~NEVER_CHOSE_A_PASSWORD,
    Status.INVITED: Q(is_active=True) & NEVER_CHOSE_A_PASSWORD,
    Status.DEACTIVATED: Q(is_active=False),
}

# What a person's History list compares, in the order it shows the changes.
HISTORY_FIELDS = [
    "full_name",
    "email",
    "role",
    "local_authority",
    "is_bid_lead",
    "job_title",
    "region",
    "is_active",
]


def everyone():
    """Everyone, with their authority and whether they have a second factor, in one query."""
    second_factor = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.select_related("local_authority")
        .annotate(has_second_factor=Exists(second_factor))
        .order_by("full_name", "email", "pk")
    )


def search(queryset, text):
    """Name, email address or authority name containing the text, whatever its case."""
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(full_name__icontains=text) | Q(email__icontains=text) | Q(local_authority__name__icontains=text)
    )


def person_with_details():
    """People as their own page shows them: who invited them too."""
    return everyone().select_related("invited_by")


def colleagues_of(user):
    """The council users of the user's own authority (themselves included); nobody when
    the user belongs to no authority."""
    if not user.local_authority_id:
        return User.objects.none()
    return User.objects.filter(role=Role.COUNCIL, local_authority_id=user.local_authority_id).order_by(
        "full_name", "email", "pk"
    )


# What other apps record about a person, for their History list: functions of the person
# returning core.history entries (bids adds conflict-of-interest declarations).
PERSON_HISTORY = []


def history_of(person):
    """The person's History entries, newest first, with being active shown as a status."""
    found = entries(person.history.all(), fields=HISTORY_FIELDS)
    label = User._meta.get_field("is_active").verbose_name.capitalize()
    shown = {"Yes": Status.ACTIVE.label, "No": Status.DEACTIVATED.label}
    for entry in found:
        for change in entry.changes:
            if change.label == label:
                change.label = "Status"
                change.before = shown.get(change.before, change.before)
                change.after = shown.get(change.after, change.after)
    for source in PERSON_HISTORY:
        found.extend(source(person))
    found.sort(key=lambda entry: entry.when, reverse=True)
    return found
