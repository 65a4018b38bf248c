"""Celery tasks for reports: thin wrappers round trusts/exports/jobs.py.

Building is idempotent (one fixed file name per export, rebuilt from scratch), so a task
acknowledged late and redelivered after a lost worker, or retried after an error, leaves
one ReportExport row and one file.
"""

import logging

from celery import Task, shared_task

from .exports import jobs

logger = logging.getLogger(__name__)


class ExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Called once retries are used up: the page then says so instead of "Building" for ever.
        jobs.mark_failed(args[0], exc)


@shared_task(
    base=ExportTask,
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
)
def build_export(export_pk):
    return jobs.run_export(export_pk)


@shared_task
def remove_expired_exports():
    """Every minute (config/celery.py): queue again any export whose worker or message was
    lost, and delete expired files."""
    for pk in jobs.stalled():
        queue_export(pk)
    return jobs.remove_expired()


def queue_export(pk):
    """Hand an export to a worker; if the broker cannot take it, the hourly task will."""
    if build_export.app.conf.task_always_eager:
        # No broker (development, tests): build it here, with as many attempts as a worker
        # would make. Celery's eager mode cannot retry more than once, so the loop is ours.
        for attempt in range(build_export.max_retries + 1):
            try:
                jobs.run_export(pk)
                return
            except Exception as error:
                logger.warning("Report export %s failed on attempt %s", pk, attempt + 1, exc_info=True)
                failure = error
        jobs.mark_failed(pk, failure)
        return
    try:
        build_export.apply_async(args=[pk], retry=False)
    except Exception:  # broker unreachable: the export stays queued and is picked up later
        logger.warning("Could not queue report export %s; it will be queued again later", pk, exc_info=True)
