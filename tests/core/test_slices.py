"""core.slices: a slice of a sorted queryset, fetched as its ids and then its rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import Cluster
from core.slices import SlicedPaginator, rows_of
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clusters():
    return [ClusterFactory(name=f"Cluster {n:02d}") for n in range(12)]


def test_rows_of_gives_the_slice_in_order_with_its_related_rows_in_two_queries(clusters):
    queryset = Cluster.objects.filter(name__startswith="Cluster").order_by("-name")
    expected = list(queryset[3:8])
    with CaptureQueriesContext(connection) as queries:
        rows = rows_of(queryset, 3, 8)
    assert [r.pk for r in rows] == [r.pk for r in expected]
    assert len(queries) == 2
    # The second question is about the slice's rows only.
    assert "LIMIT" not in queries[1]["sql"]
    assert "IN (" in queries[1]["sql"]


def test_rows_of_an_empty_slice_asks_nothing_more(clusters):
    queryset = Cluster.objects.order_by("name")
    with CaptureQueriesContext(connection) as queries:
        assert rows_of(queryset, 50, 60) == []
        assert rows_of(queryset, 5, 5) == []
    assert len(queries) == 1


def test_the_paginator_pages_as_djangos_does(clusters):
    queryset = Cluster.objects.filter(name__startswith="Cluster").order_by("name")
    from django.core.paginator import Paginator

    for number in (1, 2, 3):
        ours = SlicedPaginator(queryset, 5, orphans=1).get_page(number)
        django = Paginator(queryset, 5, orphans=1).get_page(number)
        assert [c.pk for c in ours] == [c.pk for c in django]
        assert (ours.number, ours.has_next()) == (django.number, django.has_next())
    assert list(SlicedPaginator(queryset, 5).get_page(99)) == list(queryset[10:])
