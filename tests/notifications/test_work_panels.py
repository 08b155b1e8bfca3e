"""The failed e-mails on the secretariat's "Your work": where to see and retry them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory
from tests.work import block, count_of, item_links, notes, work_page

pytestmark = pytest.mark.django_db


def failed(days_ago, **kwargs):
    notification = NotificationFactory(
        email_state="failed", last_error="SMTPRecipientsRefused: 550 no such user", **kwargs
    )
    Notification.objects.filter(pk=notification.pk).update(
        created=timezone.now() - timedelta(days=days_ago)
    )
    return notification


def test_the_secretariat_sees_the_failed_emails_oldest_first_and_the_way_to_retry(
    client, secretariat
):
    recent = failed(1, recipient=UserFactory(email="ana@example.pt"))
    oldest = failed(5)
    NotificationFactory(email_state="sent")
    NotificationFactory(email_state="pending")

    section = block(work_page(client, secretariat), "failed-emails")

    assert count_of(section) == 2
    change = "admin:notifications_notification_change"
    assert item_links(section) == [
        reverse(change, args=[oldest.pk]),
        reverse(change, args=[recent.pk]),
    ]
    assert notes(section)[1] == "to ana@example.pt: SMTPRecipientsRefused: 550 no such user"
    changelist = reverse("admin:notifications_notification_changelist")
    assert f'href="{changelist}?email_state__exact=failed"' in section
    retry_page = client.get(f"{changelist}?email_state__exact=failed")
    assert retry_page.context["cl"].result_count == 2


def test_when_every_email_went_out_the_block_says_so(client, secretariat):
    section = block(work_page(client, secretariat), "failed-emails")

    assert count_of(section) == 0
    assert "Every e-mail went out." in section


def test_nobody_else_sees_the_failed_emails(client, member, manager):
    failed(1, recipient=member)

    assert block(work_page(client, member), "failed-emails") is None
    assert block(work_page(client, manager), "failed-emails") is None


def test_a_secretariat_member_who_cannot_open_them_in_the_admin_is_not_led_there(client):
    coordinator = UserFactory(is_staff=True)
    failed(1)

    assert block(work_page(client, coordinator), "failed-emails") is None
    coordinator.user_permissions.add(Permission.objects.get(codename="view_notification"))
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # permissions are cached
    assert count_of(block(work_page(client, coordinator), "failed-emails")) == 1
