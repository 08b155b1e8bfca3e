"""The private calendar address: only a hash of its token is kept; its owner resets it."""

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from actionplan.models import CalendarFeed
from actionplan.services import FEED_EXISTS, calendar_feed_create, calendar_feed_reset
from actionplan.views import FEED_MADE, FEED_RESET
from core.models import AuditEvent
from tests.factories import UserFactory

ICS = reverse("actionplan:calendar")
PLAN = reverse("actionplan:plan")
CREATE = reverse("actionplan:calendar_feed")
RESET = reverse("actionplan:calendar_feed_reset")
SHOWN = re.compile(r"<code>https?://[^<]*\?token=([A-Za-z0-9_-]+)</code>")

pytestmark = pytest.mark.django_db


def feed_answers(client, token) -> int:
    return client.get(ICS, {"token": token}).status_code


def shown_token(client) -> str | None:
    """The token of the address the plan page shows, if it shows one."""
    found = SHOWN.search(client.get(PLAN).content.decode())
    return found.group(1) if found else None


def test_only_a_hash_of_the_token_is_stored(member, strategy):
    token = calendar_feed_create(user=member)

    feed = CalendarFeed.objects.get(user=member)
    assert len(token) >= 43  # 256 random bits
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in CalendarFeed.objects.values_list(flat=False).get(pk=feed.pk)]
    assert not any(token in value for value in stored)


def test_the_feed_answers_to_the_token_and_not_to_its_hash(client, member, strategy):
    token = calendar_feed_create(user=member)
    feed = CalendarFeed.objects.get(user=member)

    assert feed_answers(client, token) == 200
    assert feed_answers(client, feed.token_hash) == 404


def test_a_new_address_is_shown_once_then_never_again(login, member, strategy):
    client = login(member)

    response = client.post(CREATE, follow=True)

    assert FEED_MADE in [str(m) for m in response.context["messages"]]
    token = SHOWN.search(response.content.decode()).group(1)
    assert "no-store" in response["Cache-Control"]
    assert feed_answers(client, token) == 200
    assert shown_token(client) is None  # the next visit: only that one exists
    page = client.get(PLAN).content.decode()
    assert 'action="' + RESET + '"' in page


def test_after_a_reset_the_old_address_is_404_and_the_new_one_works(login, member, strategy):
    client = login(member)
    client.post(CREATE)
    old = shown_token(client)

    response = client.post(RESET, {"confirm": "on"}, follow=True)

    assert FEED_RESET in [str(m) for m in response.context["messages"]]
    new = SHOWN.search(response.content.decode()).group(1)
    assert new != old
    assert feed_answers(client, old) == 404
    assert feed_answers(client, new) == 200
    event = AuditEvent.objects.get(verb="calendar_feed.reset")
    assert (event.actor, event.object_id) == (member, str(member.calendar_feed.pk))
    assert AuditEvent.objects.filter(verb="calendar_feed.create", actor=member).count() == 1


def test_a_reset_needs_the_box_ticked_and_changes_nothing_without(login, member, strategy):
    client = login(member)
    token = calendar_feed_create(user=member)
    before = CalendarFeed.objects.get(user=member).token_hash

    response = client.post(RESET, {})

    assert response.status_code == 400
    assert 'id="id_confirm_error"' in response.content.decode()
    assert CalendarFeed.objects.get(user=member).token_hash == before
    assert feed_answers(client, token) == 200
    assert not AuditEvent.objects.filter(verb="calendar_feed.reset").exists()


def test_a_visitor_is_sent_to_log_in_and_nothing_changes(client, member, strategy):
    token = calendar_feed_create(user=member)

    response = client.post(RESET, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert feed_answers(client, token) == 200


def test_someone_else_resets_only_their_own_address(login, member, strategy):
    token = calendar_feed_create(user=member)
    other = UserFactory(email="other-feed@example.org")

    assert login(other).post(RESET, {"confirm": "on"}).status_code == 404  # none of theirs
    their_token = calendar_feed_create(user=other)
    assert login(other).post(RESET, {"confirm": "on"}).status_code == 302

    assert feed_answers(login(other), token) == 200  # the member's still works
    assert feed_answers(login(other), their_token) == 404  # theirs was reset


def test_the_service_refuses_anyone_but_the_owner(member, secretariat, strategy):
    token = calendar_feed_create(user=member)
    feed = CalendarFeed.objects.get(user=member)

    for actor in (secretariat, UserFactory(email="x@example.org")):
        with pytest.raises(PermissionDenied):
            calendar_feed_reset(feed=feed, actor=actor)

    feed.refresh_from_db()
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not AuditEvent.objects.filter(verb="calendar_feed.reset").exists()


def test_asking_twice_keeps_the_first_address(login, member, strategy):
    client = login(member)
    client.post(CREATE)
    token = shown_token(client)
    first = CalendarFeed.objects.get(user=member).token_hash

    response = client.post(CREATE)

    assert response.status_code == 400
    assert str(FEED_EXISTS) in response.content.decode()
    assert CalendarFeed.objects.get(user=member).token_hash == first
    assert shown_token(client) is None
    assert feed_answers(client, token) == 200


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_tokens_so_subscribed_addresses_keep_working(
    client, member, strategy
):
    executor = MigrationExecutor(connection)
    before, after = ("actionplan", "0001_initial"), ("actionplan", "0002_calendar_feed_token_hash")
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    old_apps.get_model("actionplan", "CalendarFeed").objects.create(
        user_id=member.pk, token="an-address-someone-subscribed-to"
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([after])
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    feed = CalendarFeed.objects.get(user=member)
    assert feed.token_hash == hashlib.sha256(b"an-address-someone-subscribed-to").hexdigest()
    assert feed_answers(client, "an-address-someone-subscribed-to") == 200
