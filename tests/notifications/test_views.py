"""The inbox, opening and marking notifications, and the preferences page."""

from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from notifications.models import Notification, Preference
from notifications.registry import Channel, all_kinds, kinds_for
from notifications.views import ALL_READ, PREFERENCES_SAVED
from tests.factories import NotificationFactory, PreferenceFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
PREFERENCES = reverse("notifications:preferences")
MARK_ALL_READ = reverse("notifications:mark_all_read")
SUBMITTED = "clusters.joinrequest_submitted"
APPROVED = "clusters.joinrequest_approved"
INVALID_CHOICE = forms.ChoiceField.default_error_messages["invalid_choice"]
# Session, user, page count, page rows and the unread badge: never one per row.
INBOX_MAX_QUERIES = 5


def open_url(notification):
    return reverse("notifications:open", args=[notification.pk])


def mark_read_url(notification):
    return reverse("notifications:mark_read", args=[notification.pk])


def unread(user, **kwargs):
    return NotificationFactory(recipient=user, read_at=None, **kwargs)


def inbox_items(response):
    """The inbox's rows as (subject, marked new) pairs, in page order."""
    html = response.content.decode()
    chunks = html.split('<li class="inbox-item')[1:]
    return [
        (chunk.split('class="inbox-subject">', 1)[1].split("</a>", 1)[0], "badge" in chunk)
        for chunk in chunks
    ]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def all_default_channels(user):
    """The form as it comes for ``user``: every kind that can reach them at its default."""
    return {kind.name: kind.default_channel for kind in kinds_for(user)} | {"digest_hour": "7"}


def stored_preferences(user):
    return dict(Preference.objects.filter(user=user).values_list("kind", "channel"))


# --- login ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", INBOX),
        ("get", PREFERENCES),
        ("post", PREFERENCES),
        ("post", MARK_ALL_READ),
        ("get", "notifications:open"),
        ("post", "notifications:mark_read"),
    ],
)
def test_notification_pages_require_login(client, member, method, url):
    notification = unread(member)
    if url.startswith("notifications:"):
        url = reverse(url, args=[notification.pk])

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    notification.refresh_from_db()
    assert notification.read_at is None


# --- the inbox --------------------------------------------------------------------------


def test_inbox_lists_only_ones_own_notifications_newest_first(login, member, manager):
    now = timezone.now()
    middle = unread(member, subject="Middle")
    oldest = unread(member, subject="Oldest")
    newest = unread(member, subject="Newest")
    for notification, age in ((oldest, 3), (middle, 2), (newest, 1)):
        Notification.objects.filter(pk=notification.pk).update(created=now - timedelta(hours=age))
    unread(manager, subject="For the manager's eyes only")

    response = login(member).get(INBOX)

    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == [newest, middle, oldest]
    assert [subject for subject, _new in inbox_items(response)] == ["Newest", "Middle", "Oldest"]
    assert b"manager&#x27;s eyes only" not in response.content


def test_inbox_marks_unread_notifications_new(login, member):
    unread(member, subject="Still unread")
    NotificationFactory(recipient=member, subject="Already read", read_at=timezone.now())

    response = login(member).get(INBOX)

    assert sorted(inbox_items(response)) == [("Already read", False), ("Still unread", True)]
    assert response.content.count(b'<span class="badge">New</span>') == 1


def test_inbox_with_nothing_says_so(login, member):
    response = login(member).get(INBOX)

    assert response.status_code == 200
    assert inbox_items(response) == []
    assert b"Nothing yet" in response.content


def test_inbox_is_paginated_by_twenty(login, member):
    NotificationFactory.create_batch(25, recipient=member)
    client = login(member)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(inbox_items(first)) == 20
    assert len(inbox_items(second)) == 5
    seen = {n.pk for n in first.context["page_obj"]} | {n.pk for n in second.context["page_obj"]}
    assert seen == set(Notification.objects.for_user(member).values_list("pk", flat=True))
    assert b'rel="next"' in first.content
    assert b'rel="prev"' in second.content


def test_inbox_page_out_of_range_shows_the_last_page(login, member):
    NotificationFactory.create_batch(21, recipient=member)

    response = login(member).get(INBOX, {"page": 99})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


def test_header_shows_the_unread_count(login, member, manager):
    unread(member)
    unread(member)
    NotificationFactory(recipient=member, read_at=timezone.now())
    unread(manager)
    client = login(member)

    for url in (INBOX, PREFERENCES):
        response = client.get(url)
        assert response.context["unread_notifications"] == 2
        assert b'<span class="count-badge">2<' in response.content


def test_header_shows_no_badge_when_all_is_read(login, member):
    NotificationFactory(recipient=member, read_at=timezone.now())

    response = login(member).get(INBOX)

    assert b"count-badge" not in response.content


@pytest.mark.parametrize("count", [5, 50])
def test_inbox_query_count_does_not_grow_with_notifications(
    login, member, django_assert_max_num_queries, count
):
    NotificationFactory.create_batch(count, recipient=member, read_at=None)
    client = login(member)

    with django_assert_max_num_queries(INBOX_MAX_QUERIES):
        response = client.get(INBOX)

    assert response.status_code == 200
    assert len(inbox_items(response)) == min(count, 20)


# --- opening a notification -------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, member):
    notification = unread(member, link="/clusters/mobility-valley/")

    response = login(member).get(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/clusters/mobility-valley/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_read_notification_keeps_when_it_was_first_read(login, member):
    first_read = timezone.now() - timedelta(days=2)
    notification = NotificationFactory(recipient=member, read_at=first_read)

    login(member).get(open_url(notification))

    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_opening_a_same_site_absolute_link_follows_it(login, member):
    notification = unread(member, link="http://testserver/clusters/")

    response = login(member).get(open_url(notification))

    assert response["Location"] == "http://testserver/clusters/"


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/phish",
        "//evil.example.com/phish",
        "http://testserver.evil.example.com/",
        "javascript:alert(1)",
        "",
    ],
)
def test_opening_a_notification_never_follows_a_foreign_link(login, member, link):
    notification = unread(member, link=link)

    response = login(member).get(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_not_found_and_stays_unread(login, world):
    notification = world.notification  # the member's
    client = login(world.users["manager"])

    assert client.get(open_url(notification)).status_code == 404
    assert client.post(mark_read_url(notification)).status_code == 404

    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_missing_notification_is_not_found(login, member):
    client = login(member)

    assert client.get(reverse("notifications:open", args=[987654])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[987654])).status_code == 404


# --- marking read -----------------------------------------------------------------------


def test_mark_read_marks_one_notification_read(login, member):
    notification = unread(member)
    other = unread(member)

    response = login(member).post(mark_read_url(notification))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


def test_mark_read_needs_a_post(login, member):
    notification = unread(member)

    response = login(member).get(mark_read_url(notification))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_ones_own_notifications(login, member, manager):
    mine = [unread(member), unread(member)]
    theirs = unread(manager)

    response = login(member).post(MARK_ALL_READ, follow=True)

    assert response.redirect_chain == [(INBOX, 302)]
    assert ALL_READ in messages_of(response)
    assert not Notification.objects.for_user(member).unread().exists()
    assert {n.pk for n in Notification.objects.unread()} == {theirs.pk}
    assert len(mine) == 2
    assert b"count-badge" not in response.content


def test_mark_all_read_needs_a_post(login, member):
    unread(member)

    response = login(member).get(MARK_ALL_READ)

    assert response.status_code == 405
    assert Notification.objects.for_user(member).unread().count() == 1


# --- preferences ------------------------------------------------------------------------


def test_preferences_page_lists_every_kind_that_reaches_the_secretariat_with_three_choices(
    login, secretariat
):
    response = login(secretariat).get(PREFERENCES)

    assert response.status_code == 200
    html = response.content.decode()
    kinds = kinds_for(secretariat)
    assert SUBMITTED in {kind.name for kind in kinds}
    assert set(response.context["form"].fields) == {kind.name for kind in kinds} | {"digest_hour"}
    for kind in kinds:
        assert escape(str(kind.label)) in html
        for channel, _label in Channel.CHOICES:
            assert f'name="{kind.name}" value="{channel}"' in html


def test_preferences_page_shows_the_current_choice(login, secretariat):
    PreferenceFactory(user=secretariat, kind=SUBMITTED, channel=Channel.IN_APP)

    response = login(secretariat).get(PREFERENCES)

    form = response.context["form"]
    assert form[SUBMITTED].initial == "in_app"
    assert form[APPROVED].initial == "immediate"
    assert f'value="in_app" id="id_{SUBMITTED}_2" checked' in response.content.decode()


def test_saving_preferences_stores_them_and_says_so(login, secretariat):
    data = {**all_default_channels(secretariat), SUBMITTED: "digest", APPROVED: "in_app"}

    response = login(secretariat).post(PREFERENCES, data, follow=True)

    assert response.redirect_chain == [(PREFERENCES, 302)]
    assert PREFERENCES_SAVED in messages_of(response)
    assert stored_preferences(secretariat) == {SUBMITTED: "digest", APPROVED: "in_app"}
    assert response.context["form"][SUBMITTED].initial == "digest"


def test_saving_preferences_back_to_the_defaults_clears_them(login, secretariat):
    PreferenceFactory(user=secretariat, kind=SUBMITTED, channel=Channel.IN_APP)

    response = login(secretariat).post(PREFERENCES, all_default_channels(secretariat))

    assert response.status_code == 302
    assert stored_preferences(secretariat) == {}


def test_an_unknown_channel_is_refused_next_to_its_field_and_nothing_is_stored(login, secretariat):
    PreferenceFactory(user=secretariat, kind=APPROVED, channel=Channel.IN_APP)
    data = {**all_default_channels(secretariat), APPROVED: "digest", SUBMITTED: "carrier_pigeon"}

    response = login(secretariat).post(PREFERENCES, data)

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {SUBMITTED}
    error = INVALID_CHOICE % {"value": "carrier_pigeon"}
    assert form.errors[SUBMITTED] == [error]
    html = response.content.decode()
    invalid = html.split('<div class="field field-invalid">', 1)[1].split("</fieldset>", 1)[0]
    label = next(k.label for k in all_kinds() if k.name == SUBMITTED)
    assert escape(str(label)) in invalid
    assert escape(error) in invalid
    assert html.count("field-invalid") == 1
    assert stored_preferences(secretariat) == {APPROVED: "in_app"}
    assert PREFERENCES_SAVED not in messages_of(response)
