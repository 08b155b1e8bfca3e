"""Benchmarks: time the logged-in pages on a seeded scale database.

    DATABASE_URL=postgres://.../sc_x_scale python bench/loggedin.py [--repeat 30] [--only NAME]
        [--profile NAME]

Needs a database seeded with ``seed_scale`` (clusters, offers) and a staff account; it
logs in with ``Client.force_login`` (no password) as a member (the applicant with the most
applications), the manager of ``scale-000001`` and the first staff account with TOTP, and
prints each page's median and 95th percentile server time, query count and HTML size.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pages(member, manager, staff, application_id, slug, offer_id, action_id):
    return [
        ("anonymous favicon", None, "/favicon.ico"),
        ("member favicon", member, "/favicon.ico"),
        ("member preferences", member, "/notifications/preferences/"),
        ("member dashboard", member, "/dashboard/"),
        ("manager dashboard", manager, "/dashboard/"),
        ("staff dashboard", staff, "/dashboard/"),
        ("member inbox", member, "/notifications/"),
        ("member inbox p100", member, "/notifications/?page=100"),
        ("member applications", member, "/exchange/applications/"),
        ("member application", member, f"/exchange/applications/{application_id}/"),
        ("member new application", member, f"/exchange/applications/new/?offer={offer_id}"),
        ("manager review", manager, "/exchange/review/"),
        ("staff decisions", staff, "/exchange/decisions/"),
        ("staff moderation", staff, "/practices/moderation/"),
        ("manager team/edit", manager, f"/clusters/{slug}/edit/"),
        ("manager new offer", manager, "/exchange/offers/new/"),
        ("manager join requests", manager, "/clusters/join-requests/"),
        ("staff join requests", staff, "/clusters/join-requests/"),
        ("member plan mine", member, "/action-plan/?mine=on"),
        ("manager plan mine", manager, "/action-plan/?mine=on"),
        ("member profile", member, "/accounts/profile/"),
        ("member join", member, "/clusters/join/"),
        ("staff new action", staff, "/action-plan/actions/new/"),
        ("staff action edit", staff, f"/action-plan/actions/{action_id}/edit/"),
        ("manager new practice", manager, "/practices/new/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a seeded scale database.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartclusters.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("STAFF_REQUIRE_MFA", "true")

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from accounts.models import User
    from actionplan.models import Action
    from exchange.models import Application, Offer

    setup_test_environment()
    busiest = (
        Application.objects.values("applicant_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("applicant_id", flat=True)
        .first()
    )
    member = User.objects.get(pk=busiest)
    manager = User.objects.get(email="manager@scale-000001.scale.example.org")
    staff = User.objects.filter(is_staff=True, authenticator__type="totp").first()
    application_id = Application.objects.filter(applicant=member).values_list("id", flat=True)[0]
    offer_id = Offer.objects.exclude(applications__applicant=member).values_list("id", flat=True)[0]
    action_id = Action.objects.values_list("id", flat=True).first()
    clients = {}
    for user in (None, member, manager, staff):
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[user] = client
    print(f"{'page':26} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>7}")
    for name, user, url in pages(
        member, manager, staff, application_id, "scale-000001", offer_id, action_id
    ):
        if args.only and args.only not in name:
            continue
        client = clients[user]
        first = client.get(url)
        if first.status_code not in (200, 301, 302):
            print(f"{name:26} {first.status_code} (skipped)")
            continue
        if args.profile and args.profile in name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            continue
        timings = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        size = len(first.content) / 1024
        print(
            f"{name:26} {statistics.median(timings):10.1f} {p95:8.1f} {len(queries):8d} {size:7.1f}"
        )


if __name__ == "__main__":
    main()
