"""The "Your work" page asks the database a fixed number of questions, however long the
queues are (no query per item): for the secretariat and for a manager with data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchange.models import Application
from practices.services import practice_request_changes, practice_submit
from tests.exchange.steps import host_member, review, submit
from tests.factories import (
    ApplicationFactory,
    NotificationFactory,
    OfferFactory,
    OrganisationFactory,
    PracticeFactory,
    StaffFactory,
    TransferInterestFactory,
)
from tests.work import block, count_of

pytestmark = pytest.mark.django_db

# The whole page, with every queue registered: the session, the user, the header's
# unread count (once, however many blocks), then at most two questions per block (its
# count, then its oldest items, or whether the person has such a queue at all). The
# oldest items are two questions (their ids, then the rows: core.slices), and a person's
# own actions one more (the clusters they manage, as ids).
SECRETARIAT_MAX = 26
MANAGER_MAX = 23


def queries_for(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(queries)


def secretariat_queues(n, cluster, manager):
    for _ in range(n):
        practice_submit(practice=PracticeFactory(cluster=cluster, author=manager), actor=manager)
        application = submit(ApplicationFactory())
        review(application, host_member(application))
        NotificationFactory(email_state="failed", last_error="550")


def manager_queues(n, cluster, manager):
    moderator = StaffFactory()
    published = PracticeFactory(cluster=cluster, status="published")
    for _ in range(n):
        submit(ApplicationFactory(offer=OfferFactory(host=cluster)))
        practice = practice_submit(
            practice=PracticeFactory(cluster=cluster, author=manager), actor=manager
        )
        practice_request_changes(practice=practice, actor=moderator, comment="More, please.")
        TransferInterestFactory(practice=published)


def own_applications(manager):
    """The manager's own applications: a draft and a report due."""
    manager.organisation = OrganisationFactory(country="DE")
    manager.save(update_fields=["organisation"])
    own = submit(ApplicationFactory(applicant=manager))
    ApplicationFactory(applicant=manager)
    Application.objects.filter(pk=own.pk).update(
        status="report_due", report_due_at=timezone.now() - timedelta(days=2)
    )


def test_the_secretariats_page_does_not_grow_with_its_queues(
    client, secretariat, cluster, manager, django_assert_max_num_queries
):
    secretariat_queues(1, cluster, manager)
    few = queries_for(client, secretariat)
    secretariat_queues(6, cluster, manager)
    many = queries_for(client, secretariat)

    assert many == few
    with django_assert_max_num_queries(SECRETARIAT_MAX):
        page = client.get(reverse("dashboard")).content.decode()
    for name in ("practices-moderation", "exchange-decisions", "failed-emails"):
        assert count_of(block(page, name)) == 7


def test_a_managers_page_does_not_grow_with_its_queues(
    client, other_cluster, other_manager, django_assert_max_num_queries
):
    # A host in France: the factories' applicants come from Germany.
    own_applications(other_manager)
    manager_queues(1, other_cluster, other_manager)
    few = queries_for(client, other_manager)
    manager_queues(6, other_cluster, other_manager)
    many = queries_for(client, other_manager)

    assert many == few
    with django_assert_max_num_queries(MANAGER_MAX):
        page = client.get(reverse("dashboard")).content.decode()
    for name in ("exchange-reviews", "practices-sent-back", "practices-interests"):
        assert count_of(block(page, name)) == 7
    assert count_of(block(page, "exchange-reports")) == 1
    assert count_of(block(page, "exchange-applications")) == 1
