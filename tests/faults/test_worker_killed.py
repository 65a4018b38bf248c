"""A Celery worker killed in the middle of an award report: the report is built again from the
start by whichever worker gets the task next, and the file holds every award of the round once,
with the right figures. Real worker processes against a private redis-server and the
PostgreSQL test database; SIGKILL, so nothing in the worker gets to tidy up."""

import csv
import io
import os
import signal
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from reference.models import LocalAuthority
from tests import factories
from trusts import tasks
from trusts.enums import ExportFormat, ExportState
from trusts.exports import awards_table, jobs
from trusts.models import FundingAward, ReportExport

from .conftest import celery_broker

CELERY = Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"
SUPPLEMENTS = [
    Decimal(amount) for amount in ("0", "40000", "12500", "0", "25000.50", "0", "7000", "39999.99")
]
ROW_SECONDS = 0.3
# Short, so the second worker takes over the lost task as soon as it starts; the production
# default (an hour) is what a real lost host waits.
VISIBILITY_SECONDS = 2


def wait_for(condition, seconds, what, worker_logs=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    logs = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in worker_logs)
    pytest.fail(f"Timed out after {seconds}s waiting for {what}\n{logs}")


class Worker:
    """`celery -A config worker` in its own process group, so all its processes die together."""

    def __init__(self, name, env, log_dir):
        self.name = name
        self.env = env
        self.log = log_dir / f"{name}.log"
        self.process = None

    def start(self):
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "config",
                    "worker",
                    f"--hostname={self.name}@%h",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--include=tests.faults.slow_export",
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def pool_processes(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self):
        """SIGKILL the whole worker at once, as when its host or container is lost."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass


@pytest.fixture
def start_worker(private_redis, postgres, settings, tmp_path):
    """start_worker(name, **env) -> a running Worker on the private Redis and the test database.

    Every worker is stopped when the test ends, whether it passed or not.
    """
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    base_env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": private_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PRIVATE_MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        "TESTING": "true",
        "SLOW_EXPORT_ROW_SECONDS": str(ROW_SECONDS),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    started = []

    def start(name, **env):
        worker = Worker(name, {**base_env, **env}, tmp_path).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def round_with_awards(lead):
    """A round with eight awards of different amounts, and an award in another round."""
    funding_round = factories.open_round()
    codes = LocalAuthority.objects.order_by("code").values_list("code", flat=True)[: len(SUPPLEMENTS)]
    for code, supplement in zip(codes, SUPPLEMENTS, strict=True):
        factories.approved_bid_with_award(
            funding_round, code, lead=lead, supplement=supplement, justification="Three districts."
        )
    factories.approved_bid_with_award(factories.open_round(), "KEN", lead=lead)
    return funding_round


def expected_rows(funding_round):
    """What the file must hold: one row per award of the round, from the database itself."""
    awards = FundingAward.objects.filter(bid__funding_round=funding_round).select_related("bid__authority")
    return sorted(
        (
            award.bid.reference,
            award.bid.authority.name,
            f"{award.base_amount:.2f}",
            f"{award.supplement_amount:.2f}",
            f"{award.total:.2f}",
        )
        for award in awards
    )


def rows_in_file(export):
    with default_storage.open(export.file.name, "rb") as stored:
        raw = stored.read()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n"), "the file is cut short"
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert header == [title for title, _ in awards_table.AWARD_COLUMNS]
    return raw, sorted((row[0], row[1], row[6], row[7], row[8]) for row in rows)


def all_acknowledged(broker):
    """Nothing queued and nothing held by a worker, for half a second: the moment a worker has
    taken a message off the queue but not yet recorded it as unacknowledged is not mistaken
    for the task being done."""
    for _ in range(5):
        if broker.llen("celery") or broker.hlen("unacked"):
            return False
        time.sleep(0.1)
    return True


def assert_built_once(export, funding_round):
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.error == ""
    expected = expected_rows(funding_round)
    assert export.rows_total == export.rows_written == len(expected) == len(SUPPLEMENTS)
    raw, rows = rows_in_file(export)
    assert rows == expected  # every award once: none missing, none twice, the right figures
    assert sum(Decimal(row[4]) for row in rows) == len(SUPPLEMENTS) * Decimal("60000") + sum(SUPPLEMENTS)
    assert default_storage.listdir("exports") == ([], [f"report-{export.pk}.csv"])
    return raw


def half_written(export):
    export.refresh_from_db()
    return export.state == ExportState.RUNNING and 0 < export.rows_written < len(SUPPLEMENTS)


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_whose_worker_is_killed_is_finished_by_another_worker(
    start_worker, private_redis, admin_user, round_with_awards
):
    broker = redis.Redis.from_url(private_redis.url)
    export = ReportExport.objects.create(
        format=ExportFormat.CSV, funding_round=round_with_awards, requested_by=admin_user
    )
    first = start_worker("first", CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS))
    with celery_broker(private_redis.url):
        tasks.queue_export(export.pk)
        wait_for(lambda: half_written(export), 30, "the export to be half written", [first.log])
        first.kill()

        # The worker died holding the task: it was never acknowledged, and no file was saved.
        assert half_written(export)
        assert broker.hlen("unacked") == 1
        assert not default_storage.exists(jobs.storage_name(export))

        # Redis hands the task on once it has gone unacknowledged for the visibility timeout.
        (_, delivered_at), *_ = broker.zrange("unacked_index", 0, -1, withscores=True)
        time.sleep(max(0, delivered_at + VISIBILITY_SECONDS + 0.2 - time.time()))
        second = start_worker("second", CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS))
        wait_for(
            lambda: ReportExport.objects.get(pk=export.pk).state == ExportState.DONE,
            30,
            "the second worker to finish the export",
            [first.log, second.log],
        )
        raw = assert_built_once(export, round_with_awards)
        finished_at = export.finished_at

        # Delivered again (a duplicate message): the finished export is left as it is.
        tasks.queue_export(export.pk)
        wait_for(lambda: all_acknowledged(broker), 15, "the repeated task to be acknowledged", [second.log])

    assert assert_built_once(export, round_with_awards) == raw
    assert export.finished_at == finished_at
    assert ReportExport.objects.count() == 1


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_whose_pool_process_is_killed_is_built_again_at_once(
    start_worker, private_redis, admin_user, round_with_awards
):
    """The kernel's OOM killer takes the pool process, not the worker: the worker hands the task
    back to the queue straight away (reject on worker lost), with no visibility timeout to wait."""
    export = ReportExport.objects.create(
        format=ExportFormat.CSV, funding_round=round_with_awards, requested_by=admin_user
    )
    worker = start_worker("oom")  # the production visibility timeout: an hour
    with celery_broker(private_redis.url):
        tasks.queue_export(export.pk)
        wait_for(lambda: half_written(export), 30, "the export to be half written", [worker.log])
        (pool_process,) = worker.pool_processes()
        os.kill(pool_process, signal.SIGKILL)
        wait_for(
            lambda: ReportExport.objects.get(pk=export.pk).state == ExportState.DONE,
            30,
            "the worker to build the export again",
            [worker.log],
        )
    assert worker.process.poll() is None and worker.pool_processes() != [pool_process]
    assert_built_once(export, round_with_awards)
