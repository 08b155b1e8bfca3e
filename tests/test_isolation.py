"""The suite's own isolation: what one test leaves behind must not reach the next."""

import pytest
from celery import current_app
from django.core.management import call_command

from clusters.models import Ecosystem
from smartclusters.celery import app


@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_the_ecosystems_back_for_the_next_test():
    """A transactional test's teardown flushes every table; under xdist the next module
    on that worker may be a plain one that needs the ecosystems (migration data)."""
    call_command("flush", interactive=False, verbosity=0)
    assert sorted(Ecosystem.objects.values_list("code", flat=True)) == sorted(
        code for code, _ in Ecosystem.CODES
    )


def test_shared_tasks_still_resolve_to_the_projects_celery_app():
    """A test's bare ``Celery()`` client must not become the current app: shared tasks
    would then be sent by it (not eager, default queue) or be NotRegistered."""
    assert current_app._get_current_object() is app
