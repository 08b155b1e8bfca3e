"""Benchmark: the reminder sweeps, the outbox sweep and the daily digest at network scale.

    DATABASE_URL=postgres://.../sc_x REDIS_URL=redis://.../n \\
        python bench/sweeps.py [--actions 20000] [--applications 20000] [--digest 10000]
                               [--repeat 3] [--only NAME] [--fresh]

Works in a database of its own, ``<DATABASE_URL's name>_jobs`` (created, migrated and
seeded on the first run, reused after; ``--fresh`` starts it again): ``seed_scale``'s
clusters (a manager and two member users each), an adopted strategy with ``--actions``
actions (due dates over a year around today, a quarter closed), ``--applications``
exchange applications in every state the exchange reminders look at, ``--digest``
people with three items each waiting for the daily digest, and 5,000 e-mails left
pending for the outbox sweep. Everything is written with bulk writes.

Each job runs as beat would start it, on a Celery queue of its own
(in a process that has loaded the URLs and the e-mail templates, like a worker after its
first task): the reminders
through ``run_reminder``, the outbox sweep through ``requeue_stale_notifications``, the
digest through ``send_daily_digests`` and then every task it queued, run here one after
the other as one worker process would (its e-mails go to an aiosmtpd sink started in a
subprocess). The e-mails the reminders queue are not sent (``bench/delivery.py
--throughput`` measures delivery). Before each repeat the job's own output is removed,
so each repeat does the full work; a last run checks that a second sweep sends nothing.

Prints, per job: the objects it went through, what it created or sent, the median wall
time, the queries and the queries per 500 objects (constant per batch means flat here
whatever the size).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sweeps_data import MARK, seed  # noqa: E402,F401

BATCH = 500
SINK = "aiosmtpd.handlers.Sink"  # accepts every message at once
REMINDERS = [
    "actionplan.due_soon",
    "actionplan.overdue",
    "actionplan.update_request",
    "exchange.review_waiting",
    "exchange.report_due",
    "exchange.call_closing",
    "clusters.joinrequest_waiting",
    "practices.waiting",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def own_database(url: str, fresh: bool) -> str:
    """The URL of ``<name>_jobs`` next to ``url``'s database, created when missing."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_jobs"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def warm_up() -> None:
    """What a worker has done before its first job: the URLs and the e-mail templates."""
    from django.template.loader import get_template
    from django.urls import reverse

    reverse("notifications:inbox")
    for name in ["digest.txt", "digest.html", "notification.txt", "notification.html"]:
        get_template(f"notifications/email/{name}")


class Queue:
    """The bench's own Celery queue: what a job queued, run here or thrown away."""

    def __init__(self, app, name: str):
        self.app, self.name = app, name

    def messages(self):
        with self.app.connection_for_read() as conn:
            queue = conn.SimpleQueue(self.name, no_ack=True)
            try:
                while True:
                    try:
                        message = queue.get(block=False)
                    except queue.Empty:
                        return
                    yield message
            finally:
                queue.close()

    def purge(self) -> int:
        return sum(1 for _ in self.messages())

    def run_all(self) -> int:
        """Run every queued task in this process, in order, like one worker process."""
        ran = 0
        for message in self.messages():
            args, kwargs, _embed = message.decode()
            self.app.tasks[message.headers["task"]](*args, **kwargs)
            ran += 1
        return ran


def measure(job, reset, repeat: int):
    """``job()`` after ``reset()``, ``repeat`` times: (median wall s, median CPU s of this
    process, its result, its queries)."""
    from django.db import connection

    times, cpu, result, count = [], [], None, [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    for _ in range(repeat):
        reset()
        count[0] = 0
        with connection.execute_wrapper(counted):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = job()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
    return statistics.median(times), statistics.median(cpu), result, count[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=20000)
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--digest", type=int, default=10000, help="people with a digest due")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", help="run only these jobs (repeatable)")
    parser.add_argument("--fresh", action="store_true", help="drop and seed the database again")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("needs DATABASE_URL=postgres://... (the bench makes <name>_jobs next to it)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("needs REDIS_URL (the jobs queue tasks)")
    os.environ["DATABASE_URL"] = own_database(os.environ["DATABASE_URL"], args.fresh)
    queue_name = f"bench-jobs-{uuid.uuid4().hex[:8]}"
    port = free_port()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="smartclusters.settings.local",
        DEBUG="false",
        CELERY_QUEUE=queue_name,
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        NOTIFICATIONS_DIGEST_HOUR="0",  # everybody's digest is due, whatever the hour
    )
    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", SINK],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        run(args, Queue, queue_name)
    finally:
        sink.terminate()
        sink.wait(10)


def run(args, queue_class, queue_name: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from notifications import tasks
    from notifications.models import DigestSent, Notification
    from smartclusters.celery import app

    app.conf.task_always_eager = False
    call_command("migrate", verbosity=0)
    seed(args)
    queue = queue_class(app, queue_name)
    queue.purge()
    warm_up()
    rows = []

    def line(name, objects, done, timed, queries, again=None):
        seconds, cpu = timed
        per_batch = queries / max(1, -(-objects // BATCH))
        rows.append((name, objects, done, seconds, cpu, queries, per_batch, again))
        print(
            f"{name}: {objects} objects, {done} done, {seconds:.2f} s ({cpu:.2f} s CPU), "
            f"{queries} queries",
            file=sys.stderr,
            flush=True,
        )

    for name in REMINDERS:
        if args.only and name not in args.only:
            continue

        def reset(name=name):
            Notification.objects.filter(kind=name).delete()
            queue.purge()

        seconds, cpu, created, queries = measure(
            lambda name=name: tasks.run_reminder(name), reset, args.repeat
        )
        again = tasks.run_reminder(name)  # the same period: nothing new
        queue.purge()
        objects = Notification.objects.filter(kind=name).values("target_key").distinct().count()
        line(name, objects, created, (seconds, cpu), queries, again)

    if not args.only or "requeue" in args.only:
        stale = Notification.objects.filter(dedupe_key__startswith="bench-stale:")
        seconds, cpu, queued, queries = measure(
            lambda: (tasks.requeue_stale_notifications(), queue.purge())[1],
            lambda: stale.update(email_state="pending", next_attempt_at=None),
            args.repeat,
        )
        line("outbox sweep (requeue_stale)", stale.count(), queued, (seconds, cpu), queries)

    if not args.only or "digest" in args.only:
        items = Notification.objects.filter(dedupe_key__startswith="bench-digest:")

        def reset_digest():
            DigestSent.objects.all().delete()
            items.update(email_state="digest", sent_at=None, attempts=0)
            queue.purge()

        def digest():
            tasks.send_daily_digests()
            queue.run_all()
            return items.filter(email_state="sent").values("recipient_id").distinct().count()

        people = items.values("recipient_id").distinct().count()
        seconds, cpu, sent, queries = measure(digest, reset_digest, args.repeat)
        again = tasks.send_daily_digests()
        queue.run_all()
        line("daily digest (people)", people, sent, (seconds, cpu), queries, again)

    print(
        f"\n{'job':32} {'objects':>8} {'done':>7} {'median s':>9} {'CPU s':>6} {'queries':>8} "
        f"{'q/' + str(BATCH):>7} {'again':>6}"
    )
    for name, objects, done, seconds, cpu, queries, per_batch, again in rows:
        again = "" if again is None else again
        print(
            f"{name:32} {objects:8d} {done:7d} {seconds:9.2f} {cpu:6.2f} {queries:8d} "
            f"{per_batch:7.1f} {again!s:>6}"
        )
    print(
        f"\n(median of {args.repeat}; 'done': notifications created, e-mails queued, or people"
        " e-mailed; 'again': what a second run in the same period did)"
    )


if __name__ == "__main__":
    main()
