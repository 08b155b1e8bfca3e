"""Benchmark: how late are e-mails when many go to the same people at once?

    DATABASE_URL=postgres://... REDIS_URL=redis://... \\
        python bench/delivery.py [--people 4] [--rounds 40] [--interval 0.3] [--smtp-ms 150]

Needs PostgreSQL (row locks) and Redis. Starts an SMTP server that takes
``--smtp-ms`` per message and a Celery worker (prefork, ``--concurrency``) on a
queue of its own, then tells each of ``--people`` people something ``--rounds``
times, a round every ``--interval`` seconds (each round a committed change, each
e-mail queued at commit as in production). No beat runs: an e-mail the worker gave
up on stays pending for the periodic sweep (minutes in production), and is counted.

Prints the delay from the notification's creation to its e-mail being sent
(median, p99, max), how many e-mails are still pending once the worker is idle,
and whether any notification was e-mailed twice; and how long each change that
notifies took to commit (it waits if a delivery locks the person's row).

Throughput mode::

    python bench/delivery.py --throughput 2000 [--concurrency 1] [--repeat 3]

writes ``--throughput`` pending notifications (to as many people, round robin over
200), queues them as the outbox does at commit, and times from the first queued to
the last e-mail the sink accepted: e-mails per second for one worker with the default
prefork concurrency (the machine's cores; ``--concurrency 0``) or the given one. The
SMTP sink accepts each message at once. Checks that each was e-mailed exactly once.
"""

import argparse
import logging
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class SlowSMTP:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.subjects: list[str] = []
        self.accepted: list[float] = []

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.seconds:
            await asyncio.sleep(self.seconds)
        self.accepted.append(time.monotonic())
        for line in envelope.content.decode(errors="replace").splitlines():
            if line.startswith("Subject:"):
                self.subjects.append(f"{envelope.rcpt_tos} {line}")
                break
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--smtp-ms", type=int, default=150)
    parser.add_argument("--interval", type=float, default=0.3, help="seconds between rounds")
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument(
        "--throughput", type=int, default=0, help="e-mails for the throughput mode (0: off)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="throughput runs (median)")
    args = parser.parse_args()
    if args.throughput:
        args.smtp_ms = 0
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("needs DATABASE_URL=postgres://... (row locks)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("needs REDIS_URL")
    # Its own database, next to DATABASE_URL's, as the sweeps' (created when missing).
    from bench.sweeps import own_database

    os.environ["DATABASE_URL"] = own_database(os.environ["DATABASE_URL"], fresh=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartclusters.settings.local")
    os.environ["DEBUG"] = "false"

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import User
    from notifications.models import Notification
    from notifications.services import notify
    from smartclusters.celery import app

    call_command("migrate", verbosity=0)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-message lines
    run = uuid.uuid4().hex[:8]
    smtp = SlowSMTP(args.smtp_ms / 1000)
    port = free_port()
    controller = Controller(smtp, hostname="127.0.0.1", port=port)
    controller.start()
    queue = f"bench-{run}"
    env = {
        **os.environ,
        "CELERY_QUEUE": queue,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
    }
    command = [sys.executable, "-m", "celery", "-A", "smartclusters", "worker", "-l", "warning"]
    if args.concurrency:  # 0: Celery's default (the number of cores)
        command += ["--concurrency", str(args.concurrency)]
    command += ["-Q", queue, "-n", f"{queue}@%h"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 240
        while not app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                sys.exit("the worker did not start")
        if args.throughput:
            throughput(args, run, smtp)
            return
        people = [
            User.objects.create_user(email=f"bench-{run}-{n}@example.org", password=None)
            for n in range(args.people)
        ]
        started = time.monotonic()
        ids, writes = [], []
        for r in range(args.rounds):
            due = started + r * args.interval
            time.sleep(max(0.0, due - time.monotonic()))
            write_started = time.monotonic()
            with transaction.atomic():
                ids += [
                    n.pk
                    for n in notify(
                        recipients=people,
                        kind="clusters.joinrequest_rejected",
                        context={"join_request": {"name": f"{run} {r}", "rejection_reason": "-"}},
                        link="/accounts/profile/",
                    )
                ]
            writes.append(time.monotonic() - write_started)
        rows = Notification.objects.filter(pk__in=ids)
        idle_since, last = time.monotonic(), -1
        while True:  # until every e-mail is out, or nothing changed for a while
            sent = rows.filter(email_state="sent").count()
            if sent != last:
                idle_since, last = time.monotonic(), sent
            if sent == len(ids) or time.monotonic() - idle_since > args.idle_seconds:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        delays = sorted(
            (n.sent_at - n.created).total_seconds()
            for n in rows.filter(email_state="sent").only("created", "sent_at")
        )
        pending = rows.filter(email_state="pending").count()
        doubled = sum(1 for c in Counter(smtp.subjects).values() if c > 1)
        p99 = delays[max(0, int(len(delays) * 0.99) - 1)] if delays else float("nan")
        print(
            f"{len(ids)} e-mails to {args.people} people, worker concurrency "
            f"{args.concurrency}, SMTP {args.smtp_ms} ms/message, a round every "
            f"{args.interval}s, {elapsed:.1f}s"
        )
        writes.sort()
        print(
            f"the change that notifies (one commit per round): median "
            f"{statistics.median(writes) * 1000:.0f} ms, max {writes[-1] * 1000:.0f} ms"
        )
        print(
            f"sent {len(delays)}: delay median {statistics.median(delays):.2f}s, "
            f"p99 {p99:.2f}s, max {delays[-1]:.2f}s"
            if delays
            else "sent 0"
        )
        print(f"still pending (left to the sweep): {pending}; e-mailed twice: {doubled}")
    finally:
        worker.terminate()
        worker.wait(30)
        controller.stop()


def throughput(args, run: str, smtp: SlowSMTP) -> None:
    from accounts.models import User
    from notifications.models import Notification
    from notifications.services import enqueue_delivery

    people = User.objects.bulk_create(
        [User(email=f"bench-{run}-{n}@example.org", password="!") for n in range(200)]  # noqa: S106
    )
    results = []
    for r in range(args.repeat):
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=people[n % len(people)],
                    kind="clusters.joinrequest_rejected",
                    subject=f"Throughput {run} {r} {n}",
                    body="Your cluster's join request was turned down.\n" * 5,
                    link="/accounts/profile/",
                )
                for n in range(args.throughput)
            ]
        )
        ids = [n.pk for n in rows]
        smtp.accepted.clear()
        smtp.subjects.clear()
        started = time.monotonic()
        enqueue_delivery(ids)
        queued = time.monotonic() - started
        idle_since, last = time.monotonic(), -1
        while len(smtp.accepted) < len(ids):
            if len(smtp.accepted) != last:
                idle_since, last = time.monotonic(), len(smtp.accepted)
            if time.monotonic() - idle_since > args.idle_seconds:
                break
            time.sleep(0.05)
        time.sleep(0.5)  # the rows' commit after the last accept
        accepted = len(smtp.accepted)
        elapsed = (smtp.accepted[-1] if smtp.accepted else time.monotonic()) - started
        sent = Notification.objects.filter(pk__in=ids, email_state="sent").count()
        doubled = sum(1 for c in Counter(smtp.subjects).values() if c > 1)
        results.append(accepted / elapsed)
        print(
            f"run {r + 1}: {accepted}/{len(ids)} accepted in {elapsed:.2f}s "
            f"({accepted / elapsed:.0f} e-mails/s; queued in {queued:.2f}s); rows sent {sent}; "
            f"e-mailed twice {doubled}"
        )
    concurrency = args.concurrency or f"default ({os.cpu_count()})"
    print(
        f"throughput, worker concurrency {concurrency}: median "
        f"{statistics.median(results):.0f} e-mails/s over {args.repeat} runs of {args.throughput}"
    )


if __name__ == "__main__":
    main()
