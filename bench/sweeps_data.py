"""The data bench/sweeps.py times the jobs on: 20,000 actions and applications, people with
digest items and stale e-mails, seeded once in the benchmark's own database."""

import random
import sys
import time
from datetime import timedelta

MARK = "Sweeps benchmark"


def seed(args) -> None:
    """Everything the jobs go through, written once (the marker strategy says it is there)."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from actionplan.models import Action, Objective, Strategy
    from clusters.models import Cluster, ClusterMembership
    from exchange.models import Application, Call
    from notifications.models import Notification

    if Strategy.objects.filter(title=MARK).exists():
        return
    started = time.perf_counter()
    rng = random.Random(15)
    clusters = max(args.digest // 3 + 1, 100)  # a manager and two members each
    call_command("seed_scale", clusters=clusters, offers=500, verbosity=0)
    now = timezone.now()
    today = timezone.localdate()
    cluster_ids = list(Cluster.objects.order_by("pk").values_list("pk", flat=True))
    users = list(
        User.objects.filter(email__endswith=".scale.example.org", organisation__isnull=False)
        .order_by("pk")
        .values_list("pk", "organisation_id", "country")
    )
    managers = list(
        ClusterMembership.objects.filter(role="manager").values_list("user_id", flat=True)
    )
    with transaction.atomic():
        strategy = Strategy.objects.create(
            title=MARK, vision="-", start_year=today.year - 2, end_year=today.year + 3
        )
        strategy.status = Strategy.Status.ADOPTED
        strategy.save()
        objectives = Objective.objects.bulk_create(
            [
                Objective(strategy=strategy, title=f"Objective {n}", theme="energy", order=n)
                for n in range(10)
            ]
        )
        actions = []
        for n in range(args.actions):
            due = today + timedelta(days=rng.randint(-200, 200))
            status = rng.choices(
                ["planned", "in_progress", "delayed", "completed", "cancelled"], [30, 35, 10, 20, 5]
            )[0]
            actions.append(
                Action(
                    objective=objectives[n % len(objectives)],
                    title=f"Benchmark action {n}",
                    lead_cluster_id=rng.choice(cluster_ids),
                    owner_id=rng.choice(managers) if rng.random() < 0.7 else None,
                    start_date=due - timedelta(days=rng.randint(30, 365)),
                    due_date=due,
                    status=status,
                )
            )
        Action.objects.bulk_create(actions, batch_size=2000)
        Action.objects.filter(objective__strategy=strategy).update(created=now - timedelta(days=60))

        call = Call.objects.create(
            title=MARK,
            series=MARK,
            description="-",
            opens_at=now - timedelta(days=60),
            closes_at=now + timedelta(days=2),
            visits_from=today - timedelta(days=200),
            visits_until=today + timedelta(days=200),
            eligible_countries="",
            funded_places=args.applications,
            daily_allowance=100,
        )
        offers = list(Call.objects.exclude(pk=call.pk).get().offers.values_list("pk", "host_id"))
        applications = []
        for n in range(args.applications):
            offer_id, host_id = offers[n % len(offers)]
            user_id, org_id, country = users[rng.randrange(len(users))]
            status = rng.choices(
                ["submitted", "approved", "report_due", "draft", "completed", "rejected"],
                [40, 15, 10, 15, 10, 10],
            )[0]
            start = today + timedelta(days=rng.randint(-120, 60))
            applications.append(
                Application(
                    reference=f"CX-SWEEP-{n + 1:06d}",
                    call=call,
                    offer_id=offer_id,
                    host_id=host_id,
                    applicant_id=user_id,
                    organisation_id=org_id,
                    applicant_kind="sme",
                    motivation="-",
                    learning_goals="-",
                    expected_results="-",
                    start_date=start,
                    end_date=start + timedelta(days=4),
                    travel_from_city="Somewhere",
                    travel_from_country=country or "DE",
                    distance_km=rng.randint(150, 2500),
                    status=status,
                    submitted_at=None
                    if status == "draft"
                    else now - timedelta(days=rng.randint(0, 30)),
                )
            )
        Application.objects.bulk_create(applications, batch_size=2000)

        people = [pk for pk, _org, _c in users][: args.digest]
        if len(people) < args.digest:
            people += managers[: args.digest - len(people)]
        digest = [
            Notification(
                recipient_id=pk,
                kind="actionplan.status_changed",
                subject=f"An action you follow changed status ({n})",
                body="The action moved on.\n" * 4,
                link="/action-plan/",
                email_state=Notification.EmailState.DIGEST,
                dedupe_key=f"bench-digest:{n}",
            )
            for pk in people
            for n in range(3)
        ]
        Notification.objects.bulk_create(digest, batch_size=5000)
        stale = [
            Notification(
                recipient_id=users[n % len(users)][0],
                kind="clusters.joinrequest_rejected",
                subject=f"Left pending {n}",
                body="-",
                email_state=Notification.EmailState.PENDING,
                dedupe_key=f"bench-stale:{n}",
            )
            for n in range(5000)
        ]
        Notification.objects.bulk_create(stale, batch_size=5000)
        Notification.objects.filter(dedupe_key__startswith="bench-").update(
            created=now - timedelta(hours=6)
        )
    print(f"seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
