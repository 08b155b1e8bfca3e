"""A small, believable demo network: clusters, their teams, member SMEs, a join request,
a repository of best practices, the network's joint strategy (Plan of Actions) and
two rounds of ClusterXchange.

Each app seeds its own part (``<app>/demo.py``, its content in ``<app>/demo.toml``),
in the order of ``demo.steps``; all of it in one transaction. Every object is looked
up first and only created when missing, so a second run adds nothing.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from clusters.models import Cluster
from core.demo import DemoRun
from demo import steps


@contextmanager
def quiet_task_log() -> Iterator[None]:
    """In-process Celery logs a line for each e-mail task queued after commit (some
    sixty here, all skipped: see ``notifications.demo.no_email``); keep them out of
    the output."""
    logger = logging.getLogger("celery.app.trace")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = "Seed a small, believable demo network and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a cluster.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Cluster.objects.exists():
            self.stdout.write("The database already has clusters: no demo data added.")
            return
        run = DemoRun(password=settings.DEMO_PASSWORD)
        with quiet_task_log(), transaction.atomic():
            steps.seed(run)
        self._report(run)

    def _report(self, run: DemoRun) -> None:
        if run.created:
            summary = ", ".join(
                f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"
                for model, n in run.created.items()
            )
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {summary}."))
        else:
            self.stdout.write("Demo data already present: nothing added.")
        logins = steps.logins()
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        width = max(len(role) for role, _ in logins)
        for role, email in logins:
            self.stdout.write(f"  {role.ljust(width)}  {email}")
        self.stdout.write(f"  {'Password'.ljust(width)}  {settings.DEMO_PASSWORD}")
