"""The page benchmark (``make bench``): each page under load, side by side with a bare
Django view and the admin, plus the server time of one request.

    make bench                       # at scale: 10,000 clusters, 2,000 offers, ...
    make bench BENCH_ARGS="--quick"  # a small network and short loads, to try it out
    python bench/run.py --help

On PostgreSQL (``BENCH_DATABASE_URL``, default the database ``sc_bench_run`` on
127.0.0.1, created when missing) and Redis (``BENCH_REDIS_URL``, default db 12, emptied
first): migrates, seeds with ``seed_scale`` (rerunnable; the practices, actions,
applications and notifications when the command knows them) and ``seed_demo``, collects
the static files to a temporary directory, then serves the product with gunicorn (sync
workers, production settings) and a bare Django project made on the fly with the same
gunicorn. Each page is loaded with wrk, one after another, as an anonymous visitor and as
a member, a manager and the secretariat (logged in through the real login form, and
TOTP for the secretariat); the bare view is loaded first and last, and the admin's
changelist of the clusters once. Then each page's server time for one request
(``bench/server_time.py``) and its query count.

Prints the tables and writes them to ``bench/results/latest.md`` and ``latest.json``.
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, serve  # noqa: E402
from bench.data import create_database_if_missing, empty_redis, table_sizes  # noqa: E402
from bench.pages import ADMIN, ANONYMOUS, BARE, SECRETARIAT, Page  # noqa: E402
from bench.tables import add_ratios, load_table, machine, server_time_table  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/sc_bench_run"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
RESULTS = ROOT / "bench" / "results"
SCALE = {  # full, quick
    "clusters": (10_000, 300),
    "offers": (2_000, 60),
    "practices": (50_000, 500),
    "actions": (20_000, 200),
    "applications": (20_000, 200),
    "notifications": (200_000, 2_000),
}
# Only seed_scale's newer options: --clusters and --offers are always passed.
GROWN_OPTIONS = ("practices", "actions", "applications", "notifications")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small network, short loads")
    for name, (full, quick) in SCALE.items():
        parser.add_argument(f"--{name}", type=int, help=f"default {full} ({quick} with --quick)")
    parser.add_argument("--duration", type=int, help="seconds of load per page (10; 2)")
    parser.add_argument("--warmup", type=int, help="seconds of load before each (2; 1)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--timeout", type=int, default=30, help="wrk's request timeout, s (30)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--repeat", type=int, help="timed requests per page, server time (30; 5)")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL"), help="BENCH_DATABASE_URL"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        help="BENCH_REDIS_URL",
    )
    parser.add_argument("--no-seed", action="store_true", help="use the database as it is")
    parser.add_argument("--no-demo", action="store_true", help="do not add seed_demo's rows")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="PAGE_CACHE=off for the server and the server time: the pages' rendering path",
    )
    parser.add_argument("--only", help="load only the pages whose name or path contains this")
    parser.add_argument("--who", help="load only these people's pages (comma-separated)")
    parser.add_argument("--skip-load", action="store_true", help="server time only")
    parser.add_argument("--skip-server-time", action="store_true", help="load only")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write results")
    args = parser.parse_args(argv)
    index = 1 if args.quick else 0
    for name, values in SCALE.items():
        if getattr(args, name) is None:
            setattr(args, name, values[index])
    args.duration = args.duration or (2 if args.quick else 10)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 2)
    args.repeat = args.repeat or (5 if args.quick else 30)
    if not args.database_url:
        args.database_url = DEFAULT_DATABASE + ("_quick" if args.quick else "")
    return args


# ----------------------------------------------------------------------------------------
# The database, the cache and the data
# ----------------------------------------------------------------------------------------


def seed_options() -> set[str]:
    """The options ``seed_scale`` knows, read from its parser (they grow on other branches)."""
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()["seed_scale"], "seed_scale")
    parser = command.create_parser("manage.py", "seed_scale")
    return {option for action in parser._actions for option in action.option_strings}


def seed(args: argparse.Namespace) -> str:
    from django.core.management import call_command

    known = seed_options()
    options = {"clusters": args.clusters, "offers": args.offers}
    options |= {name: getattr(args, name) for name in GROWN_OPTIONS if f"--{name}" in known}
    started = time.perf_counter()
    call_command("seed_scale", **options, verbosity=0)
    if not args.no_demo:
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    given = " ".join(f"--{k} {v}" for k, v in options.items())
    missing = [name for name in GROWN_OPTIONS if f"--{name}" not in known]
    note = f"seed_scale {given}" + (" + seed_demo" if not args.no_demo else "")
    if missing:
        note += f" (seed_scale has no {', '.join('--' + m for m in missing)} yet)"
    print(f"{note}: {time.perf_counter() - started:.0f}s", flush=True)
    return note


# ----------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------


def load_one(server, url: str, headers: dict[str, str], args) -> load.WrkResult:
    """A warm-up, then the measured load; each followed by the server's backlog."""
    options = {
        "threads": args.threads,
        "connections": args.connections,
        "timeout": args.timeout,
        "headers": {**serve.PROXY_HEADERS, **serve.BROWSER_HEADERS, **headers},
    }
    if args.warmup > 0:
        load.run_wrk(url, seconds=args.warmup, **options)
        server.drain()
    result = load.run_wrk(url, seconds=args.duration, **options)
    server.drain()
    return result


def check_status(http_by_who, page: Page) -> int:
    return http_by_who[page.who].get(page.path).status


def wrk_rows(args, pages, people, product, bare, admin_path):
    from bench.pages import UrlSession, log_in, session_headers

    def session(person=None):
        http = UrlSession(product.url, host=serve.HOST, headers=serve.PROXY_HEADERS)
        if person is not None:
            http.cookies["sessionid"] = person.session_key
        return http

    for who, person in people.items():
        log_in(session(), person)
        print(f"logged in the {who}: {person.email}", flush=True)
    http = {ANONYMOUS: session(), **{who: session(p) for who, p in people.items()}}
    rows = []

    def row(page: Page, server, headers: dict[str, str], status: int = 200) -> dict:
        entry = {"name": page.name, "who": page.who, "path": page.path, "status": status}
        if status != 200:
            print(f"  {page.name} ({page.who}) answers {status}: not loaded", flush=True)
            return entry
        result = load_one(server, server.url + page.path, headers, args)
        done = result.requests > 0  # wrk reports 0 us when no request finished in time
        entry |= result.as_dict() | {
            "p50_ms": result.p50_ms if done else None,
            "p99_ms": result.p99_ms if done else None,
        }
        print(
            f"  {page.name:26} {page.who:12} {result.requests_per_second:8.1f} req/s "
            f"p50 {result.p50_ms:7.1f} ms p99 {result.p99_ms:7.1f} ms errors {result.errors} "
            f"({result.requests} requests)",
            flush=True,
        )
        return entry

    bare_page = Page(BARE, ANONYMOUS, "/")
    rows.append(row(bare_page, bare, {}))
    admin_page = Page(ADMIN, SECRETARIAT, admin_path)
    admin_session = session_headers(people[SECRETARIAT])
    rows.append(row(admin_page, product, admin_session, check_status(http, admin_page)))
    for page in pages:
        headers = session_headers(people.get(page.who))
        rows.append(row(page, product, headers, check_status(http, page)))
    rows.append(row(Page(BARE + " (again)", ANONYMOUS, "/"), bare, {}))
    return rows


def _exit_on_sigterm(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")  # the servers stop on the way out


def main(argv=None) -> None:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    args = parse_args(argv)
    given = sys.argv[1:] if argv is None else argv
    command = "make bench" + (f' BENCH_ARGS="{shlex.join(given)}"' if given else "")
    wrk = None if args.skip_load else load.ensure_wrk()
    create_database_if_missing(args.database_url)
    empty_redis(args.redis_url)
    tmp = Path(tempfile.mkdtemp(prefix="sc-bench-"))
    settings_dir = tmp / "settings"
    serve.write_product_settings(settings_dir, tmp / "static")
    env = serve.production_env(
        database_url=args.database_url,
        redis_url=args.redis_url,
        settings_dir=settings_dir,
        page_cache=not args.no_page_cache,
    )
    os.environ.update(env)
    if args.no_page_cache:
        os.environ["PAGE_CACHE"] = "off"
    sys.path.insert(0, str(settings_dir))

    import django

    django.setup()
    from django.core.management import call_command

    from bench import pages as bench_pages
    from bench import server_time

    started = datetime.now(UTC)
    call_command("migrate", verbosity=0)
    seeded = "as it was (--no-seed)" if args.no_seed else seed(args)
    # Fresh planner statistics whatever the database's history (a copy made from a
    # template has none, and autovacuum may not have come by yet).
    from demo.management.commands.seed_scale import refresh_statistics

    refresh_statistics()
    sizes = table_sizes()
    print("rows: " + ", ".join(f"{v} {k}" for k, v in sizes.items()), flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    fixtures = bench_pages.pick_fixtures()
    people = bench_pages.prepare_people()
    pages = bench_pages.page_list(fixtures)
    if args.who:
        chosen = set(args.who.split(","))
        pages = [p for p in pages if p.who in chosen]
    if args.only:
        pages = [p for p in pages if args.only in p.name or args.only in p.path]
    admin_path = bench_pages.admin_changelist_path()
    for note in fixtures.notes:
        print(f"note: {note}", flush=True)

    rows: list[dict] = []
    load_info = machine()
    if not args.skip_load:
        bare_app = serve.write_bare_project(tmp / "bare")
        product = serve.Gunicorn(
            "smartclusters.wsgi:application",
            workers=args.workers,
            env=env,
            log=tmp / "product.log",
            ready_path="/healthz",
            headers=serve.PROXY_HEADERS,
        )
        bare = serve.Gunicorn(
            bare_app,
            workers=args.workers,
            chdir=tmp / "bare",
            env=serve.bare_env(),
            log=tmp / "bare.log",
        )
        with product, bare:
            print(f"loading {len(pages) + 3} pages, {args.duration}s each ({wrk})", flush=True)
            load_info = machine()
            rows = wrk_rows(args, pages, people, product, bare, admin_path)
        add_ratios(rows)
        load_info["uptime after"] = machine()["uptime"]
    else:
        from django.test import Client

        for person in people.values():
            client = Client(headers={"host": serve.HOST, **serve.PROXY_HEADERS})
            bench_pages.log_in(bench_pages.ClientSession(client), person)

    timed_pages = [Page(ADMIN, SECRETARIAT, admin_path), *pages]
    times = []
    queries: dict[tuple[str, str], int] = {}
    if args.skip_server_time:
        for page in timed_pages:
            client = server_time.client_for(people.get(page.who), host=serve.HOST)
            queries[(page.name, page.who)] = server_time.count_queries(client, page.path)[1]
    else:
        print(f"server time: {args.repeat} requests per page, in process", flush=True)
        times = server_time.measure(timed_pages, people, repeat=args.repeat, host=serve.HOST)
        queries = {(t.name, t.who): t.queries for t in times}

    header = [
        f"# Page benchmark, {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"`{command}` on branch `{load_info['branch']}` ({load_info['commit']}), "
        f"{load_info['cpus']} CPUs, Python {load_info['python']}.",
        f"Data: {seeded}; rows: " + ", ".join(f"{v:,} {k}" for k, v in sizes.items()) + ".",
        f"Load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
        f"--timeout={args.timeout}s --latency -H 'Accept-Encoding: gzip' "
        f"(after {args.warmup}s of warm-up) against gunicorn, {args.workers} sync workers, "
        "production settings, PostgreSQL, Redis"
        + (", PAGE_CACHE=off" if args.no_page_cache else "")
        + ". × bare: req/s over the bare Django view's (mean of its first and last load); "
        "× admin: over the admin's changelist of the clusters.",
        f"Machine load: before `{load_info['uptime']}`"
        + (f"; after `{load_info['uptime after']}`" if "uptime after" in load_info else ""),
        "",
    ]
    lines = list(header)
    if rows:
        lines += ["## Under load", "", *load_table(rows, queries), ""]
    if times:
        lines += [
            f"## Server time for one request (test client in process, {args.repeat} requests)",
            "",
            *server_time_table(times),
            "",
        ]
    text = "\n".join(lines)
    print()
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.md").write_text(text)
    (args.results / "latest.json").write_text(
        json.dumps(
            {
                "started": started.isoformat(),
                "command": command,
                "machine": load_info,
                "data": seeded,
                "rows_in_tables": sizes,
                "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                "load": rows,
                "queries": [{"name": k[0], "who": k[1], "queries": v} for k, v in queries.items()],
                "server_time": [t.as_dict() for t in times],
            },
            indent=2,
        )
    )
    print(f"\nwritten to {args.results / 'latest.md'} and latest.json")
    shutil.rmtree(tmp, ignore_errors=True)  # left behind on an error, with the servers' logs
    bad = [r for r in rows if r.get("status") != 200 or r.get("errors")]
    bad += [t for t in times if t.status != 200]
    if bad:
        sys.exit(f"{len(bad)} pages did not answer 200 or had errors: see the table")


if __name__ == "__main__":
    main()
