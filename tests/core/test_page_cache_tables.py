"""The tables whose writes keep the stored pages (``PAGE_CACHE_PRIVATE_TABLES``) are
tables no public page reads: checked on the demo data, page by page, from the SQL."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan.models import Action
from clusters.models import Cluster
from exchange.models import Call, Offer
from practices.models import Practice

TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


def _public_urls() -> list[str]:
    return [
        reverse("home"),
        reverse("clusters:directory"),
        reverse("clusters:directory") + "?q=mobility&ecosystem=energy",
        reverse("clusters:detail", args=[Cluster.objects.order_by("pk").first().slug]),
        reverse("practices:repository"),
        reverse("practices:repository") + "?q=tender",
        reverse("practices:detail", args=[Practice.objects.published().first().slug]),
        reverse("actionplan:plan"),
        reverse("actionplan:action", args=[Action.objects.order_by("pk").first().pk]),
        reverse("exchange:index"),
        reverse("exchange:call", args=[Call.objects.order_by("pk").first().pk]),
        reverse("exchange:offer", args=[Offer.objects.order_by("pk").first().pk]),
    ]


def test_public_pages_read_no_private_table(demo_output, settings):
    settings.PAGE_CACHE = False
    read: dict[str, set[str]] = {}
    for url in _public_urls():
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url)
        assert response.status_code == 200, url
        for query in queries.captured_queries:
            for table in TABLE.findall(query["sql"]):
                read.setdefault(table, set()).add(url)
    assert {"clusters_cluster", "practices_practice", "exchange_offer"} <= set(read)
    private = settings.PAGE_CACHE_PRIVATE_TABLES
    assert {table: urls for table, urls in read.items() if table in private} == {}
