"""Server time per page for one request: Django's test client in this process, no network.

For each page: a request to warm up, ``repeat`` timed requests (median and 95th
percentile), then one more inside ``CaptureQueriesContext`` for its query count. A
person's requests carry the session the benchmark logged them in with. Requests go to the
site's host over "HTTPS" (as the production proxy forwards them).

With the page cache on, a page is timed as the cache serves it; ``PAGE_CACHE=off`` in the
environment (``run.py --no-page-cache``) measures the path that renders the page.
"""

import statistics
import time
from dataclasses import asdict, dataclass

from bench.pages import ANONYMOUS, Page, Person
from bench.serve import BROWSER_HEADERS, PROXY_HEADERS


@dataclass
class ServerTime:
    name: str
    who: str
    path: str
    status: int
    median_ms: float
    p95_ms: float
    queries: int

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], share: float) -> float:
    """The value ``share`` (0..1) of the way up the sorted values (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def client_for(person: Person | None, *, host: str):
    from django.test import Client

    client = Client(headers={"host": host, **PROXY_HEADERS, **BROWSER_HEADERS})
    if person is not None and person.session_key:
        from django.conf import settings

        client.cookies[settings.SESSION_COOKIE_NAME] = person.session_key
    return client


def count_queries(client, path: str) -> tuple[int, int]:
    """The status and the number of queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def measure(
    pages: list[Page], people: dict[str, Person], *, repeat: int, host: str
) -> list[ServerTime]:
    clients = {}
    rows = []
    for page in pages:
        person = None if page.who == ANONYMOUS else people.get(page.who)
        if page.who not in clients:
            clients[page.who] = client_for(person, host=host)
        client = clients[page.who]
        client.get(page.path)  # warm up
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(page.path)
            timings.append((time.perf_counter() - started) * 1000)
        status, queries = count_queries(client, page.path)
        rows.append(
            ServerTime(
                name=page.name,
                who=page.who,
                path=page.path,
                status=status,
                median_ms=statistics.median(timings) if timings else float("nan"),
                p95_ms=percentile(timings, 0.95) if timings else float("nan"),
                queries=queries,
            )
        )
    return rows
