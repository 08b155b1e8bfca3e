"""The benchmark's tables: ratios to the bare view and the admin, the wrk table, the
server-time table and the machine it ran on (bench/run.py prints and saves them)."""

import os
import platform
import subprocess
from pathlib import Path

from bench.pages import ADMIN, BARE

ROOT = Path(__file__).resolve().parent.parent


def add_ratios(rows: list[dict]) -> None:
    loaded = [r for r in rows if "requests_per_second" in r]
    bare = [r["requests_per_second"] for r in loaded if r["name"].startswith(BARE)]
    admin = [r["requests_per_second"] for r in loaded if r["name"] == ADMIN]
    bare_rps = sum(bare) / len(bare) if bare else None
    admin_rps = admin[0] if admin else None
    for r in rows:
        if "requests_per_second" not in r:
            continue
        rps = r["requests_per_second"]
        r["x_bare"] = rps / bare_rps if bare_rps else None
        r["x_admin"] = rps / admin_rps if admin_rps else None


# ----------------------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------------------


def _n(value, digits=1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def load_table(rows: list[dict], queries: dict[tuple[str, str], int]) -> list[str]:
    lines = [
        "| page | who | × bare | × admin | req/s | p50 ms | p99 ms | errors | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        q = queries.get((r["name"], r["who"]))
        if "requests_per_second" not in r:
            lines.append(
                f"| {r['name']} | {r['who']} | – | – | – | – | – "
                f"| answers {r['status']} | {_n(q)} |"
            )
            continue
        lines.append(
            f"| {r['name']} | {r['who']} | {_n(r['x_bare'], 3)} | {_n(r['x_admin'], 2)} "
            f"| {_n(r['requests_per_second'])} | {_n(r['p50_ms'])} | {_n(r['p99_ms'])} "
            f"| {r['errors']} | {_n(q)} |"
        )
    return lines


def server_time_table(rows) -> list[str]:
    lines = [
        "| page | who | median ms | p95 ms | queries | status |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.who} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} "
            f"| {r.status} |"
        )
    return lines


def machine() -> dict[str, str]:
    def output(command: list[str]) -> str:
        try:
            done = subprocess.run(  # noqa: S603
                command,
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "TZ": "UTC"},
            )
        except OSError:
            return ""
        return done.stdout.strip()

    return {
        "uptime": output(["uptime"]),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "commit": output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "branch": output(["git", "-C", str(ROOT), "rev-parse", "--abbrev-ref", "HEAD"]),
    }


# ----------------------------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------------------------
