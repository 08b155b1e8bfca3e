"""The best-practice repository's step of ``manage.py seed_demo``, from ``practices/demo.toml``.

The practices go through the practices services, acted out by the cluster
managers and the secretariat, so that their history, versions and notifications
are real; afterwards their dates are moved into the past so the repository does
not look as if it had all happened today. Follows come first (so followers hear
of the publications), then the practices, then members' interest in some of them.
A practice that exists (same cluster and title) is left alone.
"""

from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from accounts.models import User
from clusters.demo import ECOSYSTEM_CODES, ecosystems_by_code, follow, manager_email
from clusters.models import Cluster
from core.demo import DemoDataError, DemoRun, backdate_events, check, load_data, require
from notifications import demo as notifications_demo
from practices import notifications as practice_kinds
from practices import services as practice_services
from practices.models import Practice, Tag, TransferInterest

DATA = Path(__file__).with_name("demo.toml")
PS = Practice.Status
PRACTICE_FIELDS = (
    "title",
    "summary",
    "category",
    "problem",
    "description",
    "resources",
    "evidence",
    "difficulties",
    "transfer_potential",
    "start_year",
    "end_year",
)
# What a practice needs besides its fields, by the state it ends in.
FIELDS_OF_STATE = {
    PS.CHANGES_REQUESTED: ("feedback",),
    PS.REJECTED: ("feedback",),
    PS.ARCHIVED: ("archive_comment", "archived_days_ago"),
}
# Which step of a practice's life each audit event and notification belongs to.
STEP_OF_VERB = {
    "practice.create": "created",
    "practice.submit": "submitted",
    "practice.publish": "decided",
    "practice.request_changes": "decided",
    "practice.reject": "decided",
    "practice.archive": "archived",
}
STEP_OF_KIND = {
    practice_kinds.SUBMITTED.name: "submitted",
    practice_kinds.PUBLISHED.name: "decided",
    practice_kinds.CHANGES_REQUESTED.name: "decided",
    practice_kinds.REJECTED.name: "decided",
    practice_kinds.FOLLOWED_CLUSTER_PUBLISHED.name: "decided",
}
FOLLOWED_DAYS_AGO = 760  # before the oldest demo practice was published


def check_data(data: dict, path: Path = DATA) -> dict:
    for practice in data["practices"]:
        entry = f"practice {practice.get('title')!r}"
        required = ("cluster", "state", "days_ago", "ecosystems", "tags")
        optional = ("end_year",)
        require(
            practice,
            (*required, *(f for f in PRACTICE_FIELDS if f not in optional)),
            path=path,
            entry=entry,
        )
        check(practice["state"], PS.values, path=path, entry=entry, field_name="state")
        check(
            practice["category"],
            Practice.Category.values,
            path=path,
            entry=entry,
            field_name="category",
        )
        check(
            practice["ecosystems"], ECOSYSTEM_CODES, path=path, entry=entry, field_name="ecosystems"
        )
        require(practice, FIELDS_OF_STATE.get(practice["state"], ()), path=path, entry=entry)
    for interest in data["interests"]:
        entry = f"interest of {interest.get('user')!r}"
        require(
            interest, ("user", "cluster", "practice", "message", "days_ago"), path=path, entry=entry
        )
    return data


@cache
def content() -> dict[str, Any]:
    return check_data(load_data(DATA))


def _cluster(clusters: dict[str, Cluster], slug: str, entry: str) -> Cluster:
    if slug not in clusters:
        raise DemoDataError(f"practices/demo.toml: {entry}: unknown cluster {slug!r}.")
    return clusters[slug]


def practice_timeline(data: dict, now: datetime) -> dict[str, datetime]:
    """When each step of a demo practice happened. ``days_ago`` dates the step it
    ended on (its decision, its submission or, for a draft, its creation); the
    earlier steps are spread a few days to weeks before it."""
    state = data["state"]
    at = now - timedelta(days=data["days_ago"])
    spread = len(data["title"])  # varies per practice, same on every run
    if state == PS.DRAFT:
        return {"created": at}
    if state == PS.SUBMITTED:
        return {"created": at - timedelta(days=9, hours=spread % 7), "submitted": at}
    decided = at - timedelta(hours=spread % 8)
    submitted = decided - timedelta(days=2 + spread % 6, hours=3)
    steps = {
        "created": submitted - timedelta(days=10 + spread % 15),
        "submitted": submitted,
        "decided": decided,
    }
    if state == PS.ARCHIVED:
        steps["archived"] = now - timedelta(days=data["archived_days_ago"], hours=2)
    return steps


def seed(run: DemoRun, *, secretariat: User, clusters: dict[str, Cluster]) -> None:
    data = content()
    tags_before = Tag.objects.count()
    for email, slug in data["follows"]:
        row = _cluster(clusters, slug, f"follow of {email!r}")
        follow(run, user=User.objects.get(email=email), cluster=row, days_ago=FOLLOWED_DAYS_AGO)
    ecosystems = ecosystems_by_code()
    for practice_data in data["practices"]:
        row = _cluster(clusters, practice_data["cluster"], f"practice {practice_data['title']!r}")
        practice(run, practice_data, cluster=row, secretariat=secretariat, ecosystems=ecosystems)
    for interest_data in data["interests"]:
        entry = f"interest of {interest_data['user']!r}"
        interest(run, interest_data, cluster=_cluster(clusters, interest_data["cluster"], entry))
    if Tag.objects.count() > tags_before:
        run.created[Tag] = Tag.objects.count() - tags_before
    notifications_demo.no_email(run)


def practice(
    run: DemoRun, data: dict, *, cluster: Cluster, secretariat: User, ecosystems: dict
) -> Practice | None:
    """Act out the practice's life: its manager drafts and submits it, the
    secretariat publishes, sends back, rejects or (after publishing) archives it."""
    if Practice.objects.filter(cluster=cluster, title=data["title"]).exists():
        return None
    manager = User.objects.get(email=manager_email(cluster.slug))
    row = practice_services.practice_create(
        actor=manager,
        cluster=cluster,
        data={field: data.get(field) for field in PRACTICE_FIELDS},
        ecosystems=[ecosystems[code] for code in data["ecosystems"]],
        tags=data["tags"],
    )
    state = data["state"]
    if state != PS.DRAFT:
        row = practice_services.practice_submit(practice=row, actor=manager)
    if state in {PS.PUBLISHED, PS.ARCHIVED}:
        row = practice_services.practice_publish(practice=row, actor=secretariat)
    elif state == PS.CHANGES_REQUESTED:
        row = practice_services.practice_request_changes(
            practice=row, actor=secretariat, comment=data["feedback"]
        )
    elif state == PS.REJECTED:
        row = practice_services.practice_reject(
            practice=row, actor=secretariat, comment=data["feedback"]
        )
    if state == PS.ARCHIVED:
        row = practice_services.practice_archive(
            practice=row, actor=secretariat, comment=data["archive_comment"]
        )
    _backdate(run, row, practice_timeline(data, run.now))
    run.count(Practice, True)
    return row


def interest(run: DemoRun, data: dict, *, cluster: Cluster) -> None:
    user = User.objects.get(email=data["user"])
    row = Practice.objects.published().filter(cluster=cluster, title=data["practice"]).first()
    interested = TransferInterest.objects.filter(practice=row, user=user)
    if row is None or interested.exists():
        return
    interest = practice_services.interest_express(practice=row, user=user, message=data["message"])
    when = run.now - timedelta(days=data["days_ago"])
    TransferInterest.objects.filter(pk=interest.pk).update(created=when)
    backdate_events(row, {"practice.interest": when}, actor=user)
    notifications_demo.seeded(run, row.get_absolute_url()).filter(
        kind=practice_kinds.INTEREST.name
    ).update(created=when)
    run.count(TransferInterest, True)


def _backdate(run: DemoRun, row: Practice, steps: dict[str, datetime]) -> None:
    """Move the practice's dates, versions, history and notifications into the past."""
    published = row.status in {PS.PUBLISHED, PS.ARCHIVED}
    Practice.objects.filter(pk=row.pk).update(
        created=steps["created"],
        updated=max(steps.values()),
        submitted_at=steps.get("submitted"),
        published_at=steps["decided"] if published else None,
    )
    row.versions.update(created=steps.get("submitted", steps["created"]))
    backdate_events(
        row, {verb: steps[step] for verb, step in STEP_OF_VERB.items() if step in steps}
    )
    notifications_demo.backdate(
        run,
        row.get_absolute_url(),
        {kind: steps[step] for kind, step in STEP_OF_KIND.items() if step in steps},
    )
