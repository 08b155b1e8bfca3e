"""The secretariat decides join requests on the site (a queue, a page, Approve / Reject)
and on the admin's page of a request, through the same services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.models import Cluster, JoinRequest
from clusters.notifications import JOIN_REQUEST_SUBMITTED
from clusters.services import OWN_JOIN_REQUEST, join_request_approve, join_request_reject
from core.models import AuditEvent
from notifications.models import Notification
from notifications.services import notify
from tests.factories import JoinRequestFactory, StaffFactory, UserFactory
from tests.matrix import snapshot, snapshot_diff

pytestmark = pytest.mark.django_db


def _aged(join_request, days):
    JoinRequest.objects.filter(pk=join_request.pk).update(
        created=timezone.now() - timedelta(days=days)
    )
    return join_request


def test_the_queue_lists_the_waiting_requests_oldest_first(login, secretariat):
    newer = _aged(JoinRequestFactory(name="Newer Cluster"), 1)
    older = _aged(JoinRequestFactory(name="Older Cluster"), 9)
    JoinRequestFactory(name="Decided Cluster", status="rejected", rejection_reason="No.")

    page = login(secretariat).get(reverse("clusters:join_requests")).content.decode()

    assert page.index("Older Cluster") < page.index("Newer Cluster")
    assert "Decided Cluster" not in page
    assert reverse("clusters:join_request_detail", args=[older.pk]) in page
    assert reverse("clusters:join_request_detail", args=[newer.pk]) in page


def test_the_request_page_shows_the_whole_request_and_both_decisions(login, secretariat):
    jr = JoinRequestFactory(
        name="Porto Energy", motivation="We run 12 energy communities.", needs="Partners."
    )

    page = login(secretariat).get(reverse("clusters:join_request_detail", args=[jr.pk]))

    html = page.content.decode()
    assert "We run 12 energy communities." in html
    assert jr.contact_email in html
    assert "Partners." in html
    assert f'action="{reverse("clusters:join_request_approve", args=[jr.pk])}"' in html
    assert f'action="{reverse("clusters:join_request_reject", args=[jr.pk])}"' in html


def test_approving_on_the_site_creates_the_cluster_records_and_tells_the_requester(
    login, secretariat
):
    jr = JoinRequestFactory(name="Porto Energy")

    response = login(secretariat).post(reverse("clusters:join_request_approve", args=[jr.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("clusters:join_requests")
    jr.refresh_from_db()
    assert jr.status == "approved"
    assert jr.decided_by == secretariat
    assert Cluster.objects.filter(name="Porto Energy").exists()
    assert AuditEvent.objects.filter(verb="joinrequest.approve", actor=secretariat).exists()
    assert Notification.objects.filter(
        recipient=jr.requester, kind="clusters.joinrequest_approved"
    ).exists()


def test_rejecting_on_the_site_needs_a_reason_and_changes_nothing_without_it(login, secretariat):
    jr = JoinRequestFactory()
    client = login(secretariat)
    before = snapshot()

    response = client.post(reverse("clusters:join_request_reject", args=[jr.pk]), {"reason": ""})

    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    assert not snapshot_diff(before, snapshot())

    response = client.post(
        reverse("clusters:join_request_reject", args=[jr.pk]), {"reason": "Outside Europe."}
    )
    assert response.status_code == 302
    jr.refresh_from_db()
    assert (jr.status, jr.rejection_reason) == ("rejected", "Outside Europe.")
    assert Notification.objects.filter(
        recipient=jr.requester, kind="clusters.joinrequest_rejected"
    ).exists()


def test_nobody_decides_their_own_join_request(login):
    coordinator = StaffFactory(email="coordinator@example.org")
    jr = JoinRequestFactory(requester=coordinator)
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        join_request_approve(join_request=jr, actor=coordinator)
    assert refused.value.messages == [str(OWN_JOIN_REQUEST)]
    with pytest.raises(ValidationError) as refused:
        join_request_reject(join_request=jr, actor=coordinator, reason="Mine.")
    assert refused.value.messages == [str(OWN_JOIN_REQUEST)]

    client = login(coordinator)
    page = client.get(reverse("clusters:join_request_detail", args=[jr.pk])).content.decode()
    assert "another member of the secretariat decides it" in page
    assert reverse("clusters:join_request_approve", args=[jr.pk]) not in page
    response = client.post(reverse("clusters:join_request_approve", args=[jr.pk]), follow=True)
    assert str(OWN_JOIN_REQUEST) in response.content.decode()
    assert not snapshot_diff(before, snapshot())


def test_a_decided_request_cannot_be_decided_again_on_the_site(login, secretariat):
    jr = JoinRequestFactory(status="rejected", rejection_reason="No.")
    before = snapshot()

    response = login(secretariat).post(
        reverse("clusters:join_request_approve", args=[jr.pk]), follow=True
    )

    assert "already been decided" in response.content.decode()
    assert not snapshot_diff(before, snapshot())


def test_a_member_cannot_see_or_decide_join_requests(login, member):
    jr = JoinRequestFactory()
    client = login(member)
    assert client.get(reverse("clusters:join_requests")).status_code == 403
    assert client.get(reverse("clusters:join_request_detail", args=[jr.pk])).status_code == 403
    assert client.post(reverse("clusters:join_request_approve", args=[jr.pk])).status_code == 403
    jr.refresh_from_db()
    assert jr.status == "submitted"


def test_the_queue_page_has_a_fixed_number_of_queries(
    login, secretariat, django_assert_max_num_queries
):
    JoinRequestFactory.create_batch(12)
    client = login(secretariat)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("clusters:join_requests")).status_code == 200


# --- the admin's page of a join request ------------------------------------------------
def test_the_admin_page_of_a_request_has_approve_and_reject(client, secretariat):
    jr = JoinRequestFactory()
    client.force_login(secretariat)

    page = client.get(reverse("admin:clusters_joinrequest_change", args=[jr.pk])).content.decode()

    assert f'action="{reverse("admin:clusters_joinrequest_approve", args=[jr.pk])}"' in page
    assert f'action="{reverse("admin:clusters_joinrequest_reject", args=[jr.pk])}"' in page


def test_approving_from_the_admin_page_uses_the_service(client, secretariat):
    jr = JoinRequestFactory(name="Admin Approved")
    client.force_login(secretariat)

    response = client.post(reverse("admin:clusters_joinrequest_approve", args=[jr.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:clusters_joinrequest_change", args=[jr.pk])
    jr.refresh_from_db()
    assert jr.status == "approved"
    assert AuditEvent.objects.filter(verb="joinrequest.approve", actor=secretariat).exists()
    assert Notification.objects.filter(kind="clusters.joinrequest_approved").exists()


def test_rejecting_from_the_admin_page_without_a_reason_changes_nothing(client, secretariat):
    jr = JoinRequestFactory()
    client.force_login(secretariat)
    before = snapshot()

    response = client.post(
        reverse("admin:clusters_joinrequest_reject", args=[jr.pk]), {"reason": ""}, follow=True
    )

    assert "Give the reason for the rejection" in response.content.decode()
    assert not snapshot_diff(before, snapshot())
    client.post(reverse("admin:clusters_joinrequest_reject", args=[jr.pk]), {"reason": "Too far."})
    jr.refresh_from_db()
    assert (jr.status, jr.rejection_reason) == ("rejected", "Too far.")


def test_the_admin_decision_urls_refuse_get(client, secretariat):
    jr = JoinRequestFactory()
    client.force_login(secretariat)
    assert (
        client.get(reverse("admin:clusters_joinrequest_approve", args=[jr.pk])).status_code == 405
    )


# --- "Your work" -------------------------------------------------------------------------
def test_your_work_shows_the_secretariat_the_join_requests_waiting_oldest_first(login, secretariat):
    _aged(JoinRequestFactory(name="Second In Line"), 2)
    _aged(JoinRequestFactory(name="First In Line"), 8)

    page = login(secretariat).get(reverse("dashboard")).content.decode()

    assert "Join requests to decide" in page
    assert page.index("First In Line") < page.index("Second In Line")
    assert reverse("clusters:join_requests") in page


def test_your_work_has_no_join_request_block_for_a_member(login):
    JoinRequestFactory(name="Somebody Else's")
    page = login(UserFactory()).get(reverse("dashboard")).content.decode()
    assert "Join requests to decide" not in page


def test_the_join_request_block_costs_the_same_for_3_or_12_requests(
    client, secretariat, django_assert_num_queries
):
    client.force_login(secretariat)
    JoinRequestFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard"))
    JoinRequestFactory.create_batch(9)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("dashboard"))


def test_approving_on_the_site_marks_the_secretariats_ask_done(login, secretariat, member):
    colleague = StaffFactory(email="colleague@example.org")
    jr = JoinRequestFactory(requester=member)
    notify(
        recipients=[secretariat, colleague],
        kind=JOIN_REQUEST_SUBMITTED.name,
        context={"join_request": jr},
    )
    asks = Notification.objects.filter(kind=JOIN_REQUEST_SUBMITTED.name)
    assert [ask.is_new for ask in asks] == [True, True]

    login(secretariat).post(reverse("clusters:join_request_approve", args=[jr.pk]))

    assert [ask.is_done for ask in asks.all()] == [True, True]
    assert not any(ask.is_new for ask in asks.all())
