"""The demo steps of the apps, in the order ``manage.py seed_demo`` runs them.

A new feature app adds its step here: a ``seed(run, *, secretariat, clusters)``
function in ``<app>/demo.py``, reading its content from a data file next to it.
The network comes first (the other steps get its secretariat and clusters); the
practices come before the exchange, whose applicants are told apart from the
repository's by the notifications each step writes.
"""

from accounts.models import User
from actionplan import demo as actionplan_demo
from clusters import demo as clusters_demo
from clusters.models import Cluster
from core.demo import DemoRun
from exchange import demo as exchange_demo
from notifications import demo as notifications_demo
from practices import demo as practices_demo

FEATURE_STEPS = (practices_demo.seed, actionplan_demo.seed, exchange_demo.seed)


def seed(run: DemoRun) -> tuple[User, dict[str, Cluster]]:
    """Every step, in order; returns the secretariat and the clusters by slug."""
    secretariat, clusters = clusters_demo.seed(run)
    notifications_demo.begin(run)
    for step in FEATURE_STEPS:
        step(run, secretariat=secretariat, clusters=clusters)
    return secretariat, clusters


def logins() -> list[tuple[str, str]]:
    return clusters_demo.logins()
