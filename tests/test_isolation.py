"""The suite's own isolation: what one test leaves behind must not reach the next."""

import pytest
from celery import current_app
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import Ecosystem
from smartclusters.celery import app
from tests.factories import MembershipFactory, NotificationFactory


@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_the_ecosystems_back_for_the_next_test():
    """A transactional test's teardown flushes every table; under xdist the next module
    on that worker may be a plain one that needs the ecosystems (migration data)."""
    call_command("flush", interactive=False, verbosity=0)
    assert sorted(Ecosystem.objects.values_list("code", flat=True)) == sorted(
        code for code, _ in Ecosystem.CODES
    )


@pytest.mark.django_db(transaction=True)
def test_a_flush_deletes_every_row_without_truncating_the_tables():
    """A TRUNCATE makes new files for each of PostgreSQL's tables (about 2 s of every
    transactional test's teardown); the flush deletes the rows instead, in any order, the
    foreign keys checked at commit (``tests.flush``)."""
    membership = MembershipFactory(role="staff")
    NotificationFactory(recipient=membership.user)

    with CaptureQueriesContext(connection) as flush:  # as a transactional test's teardown
        call_command(
            "flush",
            interactive=False,
            verbosity=0,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )

    assert not [q["sql"] for q in flush.captured_queries if "TRUNCATE" in q["sql"].upper()]
    left = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    assert {label: n for label, n in left.items() if n} == {}


def test_shared_tasks_still_resolve_to_the_projects_celery_app():
    """A test's bare ``Celery()`` client must not become the current app: shared tasks
    would then be sent by it (not eager, default queue) or be NotRegistered."""
    assert current_app._get_current_object() is app
