"""Large synthetic data for benchmarks: the whole network at scale.

N clusters with a manager and M member SMEs each (``clusters.demo_scale``), then, from
those clusters' people, exchange offers in one open call (``exchange.demo_scale``),
practices (``practices.demo_scale``), the actions of a joint plan
(``actionplan.demo_scale``) and applications over five years of calls
(``exchange.demo_scale``), and notifications (``notifications.demo_scale``) to the
clusters' people about all of these. Each app brings its own data; this command composes them.

The clusters and offers are drawn from one random generator seeded with --seed (as
before); each other part has its own generator derived from --seed and its name, so the
same seed always gives the same data whatever else is seeded. A rerun only adds what is
missing.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from actionplan import demo_scale as actionplan_scale
from clusters import demo_scale as clusters_scale
from core.demo_scale import rng_for
from exchange import demo_scale as exchange_scale
from notifications import demo_scale as notifications_scale
from practices import demo_scale as practices_scale

COUNTED = ("offers", "practices", "actions", "applications", "notifications")
TARGETS = 5000  # objects per app that the notifications are about


class Command(BaseCommand):
    help = "Seed a synthetic network (cluster slugs scale-...) for benchmarks. Rerunnable."

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, required=True, help="How many clusters.")
        parser.add_argument(
            "--members-per-cluster",
            type=int,
            default=2,
            help="Member organisations per cluster, each with one member user (default 2).",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--offers",
            type=int,
            default=0,
            help="Exchange offers in one open call, with one submitted application each.",
        )
        parser.add_argument(
            "--practices", type=int, default=0, help="Practices of the clusters, in every state."
        )
        parser.add_argument(
            "--actions", type=int, default=0, help="Actions of one adopted joint plan."
        )
        parser.add_argument(
            "--applications",
            type=int,
            default=0,
            help="Exchange applications over ten calls of five years, in every state.",
        )
        parser.add_argument(
            "--notifications",
            type=int,
            default=0,
            help="Notifications to the clusters' people over five years, in every kind.",
        )

    def handle(self, *args, **options):
        count, per_cluster = options["clusters"], options["members_per_cluster"]
        for name in ("clusters", "members_per_cluster", *COUNTED):
            if options[name] < 0:
                flag = name.replace("_", "-")
                raise CommandError(f"--{flag} must not be negative.")
        started = time.perf_counter()
        seed = options["seed"]
        rng = random.Random(seed)
        plans = [
            clusters_scale.plan_cluster(rng, number, per_cluster) for number in range(1, count + 1)
        ]
        timings = []

        def timed(label, work):
            began, cpu = time.perf_counter(), time.process_time()
            result = work()
            timings.append(
                f"{label} {time.perf_counter() - began:.1f} s "
                f"(CPU here {time.process_time() - cpu:.1f} s)"
            )
            return result

        with transaction.atomic():
            created = timed("clusters", lambda: clusters_scale.write(plans))
            created["offers"] = timed(
                "offers",
                lambda: (
                    exchange_scale.seed_offers(rng, options["offers"]) if options["offers"] else 0
                ),
            )
            network = clusters_scale.network() if any(options[n] for n in COUNTED[1:]) else []
            created["practices"] = timed(
                "practices",
                lambda: practices_scale.seed_practices(
                    rng_for(seed, "practices"), options["practices"], network
                ),
            )
            created["actions"] = timed(
                "actions",
                lambda: actionplan_scale.seed_actions(
                    rng_for(seed, "actions"), options["actions"], network
                ),
            )
            created["applications"] = timed(
                "applications",
                lambda: exchange_scale.seed_applications(
                    rng_for(seed, "applications"), options["applications"], network
                ),
            )
            created["notifications"] = timed(
                "notifications",
                lambda: self.notifications(seed, options["notifications"], network),
            )
        timed("statistics", refresh_statistics)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created['clusters']} clusters ({count - created['clusters']} already "
                f"there), {created['organisations']} member organisations and "
                f"{created['users']} users and {created['offers']} exchange offers, "
                f"{created['practices']} practices, {created['actions']} actions, "
                f"{created['applications']} applications, "
                f"{created['notifications']} notifications "
                f"in {elapsed:.1f} s ({', '.join(timings)})."
            )
        )

    def notifications(self, seed: int, count: int, network: list) -> int:
        """Notifications to the seeded people about the seeded objects: each app names
        what its kinds are about; the notifications app picks from them."""
        if not count:
            return 0
        rng = rng_for(seed, "notification-targets")
        targets = {
            "clusters": clusters_scale.targets(rng, network, TARGETS),
            "practices": practices_scale.targets(rng, TARGETS),
            "actionplan": actionplan_scale.targets(rng, TARGETS),
            "exchange": exchange_scale.targets(rng, TARGETS),
        }
        people = notifications_scale.People(
            managers=[cluster.manager_id for cluster in network if cluster.manager_id],
            members=[member.user_id for cluster in network for member in cluster.members],
        )
        return notifications_scale.seed_notifications(
            rng_for(seed, "notifications"), count, people=people, targets=targets
        )


def refresh_statistics() -> None:
    """On PostgreSQL, what autovacuum would do some minutes later: the planner's row counts
    and the visibility map of the new rows. Measured right after a seed without it, the
    planner took 10,000 clusters for 1,563 and joined them all before a LIMIT 5 (a host's
    review queue: 140 ms), and counts on an index still read the heap (the secretariat's
    decisions: 34 ms, 2 ms after). VACUUM cannot run in a transaction (a test's): ANALYZE
    alone then."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
