"""Reminders of returns due soon and overdue: counted in working days, sent once each, only to
the pilot's own active council officers, and never for a return already submitted.

Kent's trust is operational on 31 December 2003 in a round with a return every 3 months and
reminders 5 working days before: return 1 is due on Wednesday 31 March 2004 and reminded on
Wednesday 24 March (Tue 30 (1), Mon 29 (2), Fri 26 (3), Thu 25 (4), Wed 24 (5)).
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core import mail

from accounts.models import Role
from core.london import LONDON
from monitoring import reminders, tasks
from monitoring.enums import ReminderKind, ReturnState
from monitoring.models import Reminder
from tests import factories
from trusts import awards
from trusts.models import Trust

from .builders import pilot, reload, return_in_state

pytestmark = pytest.mark.django_db

OPERATIONAL = date(2003, 12, 31)


@pytest.fixture
def kent_pilot(lead, kent_user, kent_director, open_round):
    award = pilot(kent_user, lead, open_round)
    Trust.objects.filter(award=award).update(operational_on=OPERATIONAL)
    return reload(award)


def remind_on(day, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = reminders.send_reminders(today=day)
    return count, list(mail.outbox)


def test_the_council_is_reminded_once_from_five_working_days_before(
    kent_pilot, kent_user, kent_director, leeds_user, django_capture_on_commit_callbacks
):
    factories.user(Role.COUNCIL, "KEN", email="left@example.com", is_active=False)
    assert remind_on(date(2004, 3, 23), django_capture_on_commit_callbacks) == (0, [])

    count, (email,) = remind_on(date(2004, 3, 24), django_capture_on_commit_callbacks)
    assert count == 1
    assert email.subject == "Monitoring return due soon: Kent County Council"
    assert email.to == sorted([kent_user.email, kent_director.email])
    assert "return 1, due on Wednesday 31 March 2004" in email.body
    assert f"/awards/{kent_pilot.pk}/returns" in email.body
    (reminder,) = Reminder.objects.all()
    assert (reminder.due_on, reminder.kind) == (date(2004, 3, 31), ReminderKind.BEFORE)
    assert reminder.sent_to == sorted([kent_user.email, kent_director.email])

    # Run again that day, and on the days up to the due date: nothing more.
    for day in (date(2004, 3, 24), date(2004, 3, 25), date(2004, 3, 31)):
        assert remind_on(day, django_capture_on_commit_callbacks) == (0, [])


def test_an_overdue_return_is_chased_once(kent_pilot, kent_user, django_capture_on_commit_callbacks):
    remind_on(date(2004, 3, 24), django_capture_on_commit_callbacks)
    count, (email,) = remind_on(date(2004, 4, 1), django_capture_on_commit_callbacks)
    assert count == 1 and email.subject == "Monitoring return overdue: Kent County Council"
    assert "this monitoring return" in email.body and "return 1, due on Wednesday 31 March 2004" in email.body
    assert remind_on(date(2004, 4, 2), django_capture_on_commit_callbacks) == (0, [])
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == ["before", "overdue"]


def test_a_draft_past_its_due_date_is_overdue_but_a_submitted_one_is_not(
    kent_pilot, kent_user, kent_director, lead, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2004, 3, 20, 10, tzinfo=LONDON)):
        draft = return_in_state(ReturnState.DRAFT, kent_pilot, preparer=kent_user)
    assert remind_on(date(2004, 4, 1), django_capture_on_commit_callbacks)[0] == 1

    # Return 2, due Wednesday 30 June 2004, is submitted before its reminder date.
    with time_machine.travel(datetime(2004, 6, 1, 10, tzinfo=LONDON)):
        return_in_state(
            ReturnState.SUBMITTED, kent_pilot, preparer=kent_user, certifier=kent_director, period=2
        )
    for day in (date(2004, 6, 23), date(2004, 6, 30), date(2004, 7, 1)):
        assert remind_on(day, django_capture_on_commit_callbacks) == (0, [])
    assert draft.state == ReturnState.DRAFT


def test_a_return_sent_back_for_changes_was_sent_on_time(
    kent_pilot, kent_user, kent_director, lead, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2004, 3, 22, 10, tzinfo=LONDON)):
        return_in_state(
            ReturnState.CHANGES_REQUESTED, kent_pilot, preparer=kent_user, certifier=kent_director, lead=lead
        )
    assert remind_on(date(2004, 4, 1), django_capture_on_commit_callbacks) == (0, [])


def test_a_council_whose_reminders_began_late_gets_one_email_for_every_overdue_return(
    kent_pilot, django_capture_on_commit_callbacks
):
    """On Wednesday 22 December 2004 returns 1-3 are overdue, and return 4, due Friday 31
    December, is reminded: Thu 30 (1), Wed 29 (2), Tue 28 and Mon 27 are the substitutes for
    Boxing Day and Christmas Day, Fri 24 (3), Thu 23 (4), Wed 22 (5)."""
    count, emails = remind_on(date(2004, 12, 22), django_capture_on_commit_callbacks)
    assert count == 2
    by_subject = {email.subject: email.body for email in emails}
    overdue = by_subject["Monitoring return overdue: Kent County Council"]
    due_soon = by_subject["Monitoring return due soon: Kent County Council"]
    assert "these monitoring returns" in overdue
    for line in (
        "return 1, due on Wednesday 31 March 2004",
        "return 2, due on Wednesday 30 June 2004",
        "return 3, due on Thursday 30 September 2004",
    ):
        assert line in overdue
    assert "return 4" not in overdue
    assert "return 4, due on Friday 31 December 2004" in due_soon and "return 3" not in due_soon
    assert Reminder.objects.filter(kind=ReminderKind.OVERDUE).count() == 3
    assert remind_on(date(2004, 12, 22), django_capture_on_commit_callbacks) == (0, [])


def test_the_day_before_the_christmas_reminder_date_only_the_overdue_returns_are_chased(
    kent_pilot, django_capture_on_commit_callbacks
):
    count, (email,) = remind_on(date(2004, 12, 21), django_capture_on_commit_callbacks)
    assert count == 1 and email.subject == "Monitoring return overdue: Kent County Council"
    assert not Reminder.objects.filter(kind=ReminderKind.BEFORE).exists()


def test_only_pilots_are_reminded(
    lead, kent_user, kent_director, open_round, django_capture_on_commit_callbacks
):
    factories.approved_bid_with_award(open_round, "KEN", kent_user, lead)  # offered, never accepted
    assert remind_on(date(2004, 4, 1), django_capture_on_commit_callbacks) == (0, [])


def test_a_council_with_no_active_officers_is_reminded_once_it_has_one(
    kent_pilot, kent_user, kent_director, django_capture_on_commit_callbacks
):
    for person in (kent_user, kent_director):
        person.is_active = False
        person.save()
    assert remind_on(date(2004, 3, 24), django_capture_on_commit_callbacks) == (0, [])
    assert not Reminder.objects.exists()
    newcomer = factories.user(Role.COUNCIL, "KEN", email="newcomer@example.com")
    count, (email,) = remind_on(date(2004, 3, 25), django_capture_on_commit_callbacks)
    assert count == 1 and email.to == [newcomer.email]


def test_the_daily_task_reminds_as_of_today_in_london(kent_pilot, django_capture_on_commit_callbacks):
    # 11:30pm on Tuesday 23 March 2004 in London: not yet the reminder date.
    with time_machine.travel(datetime.combine(date(2004, 3, 23), time(23, 30), tzinfo=LONDON)):
        assert tasks.send_return_reminders() == 0
    with (
        time_machine.travel(datetime.combine(date(2004, 3, 24), time(7), tzinfo=LONDON)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.send_return_reminders() == 1
    assert Reminder.objects.get().kind == ReminderKind.BEFORE


def test_a_withdrawn_award_is_not_chased(kent_pilot, lead, django_capture_on_commit_callbacks):
    awards.withdraw(kent_pilot, lead, "The partnership board was dissolved.")
    assert remind_on(date(2004, 4, 1), django_capture_on_commit_callbacks) == (0, [])
    assert not Reminder.objects.exists()
