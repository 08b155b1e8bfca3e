"""Benchmarks: time the public pages on a large synthetic network.

    python bench/run.py [--clusters 5000] [--offers 2000] [--repeat 30]

Uses DATABASE_URL when set (PostgreSQL), otherwise a throw-away SQLite file.
Seeds with ``seed_scale`` and prints the median and 95th percentile of each
page's server time (Django test client, no network) and its query count.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("home", "/"),
    ("directory", "/clusters/"),
    ("directory page 50", "/clusters/?page=50"),
    ("directory filtered", "/clusters/?ecosystem=energy&size=medium&sort=-members"),
    ("directory search", "/clusters/?q=mobility"),
    ("profile", "/clusters/scale-000042/"),
    ("exchange offers", "/exchange/"),
    ("exchange page 20", "/exchange/?page=20"),
    ("exchange filtered", "/exchange/?ecosystem=energy&country=DE"),
    ("exchange search", "/exchange/?q=grid"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    tmp = None
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartclusters.settings.local")
    os.environ["DEBUG"] = "false"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_scale", clusters=args.clusters, offers=args.offers, verbosity=0)
    print(
        f"seeded {args.clusters} clusters and {args.offers} offers "
        f"in {time.perf_counter() - started:.1f}s on {connection.vendor}"
    )

    client = Client()
    print(f"{'page':24} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in PAGES:
        client.get(url)  # warm up
        timings = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:24} {statistics.median(timings):10.1f} {p95:8.1f} {len(queries):8d}")
    if tmp is not None:
        Path(tmp.name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
