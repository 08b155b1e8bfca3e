"""Two practices created at the same moment with the same new tag or title (PostgreSQL).

The first creation's transaction is held open, its rows written but not committed,
until the second is seen waiting on a unique index (the tag's, the practice slug's):
the race happens every time, not by luck. Both practices must be created.
"""

import pytest

from clusters.models import ClusterMembership
from practices.models import Practice, Tag
from tests.concurrency import held_until_the_other_waits, require_postgresql
from tests.factories import MembershipFactory

from .test_services import create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    require_postgresql()


@pytest.mark.parametrize(
    "second_name", ["Hydrogen valleys", "hydrogen Valleys"], ids=["same-name", "other-case"]
)
def test_two_practices_creating_the_same_new_tag_at_once_share_it(cluster, manager, second_name):
    colleague = MembershipFactory(cluster=cluster, role=ClusterMembership.Role.STAFF).user

    results, waited = held_until_the_other_waits(
        lambda: create(manager, cluster, title="Hydrogen buses", tags=["Hydrogen valleys"]),
        lambda: create(colleague, cluster, title="Hydrogen trains", tags=[second_name]),
    )

    assert waited, "the second creation never met the first one's uncommitted tag"
    assert isinstance(results["held"], Practice), results["held"]
    assert isinstance(results["then"], Practice), results["then"]
    tag = Tag.objects.get()
    assert (tag.name, tag.slug) == ("Hydrogen valleys", "hydrogen-valleys")
    for practice in Practice.objects.all():
        assert list(practice.tags.all()) == [tag]


def test_two_practices_creating_the_same_new_tags_in_another_order_share_them(cluster, manager):
    colleague = MembershipFactory(cluster=cluster, role=ClusterMembership.Role.STAFF).user

    results, waited = held_until_the_other_waits(
        lambda: create(manager, cluster, title="Buses", tags=["Fleet data", "Depots", "Old tag"]),
        lambda: create(colleague, cluster, title="Trains", tags=["Depots", "Fleet data"]),
    )

    assert waited
    assert {type(r) for r in results.values()} == {Practice}, results
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["depots", "fleet-data", "old-tag"]
    trains = Practice.objects.get(title="Trains")
    assert sorted(t.slug for t in trains.tags.all()) == ["depots", "fleet-data"]


def test_two_practices_with_the_same_title_at_once_get_distinct_slugs(cluster, manager):
    colleague = MembershipFactory(cluster=cluster, role=ClusterMembership.Role.STAFF).user

    results, waited = held_until_the_other_waits(
        lambda: create(manager, cluster, title="Shared depots"),
        lambda: create(colleague, cluster, title="Shared depots"),
    )

    assert waited
    assert (results["held"].slug, results["then"].slug) == ("shared-depots", "shared-depots-2")
    assert Practice.objects.filter(title="Shared depots").count() == 2
