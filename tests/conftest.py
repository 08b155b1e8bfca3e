import os

import pytest

from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    NotificationFactory,
    StaffFactory,
    UserFactory,
)
from tests.routes import World


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the ecosystems (migration data) that a reused test database may have
    lost to an earlier run's transactional tests, which flush every table."""
    from clusters.models import Ecosystem

    with django_db_blocker.unblock():
        for code, name in Ecosystem.CODES:
            Ecosystem.objects.get_or_create(code=code, defaults={"name": str(name)})


@pytest.fixture(autouse=True)
def _media_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def member(db):
    return UserFactory(email="member@example.org", name="Mia Member")


@pytest.fixture
def cluster(db):
    return ClusterFactory(name="Mobility Valley", slug="mobility-valley", acronym="MV")


@pytest.fixture
def other_cluster(db):
    return ClusterFactory(name="Energy Coast", slug="energy-coast", country="FR", city="Nantes")


@pytest.fixture
def manager(cluster):
    return MembershipFactory(cluster=cluster, user__email="manager@example.org").user


@pytest.fixture
def other_manager(other_cluster):
    return MembershipFactory(cluster=other_cluster, user__email="other@example.org").user


@pytest.fixture
def staff_member(cluster):
    return MembershipFactory(cluster=cluster, user__email="staff@example.org", role="staff").user


@pytest.fixture
def secretariat(db):
    return StaffFactory(email="secretariat@example.org", name="Sam Secretariat")


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def _require_services() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_runtest_setup(item):
    """Tests marked ``services`` need a real Redis; without one they skip, or fail in CI."""
    if item.get_closest_marker("services") and not os.environ.get("REDIS_URL"):
        message = "needs REDIS_URL (a real Redis and Celery worker)"
        if _require_services():
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


@pytest.fixture
def redis_url():
    return os.environ["REDIS_URL"]


@pytest.fixture
def world(cluster, other_cluster, member, manager, other_manager, secretariat):
    staff = MembershipFactory(cluster=cluster, role="staff", user__email="staffer@example.org")
    # Everyone has one unread notification; the member's is the one the rows point at.
    notifications = {
        user.pk: NotificationFactory(recipient=user)
        for user in (member, manager, other_manager, secretariat)
    }
    return World(
        plan=_world_plan(cluster, other_cluster),
        practices=_world_practices(cluster, manager),
        notification=notifications[member.pk],
        cluster=cluster,
        other_cluster=other_cluster,
        member=member,
        manager=manager,
        other_manager=other_manager,
        secretariat=secretariat,
        staff_membership=staff,
    )


def _world_practices(cluster, author):
    """A published, a draft (with a file) and a submitted practice of ``cluster``."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from clusters.models import Ecosystem
    from practices.models import Attachment, Practice

    def make(status, title):
        practice = Practice.objects.create(
            title=title,
            slug=title.lower().replace(" ", "-"),
            cluster=cluster,
            author=author,
            category="thematic",
            summary="A practice worth sharing.",
            problem="A problem.",
            description="What we did.",
            start_year=2020,
            status=status,
            published_at=timezone.now() if status == "published" else None,
            submitted_at=timezone.now() if status == "submitted" else None,
        )
        practice.ecosystems.set(Ecosystem.objects.filter(code="mobility"))
        return practice

    draft = make("draft", "Draft practice")
    attachment = Attachment(
        practice=draft,
        name="plan.pdf",
        content_type="application/pdf",
        size=20,
        uploaded_by=author,
    )
    attachment.file.save("plan.pdf", SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"))
    return {
        "published": make("published", "Published practice"),
        "draft": draft,
        "submitted": make("submitted", "Submitted practice"),
        "attachment": attachment,
    }


def _world_plan(cluster, partner):
    """An adopted strategy with one objective and one action led by ``cluster``."""
    from datetime import timedelta

    from django.utils import timezone

    from actionplan.models import Action, Indicator, Milestone, Objective, Strategy

    strategy = Strategy.objects.create(
        title="Joint strategy",
        vision="Smart cities, together.",
        start_year=2025,
        end_year=2028,
        status="adopted",
    )
    objective = Objective.objects.create(
        strategy=strategy, title="Cleaner mobility", theme="mobility", order=1
    )
    today = timezone.localdate()
    action = Action.objects.create(
        objective=objective,
        title="Shared e-bus charging data",
        lead_cluster=cluster,
        start_date=today - timedelta(days=60),
        due_date=today + timedelta(days=90),
        status="in_progress",
        progress=30,
    )
    action.partners.set([partner])
    Milestone.objects.create(action=action, title="Data space live", date=today)
    indicator = Indicator.objects.create(
        action=action, name="Operators sharing data", unit="operators", baseline=0, target=10
    )
    return {"strategy": strategy, "objective": objective, "action": action, "indicator": indicator}
