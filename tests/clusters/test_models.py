import pytest
from django.db import IntegrityError, transaction

from clusters.models import Cluster, ClusterMembership, JoinRequest, Organisation
from tests.factories import (
    ClusterFactory,
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MEMBER_COUNT_FIELDS = Cluster.MEMBER_COUNT_FIELDS


def test_cluster_slug_is_unique(cluster):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterFactory(slug=cluster.slug, name="Another name")
    assert Cluster.objects.filter(slug=cluster.slug).count() == 1


@pytest.mark.parametrize("field", MEMBER_COUNT_FIELDS)
def test_negative_member_count_is_rejected_by_the_database(cluster, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cluster.objects.filter(pk=cluster.pk).update(**{field: -1})
    cluster.refresh_from_db()
    assert getattr(cluster, field) >= 0


@pytest.mark.parametrize("field", MEMBER_COUNT_FIELDS)
def test_negative_member_count_is_rejected_on_join_requests(field):
    join_request = JoinRequestFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.filter(pk=join_request.pk).update(**{field: -5})


@pytest.mark.parametrize("year", [1899, 2101, 0])
def test_year_founded_out_of_range_is_rejected(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterFactory(year_founded=year)
    assert not Cluster.objects.filter(year_founded=year).exists()


@pytest.mark.parametrize("year", [1900, 1999, 2100])
def test_year_founded_within_range_is_accepted(year):
    cluster = ClusterFactory(year_founded=year)
    cluster.refresh_from_db()
    assert cluster.year_founded == year


def test_year_founded_may_be_empty():
    assert ClusterFactory(year_founded=None).year_founded is None


@pytest.mark.parametrize("year", [1899, 2101])
def test_join_request_year_founded_out_of_range_is_rejected(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequestFactory(year_founded=year)
    assert not JoinRequest.objects.exists()


def test_label_year_without_label_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterFactory(label=Cluster.Label.NONE, label_year=2020)
    assert not Cluster.objects.exists()


def test_label_year_with_label_is_accepted():
    cluster = ClusterFactory(label=Cluster.Label.GOLD, label_year=2020)
    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == ("gold", 2020)


def test_label_year_out_of_range_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterFactory(label=Cluster.Label.SILVER, label_year=1999)


def test_unknown_label_is_rejected_by_the_database(cluster):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cluster.objects.filter(pk=cluster.pk).update(label="platinum")


def test_unknown_status_is_rejected_by_the_database(cluster):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cluster.objects.filter(pk=cluster.pk).update(status="deleted")


def test_membership_is_unique_per_user_and_cluster(manager, cluster):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterMembership.objects.create(
            user=manager, cluster=cluster, role=ClusterMembership.Role.STAFF
        )
    assert ClusterMembership.objects.filter(user=manager, cluster=cluster).count() == 1


def test_same_user_may_be_in_two_clusters(manager, other_cluster):
    MembershipFactory(user=manager, cluster=other_cluster, role=ClusterMembership.Role.STAFF)
    assert manager.memberships.count() == 2


def test_unknown_membership_role_is_rejected_by_the_database(cluster):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cluster=cluster, role="owner")


def test_rejected_join_request_must_have_a_reason():
    join_request = JoinRequestFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.filter(pk=join_request.pk).update(
            status=JoinRequest.Status.REJECTED, rejection_reason=""
        )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.SUBMITTED


def test_organisation_name_is_unique_per_country_ignoring_case():
    OrganisationFactory(name="Acme Mobility", country="DE")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(name="ACME mobility", country="DE")
    OrganisationFactory(name="Acme Mobility", country="FR")
    assert Organisation.objects.filter(name__iexact="acme mobility").count() == 2


def test_user_email_is_unique_ignoring_case():
    UserFactory(email="someone@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="SomeOne@example.org", verified=False)


def test_members_total_is_the_sum_of_the_five_counts():
    cluster = ClusterFactory(
        members_smes=40, members_large=7, members_research=5, members_public=3, members_other=2
    )
    cluster.refresh_from_db()
    assert cluster.members_total == 57


def test_members_total_follows_an_update(cluster):
    Cluster.objects.filter(pk=cluster.pk).update(members_large=100, members_other=1)
    cluster.refresh_from_db()
    assert cluster.members_total == (
        cluster.members_smes
        + cluster.members_large
        + cluster.members_research
        + cluster.members_public
        + cluster.members_other
    )
    assert cluster.members_total == 40 + 100 + 5 + 0 + 1


def test_members_total_can_be_filtered_on():
    ClusterFactory(name="Small", members_smes=10, members_research=0)
    ClusterFactory(name="Big", members_smes=300, members_research=0)
    assert list(Cluster.objects.filter(members_total__gte=100).values_list("name", flat=True)) == [
        "Big"
    ]


def test_member_counts_lists_the_five_types(cluster):
    counts = dict(cluster.member_counts)
    assert len(counts) == 5
    assert counts["SMEs"] == 40


def test_active_queryset_hides_inactive_clusters(cluster, other_cluster):
    Cluster.objects.filter(pk=other_cluster.pk).update(status=Cluster.Status.INACTIVE)
    assert list(Cluster.objects.active()) == [cluster]


def test_cluster_url_uses_its_slug(cluster):
    assert cluster.get_absolute_url() == "/clusters/mobility-valley/"
