"""Fault tests run real services in private processes, so they can be stopped mid-test."""

import contextlib
import shutil
import socket
import subprocess
import time

import pytest

from config.celery import app as celery_app
from tests.conftest import need


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port, which the test may stop and start."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    need(shutil.which("redis-server"), "redis-server")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def _reset_connections():
    """Drop Celery's cached broker connections so the next use reads the new URL."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url):
    """Point Celery at `url` with tasks sent to the broker, not run in-process."""
    conf = celery_app.conf
    saved = (conf.CELERY_BROKER_URL, conf.CELERY_TASK_ALWAYS_EAGER)
    conf.CELERY_BROKER_URL = url
    conf.CELERY_TASK_ALWAYS_EAGER = False
    _reset_connections()
    try:
        yield celery_app
    finally:
        _reset_connections()
        conf.CELERY_BROKER_URL, conf.CELERY_TASK_ALWAYS_EAGER = saved
