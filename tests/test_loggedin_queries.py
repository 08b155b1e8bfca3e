"""Issue 15: the logged-in pages this work changed ask the database a fixed number of
questions at two sizes (no query per row, however many notifications, applications or
clusters there are)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import Cluster
from practices.services import practice_submit
from tests.exchange.steps import host_member, review, submit
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CallFactory,
    ClusterFactory,
    NotificationFactory,
    OfferFactory,
    PracticeFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _clusters(n):
    Cluster.objects.bulk_create(
        Cluster(name=f"Many {i}", slug=f"many-{i}", country="DE", contact_email="m@x.org")
        for i in range(n)
    )


def test_the_inbox_asks_the_same_at_two_sizes(client, member):
    client.force_login(member)
    NotificationFactory.create_batch(3, recipient=member)
    small = queries(client, reverse("notifications:inbox"))
    NotificationFactory.create_batch(40, recipient=member)
    assert queries(client, reverse("notifications:inbox")) == small
    assert queries(client, reverse("notifications:inbox") + "?page=2") == small
    # the session, the user, the page's count and rows, the header's unread count
    assert small <= 5


def test_the_decisions_page_asks_the_same_at_two_sizes(client, secretariat):
    client.force_login(secretariat)

    def waiting(n):
        for _ in range(n):
            application = submit(ApplicationFactory())
            review(application, host_member(application))

    waiting(1)
    small = queries(client, reverse("exchange:decisions"))
    waiting(6)
    assert queries(client, reverse("exchange:decisions")) == small


def test_the_action_form_asks_the_same_however_many_clusters(client, secretariat, world):
    client.force_login(secretariat)
    action = world.plan["action"]
    url = reverse("actionplan:action_edit", args=[action.pk])
    small = queries(client, url)
    _clusters(50)
    action.partners.add(*ClusterFactory.create_batch(4))
    assert queries(client, url) == small
    assert queries(client, reverse("actionplan:action_new")) <= small


def test_applying_to_any_host_asks_the_same_however_many_clusters(client):
    call = CallFactory(open_applications=True)
    OfferFactory(call=call)
    client.force_login(ApplicantFactory())
    url = reverse("exchange:application_new") + f"?call={call.pk}"
    small = queries(client, url)
    _clusters(60)
    assert queries(client, url) == small


def test_the_moderation_queue_asks_the_same_at_two_sizes(client, secretariat, cluster, manager):
    client.force_login(secretariat)

    def waiting(n):
        for _ in range(n):
            practice = PracticeFactory(cluster=cluster, author=manager)
            practice_submit(practice=practice, actor=manager)

    waiting(1)
    small = queries(client, reverse("practices:moderation"))
    waiting(6)
    page = client.get(reverse("practices:moderation")).content.decode()
    assert queries(client, reverse("practices:moderation")) == small
    # Each row still shows its cluster, category and waiting time.
    assert page.count(cluster.name) >= 7
