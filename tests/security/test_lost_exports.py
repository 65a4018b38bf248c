"""Finding 8 (low): after the whole worker was killed, an export sat at "Building" until the
hourly sweep (15 to 75 minutes), and one that killed its worker each time was queued again
for ever."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from config.celery import app
from tests import factories
from trusts import tasks
from trusts.enums import AwardState, ExportState
from trusts.exports import jobs
from trusts.models import ReportExport

from ..trusts.conftest import award_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def an_award(lead, open_round):
    return award_in_state(
        AwardState.OFFERED, lead=lead, council=factories.user(Role.COUNCIL, "KEN"), funding_round=open_round
    )


def lost_export(admin_user, quiet_minutes, attempts=1):
    long_ago = timezone.now() - timedelta(minutes=quiet_minutes)
    return ReportExport.objects.create(
        format="csv",
        requested_by=admin_user,
        state=ExportState.RUNNING,
        rows_total=1,
        requested_at=long_ago,
        progressed_at=long_ago,
        attempts=attempts,
    )


def test_the_sweep_runs_every_minute():
    schedule = app.conf.beat_schedule["remove-expired-exports"]
    assert schedule["task"] == "trusts.tasks.remove_expired_exports"
    assert float(schedule["schedule"]) <= 60


def test_an_export_quiet_for_a_few_minutes_is_built_again_within_five(admin_user, an_award):
    lost = lost_export(admin_user, quiet_minutes=4)
    assert list(jobs.stalled()) == [lost.pk]
    tasks.remove_expired_exports.delay().get()
    lost.refresh_from_db()
    assert lost.state == ExportState.DONE and lost.rows_written == 1 and lost.attempts == 2


def test_an_export_still_writing_is_left_alone(admin_user, an_award):
    lost_export(admin_user, quiet_minutes=1)
    assert list(jobs.stalled()) == []


def test_an_export_that_never_finished_three_times_ends_as_failed_with_a_message(admin_user, an_award):
    lost = lost_export(admin_user, quiet_minutes=10, attempts=3)
    tasks.remove_expired_exports.delay().get()
    lost.refresh_from_db()
    assert lost.state == ExportState.FAILED
    assert "stopped 3 times" in lost.error
    assert list(jobs.stalled()) == []  # not queued again, ever


def test_each_start_counts_as_an_attempt(admin_user, an_award):
    export = ReportExport.objects.create(format="csv", requested_by=admin_user)
    jobs.run_export(export.pk)
    export.refresh_from_db()
    assert export.attempts == 1 and export.state == ExportState.DONE
