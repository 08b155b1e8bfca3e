"""Large synthetic data for benchmarks: N clusters, a manager each, M member SMEs each,
and optionally exchange offers with an application each.

The clusters, their organisations and people are drawn by ``clusters.demo_scale``,
the offers by ``exchange.demo_scale``, from one random generator seeded with --seed,
so the same seed always gives the same data. A rerun only adds what is missing.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clusters import demo_scale as clusters_scale
from exchange import demo_scale as exchange_scale


class Command(BaseCommand):
    help = "Seed many synthetic clusters (prefix scale-) for benchmarks. Rerunnable."

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

    def handle(self, *args, **options):
        count, per_cluster = options["clusters"], options["members_per_cluster"]
        if count < 0 or per_cluster < 0:
            raise CommandError("--clusters and --members-per-cluster must not be negative.")
        started = time.perf_counter()
        rng = random.Random(options["seed"])
        plans = [
            clusters_scale.plan_cluster(rng, number, per_cluster) for number in range(1, count + 1)
        ]
        if options["offers"] < 0:
            raise CommandError("--offers must not be negative.")
        with transaction.atomic():
            created = clusters_scale.write(plans)
            created["offers"] = (
                exchange_scale.seed_offers(rng, options["offers"]) if options["offers"] else 0
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created['clusters']} clusters ({count - created['clusters']} already "
                f"there), {created['organisations']} member organisations and "
                f"{created['users']} users and {created['offers']} exchange offers "
                f"in {elapsed:.1f} s."
            )
        )
