"""Reference data: the English councils with social services responsibilities in 2003,
the regions they stood in, and the services a children's trust may (or may not) cover.

Loaded and corrected by migration, never typed in by users.
"""

from django.db import models
from django.db.models import Q


class Region(models.TextChoices):
    """The nine government office regions of England as they stood in 2003."""

    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE_HUMBER = "yorkshire_humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST_OF_ENGLAND = "east_of_england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"


class AuthorityKind(models.TextChoices):
    COUNTY = "county", "County council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN = "metropolitan", "Metropolitan district"
    LONDON_BOROUGH = "london_borough", "London borough"
    SUI_GENERIS = "sui_generis", "Sui generis authority"


class LocalAuthority(models.Model):
    """An English council with social services responsibilities in 2003."""

    code = models.CharField(
        max_length=4,
        unique=True,
        help_text="Used in bid references: the register code, or our own where there is none.",
    )
    lae_code = models.CharField(
        "GB-LAE code",
        max_length=3,
        blank=True,
        help_text="Local Authorities for England register code; empty for councils "
        "abolished before the register began.",
    )
    gss_code = models.CharField("ONS GSS code", max_length=9, blank=True)
    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=AuthorityKind.choices)
    region = models.CharField(max_length=20, choices=Region.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        constraints = [
            models.UniqueConstraint(fields=["lae_code"], condition=~Q(lae_code=""), name="unique_lae_code")
        ]

    def __str__(self):
        return self.name

    @property
    def org_id(self):
        """The org-id.guide identifier 360Giving uses for the authority."""
        return f"GB-LAE-{self.lae_code}" if self.lae_code else ""


class ServiceScope(models.Model):
    """A service a children's trust may cover, or one that it may not."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    allowed = models.BooleanField(default=True)
    excluded_reason = models.TextField(
        blank=True, help_text="Shown to councils when a scope cannot be chosen."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                name="excluded_scopes_give_a_reason",
                condition=Q(allowed=True) | ~Q(excluded_reason=""),
            )
        ]

    def __str__(self):
        return self.name
