"""The benchmark's PostgreSQL database and Redis database: made when missing, emptied,
and the size of the seeded tables."""

import urllib.parse


def create_database_if_missing(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"the benchmark needs PostgreSQL, not {parts.scheme}")
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"creating the database {name}", flush=True)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def table_sizes() -> dict[str, int]:
    from django.db import connection

    tables = {
        "clusters": "clusters_cluster",
        "practices": "practices_practice",
        "actions": "actionplan_action",
        "offers": "exchange_offer",
        "applications": "exchange_application",
        "notifications": "notifications_notification",
        "users": "accounts_user",
    }
    sizes = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            sizes[name] = cursor.fetchone()[0]
    return sizes
