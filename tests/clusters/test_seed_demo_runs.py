"""Running the seeders: twice, on a database that is not empty, with another demo
password, with e-mail. Each test seeds a fresh database itself; the tests that only
read the demo data share one seed in test_seed_demo.py.

A seed takes seconds, so a test checks all it can of one run (or two): what the first
run of ``seed_demo`` does and that a second adds nothing are one test.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from actionplan.models import (
    Action,
    ActionFollow,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    ProgressUpdate,
    Strategy,
)
from clusters.models import (
    Cluster,
    ClusterFollow,
    ClusterMembership,
    Ecosystem,
    Organisation,
)
from core.models import AuditEvent
from notifications.models import Notification
from practices import notifications as practice_kinds
from practices.models import Practice, PracticeVersion, Tag, TransferInterest

pytestmark = pytest.mark.slow  # the workers take these first (tests/scheduling.py)

MEMBER = "member@demo.smartclusters.eu"
SECRETARIAT = "secretariat@demo.smartclusters.eu"


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


@pytest.mark.django_db
def test_seed_demo_if_empty_does_nothing_when_a_cluster_exists(cluster):
    counts = row_counts()

    output = seed_demo("--if-empty")

    assert row_counts() == counts
    assert "already has clusters" in output


@pytest.mark.django_db
def test_seed_demo_if_empty_seeds_an_empty_database_with_the_password_from_settings(settings):
    settings.DEMO_PASSWORD = "another-demo-password"

    output = seed_demo("--if-empty")

    assert Cluster.objects.count() >= 14
    assert User.objects.get(email=MEMBER).check_password("another-demo-password")
    assert "another-demo-password" in output


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


PLAN_MODELS = [
    Strategy,
    Objective,
    Action,
    Milestone,
    Indicator,
    IndicatorValue,
    ProgressUpdate,
    ActionFollow,
]
PRACTICE_MODELS = [
    Practice,
    PracticeVersion,
    Tag,
    TransferInterest,
    AuditEvent,
    ClusterFollow,
    Notification,
]


@pytest.mark.django_db
def test_seed_demo_notifies_in_the_inbox_sends_no_email_and_a_second_run_adds_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()

    # The best-practice repository: people are told in their inbox, by no e-mail.
    assert mail.outbox == []
    secretariat = User.objects.get(email=SECRETARIAT)
    assert (
        Notification.objects.filter(
            recipient=secretariat, kind=practice_kinds.SUBMITTED.name
        ).count()
        == PracticeVersion.objects.count()
    )
    assert not Notification.objects.exclude(
        email_state=Notification.EmailState.NOT_EMAILED
    ).exists()
    # What is still waiting for someone is unread; last year's news has been read.
    unread = Notification.objects.unread()
    assert unread.filter(recipient=secretariat, kind=practice_kinds.SUBMITTED.name).count() == 2
    assert unread.count() < Notification.objects.count() // 4
    # The joint strategy: no e-mail (nor notification) about the actions people own.
    links = [action.get_absolute_url() for action in Action.objects.all()]
    assert not Notification.objects.filter(link__in=links).exists()

    counts = row_counts()
    clusters = list(Cluster.objects.order_by("pk").values())
    users = list(User.objects.order_by("pk").values())
    practice_counts = {model: model.objects.count() for model in PRACTICE_MODELS}
    practices = list(Practice.objects.order_by("pk").values())
    plan_counts = {model: model.objects.count() for model in PLAN_MODELS}
    actions = list(Action.objects.order_by("pk").values())

    output = seed_demo()

    assert row_counts() == counts
    assert counts["clusters.Cluster"] >= 14
    assert list(Cluster.objects.order_by("pk").values()) == clusters
    assert list(User.objects.order_by("pk").values()) == users
    # No practice history, tag, interest, audit event, follow or notification twice.
    assert {model: model.objects.count() for model in PRACTICE_MODELS} == practice_counts
    assert list(Practice.objects.order_by("pk").values()) == practices
    # No strategy, objective, action, milestone, indicator or update twice.
    assert {model: model.objects.count() for model in PLAN_MODELS} == plan_counts
    assert list(Action.objects.order_by("pk").values()) == actions
    assert "nothing added" in output
