"""The page cache (core.pagecache): public pages for anonymous visitors come from the
cache, never stale after a write, never one person's page for another."""

import gzip
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from clusters.models import Cluster
from clusters.selectors import _ACTIVE_COUNTRIES_SQL
from clusters.services import cluster_update, join_request_approve
from core.pagecache.generation import GENERATION_KEY, page_cache
from core.pagecache.middleware import HIT_HEADER, page_key
from core.pagecache.writes import changes_public_data
from exchange.services import offer_create, offer_update
from practices.models import Practice
from practices.services import practice_archive, practice_publish
from tests.admin_forms import change_form_data
from tests.factories import (
    CallFactory,
    JoinRequestFactory,
    NotificationFactory,
    OfferFactory,
    PracticeFactory,
)

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def stored(url: str, **extra) -> bytes:
    """Visit ``url`` anonymously until it comes from the cache; its body."""
    visitor = Client()
    visitor.get(url, **extra)
    response = visitor.get(url, **extra)
    assert response.status_code == 200
    assert response.get(HIT_HEADER) == "hit", url
    return response.content


def fresh(url: str) -> bytes:
    """What an anonymous visitor sees now."""
    response = Client().get(url)
    assert response.status_code in (200, 404)
    return response.content


# --- hits ----------------------------------------------------------------------------------


def test_a_stored_page_comes_back_byte_for_byte_without_a_query(cluster, django_assert_num_queries):
    url = reverse("clusters:directory")
    visitor = Client()
    first = visitor.get(url)
    assert first.get(HIT_HEADER) is None
    with django_assert_num_queries(0):
        again = visitor.get(url)
    assert again.get(HIT_HEADER) == "hit"
    assert again.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type"):
        assert again[header] == first[header], header
    assert set(again["Vary"].split(", ")) == {"Cookie", "Accept-Encoding", "Accept-Language"}


def test_query_parameters_in_another_order_are_the_same_page(cluster):
    url = reverse("clusters:directory")
    stored(f"{url}?ecosystem=mobility&q=valley")
    response = Client().get(f"{url}?q=valley&ecosystem=mobility")
    assert response.get(HIT_HEADER) == "hit"
    # A repeated name's values keep their order: the last one is the one a view reads.
    response = Client().get(f"{url}?ecosystem=energy&ecosystem=mobility&q=valley")
    assert response.get(HIT_HEADER) is None


def test_head_is_served_from_the_cache_with_the_page_length(cluster):
    url = reverse("clusters:detail", args=[cluster.slug])
    body = stored(url)
    response = Client().head(url)
    assert response.status_code == 200
    assert response.get(HIT_HEADER) == "hit"
    assert response.content == b""
    assert int(response["Content-Length"]) == len(body)


# --- conditional GET and compression --------------------------------------------------------


def test_a_repeat_with_the_etag_gets_304(cluster):
    url = reverse("clusters:detail", args=[cluster.slug])
    visitor = Client()
    etag = visitor.get(url)["ETag"]
    assert visitor.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    hit = visitor.get(url)
    assert hit[HIT_HEADER] == "hit"
    assert hit["ETag"] == etag
    assert visitor.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert visitor.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_pages_the_cache_does_not_keep_answer_304_too(cluster, settings):
    settings.PAGE_CACHE = False
    url = reverse("clusters:detail", args=[cluster.slug])
    visitor = Client()
    etag = visitor.get(url)["ETag"]
    response = visitor.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.get(HIT_HEADER) is None


def test_gzip_when_the_client_accepts_it_and_not_otherwise(cluster):
    url = reverse("clusters:directory")
    visitor = Client()
    plain = visitor.get(url)
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]
    for response in (visitor.get(url, **GZIP), visitor.get(url, **GZIP)):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert response["ETag"] == "W/" + plain["ETag"]
    assert response[HIT_HEADER] == "hit"
    hit = visitor.get(url)
    assert hit[HIT_HEADER] == "hit"
    assert not hit.has_header("Content-Encoding")
    assert hit.content == plain.content
    # The compressed copy matches the same ETag (weakly).
    assert visitor.get(url, HTTP_IF_NONE_MATCH=plain["ETag"], **GZIP).status_code == 304


def test_a_gzipped_first_visit_stores_the_plain_page_too(cluster):
    url = reverse("clusters:directory")
    first = Client().get(url, **GZIP)
    assert first["Content-Encoding"] == "gzip"
    hit = Client().get(url)
    assert hit[HIT_HEADER] == "hit"
    assert hit.content == gzip.decompress(first.content)


# --- what changes the generation ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('SELECT "clusters_cluster"."id" FROM "clusters_cluster"', False),
        ('SAVEPOINT "s1"', False),
        ('INSERT INTO "clusters_cluster" ("name") VALUES (%s)', True),
        ('UPDATE "practices_practice" SET "title" = %s WHERE "id" = %s', True),
        ('DELETE FROM "exchange_offer" WHERE "id" IN (%s)', True),
        ('  update "practices_practice" set "title" = %s', True),
        ('TRUNCATE "django_session", "clusters_cluster"', True),
        ('ALTER TABLE "clusters_cluster" ADD COLUMN "x" integer', True),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "notifications_notification" SET "read_at" = %s', False),
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s', False),
        ('UPDATE "accounts_user" SET "name" = %s WHERE "accounts_user"."id" = %s', True),
        # The directory's countries: a recursive read.
        (_ACTIVE_COUNTRIES_SQL.format(table='"clusters_cluster"'), False),
        ('WITH gone AS (DELETE FROM "exchange_offer" RETURNING "id") SELECT 1', True),
        ('with moved as (update "clusters_cluster" set "name" = %s) select 1', True),
    ],
)
def test_which_statements_change_public_pages(sql, changes):
    assert changes_public_data(sql) is changes


# --- never stale ----------------------------------------------------------------------------


def test_a_profile_edited_through_its_service_shows_at_once(cluster, manager):
    profile = reverse("clusters:detail", args=[cluster.slug])
    directory = reverse("clusters:directory")
    assert b"Mobility Valley" in stored(profile)
    assert b"Mobility Valley" in stored(directory)
    cluster_update(cluster=cluster, actor=manager, data={"name": "Valley of Moving Things"})
    assert b"Valley of Moving Things" in fresh(profile)
    assert b"Valley of Moving Things" in fresh(directory)
    cluster_update(cluster=cluster, actor=manager, data={"name": "Second Valley Name"})
    assert b"Second Valley Name" in fresh(profile)


def test_a_profile_edited_in_the_admin_shows_at_once(cluster, secretariat):
    profile = reverse("clusters:detail", args=[cluster.slug])
    assert b"Mobility Valley" in stored(profile)
    admin = Client()
    admin.force_login(secretariat)
    change = reverse("admin:clusters_cluster_change", args=[cluster.pk])
    response = admin.post(change, change_form_data(admin.get(change), name="Admin Valley"))
    assert response.status_code == 302
    assert b"Admin Valley" in fresh(profile)


def test_a_practice_published_then_archived_shows_at_once(cluster, secretariat):
    practice = PracticeFactory(cluster=cluster, status="submitted", title="Shared tenders")
    repository = reverse("practices:repository")
    page = reverse("practices:detail", args=[practice.slug])
    assert b"Shared tenders" not in stored(repository)
    assert Client().get(page).status_code == 404
    practice_publish(practice=practice, actor=secretariat)
    assert b"Shared tenders" in fresh(repository)
    assert b"Shared tenders" in stored(page)
    stored(repository)
    practice_archive(practice=Practice.objects.get(pk=practice.pk), actor=secretariat)
    assert b"Shared tenders" not in fresh(repository)


def test_an_offer_created_and_changed_shows_at_once(cluster, manager):
    call = CallFactory()
    index = reverse("exchange:index")
    stored(index)
    offer = offer_create(
        actor=manager,
        call=call,
        host=cluster,
        data={
            "topic": "Hydrogen buses depot",
            "description": "Two days at the depot.",
            "languages": "English",
            "available_from": call.visits_from,
            "available_until": call.visits_until,
            "capacity": 2,
        },
        ecosystems=[],
    )
    assert b"Hydrogen buses depot" in fresh(index)
    page = reverse("exchange:offer", args=[offer.pk])
    assert b"Hydrogen buses depot" in stored(page)
    offer_update(offer=offer, actor=manager, data={"topic": "Electric ferries yard"}, ecosystems=[])
    assert b"Electric ferries yard" in fresh(page)


def test_a_join_request_approved_adds_the_cluster_to_the_directory_at_once(secretariat):
    join_request = JoinRequestFactory(name="Porto Energy Cluster", ecosystems=["energy"])
    directory = reverse("clusters:directory")
    assert b"Porto Energy Cluster" not in stored(directory)
    join_request_approve(join_request=join_request, actor=secretariat)
    assert b"Porto Energy Cluster" in fresh(directory)


def test_a_bulk_update_and_a_bulk_delete_show_at_once(cluster):
    """What a task or a command does with a queryset, without a service or a signal."""
    practice = PracticeFactory(cluster=cluster, status="published", title="Shared tenders")
    page = reverse("practices:detail", args=[practice.slug])
    assert b"Shared tenders" in stored(page)
    Practice.objects.filter(pk=practice.pk).update(title="Pooled tenders")
    assert b"Pooled tenders" in fresh(page)
    stored(page)
    Practice.objects.filter(pk=practice.pk).delete()
    assert Client().get(page).status_code == 404


def test_an_offer_deleted_is_gone_at_once(cluster):
    offer = OfferFactory(host=cluster, topic="Hydrogen buses depot")
    index = reverse("exchange:index")
    assert b"Hydrogen buses depot" in stored(index)
    offer.delete()
    assert b"Hydrogen buses depot" not in fresh(index)


@pytest.mark.django_db(transaction=True)
def test_the_commit_drops_pages_stored_while_the_transaction_was_open(cluster):
    """A reader between a transaction's first write and its commit renders the rows as
    they were (another connection) and stores them under the generation of that moment:
    the commit changes the generation again."""
    profile = reverse("clusters:detail", args=[cluster.slug])
    stored(profile)
    cache = page_cache()
    key = page_key(RequestFactory().get(profile))
    with transaction.atomic():
        Cluster.objects.filter(pk=cluster.pk).update(name="Renamed Valley")
        old_page = cache.get(key)
        # What the concurrent reader stores: the old rows, the current generation.
        cache.set(key, (*old_page[:1], cache.get(GENERATION_KEY), *old_page[2:]))
        assert Client().get(profile).get(HIT_HEADER) == "hit"
    response = Client().get(profile)
    assert response.get(HIT_HEADER) is None
    assert b"Renamed Valley" in response.content


def test_writes_to_private_tables_keep_the_stored_pages(cluster, member):
    url = reverse("clusters:directory")
    stored(url)
    NotificationFactory(recipient=member)
    Client().force_login(member)  # a session and the time of the login
    assert Client().get(url).get(HIT_HEADER) == "hit"


def test_a_new_day_renders_the_pages_again(cluster, monkeypatch):
    """Texts that follow the date ("overdue", "due in 3 days") change at midnight."""
    url = reverse("clusters:directory")
    stored(url)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert Client().get(url).get(HIT_HEADER) is None


# --- never leaks ----------------------------------------------------------------------------


def test_a_signed_in_person_never_gets_the_anonymous_page(cluster, member):
    url = reverse("clusters:directory")
    assert b"Log out" not in stored(url)
    person = Client()
    person.force_login(member)
    response = person.get(url)
    assert response.get(HIT_HEADER) is None
    assert b"Log out" in response.content
    assert member.display_name.encode() in response.content


def test_an_anonymous_visitor_never_gets_a_signed_in_page(cluster, member):
    url = reverse("clusters:detail", args=[cluster.slug])
    person = Client()
    person.force_login(member)
    person.get(url)
    person.get(url)
    anonymous = Client().get(url)
    assert anonymous.get(HIT_HEADER) is None
    assert b"Log out" not in anonymous.content
    assert b"Log out" not in stored(url)


def test_a_cookie_of_a_session_that_ended_still_gets_a_page(cluster, member):
    url = reverse("clusters:directory")
    stored(url)
    visitor = Client()
    visitor.force_login(member)
    visitor.post(reverse("account_logout"))
    visitor.cookies["sessionid"] = "ended-session-0123456789"
    response = visitor.get(url)
    assert response.status_code == 200
    assert response.get(HIT_HEADER) is None
    assert b"Log in" in response.content


def test_a_page_with_a_message_is_not_stored_and_the_message_not_served(cluster, member):
    home = reverse("home")
    visitor = Client()
    visitor.force_login(member)
    response = visitor.post(reverse("account_logout"), follow=True)
    assert response.redirect_chain[-1][0] == home
    assert b"signed out" in response.content
    assert response.get(HIT_HEADER) is None
    assert b"signed out" not in fresh(home)
    assert b"signed out" not in stored(home)


def test_pages_with_a_csrf_token_or_a_cookie_are_never_stored(settings):
    settings.PAGE_CACHE_URL_NAMES = {*settings.PAGE_CACHE_URL_NAMES, "account_login"}
    url = reverse("account_login")
    visitor = Client()
    for _ in range(3):
        response = visitor.get(url)
        assert response.status_code == 200
        assert response.get(HIT_HEADER) is None
        assert b"csrfmiddlewaretoken" in response.content


# --- switches and outages -------------------------------------------------------------------


def test_with_the_page_cache_off_nothing_is_stored(cluster, settings):
    url = reverse("clusters:directory")
    settings.PAGE_CACHE = False
    visitor = Client()
    assert [visitor.get(url).get(HIT_HEADER) for _ in range(3)] == [None, None, None]
    settings.PAGE_CACHE = True
    assert visitor.get(url).get(HIT_HEADER) is None


def test_pages_are_served_and_written_while_redis_is_down(cluster, manager, redis_down):
    url = reverse("clusters:detail", args=[cluster.slug])
    for _ in range(2):
        response = Client().get(url)
        assert response.status_code == 200
        assert response.get(HIT_HEADER) is None
    cluster_update(cluster=cluster, actor=manager, data={"name": "Offline Valley"})
    assert b"Offline Valley" in fresh(url)
