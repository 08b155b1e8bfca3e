import os
from contextlib import contextmanager
from io import StringIO

import pytest
from django.db.models.signals import post_migrate

from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    NotificationFactory,
    StaffFactory,
    UserFactory,
)
from tests.routes import World


def _put_back_ecosystems(sender, using="default", apps=None, **kwargs):
    """After every flush (a transactional test's teardown emits ``post_migrate``), put
    back the ecosystems, migration data the flush removed. Under pytest-xdist a worker
    may run a transactional module before a plain one, which then finds no ecosystems."""
    if sender.label != "clusters":
        return
    if apps is None:  # flush sends no ``apps``: the models as they are now
        from django.apps import apps
    try:
        ecosystem = apps.get_model("clusters", "Ecosystem")
    except LookupError:  # migrated back before the ecosystems existed
        return
    from clusters.models import Ecosystem

    for code, name in Ecosystem.CODES:
        ecosystem.objects.using(using).get_or_create(code=code, defaults={"name": str(name)})


post_migrate.connect(_put_back_ecosystems, dispatch_uid="tests.put_back_ecosystems")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the ecosystems (migration data) that a reused test database may have
    lost to an earlier run's transactional tests, which flush every table; and let those
    flushes delete rows rather than truncate tables (``tests.flush``)."""
    from clusters.models import Ecosystem
    from tests.flush import flush_by_delete

    with django_db_blocker.unblock():
        for code, name in Ecosystem.CODES:
            Ecosystem.objects.get_or_create(code=code, defaults={"name": str(name)})
    with flush_by_delete():
        yield


@pytest.fixture(scope="module")
def seeded_demo(request, django_db_setup, django_db_blocker):
    """The output of one ``seed_demo`` run, shared by every test of the module.

    Seeding takes over a second, so a module that only reads the demo data seeds once,
    inside a transaction rolled back when the module is done: no row reaches another
    module. Its tests ask for ``demo_output``, which runs each in its own savepoint, so
    what a test writes (a login, a reminder) is gone before the next one.

    The rows are there for the whole module, so every test of it must share them; a test
    that needs a fresh database (seeding it itself, say) goes in another module.
    """
    from django.core.management import call_command

    strangers = [
        item.name
        for item in request.session.items
        if item.module is request.module and "seeded_demo" not in item.fixturenames
    ]
    if strangers:
        pytest.fail(
            f"{request.module.__name__} seeds the demo once for all its tests, "
            f"so these would see its rows; move them to another module: {strangers}"
        )
    out = StringIO()
    with _module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("seed_demo", stdout=out)
        yield out.getvalue()


@contextmanager
def _module_transaction(django_db_blocker):
    """A transaction around a whole module, rolled back at its end: the rows made inside
    it (before the ``yield``) are seen by each test of the module, in the test's own
    savepoint (pytest-django's ``db``), and by no other module."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_output(seeded_demo, db):
    """``seeded_demo``'s output, for a test that runs in its own savepoint on its rows."""
    return seeded_demo


@pytest.fixture(autouse=True)
def _media_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Files a module-wide fixture stored (the shared world's attachments), per storage alias:
# each test of that module starts with these and no other.
_kept_files: dict[str, dict[str, bytes]] = {}


@pytest.fixture(autouse=True)
def _empty_in_memory_storages():
    """The test settings keep uploads in memory, per process: each test starts with none
    (but the files of its module's shared world, see ``_world_scope``).
    (On SQLite a rolled-back row's id comes back in the next test, and with it the
    folder of files an earlier test stored under that id.)"""
    from django.core.files.base import ContentFile
    from django.core.files.storage import InMemoryStorage, storages

    for alias in ("default", "private"):
        storage = storages[alias]
        if isinstance(storage, InMemoryStorage):
            _delete_tree(storage, "")
            for name, content in _kept_files.get(alias, {}).items():
                storage.save(name, ContentFile(content))


def _delete_tree(storage, path: str) -> None:
    dirs, files = storage.listdir(path)
    for name in files:
        storage.delete(f"{path}/{name}" if path else name)
    for name in dirs:
        _delete_tree(storage, f"{path}/{name}" if path else name)


def _stored_files(storage, path: str = "") -> dict[str, bytes]:
    dirs, files = storage.listdir(path)
    found = {}
    for name in files:
        full = f"{path}/{name}" if path else name
        with storage.open(full) as stored:
            found[full] = stored.read()
    for name in dirs:
        found |= _stored_files(storage, f"{path}/{name}" if path else name)
    return found


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counts():
    """Rate limits count requests in the (per-process) cache: each test starts afresh."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()


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


def pytest_configure(config):
    """Where pytest-xdist runs the suite, its units and their order (``tests.scheduling``)."""
    if config.pluginmanager.hasplugin("xdist"):
        from tests.scheduling import Plugin

        config.pluginmanager.register(Plugin(), "tests.scheduling")


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


# The people and clusters of the world; a test that asks for one of these fixtures as well
# as for ``world`` gets the world's own.
_WORLD_PEOPLE = ("cluster", "other_cluster", "member", "manager", "other_manager", "secretariat")
_TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _shares_one_world(items) -> bool:
    """Whether the tests of a module can share one world: some ask for it, every test
    that uses the database does, none asks for its people apart (they would be other
    rows), and none needs real transactions (those flush the database)."""
    uses_world = False
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        marker = item.get_closest_marker("django_db")
        if names & _TRANSACTIONAL or (marker and marker.kwargs.get("transaction")):
            return False
        if "world" in names:
            uses_world = True
            if names & {*_WORLD_PEOPLE, "staff_member"}:
                return False
        elif marker or "db" in names:
            return False
    return uses_world


@pytest.fixture(scope="module")
def _world_scope(request):
    """One world for the whole module when all its database tests use it (the permission
    matrix, the bad-input sweep): building it is most of such a test's time.

    It is built in a transaction rolled back when the module is done, like
    ``seeded_demo``; each test runs in its own savepoint on it, so what a test writes is
    gone before the next one, and the files it stores too (``_kept_files``). Elsewhere
    (None here) each test builds its own world."""
    items = [item for item in request.session.items if item.module is request.module]
    if not _shares_one_world(items):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    django_db_blocker = request.getfixturevalue("django_db_blocker")
    from django.core.files.storage import InMemoryStorage, storages

    with _module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            people = _world_people()
            shared = _build_world(**people)
        for alias in ("default", "private"):
            if isinstance(storages[alias], InMemoryStorage):
                _kept_files[alias] = _stored_files(storages[alias])
        try:
            yield shared
        finally:
            _kept_files.clear()


def _world_people() -> dict:
    """What the fixtures ``cluster`` ... ``secretariat`` make, for a module's shared world."""
    cluster = ClusterFactory(name="Mobility Valley", slug="mobility-valley", acronym="MV")
    other_cluster = ClusterFactory(
        name="Energy Coast", slug="energy-coast", country="FR", city="Nantes"
    )
    return {
        "cluster": cluster,
        "other_cluster": other_cluster,
        "member": UserFactory(email="member@example.org", name="Mia Member"),
        "manager": MembershipFactory(cluster=cluster, user__email="manager@example.org").user,
        "other_manager": MembershipFactory(
            cluster=other_cluster, user__email="other@example.org"
        ).user,
        "secretariat": StaffFactory(email="secretariat@example.org", name="Sam Secretariat"),
    }


@pytest.fixture
def world(_world_scope, db, request):
    """The objects every row of the permission matrix is checked against (``World``)."""
    if _world_scope is not None:
        return _world_scope
    return _build_world(**{name: request.getfixturevalue(name) for name in _WORLD_PEOPLE})


def _build_world(*, cluster, other_cluster, member, manager, other_manager, secretariat):
    from actionplan.services import calendar_feed_create

    staff = MembershipFactory(cluster=cluster, role="staff", user__email="staffer@example.org")
    calendar_feed_create(user=member)  # a private calendar address the member may reset
    # Everyone has one unread notification; the member's is the one the rows point at.
    notifications = {
        user.pk: NotificationFactory(recipient=user)
        for user in (member, manager, other_manager, secretariat)
    }
    return World(
        exchange=_world_exchange(cluster, member, manager),
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


def _world_exchange(cluster, member, manager):
    """An open call with an offer hosted by ``cluster``, and the member's applications to
    it in each state a route needs; the visits already made are in last year's call.

    ``cluster`` is in Germany, so the member gets an organisation in the Netherlands:
    their draft passes every eligibility rule and can be submitted.
    """
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from exchange.models import ReportAttachment, Review, VisitReport
    from tests.factories import (
        ApplicationFactory,
        CallFactory,
        OfferFactory,
        OrganisationFactory,
    )

    member.organisation = OrganisationFactory(name="Delft Mobility Lab", country="NL")
    member.save(update_fields=["organisation"])
    now, today = timezone.now(), timezone.localdate()
    call = CallFactory(title="ClusterXchange 2026")
    offer = OfferFactory(
        call=call,
        host=cluster,
        topic="Mobility data living lab",
        contact=manager,
        created_by=manager,
        capacity=4,
    )

    def apply(offer, week, status, **extra):
        """Monday to Friday of the ``week``-th week of the call's visit window."""
        window = offer.call.visits_from
        start = window + timedelta(days=(7 - window.weekday()) % 7, weeks=week)
        return ApplicationFactory(
            offer=offer,
            applicant=member,
            start_date=start,
            end_date=start + timedelta(days=4),
            travel_from_city="Delft",
            travel_from_country="NL",
            distance_km=600,
            funding_requested="775.00",
            status=status,
            submitted_at=None if status == "draft" else now - timedelta(days=3),
            **extra,
        )

    draft = apply(offer, 0, "draft")
    submitted = apply(offer, 2, "submitted")
    accepted = apply(offer, 4, "host_accepted")
    Review.objects.create(
        application=accepted,
        reviewer=manager,
        recommendation="accept",
        comment="Strong fit with our data space.",
    )

    # Last year's round (another call series): a visit waiting for its report, one done.
    past = CallFactory(
        title="ClusterXchange 2025",
        series="ClusterXchange 2024–2025",
        opens_at=now - timedelta(days=300),
        closes_at=now - timedelta(days=250),
        visits_from=today - timedelta(days=200),
        visits_until=today - timedelta(days=20),
    )
    past_offer = OfferFactory(
        call=past, host=cluster, topic="Smart parking pilots", created_by=manager, capacity=4
    )
    report_due = apply(past_offer, 0, "report_due", report_due_at=now - timedelta(days=5))
    completed = apply(past_offer, 2, "completed")
    report = VisitReport.objects.create(
        application=completed,
        what_happened="Three days in the parking pilots.",
        results="A joint proposal.",
        contacts="Two SMEs.",
        follow_up="A return visit.",
        satisfaction=5,
        submitted_by=member,
    )
    attachment = ReportAttachment(
        report=report, name="slides.pdf", content_type="application/pdf", size=16
    )
    attachment.file.save("slides.pdf", SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n%%EOF\n"))
    return {
        "call": call,
        "offer": offer,
        "draft": draft,
        "submitted": submitted,
        "host_accepted": accepted,
        "report_due": report_due,
        "completed": completed,
        "attachment": attachment,
    }
