"""Shared fragments (core/pagecache/fragments.py): the parts of a public page that are the
same for every signed-in person come from the cache, never stale after a write, never one
person's bits for another (nor an anonymous visitor's for a person, or back)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan.models import Action
from clusters.services import cluster_update
from core.pagecache import fragments
from core.pagecache.generation import REQUEST_ATTRIBUTE
from exchange.models import Offer
from practices.models import Practice
from practices.services import practice_publish
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _pages(world) -> list[str]:
    practice = world.practices["published"]
    return [
        reverse("home"),
        reverse("clusters:directory"),
        reverse("clusters:directory") + "?ecosystem=mobility",
        reverse("clusters:detail", args=[world.cluster.slug]),
        reverse("practices:repository"),
        reverse("practices:detail", args=[practice.slug]),
        reverse("actionplan:plan"),
        reverse("actionplan:plan") + "?mine=on",
        reverse("exchange:index"),
        reverse("exchange:offer", args=[world.exchange["offer"].pk]),
    ]


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    # The only bytes that differ between two renders for one person: the masked token.
    return _TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', response.content)


def _fragment_keys() -> list[str]:
    return [key for key in cache._cache if fragments.FRAGMENT_KEY_PREFIX in key]  # type: ignore[attr-defined]


@pytest.fixture
def second_member(db):
    return UserFactory(email="second@example.org", name="Sol Second")


# --- no leak --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("member", "second_member"),
        ("manager", "member"),
        ("secretariat", "member"),
        ("member", "secretariat"),
        (None, "member"),
        ("member", None),
    ],
)
def test_a_page_served_with_anothers_fragments_is_the_page_rendered_for_oneself(
    world, second_member, first, second
):
    people = {**world.users, "second_member": second_member, None: None}
    first_user, second_user = people[first], people[second]
    for url in _pages(world):
        cache.clear()
        alone = _page(_client(second_user), url)
        cache.clear()
        _page(_client(first_user), url)
        _page(_client(first_user), url)
        after = _page(_client(second_user), url)
        assert after == alone, (url, first, second)


def test_fragments_are_stored_and_reused_by_another_person(world, second_member):
    url = reverse("clusters:directory")
    cache.clear()
    _page(_client(world.users["member"]), url)
    assert _fragment_keys()
    with CaptureQueriesContext(connection) as cold:
        _client(second_member).get(url + "?page=1")
    with CaptureQueriesContext(connection) as warm:
        body = _page(_client(second_member), url + "?page=1")
    # The list and its ecosystems come from the cache; the person's header does not.
    assert len(warm) <= len(cold) - 2
    assert b"Sol Second" in body
    assert b"Mia Member" not in body


def test_only_mine_on_the_plan_is_never_shared(world, second_member):
    url = reverse("actionplan:plan") + "?mine=on"
    cache.clear()
    row = b'<a href="%s">Shared e-bus' % world.plan["action"].get_absolute_url().encode()
    _page(_client(world.users["manager"]), url)
    # The manager's cluster leads the action: it is theirs, not the second member's.
    assert row in _page(_client(world.users["manager"]), url)
    assert row not in _page(_client(second_member), url)


def _after_anothers_visit(world, person, url) -> tuple[bytes, bytes, str]:
    """The page rendered for ``person`` alone; the page they get after the member's visit;
    the SQL of that second request."""
    cache.clear()
    alone = _page(_client(person), url)
    cache.clear()
    _page(_client(world.users["member"]), url)
    with CaptureQueriesContext(connection) as warm:
        again = _page(_client(person), url)
    return alone, again, " ".join(q["sql"] for q in warm)


# What a page's shared fragments read, not read again after another person's visit (the
# view hands them a deferred value or no longer prefetches for them).
SKIPPED_ON_A_HIT = {
    "the plan's actions, figures and lines": (
        lambda w: reverse("actionplan:plan"),
        ("actionplan_action",),
    ),
    "a practice's tags, ecosystems and files": (
        lambda w: reverse("practices:detail", args=[w.practices["published"].slug]),
        ("practices_practice_tags", "practices_practice_ecosystems", "practices_attachment"),
    ),
    "an offer's ecosystems": (
        lambda w: reverse("exchange:offer", args=[w.exchange["offer"].pk]),
        ("exchange_offer_ecosystems",),
    ),
    "a profile's ecosystems and label": (
        lambda w: reverse("clusters:detail", args=[w.cluster.slug]),
        ("clusters_cluster_ecosystems", "clusters_clusterlabel"),
    ),
}


@pytest.mark.parametrize("what", SKIPPED_ON_A_HIT)
def test_a_page_after_someone_elses_visit_reads_nothing_its_fragments_show(
    world, second_member, what
):
    url_of, tables = SKIPPED_ON_A_HIT[what]
    alone, again, read = _after_anothers_visit(world, second_member, url_of(world))
    for table in tables:
        assert table not in read, table
    assert again == alone


def test_only_mine_on_the_plan_computes_the_plan_for_the_person(world, second_member):
    url = reverse("actionplan:plan") + "?mine=on"
    _page(_client(second_member), url)
    with CaptureQueriesContext(connection) as again:
        _page(_client(second_member), url)
    assert [q for q in again if "actionplan_action" in q["sql"]]


# --- never stale ------------------------------------------------------------------------------


def _warm(client: Client, url: str) -> bytes:
    _page(client, url)
    return _page(client, url)


def test_a_cluster_renamed_shows_at_once_to_signed_in_people(world):
    member = _client(world.users["member"])
    directory = reverse("clusters:directory")
    profile = reverse("clusters:detail", args=[world.cluster.slug])
    assert b"Mobility Valley" in _warm(member, directory)
    assert b"Mobility Valley" in _warm(member, profile)
    cluster_update(cluster=world.cluster, actor=world.users["manager"], data={"name": "New Vale"})
    assert b"New Vale" in _page(member, directory)
    assert b"New Vale" in _page(member, profile)


def test_a_practice_published_or_edited_shows_at_once_to_signed_in_people(world):
    member = _client(world.users["member"])
    repository = reverse("practices:repository")
    submitted = world.practices["submitted"]
    assert b"Submitted practice" not in _warm(member, repository)
    assert b"Submitted practice" not in _warm(member, reverse("home"))
    practice_publish(practice=submitted, actor=world.users["secretariat"])
    assert b"Submitted practice" in _page(member, repository)
    assert b"Submitted practice" in _page(member, reverse("home"))
    page = reverse("practices:detail", args=[submitted.slug])
    _warm(member, page)
    Practice.objects.filter(pk=submitted.pk).update(description="Told again, better.")
    assert b"Told again, better." in _page(member, page)


def test_an_offer_and_an_action_changed_show_at_once_to_signed_in_people(world):
    member = _client(world.users["member"])
    offer = world.exchange["offer"]
    page, index = reverse("exchange:offer", args=[offer.pk]), reverse("exchange:index")
    _warm(member, page)
    _warm(member, index)
    Offer.objects.filter(pk=offer.pk).update(description="A brand new programme.")
    Offer.objects.filter(pk=offer.pk).update(topic="Freight data lab")
    assert b"A brand new programme." in _page(member, page)
    assert b"Freight data lab" in _page(member, index)
    plan = reverse("actionplan:plan")
    _warm(member, plan)
    Action.objects.filter(pk=world.plan["action"].pk).update(title="Charging data, shared")
    assert b"Charging data, shared" in _page(member, plan)


# --- what a fragment may hold -----------------------------------------------------------------


def _render(source: str, user) -> str:
    request = RequestFactory().get("/clusters/")
    request.user = user
    setattr(request, REQUEST_ATTRIBUTE, "generation-1")
    template = Template("{% load fragments %}" + source)
    return template.render(Context({"request": request, "user": user, "csrf_token": "tok"}))


@pytest.mark.parametrize(
    "body",
    [
        "{{ user.email }}",
        "{% if user.is_authenticated %}in{% endif %}",
        "{% csrf_token %}",
        '<form method="post" action="/x/"></form>',
        "{{ request.user.name }}",
    ],
)
def test_a_fragment_that_shows_something_of_the_person_fails_in_strict_mode(member, body):
    with pytest.raises(fragments.SharedFragmentLeak):
        _render('{% sharedfragment "t" %}' + body + "{% endsharedfragment %}", member)


def test_outside_strict_mode_such_a_fragment_is_shown_but_not_stored(member, settings, caplog):
    settings.SHARED_FRAGMENTS_STRICT = False
    cache.clear()
    source = '{% sharedfragment "t" %}{{ user.email }}{% endsharedfragment %}'
    assert _render(source, member) == "member@example.org"
    assert not _fragment_keys()
    assert "not stored" in caplog.text
    # What varies is named: stored once per value, and given to the fragment.
    source = '{% sharedfragment "t" n=number %}{{ n }}{% endsharedfragment %}'
    assert _render(source.replace("number", "1"), member) == "1"
    assert _render(source.replace("number", "2"), member) == "2"
    assert len(_fragment_keys()) == 2


@pytest.mark.parametrize("setting", ["PAGE_CACHE", "SHARED_FRAGMENTS"])
def test_no_fragment_is_stored_when_the_page_cache_or_the_fragments_are_off(
    world, settings, setting
):
    setattr(settings, setting, False)
    cache.clear()
    for url in _pages(world):
        _page(_client(world.users["member"]), url)
    assert not _fragment_keys()


def test_signed_in_public_pages_work_while_redis_is_down(world, redis_down):
    member = _client(world.users["member"])
    for url in _pages(world):
        assert b"Mia Member" in _page(member, url)


def test_the_home_plan_is_shared_but_the_secretariats_may_be_a_draft(world):
    from actionplan.models import Strategy

    Strategy.objects.create(
        title="Next strategy draft", vision="Later.", start_year=2029, end_year=2032
    )
    other_staff = StaffFactory(email="second.staff@example.org")
    home = reverse("home")
    member, secretariat = _client(world.users["member"]), _client(world.users["secretariat"])
    for first, second in ((secretariat, member), (member, secretariat)):
        cache.clear()
        _warm(first, home)
        _page(second, home)
    assert b"Next strategy draft" in _page(secretariat, home)
    member_home = _page(member, home)
    assert b"Joint strategy" in member_home
    assert b"Next strategy draft" not in member_home
    # The member's plan panel came from the cache: the home asks no plan query of its own.
    with CaptureQueriesContext(connection) as warm:
        _page(_client(world.users["manager"]), home)
    assert not [q for q in warm if "actionplan_" in q["sql"]]
    # The secretariat's, with its draft, is shared by the secretariat alone.
    _page(secretariat, home)
    with CaptureQueriesContext(connection) as warm:
        staff_home = _page(_client(other_staff), home)
    assert b"Next strategy draft" in staff_home
    assert not [q for q in warm if "actionplan_" in q["sql"]]
