"""A real Celery worker, a real Redis and a real SMTP server for the delivery path.

The worker is a separate process started here, against the test database, with
e-mail going to an aiosmtpd server in this process. Its queue name is unique to
this run, so no other worker on the machine takes its tasks.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from smartclusters.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


class SMTPHandler:
    """Keeps every message; answers 451 (try later) while ``failing`` is set."""

    def __init__(self):
        self.messages = []
        self.attempts = 0
        self.failing = False

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.failing:
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(envelope)
        return "250 Message accepted"

    def to(self, address):
        return [m for m in self.messages if address in m.rcpt_tos]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{s['NAME']}"


@pytest.fixture(scope="module")
def smtp():
    handler = SMTPHandler()
    handler.port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def wait_until(predicate, timeout=30.0, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def set_broker(url: str) -> None:
    """Point this process's Celery app at ``url``."""
    celery_app.conf.broker_url = url
    # Forget (without closing: kombu keeps them in its own registry) the pooled
    # connections, so the next publish connects to ``url``.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(scope="module")
def worker(request, django_db_setup, django_db_blocker, smtp, tmp_path_factory):
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but REDIS_URL is not set")
        pytest.skip("needs REDIS_URL (a real Redis and Celery worker)")
    redis_url = os.environ["REDIS_URL"]
    queue = f"test-{uuid.uuid4().hex[:10]}"
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with django_db_blocker.unblock():
        database_url = _database_url()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="smartclusters.settings.local",
        DEBUG="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        SITE_URL="https://smartclusters.example.eu",
        NOTIFICATIONS_MAX_ATTEMPTS="3",
        NOTIFICATIONS_RETRY_BASE_SECONDS="0.3",
        NOTIFICATIONS_STALE_SECONDS="1",
        NOTIFICATIONS_LOCKED_RETRY_SECONDS="1",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "smartclusters",
                "worker",
                "-l",
                "info",
                "--concurrency",
                "1",
                "--pool",
                "solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    saved = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "task_default_queue": celery_app.conf.task_default_queue,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    set_broker(redis_url)
    try:
        replies = []
        deadline = time.monotonic() + 60
        while not replies and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            replies = celery_app.control.ping(
                destination=[f"{queue}@{socket.gethostname()}"], timeout=0.5
            )
        assert replies, "the worker did not answer:\n" + log.read_text()
        proc.log_path = log  # what the worker did, for tests that follow one task
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        celery_app.conf.task_always_eager = saved["task_always_eager"]
        celery_app.conf.task_default_queue = saved["task_default_queue"]
        set_broker(saved["broker_url"])
        if request.session.testsfailed:
            print("---- worker log ----\n" + log.read_text()[-8000:])


@pytest.fixture(autouse=True)
def _fresh_smtp(smtp):
    smtp.messages.clear()
    smtp.attempts = 0
    smtp.failing = False
