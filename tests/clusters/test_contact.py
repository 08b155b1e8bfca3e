"""Writing to a cluster's managers from its profile: through notifications, no address
shown, the sender's identity with the message, signed-in and rate-limited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clusters.models import Cluster, ClusterMembership
from clusters.notifications import CLUSTER_CONTACTED
from clusters.services.contact import (
    CONTACT_EMPTY,
    CONTACT_MESSAGE_MAX,
    CONTACT_NO_MANAGER,
    cluster_contact,
)
from core.models import AuditEvent
from notifications.models import Notification
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.matrix import snapshot, snapshot_diff

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(db):
    return UserFactory(
        email="ana@porto.example.org",
        name="Ana Sousa",
        organisation=OrganisationFactory(name="Porto Digital"),
    )


def contact_url(cluster):
    return reverse("clusters:contact", kwargs={"slug": cluster.slug})


def test_the_profile_has_a_contact_button_and_shows_no_address(client, cluster, manager):
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert f'href="{contact_url(cluster)}"' in html
    assert "Contact the cluster" in html
    assert cluster.contact_email not in html
    assert manager.email not in html
    assert "mailto:" not in html


def test_the_contact_button_comes_before_the_description(client, cluster, manager):
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert html.index("Contact the cluster") < html.index('id="about-heading"')


def test_a_visitor_is_sent_to_sign_in_and_then_back(client, cluster):
    response = client.get(contact_url(cluster))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={contact_url(cluster)}"


def test_the_form_shows_no_address_of_the_cluster_or_its_managers(login, sender, cluster, manager):
    html = login(sender).get(contact_url(cluster)).content.decode()
    assert 'name="message"' in html
    assert cluster.contact_email not in html
    assert manager.email not in html
    # The sender is told which of their addresses the managers will answer to.
    assert sender.email in html


def test_a_message_reaches_every_manager_with_the_senders_identity(login, sender, cluster, manager):
    second = MembershipFactory(cluster=cluster, user__email="second@example.org").user
    staff = MembershipFactory(cluster=cluster, role="staff").user
    response = login(sender).post(
        contact_url(cluster), {"message": "Could we visit your test bed in May?"}
    )
    assert response.status_code == 302
    assert response["Location"] == cluster.get_absolute_url()
    sent = Notification.objects.filter(kind=CLUSTER_CONTACTED.name)
    assert {n.recipient for n in sent} == {manager, second}
    assert staff not in {n.recipient for n in sent}
    for notification in sent:
        assert "Could we visit your test bed in May?" in notification.body
        assert "Ana Sousa" in notification.subject
        assert "Porto Digital" in notification.subject
        assert "ana@porto.example.org" in notification.body
        assert notification.link == cluster.get_absolute_url()
    event = AuditEvent.objects.get(verb="cluster.contact")
    assert event.actor == sender
    assert event.object_id == str(cluster.pk)
    assert event.comment == "Could we visit your test bed in May?"
    followed = login(sender).get(response["Location"])
    assert "Your message has been sent to the managers" in followed.content.decode()


def test_an_inactive_manager_gets_nothing(sender, cluster, manager):
    gone = MembershipFactory(cluster=cluster, user__is_active=False).user
    recipients = cluster_contact(cluster=cluster, sender=sender, message="Hello")
    assert recipients == [manager]
    assert not Notification.objects.filter(recipient=gone).exists()


@pytest.mark.parametrize(
    ("message", "error"),
    [("", "This field is required."), ("   \n ", "This field is required.")],
)
def test_an_empty_message_is_refused_and_nothing_is_sent(
    login, sender, cluster, manager, message, error
):
    before = snapshot()
    response = login(sender).post(contact_url(cluster), {"message": message})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert 'id="id_message_error"' in response.content.decode()
    assert not snapshot_diff(before, snapshot())


def test_a_too_long_message_is_refused_clearly_and_kept_in_the_form(
    login, sender, cluster, manager
):
    long = "x" * (CONTACT_MESSAGE_MAX + 1)
    before = snapshot()
    response = login(sender).post(contact_url(cluster), {"message": long})
    html = response.content.decode()
    assert response.status_code == 400
    assert f"at most {CONTACT_MESSAGE_MAX:,} characters" in html or (
        f"at most {CONTACT_MESSAGE_MAX} characters" in html
    )
    assert long in html  # what was typed is still there to shorten
    assert not snapshot_diff(before, snapshot())


def test_the_service_refuses_empty_and_too_long_messages(sender, cluster, manager):
    with pytest.raises(ValidationError) as empty:
        cluster_contact(cluster=cluster, sender=sender, message="  ")
    assert empty.value.message_dict["message"] == [str(CONTACT_EMPTY)]
    with pytest.raises(ValidationError):
        cluster_contact(cluster=cluster, sender=sender, message="y" * (CONTACT_MESSAGE_MAX + 1))
    assert not Notification.objects.exists()


def test_a_cluster_without_a_manager_says_so_instead_of_sending(login, sender):
    lonely = ClusterFactory(name="Lonely Cluster")
    MembershipFactory(cluster=lonely, role=ClusterMembership.Role.STAFF)
    client = login(sender)
    page = client.get(contact_url(lonely)).content.decode()
    assert "has no manager on the site yet" in page
    assert 'name="message"' not in page
    before = snapshot()
    response = client.post(contact_url(lonely), {"message": "Anyone there?"})
    assert response.status_code == 400
    assert str(CONTACT_NO_MANAGER) in response.content.decode()
    assert not snapshot_diff(before, snapshot())


def test_a_manager_writing_to_their_own_cluster_does_not_notify_themselves(cluster, manager):
    with pytest.raises(ValidationError) as refused:
        cluster_contact(cluster=cluster, sender=manager, message="Note to self")
    assert refused.value.messages == [str(CONTACT_NO_MANAGER)]


def test_an_inactive_cluster_cannot_be_written_to(login, sender, secretariat):
    dormant = ClusterFactory(status=Cluster.Status.INACTIVE)
    MembershipFactory(cluster=dormant)
    assert login(sender).get(contact_url(dormant)).status_code == 404
    # Even those who may see the profile cannot write through it.
    assert login(secretariat).post(contact_url(dormant), {"message": "Hi"}).status_code == 403
    with pytest.raises(PermissionDenied):
        cluster_contact(cluster=dormant, sender=sender, message="Hi")


def test_messages_are_rate_limited_per_sender(login, sender, cluster, manager, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "contact": "2/h"}
    client = login(sender)
    for n in range(2):
        assert client.post(contact_url(cluster), {"message": f"Hello {n}"}).status_code == 302
    over = client.post(contact_url(cluster), {"message": "Hello again"})
    assert over.status_code == 429
    assert Notification.objects.filter(kind=CLUSTER_CONTACTED.name).count() == 2
    # Reading the form is not counted.
    assert client.get(contact_url(cluster)).status_code == 200


def test_the_profile_of_a_cluster_without_a_manager_offers_no_contact_button(client):
    lonely = ClusterFactory(name="Lonely Cluster")
    html = client.get(lonely.get_absolute_url()).content.decode()
    assert "Contact the cluster" not in html
    assert "No manager to write to yet." in html


def test_a_cluster_whose_managers_are_all_inactive_offers_no_contact_button(client):
    lonely = ClusterFactory(name="Dormant Cluster")
    MembershipFactory(cluster=lonely, user__is_active=False)  # a manager gone from the site
    html = client.get(lonely.get_absolute_url()).content.decode()
    assert "Contact the cluster" not in html
    assert "No manager to write to yet." in html


def test_the_only_manager_is_not_told_the_cluster_has_no_manager(login, cluster, manager):
    client = login(manager)
    profile = client.get(cluster.get_absolute_url()).content.decode()
    assert "Contact the cluster" not in profile
    assert "No manager to write to yet." not in profile

    page = client.get(contact_url(cluster)).content.decode()
    assert "You are the only manager of" in page
    assert "has no manager on the site yet" not in page
