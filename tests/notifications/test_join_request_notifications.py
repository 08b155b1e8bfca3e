"""Who hears about a join request, and what they read, when it is sent and decided."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.notifications import (
    JOIN_REQUEST_APPROVED,
    JOIN_REQUEST_REJECTED,
    JOIN_REQUEST_SUBMITTED,
)
from clusters.services import (
    JOIN_REQUEST_NOT_OPEN,
    JOIN_REQUEST_PENDING,
    join_request_approve,
    join_request_reject,
    join_request_submit,
)
from notifications.models import Notification
from tests.factories import JoinRequestFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://smartclusters.example.eu"
MARKUP_NAME = '<b>Bold</b> & "Co" <script>alert(1)</script>'


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def secretariat_team(secretariat):
    """Two active coordinators; an inactive one hears nothing."""
    colleague = StaffFactory(email="coordinator@example.org")
    StaffFactory(email="retired@example.org", is_active=False)
    return [secretariat, colleague]


def join_data(name="Porto Energy Communities"):
    return {
        "name": name,
        "country": "PT",
        "city": "Porto",
        "contact_email": "hello@pec.example.eu",
        "description": "Energy communities in the north of Portugal.",
        "motivation": "To learn from the network and share our energy know-how.",
    }


def html_of(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


# --- submission -------------------------------------------------------------------------


def test_submitting_a_join_request_notifies_every_active_secretariat_member_only(
    secretariat_team, member, manager
):
    join_request = join_request_submit(requester=member, data=join_data(), ecosystems=[])

    notifications = Notification.objects.filter(kind=JOIN_REQUEST_SUBMITTED.name)
    assert sorted(n.recipient_id for n in notifications) == sorted(u.pk for u in secretariat_team)
    assert Notification.objects.count() == len(secretariat_team)
    # The secretariat decides on the site's page, no longer in the admin.
    site_link = reverse("clusters:join_request_detail", args=[join_request.pk])
    for notification in notifications:
        assert notification.link == site_link
        assert notification.subject == "New join request: Porto Energy Communities (Portugal)"
        assert "Mia Member" in notification.body
        assert "To learn from the network" in notification.body


def test_submitting_a_join_request_emails_the_secretariat_the_site_link(
    django_capture_on_commit_callbacks, secretariat_team, member
):
    with django_capture_on_commit_callbacks(execute=True):
        join_request = join_request_submit(requester=member, data=join_data(), ecosystems=[])

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in secretariat_team)
    site_url = SITE_URL + reverse("clusters:join_request_detail", args=[join_request.pk])
    for message in mail.outbox:
        assert site_url in message.body
        assert f'href="{site_url}"' in html_of(message)


def test_a_refused_submission_notifies_nobody(secretariat_team, member):
    join_request_submit(requester=member, data=join_data(), ecosystems=[])
    before = Notification.objects.count()

    with pytest.raises(ValidationError) as refused:
        join_request_submit(requester=member, data=join_data(), ecosystems=[])

    assert refused.value.message_dict["name"] == [JOIN_REQUEST_PENDING]
    assert Notification.objects.count() == before


# --- decisions --------------------------------------------------------------------------


def test_approval_notifies_the_requester_with_a_link_to_the_new_clusters_edit_page(
    django_capture_on_commit_callbacks, secretariat_team, secretariat
):
    join_request = JoinRequestFactory(name="Porto Energy Communities")

    with django_capture_on_commit_callbacks(execute=True):
        cluster = join_request_approve(join_request=join_request, actor=secretariat)

    notification = Notification.objects.get(kind=JOIN_REQUEST_APPROVED.name)
    assert notification.recipient == join_request.requester
    edit_link = reverse("clusters:edit", kwargs={"slug": cluster.slug})
    assert notification.link == edit_link
    assert notification.subject == "Welcome: Porto Energy Communities is now in the network"
    assert "Porto Energy Communities" in notification.body
    assert Notification.objects.count() == 1
    [message] = mail.outbox
    assert message.to == [join_request.requester.email]
    assert SITE_URL + edit_link in message.body


def test_rejection_notifies_the_requester_with_the_reason(
    django_capture_on_commit_callbacks, secretariat_team, secretariat
):
    join_request = JoinRequestFactory(name="Porto Energy Communities")

    with django_capture_on_commit_callbacks(execute=True):
        join_request_reject(
            join_request=join_request,
            actor=secretariat,
            reason="  Only cluster organisations can join; you are a single company.  ",
        )

    notification = Notification.objects.get(kind=JOIN_REQUEST_REJECTED.name)
    assert notification.recipient == join_request.requester
    assert notification.subject == "Your request for Porto Energy Communities was not approved"
    assert "Only cluster organisations can join; you are a single company." in notification.body
    assert notification.link == reverse("accounts:profile")
    assert Notification.objects.count() == 1
    [message] = mail.outbox
    assert message.to == [join_request.requester.email]
    assert "you are a single company" in message.body


def test_a_refused_decision_notifies_nobody(secretariat_team, secretariat):
    join_request = JoinRequestFactory()
    join_request_reject(join_request=join_request, actor=secretariat, reason="Too small.")

    with pytest.raises(ValidationError) as refused:
        join_request_reject(join_request=join_request, actor=secretariat, reason="Again.")

    assert refused.value.messages == [JOIN_REQUEST_NOT_OPEN]
    assert Notification.objects.filter(kind=JOIN_REQUEST_REJECTED.name).count() == 1


# --- markup in what people typed -------------------------------------------------------


def test_markup_in_a_join_request_name_is_escaped_in_html_and_plain_in_text(
    django_capture_on_commit_callbacks, secretariat
):
    requester = UserFactory(email="ana@porto.example.org")
    join_request = JoinRequestFactory(name=MARKUP_NAME, requester=requester)

    with django_capture_on_commit_callbacks(execute=True):
        join_request_reject(
            join_request=join_request, actor=secretariat, reason="<i>No</i> & never."
        )

    [message] = mail.outbox
    assert message.subject == f"[Smart Clusters] Your request for {MARKUP_NAME} was not approved"
    assert MARKUP_NAME in message.body
    assert "<i>No</i> & never." in message.body
    html = html_of(message)
    assert "<script>" not in html
    assert "<b>Bold</b>" not in html
    assert "<i>No</i>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Co&quot; &lt;script&gt;" in html
    assert "&lt;i&gt;No&lt;/i&gt; &amp; never." in html


def test_markup_in_a_submitted_name_is_escaped_in_the_secretariats_html_email(
    django_capture_on_commit_callbacks, secretariat, member
):
    with django_capture_on_commit_callbacks(execute=True):
        join_request_submit(requester=member, data=join_data(MARKUP_NAME), ecosystems=[])

    [message] = mail.outbox
    assert message.subject == f"[Smart Clusters] New join request: {MARKUP_NAME} (Portugal)"
    assert MARKUP_NAME in message.body
    html = html_of(message)
    assert "<script>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Co&quot; &lt;script&gt;" in html
