"""The queues the whole secretariat shares on "Your work" (decisions, moderation, join
requests, overdue actions) and the decisions page are rendered once for the secretariat
and kept under the page cache's generation: another secretariat member's page reads none
of them again, a write shows at once, and nobody outside the secretariat ever gets them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan.models import Strategy
from exchange.models import Application
from practices.services import practice_submit
from tests.exchange.steps import host_member, review, submit
from tests.factories import ApplicationFactory, PracticeFactory, StaffFactory
from tests.work import block, count_of

pytestmark = pytest.mark.django_db

SHARED = ("practices-moderation", "exchange-decisions", "join-requests", "actionplan-overdue")
# What the shared queues ask (the rest of the page is the person's own queues).
SHARED_QUESTIONS = {
    "moderation": lambda sql: (
        """FROM "practices_practice" WHERE "practices_practice"."status" = 'submitted'""" in sql
    ),
    "decisions": lambda sql: "IN ('host_accepted', 'host_declined')" in sql,
    "join requests": lambda sql: "clusters_joinrequest" in sql,
    "overdue": lambda sql: "actionplan_action" in sql and "owner_id" not in sql,
}


def _page(user) -> tuple[str, list[dict]]:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode(), queries.captured_queries


def test_a_second_secretariat_member_reads_the_shared_queues_from_the_cache(
    secretariat, cluster, manager
):
    practice_submit(practice=PracticeFactory(cluster=cluster, author=manager), actor=manager)
    Strategy.objects.create(
        title="Joint strategy", vision="Together.", start_year=2025, end_year=2028, status="adopted"
    )
    colleague = StaffFactory(email="colleague@example.org")
    cache.clear()
    first, cold = _page(secretariat)
    second, warm = _page(colleague)
    for name in SHARED:
        assert block(second, name) == block(first, name), name
    assert count_of(block(second, "practices-moderation")) == 1
    for name, asks in SHARED_QUESTIONS.items():
        assert [q for q in cold if asks(q["sql"])], name
        assert not [q for q in warm if asks(q["sql"])], name
    assert len(warm) < len(cold)


def test_a_new_item_shows_at_once_in_the_shared_queue(secretariat, cluster, manager):
    cache.clear()
    before, _ = _page(secretariat)
    assert count_of(block(before, "practices-moderation")) == 0
    practice_submit(practice=PracticeFactory(cluster=cluster, author=manager), actor=manager)
    after, _ = _page(secretariat)
    assert count_of(block(after, "practices-moderation")) == 1


def test_nobody_outside_the_secretariat_gets_its_queues(secretariat, manager, member):
    cache.clear()
    _page(secretariat)
    for person in (manager, member):
        page, _ = _page(person)
        for name in SHARED:
            assert block(page, name) is None, (person, name)


def test_the_decisions_page_is_shared_by_the_secretariat_and_never_stale(secretariat):
    application = submit(ApplicationFactory())
    review(application, host_member(application))
    colleague = StaffFactory(email="colleague@example.org")
    url = reverse("exchange:decisions")
    cache.clear()

    def page(user):
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), queries.captured_queries

    first, cold = page(secretariat)
    second, warm = page(colleague)
    assert application.reference in first
    assert application.reference in second
    assert [q for q in cold if "exchange_application" in q["sql"]]
    assert not [q for q in warm if "exchange_application" in q["sql"]]
    # Decided (a write): the queue shows it at once.
    Application.objects.filter(pk=application.pk).update(status="approved")
    third, _ = page(colleague)
    assert application.reference not in third
