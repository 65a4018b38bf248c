"""Reads that the returns pages and the reminders share. Every return a person sees starts
from `returns_for`."""

from dataclasses import dataclass

from accounts.models import Role

from .enums import NOT_STARTED, OVERDUE, STATUS_COLOURS, STATUS_LABELS
from .models import MonitoringReturn
from .schedule import schedule_for

RETURNS_PER_PAGE = 50
DUE_DATES_PER_PAGE = 12

# What a return's page and the door read with it: its award, bid, council and round.
RETURN_RELATIONS = ["award__bid__authority", "award__bid__funding_round", "award__trust"]


def returns_for(user):
    """The returns this person may see at all; anything else answers 404."""
    returns = MonitoringReturn.objects.all()
    if not user.is_authenticated or not user.is_active:
        return returns.none()
    if user.role == Role.COUNCIL:
        return returns.filter(award__bid__authority_id=user.local_authority_id)
    if user.role in (Role.LEAD, Role.ADMIN):
        return returns
    return returns.none()


def returns_in(funding_round=None, states=None):
    """Every return, in the order the programme's list shows them: the latest due first."""
    returns = MonitoringReturn.objects.select_related(
        "award__bid__authority", "award__bid__funding_round"
    ).order_by("-due_on", "award__bid__authority__name", "pk")
    if funding_round is not None:
        returns = returns.filter(award__bid__funding_round=funding_round)
    if states:
        returns = returns.filter(state__in=states)
    return returns


def is_overdue(due_on, monitoring_return, today):
    """Past its due date and never submitted to the Department (a return sent back for
    changes was sent on time)."""
    return today > due_on and (monitoring_return is None or monitoring_return.submitted_at is None)


@dataclass
class Status:
    value: str
    label: str
    colour: str
    overdue: bool = False

    @property
    def overdue_label(self):
        return STATUS_LABELS[OVERDUE]

    @property
    def overdue_colour(self):
        return STATUS_COLOURS[OVERDUE]


def status_of(due_on, monitoring_return, today):
    """How a due date stands: not started, or the return's state; and whether it is overdue."""
    overdue = is_overdue(due_on, monitoring_return, today)
    if monitoring_return is None:
        value = OVERDUE if overdue else NOT_STARTED
        return Status(value, STATUS_LABELS[value], STATUS_COLOURS[value])
    state = monitoring_return.state
    return Status(state, STATUS_LABELS[state], STATUS_COLOURS[state], overdue)


@dataclass
class DueRow:
    """One line of an award's returns: the due date, its return if started, how it stands,
    and whether the council may start it yet."""

    due: object
    monitoring_return: MonitoringReturn | None
    status: Status
    open: bool


def due_rows(award, today):
    """The award's due dates with their returns, in one query whatever their number (the
    award's trust and round are read from the award as selected with it)."""
    returns = {item.period: item for item in MonitoringReturn.objects.filter(award=award)}
    return [
        DueRow(
            due,
            returns.get(due.period),
            status_of(due.due_on, returns.get(due.period), today),
            today >= due.opens_on,
        )
        for due in schedule_for(award)
    ]
