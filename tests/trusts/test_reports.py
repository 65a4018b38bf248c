"""The reports page and its exports: who may reach them, direct and background builds, the
export task's retries and idempotency, progress, expiry."""

import dataclasses
import io
import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from tests import factories
from tests.queries import queries_for
from trusts import tasks
from trusts.enums import AwardState, ExportState
from trusts.exports import awards_table, cells, formats, giving, jobs
from trusts.models import ReportExport

from .conftest import award_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_awards(lead, open_round):
    return [
        award_in_state(state, lead=lead, council=factories.user(Role.COUNCIL, code), funding_round=open_round)
        for code, state in [
            ("BST", AwardState.PAID),
            ("BIR", AwardState.ACCEPTED),
            ("CMD", AwardState.OFFERED),
        ]
    ]


@pytest.fixture
def background(monkeypatch):
    """Exports of more than two awards go to the worker (eager in tests)."""
    monkeypatch.setattr(formats, "BACKGROUND_THRESHOLD", 2)


def built_export(fmt, requested_by, funding_round=None):
    export = ReportExport.objects.create(format=fmt, funding_round=funding_round, requested_by=requested_by)
    jobs.run_export(export.pk)
    export.refresh_from_db()
    return export


def stored_files():
    if not default_storage.exists("exports"):
        return []
    return sorted(default_storage.listdir("exports")[1])


# Access ---------------------------------------------------------------------------------

ROLES = [
    ("signed out", None, 302),
    ("council", Role.COUNCIL, 404),
    ("assessor", Role.ASSESSOR, 404),
    ("lead", Role.LEAD, 200),
    ("admin", Role.ADMIN, 200),
]


def export_urls(export):
    return {
        "reports page": reverse("trusts:reports"),
        "status": reverse("trusts:export-status", kwargs={"pk": export.pk}),
        "download": reverse("trusts:export-download", kwargs={"pk": export.pk}),
    }


@pytest.mark.parametrize(("who", "role", "expected"), ROLES)
def test_every_export_url_for_every_role(who, role, expected, client, client_for, admin_user, three_awards):
    export = built_export("csv", admin_user)
    person = None if role is None else factories.user(role, "KEN" if role == Role.COUNCIL else None)
    browser = client if person is None else client_for(person)
    for name, address in export_urls(export).items():
        response = browser.get(address)
        assert response.status_code == expected, name
        if expected == 302:
            assert response.url.startswith("/sign-in")
    for fmt in formats.FORMATS:
        response = browser.post(reverse("trusts:reports"), {"format": fmt})
        assert response.status_code == expected, fmt


def test_council_of_the_awarded_authority_still_gets_404(client_for, kent_user, lead, admin_user, open_round):
    award_in_state(AwardState.PAID, lead=lead, council=kent_user, funding_round=open_round)
    export = built_export("360giving", admin_user)
    for address in export_urls(export).values():
        assert client_for(kent_user).get(address).status_code == 404


# Small exports go straight to the browser ------------------------------------------------


def test_small_csv_is_streamed_row_by_row_as_an_attachment(client_for, admin_user, three_awards, open_round):
    response = client_for(admin_user).post(
        reverse("trusts:reports"), {"format": "csv", "funding_round": open_round.slug}
    )
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="awards-{open_round.slug}-{day}.csv"'
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfReference,") and body.count(b"\r\n") == 4
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize(
    ("fmt", "content_type", "starts"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("360giving", "application/json", b'{\n  "version": "1.4"'),
        ("360giving-csv", "text/csv; charset=utf-8", b"\xef\xbb\xbfIdentifier,"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_small_exports_of_each_format_download_at_once(
    fmt, content_type, starts, client_for, lead, three_awards
):
    response = client_for(lead).post(reverse("trusts:reports"), {"format": fmt})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "all-rounds" in response["Content-Disposition"]
    assert body.startswith(starts)


def test_report_form_errors(client_for, lead):
    response = client_for(lead).post(reverse("trusts:reports"), {"funding_round": "no-such-round"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Reports" in page
    assert "Select what you want to export" in page and "Select a round from the list" in page
    assert 'href="#id_format_1"' in page


# Large exports are built by the worker ----------------------------------------------------


def test_large_export_is_built_in_the_background_and_listed(
    background, client_for, admin_user, lead, three_awards, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trusts:reports"), {"format": "xlsx"})
    assert response.url == "/reports#exports"
    page = client.get(response.url).content.decode()
    assert "We are building your Awards (Excel) of 3 awards" in page
    export = ReportExport.objects.get()
    assert (export.state, export.requested_by, export.rows_total, export.rows_written) == (
        "done",
        admin_user,
        3,
        3,
    )
    assert export.expires_at == export.finished_at + timedelta(hours=24)
    assert export.filename.startswith("awards-all-rounds-") and export.filename.endswith(".xlsx")
    assert admin_user.full_name in page and "Ready" in page
    download = reverse("trusts:export-download", kwargs={"pk": export.pk})
    assert f'href="{download}"' in page
    # The lead sees the admin's export too: files are for the programme team, not one person.
    response = client_for(lead).get(download)
    assert response["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1 + 3 + 3  # header, awards, awarded, declined, withdrawn


def test_status_endpoint_reports_progress_for_the_page_to_show(client_for, lead, admin_user, three_awards):
    export = ReportExport.objects.create(
        format="csv", requested_by=admin_user, state=ExportState.RUNNING, rows_total=3
    )
    ReportExport.objects.filter(pk=export.pk).update(rows_written=2)
    status = client_for(lead).get(reverse("trusts:export-status", kwargs={"pk": export.pk})).json()
    assert status | {"id": 0} == {
        "id": 0,
        "state": "running",
        "state_label": "Building",
        "tag_class": "govuk-tag--blue",
        "in_progress": True,
        "rows_written": 2,
        "rows_total": 3,
        "percent": 67,
        "message": "2 of 3 awards written",
        "download_url": "",
        "error": "",
    }
    page = client_for(lead).get(reverse("trusts:reports")).content.decode()
    assert f'data-export-status-url="/reports/{export.pk}/status"' in page
    assert '<progress class="app-progress" max="100" value="67"' in page
    assert "2 of 3 awards written" in page
    assert 'href="/reports#exports" data-export-refresh>Refresh' in page  # without JavaScript
    assert "/assets/js/export-progress.mjs" in page and 'http-equiv="refresh"' not in page


def test_progress_is_recorded_as_rows_are_written(monkeypatch, admin_user, lead, open_round):
    for code in ["BST", "BIR", "CMD", "DUR", "KEN"]:
        award_in_state(
            AwardState.OFFERED,
            lead=lead,
            council=factories.user(Role.COUNCIL, code),
            funding_round=open_round,
        )
    monkeypatch.setattr(cells, "PROGRESS_EVERY", 2)
    export = ReportExport.objects.create(format="360giving", requested_by=admin_user)
    seen = []
    real_grant = giving.grant

    def grant(award):
        # What the page's poller would read from the database as each grant is written.
        seen.append(ReportExport.objects.values_list("state", "rows_written", "rows_total").get(pk=export.pk))
        return real_grant(award)

    monkeypatch.setattr(giving, "grant", grant)
    jobs.run_export(export.pk)
    assert seen == [
        ("running", 0, 5),
        ("running", 0, 5),
        ("running", 2, 5),
        ("running", 2, 5),
        ("running", 4, 5),
    ]
    export.refresh_from_db()
    assert (export.state, export.rows_written) == ("done", 5)


# The task: retried safely, idempotent ------------------------------------------------------


def test_export_task_retried_after_a_failure_matches_a_clean_run(monkeypatch, admin_user, lead, open_round):
    for code in ["BST", "BIR", "CMD", "DUR"]:
        award_in_state(
            AwardState.PAID, lead=lead, council=factories.user(Role.COUNCIL, code), funding_round=open_round
        )
    clean = built_export("csv", admin_user, open_round)
    clean_bytes = default_storage.open(clean.file.name).read()
    clean.delete()
    default_storage.delete(clean.file.name)

    real_cells = awards_table.award_cells
    calls = {"count": 0, "failed": False}

    def flaky(award):
        calls["count"] += 1
        if not calls["failed"] and calls["count"] == 3:
            calls["failed"] = True
            raise ConnectionError("database went away after two rows")
        return real_cells(award)

    monkeypatch.setattr(awards_table, "award_cells", flaky)
    export = ReportExport.objects.create(format="csv", funding_round=open_round, requested_by=admin_user)
    result = tasks.build_export.apply(args=[export.pk], throw=False)  # as a worker runs it, retries inline
    assert result.successful()
    assert calls["failed"]
    export.refresh_from_db()
    assert (export.state, export.rows_written, export.rows_total) == ("done", 4, 4)
    assert default_storage.open(export.file.name).read() == clean_bytes
    assert ReportExport.objects.count() == 1
    assert stored_files() == [f"report-{export.pk}.csv"]


def test_running_the_task_again_rebuilds_the_same_file_in_place(admin_user, three_awards):
    export = built_export("360giving", admin_user)
    first = default_storage.open(export.file.name).read()
    ReportExport.objects.filter(pk=export.pk).update(state=ExportState.RUNNING)  # a redelivered message
    jobs.run_export(export.pk)
    export.refresh_from_db()
    assert default_storage.open(export.file.name).read() == first
    assert stored_files() == [f"report-{export.pk}.json"]
    assert jobs.run_export(export.pk) == export.file.name  # already built: left alone


def test_an_export_that_keeps_failing_is_marked_failed(monkeypatch, client_for, admin_user, three_awards):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setitem(formats.FORMATS, "pdf", dataclasses.replace(formats.FORMATS["pdf"], write=broken))
    export = ReportExport.objects.create(format="pdf", requested_by=admin_user)
    tasks.queue_export(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    assert "could not be built" in export.error and "disk full" not in export.error
    assert stored_files() == []
    page = client_for(admin_user).get(reverse("trusts:reports")).content.decode()
    assert "Failed" in page and "could not be built" in page


def test_a_worker_marks_the_export_failed_once_retries_are_used_up(admin_user):
    export = ReportExport.objects.create(format="csv", requested_by=admin_user, state=ExportState.RUNNING)
    tasks.build_export.on_failure(OSError("disk full"), "task-id", [export.pk], {}, None)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and export.finished_at is not None
    assert tasks.build_export.acks_late and tasks.build_export.max_retries == 3


# Expiry ---------------------------------------------------------------------------------


def test_expired_exports_say_so_and_their_files_are_removed(client_for, admin_user, three_awards):
    export = built_export("csv", admin_user)
    address = reverse("trusts:export-download", kwargs={"pk": export.pk})
    assert client_for(admin_user).get(address).status_code == 200
    ReportExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client_for(admin_user).get(address)
    assert response.status_code == 410
    assert "This report has expired" in response.content.decode()
    assert tasks.remove_expired_exports.delay().get() == 1
    export.refresh_from_db()
    assert export.state == ExportState.EXPIRED and not export.file
    assert stored_files() == []
    assert client_for(admin_user).get(address).status_code == 410
    page = client_for(admin_user).get(reverse("trusts:reports")).content.decode()
    assert "Expired" in page and admin_user.full_name in page


def test_remove_expired_leaves_current_exports_and_requeues_lost_ones(admin_user, three_awards):
    current = built_export("csv", admin_user)
    lost = ReportExport.objects.create(
        format="csv", requested_by=admin_user, requested_at=timezone.now() - timedelta(hours=1)
    )
    assert tasks.remove_expired_exports.delay().get() == 0
    current.refresh_from_db()
    lost.refresh_from_db()
    assert current.state == ExportState.DONE and default_storage.exists(current.file.name)
    assert lost.state == ExportState.DONE


def test_a_building_export_that_stops_moving_is_built_again(admin_user, three_awards):
    """Its worker went, and with Redis restarted its message too: nothing would finish it."""
    long_ago = timezone.now() - timedelta(minutes=20)
    lost = ReportExport.objects.create(
        format="csv",
        requested_by=admin_user,
        state=ExportState.RUNNING,
        rows_total=3,
        rows_written=1,
        requested_at=long_ago,
        progressed_at=long_ago,
    )
    moving = ReportExport.objects.create(
        format="csv",
        requested_by=admin_user,
        state=ExportState.RUNNING,
        rows_total=3,
        rows_written=1,
        requested_at=long_ago,
        progressed_at=timezone.now() - timedelta(minutes=2),
    )
    assert list(jobs.stalled()) == [lost.pk]
    tasks.remove_expired_exports.delay().get()
    lost.refresh_from_db()
    moving.refresh_from_db()
    assert (lost.state, lost.rows_written) == (ExportState.DONE, 3)
    assert moving.state == ExportState.RUNNING


def test_building_records_when_it_last_wrote_rows(admin_user, three_awards):
    export = ReportExport.objects.create(format="csv", requested_by=admin_user)
    before = timezone.now()
    jobs.run_export(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.progressed_at >= before


def test_an_export_not_ready_yet_sends_you_back_to_the_list(client_for, admin_user):
    export = ReportExport.objects.create(format="csv", requested_by=admin_user)
    response = client_for(admin_user).get(
        reverse("trusts:export-download", kwargs={"pk": export.pk}), follow=True
    )
    assert "The Awards (CSV) is not ready yet." in response.content.decode()


def test_reports_page_query_count_is_flat(client_for, admin_user, lead, three_awards):
    client = client_for(admin_user)
    built_export("csv", admin_user)
    assert queries_for(client, reverse("trusts:reports")) == 4
    for fmt in ["xlsx", "pdf", "360giving"]:
        built_export(fmt, lead)
    ReportExport.objects.create(format="csv", requested_by=lead, state=ExportState.RUNNING, rows_total=3)
    assert queries_for(client, reverse("trusts:reports")) == 4


def test_status_json_is_valid_for_a_finished_export(client_for, admin_user, three_awards):
    export = built_export("csv", admin_user)
    status = json.loads(
        client_for(admin_user).get(reverse("trusts:export-status", kwargs={"pk": export.pk})).content
    )
    assert status["state"] == "done" and status["percent"] == 100
    assert status["download_url"] == reverse("trusts:export-download", kwargs={"pk": export.pk})
