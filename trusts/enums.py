"""The awards layer's states and standing words, in a leaf module that imports nothing of ours,
so every module of the app (and the demo and reports) can use them without a cycle."""

from django.db import models


class AwardState(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CONDITIONS_MET = "conditions_met", "Conditions met"
    PAID = "paid", "Paid"
    WITHDRAWN = "withdrawn", "Withdrawn"


# An offer can be withdrawn until the consultation condition is met.
WITHDRAWABLE_AWARD_STATES = [AwardState.OFFERED, AwardState.ACCEPTED]
# Awards that stand: they count against a round's budget and pilot places.
COMMITTED_STATES = [AwardState.OFFERED, AwardState.ACCEPTED, AwardState.CONDITIONS_MET, AwardState.PAID]
# Awards that no longer stand: shown as their own totals, never added into "awarded".
NOT_STANDING_STATES = [AwardState.DECLINED, AwardState.WITHDRAWN]
# Awards the council has accepted, whatever happened next.
ACCEPTED_STATES = [AwardState.ACCEPTED, AwardState.CONDITIONS_MET, AwardState.PAID]


class PaymentTrigger(models.TextChoices):
    """What must happen before an instalment may be requested (payment in arrears)."""

    CONDITIONS_MET = "conditions_met", "When the consultation condition is met"
    FIRST_RETURN = "first_return", "When the first monitoring return is accepted"
    ON_DATE = "on_date", "On or after a date"


class InstalmentState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"


class ReviewOutcome(models.TextChoices):
    """The annual review's decision on a pilot (GovS 015: continue, amend or stop)."""

    CONTINUE = "continue", "Continue as agreed"
    AMEND = "amend", "Amend the award"
    STOP = "stop", "Stop the pilot"


# Awards an annual review can be held on: accepted, whatever has been paid since.
REVIEWABLE_STATES = [AwardState.ACCEPTED, AwardState.CONDITIONS_MET, AwardState.PAID]


class CheckKind(models.TextChoices):
    """The due diligence checks made on an authority before it is offered a grant (GovS 015)."""

    SPOTLIGHT = "spotlight", "Spotlight check"
    FINANCIAL = "financial", "Financial standing"
    FRAUD = "fraud", "Counter-fraud risk assessment"
    OTHER = "other", "Another check"


class CheckResult(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Not passed"


class Audience(models.TextChoices):
    COMMUNITIES = "communities", "Local communities"
    AGENCIES = "agencies", "Partner agencies"
    STAFF = "staff", "Staff involved in the trust"


class ExportFormat(models.TextChoices):
    CSV = "csv", "Awards (CSV)"
    XLSX = "xlsx", "Awards (Excel)"
    GIVING_JSON = "360giving", "360Giving grants (JSON)"
    GIVING_CSV = "360giving-csv", "360Giving grants (CSV)"
    PDF = "pdf", "Programme summary (PDF)"


class ExportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Building"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


# The condition every pilot carries (domain facts: successful bidders must consult widely).
CONSULTATION_CONDITION = (
    "Consult widely with local communities, partner agencies and all staff involved in the trust "
    "on the impact the changes could have on services and working practices."
)

# The funder, as 360Giving identifies it: the Department of Health in the UK government
# organisation register (org-id.guide list GB-GOR), and its 360Giving grant prefix.
FUNDER_ORG_ID = "GB-GOR-D12"
FUNDER_NAME = "Department of Health"
GRANT_PREFIX = "360G-DoH"
