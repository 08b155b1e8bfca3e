"""A label a cluster declared itself before labels were recorded facts (migration 0004)
is not shown until the secretariat confirms it; a recorded one is shown."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from clusters.models import Cluster, ClusterLabel
from clusters.services import cluster_label_record
from tests.factories import ClusterFactory, StaffFactory

BEFORE = ("clusters", "0003_clusterfollow")
AFTER = ("clusters", "0004_cluster_labels")
SHOWN_GOLD = 'class="label label-gold">Gold</span>'


def directory_names(client, label):
    response = client.get(reverse("clusters:directory"), {"label": label})
    return [c.name for c in response.context["page_obj"]]


@pytest.mark.django_db(transaction=True)
def test_a_self_declared_label_waits_for_confirmation_after_the_migration(client):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_cluster = executor.loader.project_state([BEFORE]).apps.get_model("clusters", "Cluster")
    common = {"country": "DE", "city": "Munich", "members_smes": 10}
    declared = old_cluster.objects.create(
        name="Self Declared Gold", slug="self-declared", label="gold", label_year=2023, **common
    )
    no_year = old_cluster.objects.create(
        name="Gold Without Year", slug="no-year", label="gold", **common
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    declared = Cluster.objects.get(pk=declared.pk)
    assert (declared.label, declared.label_year) == (Cluster.Label.NONE, None)
    carried = ClusterLabel.objects.get(cluster=declared)
    assert (carried.level, carried.year, carried.confirmed, carried.recorded_by) == (
        "gold",
        2023,
        False,
        None,
    )
    assert Cluster.objects.get(pk=no_year.pk).label == Cluster.Label.NONE
    assert not ClusterLabel.objects.filter(cluster_id=no_year.pk).exists()
    assert SHOWN_GOLD not in client.get(declared.get_absolute_url()).content.decode()
    assert directory_names(client, "gold") == []

    # A label the secretariat records (as the demo seeds them) is shown at once.
    recorded = ClusterFactory(name="Recorded Gold")
    cluster_label_record(cluster=recorded, actor=StaffFactory(), level="gold", year=2024)
    assert SHOWN_GOLD in client.get(recorded.get_absolute_url()).content.decode()
    assert directory_names(client, "gold") == ["Recorded Gold"]
