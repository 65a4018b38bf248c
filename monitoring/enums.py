"""The monitoring returns' states and standing words, in a leaf module that imports nothing of
ours, so every module of the app (and the demo) can use them without a cycle."""

from django.db import models


class ReturnState(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_CERTIFICATION = "awaiting_certification", "Awaiting certification"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"


# The council may change what a return says only before it is sent for certification, and
# again when the programme lead asks for changes (it is then certified again).
EDITABLE_STATES = [ReturnState.DRAFT, ReturnState.CHANGES_REQUESTED]


class Rag(models.TextChoices):
    """A milestone's status, red, amber or green, as programme boards report them."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


RAG_HINTS = {
    Rag.RED: "It will not be met without help or a change of plan",
    Rag.AMBER: "It has slipped or is at risk, and you are dealing with it",
    Rag.GREEN: "On track",
}


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Due soon"
    OVERDUE = "overdue", "Overdue"


# How each status is shown as a GOV.UK tag, the states' and the two a return has before it
# exists or once its due date has passed without it.
NOT_STARTED = "not_started"
OVERDUE = "overdue"
STATUS_LABELS = {NOT_STARTED: "Not started", OVERDUE: "Overdue", **dict(ReturnState.choices)}
STATUS_COLOURS = {
    NOT_STARTED: "govuk-tag--grey",
    OVERDUE: "govuk-tag--red",
    ReturnState.DRAFT: "govuk-tag--light-blue",
    ReturnState.AWAITING_CERTIFICATION: "govuk-tag--purple",
    ReturnState.SUBMITTED: "govuk-tag--blue",
    ReturnState.CHANGES_REQUESTED: "govuk-tag--orange",
    ReturnState.ACCEPTED: "govuk-tag--green",
}

# Word limits of the return's questions.
NARRATIVE_WORDS = 500
PARTNERS_WORDS = 300
RISKS_WORDS = 300
MILESTONE_COMMENT_WORDS = 100
REASON_WORDS = 300
MAX_MILESTONES = 20
