"""seed_scale grows to the whole network: practices, actions, applications, notifications.

Small numbers: each part makes the counts asked for, with every state of its workflow,
the same rows for the same seed, and nothing more on a rerun.
"""

from io import StringIO

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from actionplan.models import CLOSED_STATUSES, Action, Strategy
from practices.models import Practice

pytestmark = pytest.mark.django_db

NETWORK = ("--clusters", "15", "--practices", "120", "--actions", "90", "--seed", "3")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def practice_rows():
    return list(
        Practice.objects.order_by("slug").values_list(
            "slug",
            "title",
            "status",
            "category",
            "summary",
            "description",
            "cluster__slug",
            "author__email",
            "start_year",
            "end_year",
        )
    )


def practice_links():
    return sorted(
        Practice.objects.values_list("slug").annotate(
            ecosystems=Count("ecosystems", distinct=True), tags=Count("tags", distinct=True)
        )
    )


def action_rows():
    return list(
        Action.objects.order_by("title").values_list(
            "title",
            "parent__title",
            "objective__title",
            "lead_cluster__slug",
            "owner__email",
            "status",
            "progress",
            "start_date",
            "due_date",
            "budget_amount",
        )
    )


def test_practices_come_in_every_state_from_the_seeded_clusters():
    output = seed(*NETWORK)

    assert "120 practices" in output
    practices = Practice.objects.all()
    assert practices.count() == 120
    states = dict(practices.values_list("status").annotate(n=Count("id")))
    assert set(states) == set(Practice.Status.values)
    assert states["published"] > sum(states.values()) / 2
    assert not practices.filter(ecosystems=None).exists()
    assert practices.filter(tags__isnull=False).exists()
    assert not practices.exclude(cluster__slug__startswith="scale-").exists()
    assert not practices.exclude(author__memberships__cluster=models_f("cluster")).exists()
    published = practices.filter(status__in=["published", "archived"])
    assert not published.filter(published_at=None).exists()
    assert not practices.exclude(status="draft").filter(submitted_at=None).exists()
    now = timezone.now()
    assert not practices.filter(Q(created__gt=now) | Q(published_at__gt=now)).exists()
    oldest = practices.order_by("created").first().created
    assert (now - oldest).days > 365  # spread over the years, not all made today
    words = sorted(len(p.description.split()) for p in practices)
    assert words[0] < 150 < words[-1]  # lengths vary like real text
    assert all(len(p.summary) <= 400 for p in practices)


def models_f(name):
    from django.db.models import F

    return F(name)


def test_actions_make_one_adopted_plan_with_sub_actions_and_overdue_ones():
    seed(*NETWORK)

    strategy = Strategy.objects.get()
    assert strategy.status == Strategy.Status.ADOPTED
    actions = Action.objects.filter(objective__strategy=strategy)
    assert actions.count() == 90
    assert set(actions.values_list("status", flat=True)) == set(Action.Status.values)
    assert actions.overdue().exists()
    assert actions.exclude(status__in=CLOSED_STATUSES).filter(due_date__gte=timezone.localdate())
    children = actions.filter(parent__isnull=False).select_related("parent")
    assert children.exists()
    for child in children:
        assert child.parent.parent_id is None
        assert child.parent.objective_id == child.objective_id
        assert child.due_date >= child.start_date
    for parent in actions.filter(children__isnull=False).distinct():
        kids = [c for c in parent.children.all() if c.status != "cancelled"]
        total = sum(c.weight for c in kids)
        expected = int(sum(c.progress * c.weight for c in kids) / total + 0.5) if total else 0
        assert parent.progress == expected
    leaves = actions.filter(children__isnull=True)  # a parent's progress is its children's
    assert not leaves.filter(status="completed").exclude(progress=100).exists()
    assert not leaves.filter(status="planned").exclude(progress=0).exists()


def test_a_rerun_adds_nothing_and_a_bigger_one_only_the_missing_rows():
    seed(*NETWORK)
    practices, actions = practice_rows(), action_rows()

    seed(*NETWORK)
    assert practice_rows() == practices
    assert action_rows() == actions

    seed("--clusters", "15", "--practices", "130", "--actions", "100", "--seed", "3")
    assert Practice.objects.count() == 130
    assert Action.objects.count() == 100
    assert practice_rows()[:120] == practices
    assert Strategy.objects.count() == 1


def test_the_same_seed_gives_the_same_practices_and_actions():
    seed(*NETWORK)
    practices, links, actions = practice_rows(), practice_links(), action_rows()
    Practice.objects.all().delete()
    Strategy.objects.all().delete()

    seed(*NETWORK)

    assert practice_rows() == practices
    assert practice_links() == links
    assert action_rows() == actions


def test_another_seed_gives_other_practices():
    seed(*NETWORK)
    practices = practice_rows()
    Practice.objects.all().delete()

    seed("--clusters", "15", "--practices", "120", "--seed", "4")

    assert practice_rows() != practices


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_seeded_practices_are_found_by_the_search():
    seed("--clusters", "5", "--practices", "40")

    assert Practice.objects.filter(search_vector__isnull=False).count() == 40
    title = Practice.objects.order_by("pk").values_list("title", flat=True).first()
    assert Practice.objects.filter(search_title=SearchQuery(title, config="english")).exists()


def test_negative_counts_are_refused():
    from django.core.management import CommandError

    for flag in ("--practices", "--actions"):
        with pytest.raises(CommandError, match=flag):
            seed("--clusters", "1", flag, "-1")


# Applications -----------------------------------------------------------------

APPLICATIONS = ("--clusters", "15", "--applications", "150", "--seed", "5")


def application_rows():
    from exchange.models import Application

    return list(
        Application.objects.order_by("reference").values_list(
            "reference",
            "call__title",
            "offer__topic",
            "host__slug",
            "applicant__email",
            "status",
            "start_date",
            "end_date",
            "distance_km",
            "funding_requested",
        )
    )


def test_applications_cover_every_state_over_five_years_of_calls_with_one_open():
    from exchange.models import Application, Call, Decision, Review, VisitReport

    output = seed(*APPLICATIONS)

    assert "150 applications" in output
    calls = Call.objects.all()
    assert calls.count() == 10
    assert [call.title for call in calls if call.is_open] == [calls.first().title]
    assert (calls.first().opens_at - calls.last().opens_at).days > 4 * 365
    applications = Application.objects.select_related("call", "offer", "sending_cluster")
    assert applications.count() == 150
    assert set(applications.values_list("status", flat=True)) == set(Application.Status.values)
    for application in applications:
        assert application.offer.call_id == application.call_id
        assert application.host_id == application.offer.host_id
        assert application.sending_cluster_id != application.host_id
        assert application.start_date.weekday() == 0
        assert application.end_date >= application.start_date
        assert (application.submitted_at is None) == (application.status == "draft")
        assert application.created <= timezone.now()
    S = Application.Status
    done = applications.filter(status__in=[S.REPORT_DUE, S.COMPLETED])
    assert not done.filter(end_date__gte=timezone.localdate()).exists()
    assert VisitReport.objects.count() == applications.filter(status=S.COMPLETED).count()
    assert not Review.objects.filter(
        application__status__in=[S.DRAFT, S.SUBMITTED, S.WITHDRAWN]
    ).exists()
    assert set(
        Decision.objects.filter(application__status=S.APPROVED).values_list("outcome", flat=True)
    ) == {"approved"}
    assert not applications.filter(call__in=[c for c in calls if c.is_open]).filter(
        status=S.COMPLETED
    )


def test_applications_are_added_once_and_the_same_for_the_same_seed():
    from exchange.models import Application, Call, Offer

    seed(*APPLICATIONS)
    rows, offers = application_rows(), Offer.objects.count()

    seed(*APPLICATIONS)
    assert application_rows() == rows
    assert Offer.objects.count() == offers

    Application.objects.all().delete()
    Offer.objects.all().delete()
    Call.objects.all().delete()
    seed(*APPLICATIONS)
    assert application_rows() == rows


# Notifications ------------------------------------------------------------------

NOTIFICATIONS = (
    "--clusters",
    "12",
    "--practices",
    "30",
    "--actions",
    "30",
    "--applications",
    "60",
    "--notifications",
    "2000",
    "--seed",
    "2",
)


def notification_rows():
    from notifications.models import Notification

    return list(
        Notification.objects.order_by("dedupe_key").values_list(
            "dedupe_key", "recipient__email", "kind", "subject", "link", "email_state", "target_key"
        )
    )


def test_notifications_fill_many_inboxes_in_the_registered_kinds():
    from notifications import registry
    from notifications.models import Notification

    output = seed(*NOTIFICATIONS)

    assert "2000 notifications" in output
    notifications = Notification.objects.all()
    assert notifications.count() == 2000
    assert notifications.values("recipient").distinct().count() > 20
    kinds = set(notifications.values_list("kind", flat=True))
    assert kinds <= {kind.name for kind in registry.all_kinds()}
    assert len(kinds) > 15
    assert {"practices", "actionplan", "exchange", "clusters"} <= {k.split(".")[0] for k in kinds}
    assert set(notifications.values_list("email_state", flat=True)) == set(
        Notification.EmailState.values
    )
    read = notifications.filter(read_at__isnull=False).count()
    assert 2000 * 0.6 < read < 2000  # mostly read, some unread
    assert notifications.unread().exists()
    assert not notifications.filter(read_at__lt=models_f("created")).exists()
    assert not notifications.filter(created__gt=timezone.now()).exists()
    asks = notifications.exclude(target_key="")
    assert asks.exists()
    for kind, key in asks.values_list("kind", "target_key"):
        assert key.startswith(registry.done_rule(kind).model + ":")
    assert asks.filter(done_at__isnull=False).exists()
    assert not notifications.filter(done_at__isnull=False, target_key="").exists()
    linked = notifications.exclude(link="")
    assert linked.count() > 1500
    assert not notifications.filter(email_state="sent", sent_at=None).exists()
    failed = notifications.filter(email_state="failed")
    assert not failed.filter(last_error="").exists()


def test_notifications_are_added_once_and_the_same_for_the_same_seed():
    from notifications.models import Notification

    seed(*NOTIFICATIONS)
    rows = notification_rows()

    seed(*NOTIFICATIONS)
    assert notification_rows() == rows

    Notification.objects.all().delete()
    seed(*NOTIFICATIONS)
    assert notification_rows() == rows


# The pages render the seeded network ------------------------------------------------


def test_the_main_pages_render_a_seeded_network(client):
    from accounts.models import User
    from notifications.models import Notification

    seed(*NOTIFICATIONS)
    practice = Practice.objects.filter(status="published").first()
    pages = ["/", "/clusters/", "/practices/", practice.get_absolute_url(), "/action-plan/"]
    pages += ["/exchange/", "/practices/?q=living+lab", "/clusters/?ecosystem=energy"]
    for url in pages:
        assert client.get(url).status_code == 200, url

    recipient = User.objects.get(pk=Notification.objects.values("recipient").first()["recipient"])
    client.force_login(recipient)
    for url in ["/notifications/", "/dashboard/", "/", "/action-plan/", "/exchange/"]:
        assert client.get(url).status_code == 200, url
    manager = User.objects.filter(email__startswith="manager@scale-").first()
    client.force_login(manager)
    for url in ["/notifications/", "/dashboard/", practice.get_absolute_url()]:
        assert client.get(url).status_code == 200, url


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's statistics")
def test_the_seeded_tables_have_fresh_statistics_for_the_planner():
    def estimated(table: str) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]

    tables = ("clusters_cluster", "practices_practice", "actionplan_action")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")  # empty: the planner counts 0 rows
    assert [estimated(table) for table in tables] == [0, 0, 0]
    seed(*NETWORK)
    assert estimated("clusters_cluster") >= 15
    assert estimated("practices_practice") >= 120
    assert estimated("actionplan_action") >= 90
