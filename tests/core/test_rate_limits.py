"""The expensive public endpoints (searches, CSV exports, calendar feeds, /readyz) answer
429 with a clear page once a client IP asks too often; other clients are not affected."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIMIT = 3
MESSAGE = "This address has asked for this page too many times in a short while"

# (kind of limit, who asks, how to build the address from the world)
ENDPOINTS = {
    "practice search": ("search", None, lambda w: reverse("practices:repository") + "?q=data"),
    "cluster directory search": (
        "search",
        None,
        lambda w: reverse("clusters:directory") + "?q=mobility&page=1",
    ),
    "exchange offers filter": ("search", None, lambda w: reverse("exchange:index") + "?q=lab"),
    "plan export": ("export", None, lambda w: reverse("actionplan:export_csv")),
    "exchange decisions export": (
        "export",
        "secretariat",
        lambda w: reverse("exchange:call_export", args=[w.exchange["call"].pk]),
    ),
    "plan calendar": ("feed", None, lambda w: reverse("actionplan:calendar")),
    "private calendar feed (guessed token)": (
        "feed",
        None,
        lambda w: reverse("actionplan:calendar") + "?token=guessed-token",
    ),
    "readiness probe": ("readyz", None, lambda w: reverse("readyz")),
}


@pytest.fixture
def low_limits(settings):
    settings.RATELIMIT_RATES = dict.fromkeys(("search", "export", "feed", "readyz"), f"{LIMIT}/m")


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_the_request_over_the_limit_gets_the_429_page(client, world, low_limits, endpoint):
    _kind, who, address = ENDPOINTS[endpoint]
    if who:
        client.force_login(world.users[who])
    # Each request a new address: the page cache serves a search it has already rendered
    # without counting it (the limit spares the database, which a hit does not touch).
    urls = [f"{address(world)}{'&' if '?' in address(world) else '?'}n={n}" for n in range(9)]
    within = [client.get(urls[n], REMOTE_ADDR="203.0.113.7") for n in range(LIMIT)]
    assert all(response.status_code != 429 for response in within), [r.status_code for r in within]

    over = client.get(urls[LIMIT], REMOTE_ADDR="203.0.113.7")
    assert over.status_code == 429
    assert MESSAGE in over.content.decode()
    retry_after = int(over["Retry-After"])
    assert 1 <= retry_after <= 60
    assert f"Please try again in {retry_after} second" in over.content.decode()

    # Another client is not held back.
    other = client.get(urls[LIMIT + 1], REMOTE_ADDR="198.51.100.20")
    assert other.status_code == within[0].status_code


def test_a_plain_listing_page_is_not_counted_as_a_search(client, db, low_limits):
    for _ in range(LIMIT + 2):
        assert client.get(reverse("practices:repository")).status_code == 200
        assert client.get(reverse("practices:repository") + "?page=1").status_code == 200


def test_limits_are_per_kind(client, world, low_limits):
    for _ in range(LIMIT + 1):
        client.get(reverse("actionplan:export_csv"))
    assert client.get(reverse("actionplan:export_csv")).status_code == 429
    assert client.get(reverse("actionplan:calendar")).status_code == 200


def test_private_calendar_feeds_are_limited_per_feed_not_per_address(
    client, world, manager, low_limits
):
    """A calendar service fetches many people's feeds from one address: each working
    private address has its own count; the public feed and guesses count per address."""
    from actionplan.services import calendar_feed_create

    url = reverse("actionplan:calendar")
    service = "66.249.66.1"
    first = calendar_feed_create(user=manager)
    second = calendar_feed_create(user=world.users["secretariat"])
    for _ in range(LIMIT):
        assert client.get(f"{url}?token={first}", REMOTE_ADDR=service).status_code == 200
    assert client.get(f"{url}?token={first}", REMOTE_ADDR=service).status_code == 429
    # Another person's feed, fetched from the same address, is not held back.
    for _ in range(LIMIT):
        assert client.get(f"{url}?token={second}", REMOTE_ADDR=service).status_code == 200
    # Nor is the address itself: its public feed is counted apart.
    assert client.get(url, REMOTE_ADDR=service).status_code == 200
    # The feed over its limit stays limited from any address.
    assert client.get(f"{url}?token={first}", REMOTE_ADDR="198.51.100.20").status_code == 429
