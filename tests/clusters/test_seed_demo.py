"""What seed_demo puts in the database: clusters, people, practices, the joint strategy.

Seeding takes over a second, so it runs once for the module (the ``seeded_demo``
fixture of tests/conftest.py), inside a transaction rolled back at the end; each test
still runs in its own savepoint, so what it writes (a login, a reminder) is undone.
Tests that need a database of their own are in test_seed_demo_runs.py.
"""

import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actionplan.models import (
    Action,
    Indicator,
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
    JoinRequest,
    Organisation,
)
from core.selectors import audit_events_for
from notifications import reminders
from notifications.models import Notification
from practices import notifications as practice_kinds
from practices.models import MARKDOWN_FIELDS, Practice, PracticeVersion, TransferInterest
from practices.selectors import HISTORY_LABELS, moderation_queue

SECRETARIAT = "secretariat@demo.smartclusters.eu"
MEMBER = "member@demo.smartclusters.eu"


def a_managed_cluster() -> Cluster:
    return Cluster.objects.active().order_by("slug").first()


def manager_email(cluster: Cluster) -> str:
    return f"manager@{cluster.slug}.demo.smartclusters.eu"


def test_seed_demo_creates_active_clusters_in_several_countries_covering_all_ecosystems(
    demo_output,
):
    active = Cluster.objects.active()
    assert active.count() >= 12
    assert active.values("country").distinct().count() >= 5
    covered = set(active.values_list("ecosystems__code", flat=True))
    assert covered == set(Ecosystem.objects.values_list("code", flat=True))
    assert Cluster.objects.filter(status=Cluster.Status.INACTIVE).count() <= 1


def test_seeded_clusters_pass_model_validation_and_have_a_profile(demo_output):
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


def test_every_seeded_cluster_has_its_demo_manager(demo_output):
    for cluster in Cluster.objects.all():
        manager = User.objects.get(email=manager_email(cluster))
        assert ClusterMembership.objects.filter(
            user=manager, cluster=cluster, role=ClusterMembership.Role.MANAGER
        ).exists()
    assert ClusterMembership.objects.filter(role=ClusterMembership.Role.STAFF).count() >= 4


def test_demo_secretariat_can_log_in_to_admin_with_the_demo_password(demo_output, client):
    secretariat = User.objects.get(email=SECRETARIAT)
    assert secretariat.is_staff
    assert secretariat.is_superuser
    assert client.login(email=SECRETARIAT, password=settings.DEMO_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


def test_demo_manager_manages_their_cluster_and_can_log_in(demo_output, client):
    cluster = a_managed_cluster()

    manager = User.objects.get(email=manager_email(cluster))
    assert manager.memberships.get().cluster == cluster
    assert manager.memberships.get().role == ClusterMembership.Role.MANAGER
    assert client.login(email=manager.email, password=settings.DEMO_PASSWORD)


def test_demo_member_works_for_an_sme_in_a_cluster_and_logs_in_through_allauth(demo_output, client):
    member = User.objects.get(email=MEMBER)
    assert member.organisation.kind in {Organisation.Kind.SME, Organisation.Kind.STARTUP}
    assert member.organisation.clusters.exists()
    assert not member.memberships.exists()
    response = client.post(
        reverse("account_login"), {"login": MEMBER, "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_every_demo_user_has_a_name_the_demo_password_and_a_verified_primary_email(demo_output):
    users = User.objects.filter(email__endswith="demo.smartclusters.eu")
    assert users.count() >= 14 + 4 + 3
    for user in users:
        assert user.name
        assert user.check_password(settings.DEMO_PASSWORD)
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()


def test_seed_demo_leaves_one_join_request_for_the_secretariat_to_decide(demo_output):
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequest.Status.SUBMITTED
    assert join_request.requester.email.endswith("@demo.smartclusters.eu")
    assert join_request.ecosystems.exists()
    assert not Cluster.objects.filter(name__iexact=join_request.name).exists()


def test_seed_demo_prints_the_demo_logins(demo_output):
    assert SECRETARIAT in demo_output
    assert MEMBER in demo_output
    assert demo_output.count("manager@") >= 2
    assert settings.DEMO_PASSWORD in demo_output


# ------------------------------------------------------------------------------
# The best-practice repository
# ------------------------------------------------------------------------------
P = Practice.Status


def verbs(practice: Practice) -> list[str]:
    """The practice's history (as its page shows it), oldest first."""
    events = audit_events_for(practice).filter(verb__in=HISTORY_LABELS)
    return list(events.order_by("created", "id").values_list("verb", flat=True))


def test_seed_demo_publishes_practices_in_every_category_and_ecosystem(demo_output):
    published = Practice.objects.published()
    assert published.count() >= 20
    assert set(published.values_list("category", flat=True)) == set(Practice.Category.values)
    assert set(published.values_list("ecosystems__code", flat=True)) == set(
        Ecosystem.objects.values_list("code", flat=True)
    )
    assert re.search(rf"\b{Practice.objects.count()} practices\b", demo_output)


def test_published_demo_practices_are_valid_written_by_their_manager_and_have_a_history(
    demo_output,
):
    secretariat = User.objects.get(email=SECRETARIAT)

    published = Practice.objects.published().select_related("cluster", "author")
    for practice in published:
        practice.full_clean()
        cluster = practice.cluster
        assert cluster.status == Cluster.Status.ACTIVE
        assert practice.author.email == manager_email(cluster)
        codes = set(practice.ecosystems.values_list("code", flat=True))
        assert codes
        assert codes <= set(cluster.ecosystems.values_list("code", flat=True))
        assert 2 <= practice.tags.count() <= 4
        assert 2014 <= practice.start_year <= 2024
        assert len(practice.summary) <= 400
        for field in MARKDOWN_FIELDS:
            assert getattr(practice, field).strip(), (practice.title, field)
        assert re.search(r"^(- |1\. )", practice.description, re.MULTILINE), practice.title
        assert verbs(practice) == ["practice.create", "practice.submit", "practice.publish"]
        publish = audit_events_for(practice).get(verb="practice.publish")
        assert publish.actor == secretariat
        assert (
            practice.author.email
            == audit_events_for(practice).get(verb="practice.submit").actor.email
        )
        assert practice.versions.count() == 1
    assert published.filter(end_year__isnull=False).exists()
    assert published.filter(end_year__isnull=True).count() > published.count() // 2


def test_demo_practices_were_published_over_the_last_two_years_not_all_today(demo_output):
    now = timezone.now()

    published = list(Practice.objects.published())
    dates = [practice.published_at for practice in published]
    assert all(now - timedelta(days=731) <= date <= now for date in dates)
    assert min(dates) < now - timedelta(days=365)
    assert len({(date.year, date.month) for date in dates}) >= 12
    for practice in published:
        # The history tells the same story as the dates shown on the practice.
        events = {e.verb: e.created for e in audit_events_for(practice)}
        assert events["practice.publish"] == practice.published_at
        assert events["practice.submit"] == practice.submitted_at
        assert practice.created < practice.submitted_at < practice.published_at
        assert practice.versions.get().created == practice.submitted_at


def test_seed_demo_leaves_practices_in_every_other_state_of_the_workflow(demo_output):
    now = timezone.now()

    def of_status(status):
        return Practice.objects.filter(status=status)

    drafts = of_status(P.DRAFT)
    assert drafts.count() == 2
    assert not PracticeVersion.objects.filter(practice__in=drafts).exists()

    submitted = of_status(P.SUBMITTED)
    assert submitted.count() == 2
    assert list(moderation_queue()) == list(submitted.order_by("submitted_at"))
    waiting_days = sorted(round((now - p.submitted_at) / timedelta(days=1)) for p in submitted)
    assert waiting_days == [1, 7]
    overdue = submitted.filter(submitted_at__lt=now - timedelta(days=practice_kinds.WAITING_DAYS))
    assert overdue.count() == 1
    assert reminders.run(practice_kinds.WAITING.name) == 1

    sent_back = of_status(P.CHANGES_REQUESTED).get()
    assert sent_back.reviewer_feedback
    assert audit_events_for(sent_back).get(verb="practice.request_changes").comment == (
        sent_back.reviewer_feedback
    )
    rejected = of_status(P.REJECTED).get()
    assert rejected.reviewer_feedback
    assert verbs(rejected)[-1] == "practice.reject"

    archived = of_status(P.ARCHIVED).get()
    assert archived.published_at is not None
    assert verbs(archived)[-2:] == ["practice.publish", "practice.archive"]
    assert audit_events_for(archived).get(verb="practice.archive").comment


def test_seed_demo_has_members_following_clusters_and_wanting_to_transfer_practices(demo_output):
    interests = TransferInterest.objects.select_related("practice", "user")
    assert interests.count() == 3
    for interest in interests:
        assert interest.practice.status == P.PUBLISHED
        assert interest.message
        assert not interest.user.memberships.exists()
        managers = User.objects.filter(
            memberships__cluster=interest.practice.cluster,
            memberships__role=ClusterMembership.Role.MANAGER,
        )
        assert Notification.objects.filter(
            recipient__in=managers,
            kind=practice_kinds.INTEREST.name,
            link=interest.practice.get_absolute_url(),
        ).exists()
    follows = ClusterFollow.objects.all()
    assert follows.count() >= 3
    # Followers heard about each practice their cluster published.
    for follow in follows:
        links = {p.get_absolute_url() for p in follow.cluster.practices.exclude(published_at=None)}
        heard = Notification.objects.filter(
            recipient=follow.user, kind=practice_kinds.FOLLOWED_CLUSTER_PUBLISHED.name
        )
        assert links
        assert set(heard.filter(link__in=links).values_list("link", flat=True)) == links


# ------------------------------------------------------------------------------
# The joint strategy (Plan of Actions)
# ------------------------------------------------------------------------------
A = Action.Status


def test_seed_demo_adopts_a_joint_strategy_with_objectives_on_every_theme(demo_output):
    strategy = Strategy.objects.get()
    assert strategy.status == Strategy.Status.ADOPTED
    assert (strategy.start_year, strategy.end_year) == (2025, 2028)
    assert strategy.vision.count(". ") >= 2
    objectives = strategy.objectives.all()
    assert objectives.count() >= 5
    assert set(objectives.values_list("theme", flat=True)) == set(Objective.Theme.values)
    assert all(objective.description for objective in objectives)
    assert len({objective.order for objective in objectives}) == objectives.count()
    actions = Action.objects.filter(objective__strategy=strategy)
    assert actions.count() >= 25
    assert re.search(
        rf"\b1 strategy, {objectives.count()} objectives, {actions.count()} actions\b", demo_output
    )


def test_demo_actions_are_valid_and_led_and_owned_by_demo_clusters(demo_output):
    secretariat = User.objects.get(email=SECRETARIAT)

    actions = Action.objects.select_related("lead_cluster", "owner").prefetch_related("partners")
    for action in actions:
        action.full_clean()
        assert action.lead_cluster.status == Cluster.Status.ACTIVE
        assert 0 <= len(action.partners.all()) <= 3
        assert action.lead_cluster not in action.partners.all()
        assert action.owner in {
            secretariat,
            User.objects.get(email=manager_email(action.lead_cluster)),
        }
        assert action.start_date <= action.due_date
        if action.status == A.COMPLETED:
            assert action.progress == 100
        if action.status == A.PLANNED:
            assert action.progress == 0
    assert set(actions.values_list("status", flat=True)) == set(A.values)
    assert actions.filter(parent=None, partners__isnull=False).exists()
    funded = actions.exclude(budget_amount=None)
    assert funded.count() >= 3
    assert all(action.funding_source and action.budget_currency == "EUR" for action in funded)


def test_demo_dashboard_has_some_actions_overdue_and_some_due_soon(demo_output):
    states = [action.due_state() for action in Action.objects.all()]
    assert 3 <= states.count(Action.DueState.OVERDUE) <= 4
    assert 3 <= states.count(Action.DueState.DUE_SOON) <= 4
    assert states.count(Action.DueState.ON_TRACK) >= 5
    assert states.count(Action.DueState.CLOSED) >= 5
    # The database annotation agrees with the model.
    by_db = dict(Action.objects.with_due_state().values_list("pk", "due_state_db"))
    assert by_db == {action.pk: action.due_state() for action in Action.objects.all()}


def test_demo_parent_actions_roll_up_the_weighted_progress_of_their_sub_actions(demo_output):
    parents = Action.objects.filter(children__isnull=False).distinct()
    assert parents.count() >= 2
    for parent in parents:
        children = list(parent.children.all())
        assert 2 <= len(children) <= 3
        assert len({child.weight for child in children}) > 1
        counted = [c for c in children if c.status != A.CANCELLED]
        total = sum(c.weight for c in counted)
        assert parent.progress == round(sum(c.progress * c.weight for c in counted) / total)
        assert all(child.objective_id == parent.objective_id for child in children)


def test_demo_actions_have_milestones_indicators_with_history_and_progress_updates(demo_output):
    now = timezone.now()

    with_milestones = Action.objects.filter(milestones__isnull=False).distinct()
    assert with_milestones.count() >= 8
    assert Milestone.objects.filter(done=True).exists()
    assert Milestone.objects.filter(done=False).exists()

    assert Action.objects.filter(indicators__isnull=False).distinct().count() >= 6
    assert Indicator.objects.filter(objective__isnull=False).count() >= 2
    for indicator in Indicator.objects.all():
        values = list(indicator.values.all())  # newest first
        assert len(values) >= 2, indicator.name
        assert values[0].value == indicator.current
        assert all(value.recorded_at < now for value in values)
        assert indicator.target != indicator.baseline

    updated = Action.objects.filter(updates__isnull=False).distinct()
    assert updated.count() >= 12
    for update in ProgressUpdate.objects.select_related("action"):
        assert update.author == update.action.owner
        assert update.text
        assert update.created < now - timedelta(days=1)
    for action in updated:
        latest = action.updates.first()
        assert (latest.progress, latest.status) == (action.progress, action.status)
