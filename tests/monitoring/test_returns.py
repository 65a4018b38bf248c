"""A return's life cycle through its one door (monitoring/returns.py): who may do what, what
each step records and who is emailed, and what is refused, with the words the page shows."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from monitoring import returns
from monitoring.enums import Rag, ReturnState
from monitoring.models import MonitoringReturn, ReturnEvent
from monitoring.returns import ReturnError, StaleReturn
from tests import factories

from .builders import ANSWERS, MILESTONES, operational, pilot, reload, return_in_state

pytestmark = pytest.mark.django_db


def events(monitoring_return):
    return list(
        ReturnEvent.objects.filter(monitoring_return=monitoring_return)
        .order_by("pk")
        .values_list("from_state", "to_state", "actor__email")
    )


def sent(subject_part):
    return [message for message in mail.outbox if subject_part in message.subject]


# Starting and filling in ---------------------------------------------------------------


def test_saving_starts_the_return_as_a_draft_with_its_milestones_in_order(pilot_award, kent_user):
    monitoring_return = returns.save(pilot_award, 1, kent_user, answers=ANSWERS, milestones=MILESTONES)
    assert monitoring_return.state == ReturnState.DRAFT
    assert [(m.name, m.status, m.comment) for m in monitoring_return.milestones.all()] == [
        (name, status.value, comment) for name, status, comment in MILESTONES
    ]
    assert monitoring_return.spending_to_date == ANSWERS["spending_to_date"]
    assert (monitoring_return.started_by, monitoring_return.saved_by) == (kent_user, kent_user)
    assert events(monitoring_return) == [("", "draft", kent_user.email)]


def test_the_due_date_is_the_schedules(pilot_award, kent_user):
    """Operational 60 days ago, a return every 3 months: return 1 is due 3 months after."""
    operational_on = pilot_award.trust.operational_on
    monitoring_return = returns.save(pilot_award, 1, kent_user, answers={}, milestones=[])
    months = (monitoring_return.due_on.year - operational_on.year) * 12 + (
        monitoring_return.due_on.month - operational_on.month
    )
    assert months == 3


def test_saving_again_replaces_the_answers_and_milestones(pilot_award, kent_user, kent_director):
    first = returns.save(pilot_award, 1, kent_user, answers=ANSWERS, milestones=MILESTONES)
    again = returns.save(
        pilot_award,
        1,
        kent_director,
        answers={"children_reached": 400},
        milestones=[("Single assessment in use", Rag.GREEN, "")],
        expected_state=ReturnState.DRAFT,
    )
    assert again.pk == first.pk
    assert again.children_reached == 400 and again.families_reached == ANSWERS["families_reached"]
    assert list(again.milestones.values_list("name", flat=True)) == ["Single assessment in use"]
    assert again.saved_by == kent_director and again.started_by == kent_user
    assert MonitoringReturn.objects.count() == 1


def test_a_return_cannot_be_started_before_its_period_begins(lead, kent_user, kent_director, open_round):
    award = pilot(kent_user, lead, open_round, days_ago=-10)  # operational in ten days
    with pytest.raises(ReturnError) as refused:
        returns.save(award, 1, kent_user, answers=ANSWERS, milestones=MILESTONES)
    opens = award.trust.operational_on
    assert refused.value.problems[0].startswith(f"You can start return 1 from {opens.day} {opens:%B %Y}")
    with pytest.raises(ReturnError) as too_soon:
        returns.save(operational(award, 30), 2, kent_user, answers={}, milestones=[])
    assert "when its period begins" in too_soon.value.problems[0]
    assert not MonitoringReturn.objects.exists()


def test_a_period_past_the_pilot_is_refused(pilot_award, kent_user):
    with pytest.raises(ReturnError, match="There is no such return for this award"):
        returns.save(pilot_award, 13, kent_user, answers={}, milestones=[])


def test_returns_begin_once_the_award_is_accepted(lead, kent_user, open_round):
    offered = reload(factories.approved_bid_with_award(open_round, "KEN", kent_user, lead))
    with pytest.raises(ReturnError, match="Monitoring returns begin once the council has accepted the award"):
        returns.save(offered, 1, kent_user, answers={}, milestones=[])


def test_another_council_cannot_start_or_change_kents_return(pilot_award, kent_user, leeds_user, lead):
    with pytest.raises(ReturnError, match="You cannot start or change a monitoring return for this award"):
        returns.save(pilot_award, 1, leeds_user, answers={}, milestones=[])
    returns.save(pilot_award, 1, kent_user, answers=ANSWERS, milestones=MILESTONES)
    for outsider in (leeds_user, lead):
        with pytest.raises(ReturnError):
            returns.save(
                pilot_award, 1, outsider, answers={}, milestones=[], expected_state=ReturnState.DRAFT
            )
    assert MonitoringReturn.objects.get().children_reached == ANSWERS["children_reached"]


def test_a_return_started_by_someone_else_meanwhile_is_not_overwritten(pilot_award, kent_user, kent_director):
    returns.save(pilot_award, 1, kent_director, answers={"children_reached": 1}, milestones=[])
    with pytest.raises(StaleReturn) as stale:
        returns.save(pilot_award, 1, kent_user, answers={"children_reached": 2}, milestones=[])
    assert stale.value.problems == [
        "Dana Director started this return while you were filling it in, so nothing was saved. "
        "What you typed is below: save it again to replace what they saved."
    ]
    assert MonitoringReturn.objects.get().children_reached == 1


# Sending for certification ------------------------------------------------------------


def test_an_incomplete_return_cannot_be_sent_for_certification(pilot_award, kent_user):
    draft = returns.save(pilot_award, 1, kent_user, answers={"children_reached": 12}, milestones=[])
    with pytest.raises(ReturnError) as refused:
        returns.send_for_certification(draft, kent_user)
    assert refused.value.problems == [
        "Add at least one milestone",
        "Enter the spending to date",
        "Enter the planned spending to date",
        "Enter the number of families reached",
        "Enter how partners have been involved",
        "Enter the risks and issues",
        "Enter the progress in the period",
    ]
    assert MonitoringReturn.objects.get().state == ReturnState.DRAFT


def test_a_council_with_no_one_else_to_certify_is_told_how_to_get_someone(lead, kent_user, open_round):
    award = pilot(kent_user, lead, open_round)  # Kent has only kent_user
    draft = returns.save(award, 1, kent_user, answers=ANSWERS, milestones=MILESTONES)
    with pytest.raises(ReturnError) as refused:
        returns.send_for_certification(draft, kent_user)
    assert refused.value.problems == [
        "There is no one else at Kent County Council to certify this return. Ask your council's bid lead to "
        "invite the officer who will certify it, such as your director of children's services"
    ]


def test_sending_for_certification_makes_the_sender_its_preparer_and_emails_the_others(
    pilot_award, kent_user, kent_director, django_capture_on_commit_callbacks
):
    factories.user(Role.COUNCIL, "KEN", email="gone@example.com", is_active=False)
    factories.user(Role.COUNCIL, "LDS", email="leeds.colleague@example.com")
    draft = returns.save(pilot_award, 1, kent_user, answers=ANSWERS, milestones=MILESTONES)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = returns.send_for_certification(draft, kent_user)
    assert waiting.state == ReturnState.AWAITING_CERTIFICATION
    assert waiting.prepared_by == kent_user and waiting.prepared_at is not None
    assert events(waiting)[-1] == ("draft", "awaiting_certification", kent_user.email)
    (email,) = sent("Monitoring return to certify")
    assert email.to == [kent_director.email]
    assert f"/returns/{waiting.pk}" in email.body and "cannot certify it" in email.body


def test_a_return_awaiting_certification_cannot_be_changed(pilot_award, kent_user, kent_director):
    waiting = return_in_state(ReturnState.AWAITING_CERTIFICATION, pilot_award, preparer=kent_user)
    with pytest.raises(
        ReturnError, match="This return is awaiting certification, so it cannot be changed now"
    ):
        returns.save(
            pilot_award,
            1,
            kent_director,
            answers={"children_reached": 1},
            milestones=MILESTONES,
            expected_state=ReturnState.AWAITING_CERTIFICATION,
        )
    assert MonitoringReturn.objects.get(pk=waiting.pk).children_reached == ANSWERS["children_reached"]


# Certifying ----------------------------------------------------------------------------


def test_the_preparer_cannot_certify_their_own_return(pilot_award, kent_user):
    waiting = return_in_state(ReturnState.AWAITING_CERTIFICATION, pilot_award, preparer=kent_user)
    with pytest.raises(ReturnError) as refused:
        returns.certify(waiting, kent_user)
    assert refused.value.problems == [
        "You prepared this return, so you cannot certify it. Another officer of Kent County Council with "
        "authority to commit the council must certify it"
    ]
    waiting.refresh_from_db()
    assert waiting.state == ReturnState.AWAITING_CERTIFICATION and waiting.certified_by is None
    assert len(events(waiting)) == 2


def test_only_an_active_officer_of_the_same_council_certifies(pilot_award, kent_user, leeds_user, lead):
    waiting = return_in_state(ReturnState.AWAITING_CERTIFICATION, pilot_award, preparer=kent_user)
    gone = factories.user(Role.COUNCIL, "KEN", is_active=False)
    for outsider in (leeds_user, lead, gone, factories.user(Role.ADMIN)):
        with pytest.raises(ReturnError, match="You cannot certify and submit this monitoring return"):
            returns.certify(waiting, outsider)
    assert MonitoringReturn.objects.get(pk=waiting.pk).state == ReturnState.AWAITING_CERTIFICATION


def test_the_database_refuses_a_certifier_who_prepared_the_return(pilot_award, kent_user):
    """The separation of duties holds below the door too (a CheckConstraint)."""
    waiting = return_in_state(ReturnState.AWAITING_CERTIFICATION, pilot_award, preparer=kent_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringReturn.objects.filter(pk=waiting.pk).update(certified_by=kent_user)


def test_certifying_submits_the_return_and_tells_the_lead(
    pilot_award, kent_user, kent_director, lead, django_capture_on_commit_callbacks
):
    waiting = return_in_state(ReturnState.AWAITING_CERTIFICATION, pilot_award, preparer=kent_user)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = returns.certify(waiting, kent_director)
    assert submitted.state == ReturnState.SUBMITTED
    assert submitted.certified_by == kent_director and submitted.submitted_at == submitted.certified_at
    assert events(submitted)[-1] == ("awaiting_certification", "submitted", kent_director.email)
    (email,) = sent("Monitoring return submitted")
    assert email.to == sorted([lead.email, kent_user.email, kent_director.email])
    assert "prepared by Test Council" in email.body and "certified by Dana Director" in email.body


def test_the_certifier_may_send_it_back_to_draft_with_a_reason(
    pilot_award, kent_user, kent_director, django_capture_on_commit_callbacks
):
    waiting = return_in_state(ReturnState.AWAITING_CERTIFICATION, pilot_award, preparer=kent_user)
    with pytest.raises(ReturnError, match="Enter the reason you want to send back this monitoring return"):
        returns.send_back(waiting, kent_director, "  ")
    with django_capture_on_commit_callbacks(execute=True):
        draft = returns.send_back(waiting, kent_director, "The spending figure is last quarter's.")
    assert draft.state == ReturnState.DRAFT
    assert events(draft)[-1] == ("awaiting_certification", "draft", kent_director.email)
    (email,) = sent("sent back to draft")
    assert email.to == [kent_user.email] and "The spending figure is last quarter's." in email.body


# The lead's decision ----------------------------------------------------------------------


def test_only_the_programme_lead_accepts(pilot_award, kent_user, kent_director, admin_user, lead):
    submitted = return_in_state(
        ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=kent_director
    )
    for not_the_lead in (kent_user, kent_director, admin_user):
        with pytest.raises(ReturnError, match="You cannot accept this monitoring return"):
            returns.accept(submitted, not_the_lead)
    assert returns.accept(submitted, lead).state == ReturnState.ACCEPTED


def test_only_a_submitted_return_can_be_decided(pilot_award, kent_user, lead):
    draft = return_in_state(ReturnState.DRAFT, pilot_award, preparer=kent_user)
    with pytest.raises(ReturnError, match="You cannot accept a monitoring return that is draft"):
        returns.accept(draft, lead)


def test_accepting_tells_the_council_and_marks_the_first_accepted_return(
    pilot_award, kent_user, kent_director, lead, django_capture_on_commit_callbacks
):
    first = return_in_state(ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=kent_director)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = returns.accept(first, lead, "Clear and well evidenced.")
    assert accepted.state == ReturnState.ACCEPTED and accepted.decided_by == lead
    assert returns.first_accepted(pilot_award) == accepted
    assert ReturnEvent.objects.filter(monitoring_return=accepted).last().reason == (
        "The award's first accepted monitoring return.\n\nClear and well evidenced."
    )
    (email,) = sent("Monitoring return accepted")
    assert kent_user.email in email.to and kent_director.email in email.to
    assert "first accepted monitoring return" in email.body and "Clear and well evidenced." in email.body

    award = operational(pilot_award, 120)  # return 2 has begun too
    second = return_in_state(
        ReturnState.SUBMITTED, award, preparer=kent_director, certifier=kent_user, period=2
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        returns.accept(second, lead)
    assert returns.first_accepted(award) == accepted
    assert ReturnEvent.objects.filter(monitoring_return=second).last().reason == ""
    assert "first accepted" not in sent("Monitoring return accepted")[0].body


def test_asking_for_changes_needs_the_reasons(pilot_award, kent_user, kent_director, lead):
    submitted = return_in_state(
        ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=kent_director
    )
    with pytest.raises(
        ReturnError, match="Enter the reason you want to ask for changes to this monitoring return"
    ):
        returns.request_changes(submitted, lead, "")
    assert MonitoringReturn.objects.get(pk=submitted.pk).state == ReturnState.SUBMITTED


def test_after_changes_the_council_changes_it_and_it_is_certified_again(
    pilot_award, kent_user, kent_director, lead, django_capture_on_commit_callbacks
):
    submitted = return_in_state(
        ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=kent_director
    )
    first_submitted_at = submitted.submitted_at
    with django_capture_on_commit_callbacks(execute=True):
        returned = returns.request_changes(submitted, lead, "Break the spending down by partner.")
    assert returned.state == ReturnState.CHANGES_REQUESTED
    assert returned.changes_reason == "Break the spending down by partner."
    (email,) = sent("Changes needed to your monitoring return")
    assert kent_user.email in email.to and "Break the spending down by partner." in email.body

    # The director makes the changes and prepares it this time; the officer certifies.
    changed = returns.save(
        pilot_award,
        1,
        kent_director,
        answers={"narrative": "Spending by partner: health £5,000, education £7,500."},
        milestones=MILESTONES,
        expected_state=ReturnState.CHANGES_REQUESTED,
    )
    waiting = returns.send_for_certification(
        changed, kent_director, expected_state=ReturnState.CHANGES_REQUESTED
    )
    assert waiting.prepared_by == kent_director and waiting.certified_by is None
    with pytest.raises(ReturnError, match="You prepared this return"):
        returns.certify(waiting, kent_director)
    resubmitted = returns.certify(waiting, kent_user, now=timezone.now() + timedelta(minutes=5))
    assert resubmitted.state == ReturnState.SUBMITTED and resubmitted.certified_by == kent_user
    assert resubmitted.submitted_at > first_submitted_at
    assert [to for _, to, _ in events(resubmitted)] == [
        "draft",
        "awaiting_certification",
        "submitted",
        "changes_requested",
        "awaiting_certification",
        "submitted",
    ]
    assert returns.accept(resubmitted, lead).state == ReturnState.ACCEPTED


def test_a_decision_on_a_page_out_of_date_is_refused(pilot_award, kent_user, kent_director, lead):
    """Two leads open the same submitted return; one asks for changes, then the other accepts."""
    other_lead = factories.user(Role.LEAD)
    submitted = return_in_state(
        ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=kent_director
    )
    returns.request_changes(submitted, other_lead, "Add the families reached by locality.")
    with pytest.raises(StaleReturn) as stale:
        returns.accept(submitted, lead, expected_state=ReturnState.SUBMITTED)
    assert stale.value.problems[0].startswith("Return 1 (due ")
    assert (
        "has changed since you opened it: it is now changes requested. Nothing was changed."
        in (stale.value.problems[0])
    )
    assert MonitoringReturn.objects.get(pk=submitted.pk).state == ReturnState.CHANGES_REQUESTED


def test_two_returns_for_one_period_cannot_exist(pilot_award, kent_user):
    monitoring_return = returns.save(pilot_award, 1, kent_user, answers={}, milestones=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringReturn.objects.create(
            award=pilot_award,
            period=1,
            due_on=monitoring_return.due_on,
            started_by=kent_user,
            saved_by=kent_user,
        )
