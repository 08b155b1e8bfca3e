"""A person's organisation asks to join a cluster as a member organisation; the cluster's
managers accept (it becomes choosable as sending cluster) or decline."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import ClusterMembership, MemberOrganisationRequest
from clusters.services import (
    ALREADY_ASKED,
    ALREADY_MEMBER,
    NO_ORGANISATION,
    OWN_MEMBER_REQUEST,
    member_request_accept,
    member_request_decline,
    member_request_submit,
)
from core.models import AuditEvent
from exchange.selectors import clusters_of_member
from notifications.models import Notification
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.matrix import snapshot, snapshot_diff

pytestmark = pytest.mark.django_db


@pytest.fixture
def sme_person():
    organisation = OrganisationFactory(name="Acme Mobility GmbH")
    return UserFactory(email="ana@acme.example.org", name="Ana Acme", organisation=organisation)


def _ask(user, cluster, message=""):
    return member_request_submit(cluster=cluster, requester=user, message=message)


def test_asking_records_and_tells_the_managers_only(sme_person, cluster, manager, staff_member):
    member_request = _ask(sme_person, cluster, "We build e-bus chargers.")

    assert member_request.status == "pending"
    assert member_request.organisation == sme_person.organisation
    told = Notification.objects.filter(kind="clusters.memberrequest_submitted")
    assert [n.recipient for n in told] == [manager]
    assert told[0].link == reverse("clusters:member_requests", kwargs={"slug": cluster.slug})
    assert "Acme Mobility GmbH" in told[0].subject
    assert AuditEvent.objects.filter(verb="memberrequest.submit", actor=sme_person).exists()


def test_accepting_adds_the_organisation_and_makes_the_cluster_a_sending_cluster(
    sme_person, cluster, manager
):
    # The application form offers these as "Sending cluster".
    assert cluster not in clusters_of_member(user=sme_person)

    member_request_accept(member_request=_ask(sme_person, cluster), actor=manager)

    assert sme_person.organisation in cluster.member_organisations.all()
    assert cluster in clusters_of_member(user=sme_person)
    assert Notification.objects.filter(
        recipient=sme_person, kind="clusters.memberrequest_accepted"
    ).exists()
    assert AuditEvent.objects.filter(verb="memberrequest.accepted", actor=manager).exists()
    assert AuditEvent.objects.filter(
        verb="cluster.member_organisation_add",
        changes={"member_organisations": ["", "Acme Mobility GmbH"]},
    ).exists()


def test_declining_tells_the_requester_the_reason_and_adds_nothing(sme_person, cluster, manager):
    member_request_decline(
        member_request=_ask(sme_person, cluster), actor=manager, reason="Only Bavarian firms."
    )

    assert not cluster.member_organisations.exists()
    told = Notification.objects.get(recipient=sme_person, kind="clusters.memberrequest_declined")
    assert "Only Bavarian firms." in told.body


@pytest.mark.parametrize("situation", ["member", "pending"])
def test_a_duplicate_request_is_refused_clearly_and_changes_nothing(
    sme_person, cluster, manager, situation
):
    if situation == "member":
        cluster.member_organisations.add(sme_person.organisation)
        expected = ALREADY_MEMBER
    else:
        _ask(sme_person, cluster)
        expected = ALREADY_ASKED
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        _ask(sme_person, cluster)

    names = {"organisation": "Acme Mobility GmbH", "cluster": cluster.name}
    assert refused.value.messages == [expected % names]
    assert not snapshot_diff(before, snapshot())


def test_a_colleague_of_the_same_organisation_cannot_ask_twice(sme_person, cluster):
    _ask(sme_person, cluster)
    colleague = UserFactory(organisation=sme_person.organisation)
    with pytest.raises(ValidationError):
        _ask(colleague, cluster)
    assert MemberOrganisationRequest.objects.count() == 1


def test_a_person_without_organisation_is_told_to_name_it_first(member, cluster):
    with pytest.raises(ValidationError) as refused:
        _ask(member, cluster)
    assert refused.value.messages == [str(NO_ORGANISATION)]


def test_only_the_clusters_managers_decide_and_never_their_own_request(
    sme_person, cluster, other_manager, staff_member
):
    member_request = _ask(sme_person, cluster)
    for outsider in (other_manager, staff_member, sme_person):
        with pytest.raises(PermissionDenied):
            member_request_accept(member_request=member_request, actor=outsider)
    manager_of_her_own = MembershipFactory(cluster=cluster, user=sme_person)
    with pytest.raises(ValidationError) as refused:
        member_request_accept(member_request=member_request, actor=manager_of_her_own.user)
    assert refused.value.messages == [str(OWN_MEMBER_REQUEST)]
    member_request.refresh_from_db()
    assert member_request.status == "pending"


def test_a_decided_request_cannot_be_decided_again(sme_person, cluster, manager):
    member_request = member_request_accept(member_request=_ask(sme_person, cluster), actor=manager)
    with pytest.raises(ValidationError):
        member_request_decline(member_request=member_request, actor=manager)
    member_request.refresh_from_db()
    assert member_request.status == "accepted"


# --- pages ---------------------------------------------------------------------------------
def test_the_cluster_profile_offers_to_ask_then_says_it_is_waiting(login, sme_person, cluster):
    client = login(sme_person)
    ask_url = reverse("clusters:member_request", kwargs={"slug": cluster.slug})
    assert ask_url in client.get(cluster.get_absolute_url()).content.decode()

    response = client.post(ask_url, {"message": "We build chargers."})

    assert response.status_code == 302
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert ask_url not in page
    assert "has asked to join this cluster" in page


def test_asking_twice_through_the_page_says_so_and_changes_nothing(login, sme_person, cluster):
    client = login(sme_person)
    url = reverse("clusters:member_request", kwargs={"slug": cluster.slug})
    client.post(url, {"message": ""})
    before = snapshot()

    response = client.post(url, {"message": "Again."})

    assert response.status_code == 400
    assert "has already asked to join" in response.content.decode()
    assert not snapshot_diff(before, snapshot())


def test_the_manager_accepts_in_the_queue(login, sme_person, cluster, manager):
    member_request = _ask(sme_person, cluster, "We build chargers.")
    client = login(manager)
    url = reverse("clusters:member_requests", kwargs={"slug": cluster.slug})
    page = client.get(url).content.decode()
    assert "Acme Mobility GmbH" in page
    assert "We build chargers." in page

    response = client.post(
        url, {"request": member_request.pk, f"request-{member_request.pk}-decision": "accept"}
    )

    assert response.status_code == 302
    assert sme_person.organisation in cluster.member_organisations.all()


def test_a_manager_of_another_cluster_cannot_see_or_decide_its_requests(
    login, sme_person, cluster, other_manager
):
    member_request = _ask(sme_person, cluster)
    client = login(other_manager)
    url = reverse("clusters:member_requests", kwargs={"slug": cluster.slug})
    assert client.get(url).status_code == 403
    data = {"request": member_request.pk, f"request-{member_request.pk}-decision": "accept"}
    assert client.post(url, data).status_code == 403
    # Nor through their own cluster's queue, by changing the id.
    own = reverse("clusters:member_requests", kwargs={"slug": other_manager.clusters.get().slug})
    assert client.post(own, data).status_code == 404
    member_request.refresh_from_db()
    assert member_request.status == "pending"


def test_the_profile_says_which_clusters_the_organisation_belongs_to_or_asked(
    login, sme_person, cluster, other_cluster
):
    cluster.member_organisations.add(sme_person.organisation)
    _ask(sme_person, other_cluster)

    page = login(sme_person).get(reverse("accounts:profile")).content.decode()

    assert "Clusters of Acme Mobility GmbH" in page
    assert cluster.get_absolute_url() in page
    assert other_cluster.name in page
    assert "Waiting for the cluster" in page


def test_your_work_shows_a_manager_the_organisations_waiting(login, sme_person, cluster, manager):
    _ask(sme_person, cluster)
    page = login(manager).get(reverse("dashboard")).content.decode()
    assert "Organisations asking to join your cluster" in page
    assert "Acme Mobility GmbH" in page


def test_the_managers_queue_has_a_fixed_number_of_queries(
    login, cluster, manager, django_assert_max_num_queries
):
    for n in range(8):
        person = UserFactory(organisation=OrganisationFactory())
        _ask(person, cluster, f"Message {n}")
    client = login(manager)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("clusters:member_requests", kwargs={"slug": cluster.slug}))
    assert response.status_code == 200


def test_the_member_requests_block_costs_the_same_for_2_or_8_requests(
    client, cluster, manager, django_assert_num_queries
):
    client.force_login(manager)
    for _n in range(2):
        _ask(UserFactory(organisation=OrganisationFactory()), cluster)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard"))
    for _n in range(6):
        _ask(UserFactory(organisation=OrganisationFactory()), cluster)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("dashboard"))


def test_the_managers_ask_is_done_once_one_of_them_decides(sme_person, cluster, manager):
    other_manager = UserFactory(email="second@example.org")
    ClusterMembership.objects.create(cluster=cluster, user=other_manager, role="manager")
    member_request = _ask(sme_person, cluster)
    asks = Notification.objects.filter(kind="clusters.memberrequest_submitted")
    assert asks.count() == 2
    assert all(ask.is_new for ask in asks)

    member_request_accept(member_request=member_request, actor=manager)

    assert not any(ask.is_new for ask in asks.all())
    assert all(ask.is_done for ask in asks.all())
