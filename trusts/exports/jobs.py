"""Building an export in the background: the work behind the Celery tasks (trusts/tasks.py).

A large export is built into storage by a worker, recording its progress for the reports
page to show. Building is idempotent (one fixed file name per export, rebuilt from scratch),
so a redelivered or retried task leaves one file; expired files are removed, and exports the
broker lost are found so they can be queued again.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone

from ..enums import ExportState
from ..models import ReportExport
from .formats import FORMATS, build, filename_for, row_count

logger = logging.getLogger(__name__)

# A building export writes its progress every few rows; one quiet for this long lost its
# worker, and is queued again by the minutely sweep (trusts.tasks.remove_expired_exports).
LOST_AFTER_MINUTES = 3
# Starts that never finished before an export is given up on.
MOST_ATTEMPTS = 3
# A building export records its progress this many times at most, about every half a percent:
# as often as the page's bar can show, and no more, since each record is an UPDATE of its own
# (recording every ten rows took 22 of the 24 seconds of a 100,000-row CSV).
PROGRESS_STEPS = 200


def storage_name(export):
    """One fixed name per export, so a retry replaces its own file instead of adding another."""
    return f"exports/report-{export.pk}.{FORMATS[export.format].extension}"


def run_export(pk, now=None):
    """Build one ReportExport's file from scratch. Safe to run again: same row, same file name.

    Runs outside a transaction so that progress is visible to the page while it works.
    """
    export = ReportExport.objects.select_related("funding_round").filter(pk=pk).first()
    if export is None or export.state == ExportState.EXPIRED:
        return None
    name = storage_name(export)
    if export.state == ExportState.DONE and export.file and default_storage.exists(export.file.name):
        return export.file.name  # a redelivered message for an export already built
    if export.state == ExportState.FAILED:
        return None
    if export.attempts >= MOST_ATTEMPTS:
        # Every start so far ended without finishing: this export takes its worker down (or
        # fails) each time. Stop here rather than be queued again for ever.
        give_up(pk)
        return None
    rows_total = row_count(export.format, export.funding_round)
    ReportExport.objects.filter(pk=pk).update(
        attempts=F("attempts") + 1,
        state=ExportState.RUNNING,
        rows_total=rows_total,
        rows_written=0,
        progressed_at=timezone.now(),
        error="",
    )
    step = max(1, rows_total // PROGRESS_STEPS)
    recorded = 0

    def progress(written):
        nonlocal recorded
        if written - recorded < step:
            return  # the end is recorded below, with the file
        recorded = written
        ReportExport.objects.filter(pk=pk).update(rows_written=written, progressed_at=timezone.now())

    with tempfile.TemporaryFile() as scratch:
        written = build(export.format, export.funding_round, scratch, progress)
        scratch.seek(0)
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, File(scratch, name=name))
    finished = now or timezone.now()
    ReportExport.objects.filter(pk=pk).update(
        state=ExportState.DONE,
        file=saved,
        filename=filename_for(export.format, export.funding_round, export.requested_at),
        rows_total=written,
        rows_written=written,
        finished_at=finished,
        expires_at=finished + timedelta(hours=settings.EXPORT_EXPIRY_HOURS),
    )
    return saved


def give_up(pk):
    logger.error("Report export %s was started %s times and never finished; giving up", pk, MOST_ATTEMPTS)
    ReportExport.objects.filter(pk=pk).exclude(state=ExportState.DONE).update(
        state=ExportState.FAILED,
        error=(
            f"The report could not be built: building it stopped {MOST_ATTEMPTS} times. "
            "Try a smaller report (one round), and contact the service team if it fails again."
        ),
        finished_at=timezone.now(),
    )


def mark_failed(pk, error):
    logger.error("Building report export %s failed: %s", pk, error)
    ReportExport.objects.filter(pk=pk).exclude(state=ExportState.DONE).update(
        state=ExportState.FAILED,
        error="The report could not be built. Try again, and contact the service team if it fails again.",
        finished_at=timezone.now(),
    )


def remove_expired(now=None):
    """Delete the files of exports past their expiry; the rows stay as the record of who asked."""
    now = now or timezone.now()
    removed = 0
    for export in ReportExport.objects.filter(state=ExportState.DONE, expires_at__lte=now):
        if export.file and default_storage.exists(export.file.name):
            default_storage.delete(export.file.name)
        ReportExport.objects.filter(pk=export.pk).update(state=ExportState.EXPIRED, file="")
        removed += 1
    return removed


def stalled(now=None, minutes=LOST_AFTER_MINUTES):
    """Exports the broker lost: still queued long after they were asked for, or building but
    with no row written for as long (the worker went, and its message with it when Redis
    restarted). A builder records its progress every half a percent of its rows (every row of
    a small export), seconds apart at most, so a live one is never this quiet; building again
    is safe, since an export is rebuilt from scratch."""
    cutoff = (now or timezone.now()) - timedelta(minutes=minutes)
    return ReportExport.objects.filter(
        Q(state=ExportState.QUEUED, requested_at__lte=cutoff)
        | Q(state=ExportState.RUNNING, progressed_at__lte=cutoff)
    ).values_list("pk", flat=True)
