"""People who use the service, their roles, and the email they are sent."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from reference.models import Region


class Role(models.TextChoices):
    COUNCIL = "council", "Council user"
    ASSESSOR = "assessor", "Assessor"
    LEAD = "lead", "Programme lead"
    ADMIN = "admin", "Administrator"


# People who act for the Department: they must sign in with a second factor.
OFFICIAL_ROLES = frozenset({Role.ASSESSOR, Role.LEAD, Role.ADMIN})


class Status(models.TextChoices):
    """Where someone's account stands: worked out from `is_active` and the password, not stored."""

    ACTIVE = "active", "Active"
    INVITED = "invited", "Invitation not yet accepted"
    DEACTIVATED = "deactivated", "Deactivated"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


# What changes at every sign-in or is a secret: never written to a person's history.
UNTRACKED = ["password", "last_login", "second_factor_changed_at"]


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in with their email address.

    A council user belongs to exactly one local authority; officials belong to none.
    """

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices)
    local_authority = models.ForeignKey(
        "reference.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    job_title = models.CharField(max_length=150, blank=True)
    is_bid_lead = models.BooleanField(
        "bid lead",
        default=False,
        help_text="Council users: may invite colleagues from their own authority and remove them.",
    )
    region = models.CharField(
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text="Officials: the region they work in, so a bid's assessors come from different ones.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the Django admin. Only administrators.")
    date_joined = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # When the person's second factor was last removed, or their role or access changed
    # (accounts/people.py): every session begun before then ends.
    second_factor_changed_at = models.DateTimeField(null=True, blank=True)
    # When the account's personal details were removed after it went unused for the
    # retention period (accounts/retention.py).
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()
    # Who changed someone's role, authority or access, and from what (core/history.py).
    history = HistoricalRecords(excluded_fields=UNTRACKED)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                name="council_users_belong_to_one_authority",
                condition=(
                    Q(role=Role.COUNCIL, local_authority__isnull=False)
                    | (~Q(role=Role.COUNCIL) & Q(local_authority__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="only_admins_use_django_admin",
                condition=Q(is_staff=False) | Q(role=Role.ADMIN),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= set(UNTRACKED):
            self.skip_history_when_saving = True  # a sign-in, a new password: no history entry
        try:
            super().save(*args, **kwargs)
        finally:
            self.__dict__.pop("skip_history_when_saving", None)

    def _get_session_auth_hash(self, secret=None):
        """Django ends a session whose hash no longer matches: after a password change, and
        here also after the second factor is reset or turned off, and after the person's
        role changes or they are deactivated (what the session worked out at sign-in, such
        as whether it needs a second factor, no longer holds)."""
        changed = self.second_factor_changed_at.isoformat() if self.second_factor_changed_at else ""
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}{changed}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def status(self):
        if not self.is_active:
            return Status.DEACTIVATED
        return Status.ACTIVE if self.has_usable_password() else Status.INVITED

    @property
    def is_council(self):
        return self.role == Role.COUNCIL

    @property
    def is_assessor(self):
        return self.role == Role.ASSESSOR

    @property
    def is_lead(self):
        return self.role == Role.LEAD

    @property
    def is_admin(self):
        return self.role == Role.ADMIN


class OutboundEmail(models.Model):
    """An email waiting to be sent, or sent.

    Written in the same transaction as the change it reports, so a broker outage can
    delay an email but never lose it; sending marks `sent_at` under a row lock so a
    message is never sent twice.
    """

    to = models.JSONField(help_text="List of recipient addresses.")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    attachments = models.JSONField(
        default=list, blank=True, help_text="List of {filename, content, mimetype}."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent_idx",
                condition=Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.subject} to {', '.join(self.to)}"


class AccountEvent(models.Model):
    """What happened to someone's account, by whom, when and why: the audit of security
    changes an administrator or the person makes."""

    class Kind(models.TextChoices):
        SECOND_FACTOR_SET_UP = "second_factor_set_up", "Second factor set up"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset by an administrator"
        SECOND_FACTOR_OFF = "second_factor_off", "Second factor turned off"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_events")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user}"
