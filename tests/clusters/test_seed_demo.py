from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from clusters.models import Cluster, ClusterMembership, Ecosystem, JoinRequest, Organisation

SECRETARIAT = "secretariat@demo.smartclusters.eu"
MEMBER = "member@demo.smartclusters.eu"


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def seed_scale(*args: str) -> str:
    out = StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def a_managed_cluster() -> Cluster:
    return Cluster.objects.active().order_by("slug").first()


def manager_email(cluster: Cluster) -> str:
    return f"manager@{cluster.slug}.demo.smartclusters.eu"


@pytest.mark.django_db
def test_seed_demo_creates_active_clusters_in_several_countries_covering_all_ecosystems():
    seed_demo()

    active = Cluster.objects.active()
    assert active.count() >= 12
    assert active.values("country").distinct().count() >= 5
    covered = set(active.values_list("ecosystems__code", flat=True))
    assert covered == set(Ecosystem.objects.values_list("code", flat=True))
    assert Cluster.objects.filter(status=Cluster.Status.INACTIVE).count() <= 1


@pytest.mark.django_db
def test_seeded_clusters_pass_model_validation_and_have_a_profile():
    seed_demo()

    for cluster in Cluster.objects.all():
        cluster.full_clean()
        assert cluster.description
        assert cluster.offers
        assert cluster.needs
        assert cluster.members_total > 0
        assert cluster.ecosystems.exists()
        assert (cluster.label_year is None) == (cluster.label == Cluster.Label.NONE)
    labels = set(Cluster.objects.values_list("label", flat=True))
    assert labels == {label.value for label in Cluster.Label}


@pytest.mark.django_db
def test_every_seeded_cluster_has_its_demo_manager():
    seed_demo()

    for cluster in Cluster.objects.all():
        manager = User.objects.get(email=manager_email(cluster))
        assert ClusterMembership.objects.filter(
            user=manager, cluster=cluster, role=ClusterMembership.Role.MANAGER
        ).exists()
    assert ClusterMembership.objects.filter(role=ClusterMembership.Role.STAFF).count() >= 4


@pytest.mark.django_db
def test_demo_secretariat_can_log_in_to_admin_with_the_demo_password(client):
    seed_demo()

    secretariat = User.objects.get(email=SECRETARIAT)
    assert secretariat.is_staff
    assert secretariat.is_superuser
    assert client.login(email=SECRETARIAT, password=settings.DEMO_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_demo_manager_manages_their_cluster_and_can_log_in(client):
    seed_demo()
    cluster = a_managed_cluster()

    manager = User.objects.get(email=manager_email(cluster))
    assert manager.memberships.get().cluster == cluster
    assert manager.memberships.get().role == ClusterMembership.Role.MANAGER
    assert client.login(email=manager.email, password=settings.DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_member_works_for_an_sme_in_a_cluster_and_logs_in_through_allauth(client):
    seed_demo()

    member = User.objects.get(email=MEMBER)
    assert member.organisation.kind in {Organisation.Kind.SME, Organisation.Kind.STARTUP}
    assert member.organisation.clusters.exists()
    assert not member.memberships.exists()
    response = client.post(
        reverse("account_login"), {"login": MEMBER, "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_every_demo_user_has_a_name_the_demo_password_and_a_verified_primary_email():
    seed_demo()

    users = User.objects.filter(email__endswith="demo.smartclusters.eu")
    assert users.count() >= 14 + 4 + 3
    for user in users:
        assert user.name
        assert user.check_password(settings.DEMO_PASSWORD)
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()


@pytest.mark.django_db
def test_demo_password_comes_from_settings(settings):
    settings.DEMO_PASSWORD = "another-demo-password"

    output = seed_demo()

    assert User.objects.get(email=MEMBER).check_password("another-demo-password")
    assert "another-demo-password" in output


@pytest.mark.django_db
def test_seed_demo_leaves_one_join_request_for_the_secretariat_to_decide():
    seed_demo()

    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequest.Status.SUBMITTED
    assert join_request.requester.email.endswith("@demo.smartclusters.eu")
    assert join_request.ecosystems.exists()
    assert not Cluster.objects.filter(name__iexact=join_request.name).exists()


@pytest.mark.django_db
def test_running_seed_demo_twice_adds_and_changes_nothing():
    seed_demo()
    counts = row_counts()
    clusters = list(Cluster.objects.order_by("pk").values())
    users = list(User.objects.order_by("pk").values())

    output = seed_demo()

    assert row_counts() == counts
    assert counts["clusters.Cluster"] >= 14
    assert list(Cluster.objects.order_by("pk").values()) == clusters
    assert list(User.objects.order_by("pk").values()) == users
    assert "nothing added" in output


@pytest.mark.django_db
def test_seed_demo_if_empty_does_nothing_when_a_cluster_exists(cluster):
    counts = row_counts()

    output = seed_demo("--if-empty")

    assert row_counts() == counts
    assert "already has clusters" in output


@pytest.mark.django_db
def test_seed_demo_if_empty_seeds_an_empty_database():
    seed_demo("--if-empty")

    assert Cluster.objects.count() >= 14


@pytest.mark.django_db
def test_seed_demo_prints_the_demo_logins():
    output = seed_demo()

    assert SECRETARIAT in output
    assert MEMBER in output
    assert output.count("manager@") >= 2
    assert settings.DEMO_PASSWORD in output


@pytest.mark.django_db
def test_seed_scale_creates_clusters_each_with_a_manager():
    seed_scale("--clusters", "50", "--seed", "3")

    clusters = Cluster.objects.filter(slug__startswith="scale-")
    assert clusters.count() == 50
    for cluster in clusters.prefetch_related("memberships", "ecosystems"):
        assert [m.role for m in cluster.memberships.all()] == [ClusterMembership.Role.MANAGER]
        assert cluster.ecosystems.all()
    assert Organisation.objects.filter(clusters__slug__startswith="scale-").count() == 100


@pytest.mark.django_db
def test_seed_scale_is_rerunnable_and_only_adds_missing_clusters():
    seed_scale("--clusters", "50")
    counts = row_counts()

    seed_scale("--clusters", "50")
    assert row_counts() == counts

    seed_scale("--clusters", "60")
    assert Cluster.objects.filter(slug__startswith="scale-").count() == 60
    assert (
        ClusterMembership.objects.filter(cluster__slug__startswith="scale-")
        .values("cluster")
        .distinct()
        .count()
        == 60
    )


@pytest.mark.django_db
def test_seed_scale_is_deterministic_with_a_seed():
    def snapshot():
        return list(
            Cluster.objects.filter(slug__startswith="scale-")
            .order_by("slug")
            .values_list("slug", "name", "country", "label", "label_year", "members_smes")
        )

    seed_scale("--clusters", "20", "--seed", "7")
    first = snapshot()
    Cluster.objects.filter(slug__startswith="scale-").delete()

    seed_scale("--clusters", "20", "--seed", "7")

    assert snapshot() == first
    assert ClusterMembership.objects.filter(cluster__slug__startswith="scale-").count() == 20


@pytest.mark.django_db
def test_seeders_put_back_ecosystems_that_a_flush_removed():
    Ecosystem.objects.all().delete()

    seed_demo()
    seed_scale("--clusters", "5")

    assert Ecosystem.objects.count() == 4
    assert not Cluster.objects.filter(ecosystems=None).exists()
