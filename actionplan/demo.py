"""The joint strategy's step of ``manage.py seed_demo``, from ``actionplan/demo.toml``.

The strategy, its objectives and actions, with their milestones, indicators and
progress updates, are written straight to the models, with no service call, so
that nobody is e-mailed about the actions they own; their dates are relative to
today so the dashboard always shows some actions overdue and some due soon. It
is skipped as a whole when the strategy exists.
"""

from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from accounts.models import User
from actionplan.models import (
    Action,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    ProgressUpdate,
    Strategy,
)
from actionplan.services import rollup_progress
from clusters.demo import manager_email
from clusters.models import Cluster
from core.demo import DemoDataError, DemoRun, check, load_data, require

DATA = Path(__file__).with_name("demo.toml")
SECRETARIAT = "secretariat"  # an action owner that is the secretariat, not the lead's manager


def _check_action(data: dict, *, path: Path, objectives: list[str] | None, slugs: set[str]) -> None:
    """An action, or (``objectives`` None) a sub-action, which is under its parent's."""
    entry = f"action {data.get('title')!r}"
    require(data, ("title", "lead", "partners", "start", "due", "status"), path=path, entry=entry)
    if objectives is not None:
        require(data, ("objective",), path=path, entry=entry)
        check(data["objective"], objectives, path=path, entry=entry, field_name="objective")
    check(data["status"], Action.Status.values, path=path, entry=entry, field_name="status")
    check([data["lead"], *data["partners"]], slugs, path=path, entry=entry, field_name="cluster")
    if "owner" in data:
        check(data["owner"], [SECRETARIAT], path=path, entry=entry, field_name="owner")
    for update in data.get("updates", ()):
        check(update[2], Action.Status.values, path=path, entry=entry, field_name="status")
    for child in data.get("children", ()):
        _check_action(child, path=path, objectives=None, slugs=slugs)


def check_data(data: dict, *, slugs: set[str], path: Path = DATA) -> dict:
    """Check the plan; ``slugs`` are the clusters the actions may be led by."""
    objectives = []
    for objective in data["objectives"]:
        entry = f"objective {objective.get('key')!r}"
        require(objective, ("key", "theme", "title", "description"), path=path, entry=entry)
        check(
            objective["theme"], Objective.Theme.values, path=path, entry=entry, field_name="theme"
        )
        objectives.append(objective["key"])
    for indicator in data["objective_indicators"]:
        entry = f"indicator {indicator.get('name')!r}"
        check(indicator["objective"], objectives, path=path, entry=entry, field_name="objective")
    for action in data["actions"]:
        _check_action(action, path=path, objectives=objectives, slugs=slugs)
    return data


@cache
def _content() -> dict[str, Any]:
    return load_data(DATA)


def content(slugs: Iterable[str]) -> dict[str, Any]:
    try:
        return check_data(_content(), slugs=set(slugs))
    except KeyError as error:
        raise DemoDataError(f"actionplan/demo.toml: missing {error}.") from error


class PlanSeeder:
    """Writes the plan for one run; actions are owned by their lead's manager."""

    def __init__(self, run: DemoRun, *, secretariat: User, clusters: dict[str, Cluster]):
        self.run = run
        self.secretariat = secretariat
        self.clusters = clusters
        self.adopted_days_ago = 0

    def seed(self, data: dict) -> None:
        """Nothing at all if the strategy is already there."""
        if Strategy.objects.filter(title=data["strategy"]["title"]).exists():
            return
        strategy = self.strategy(data["strategy"])
        objectives = {
            objective["key"]: self.objective(objective, strategy=strategy, order=order)
            for order, objective in enumerate(data["objectives"], start=1)
        }
        for indicator in data["objective_indicators"]:
            self.indicator(
                indicator, objective=objectives[indicator["objective"]], author=self.secretariat
            )
        for action in data["actions"]:
            self.action(action, objective=objectives[action["objective"]])

    def strategy(self, data: dict) -> Strategy:
        strategy = Strategy.objects.create(
            title=data["title"],
            vision=data["vision"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            status=Strategy.Status.ADOPTED,
        )
        adopted = self.run.ago(data["days_ago"])
        Strategy.objects.filter(pk=strategy.pk).update(created=adopted, updated=adopted)
        self.adopted_days_ago = data["days_ago"]
        self.run.count(Strategy, True)
        return strategy

    def objective(self, data: dict, *, strategy: Strategy, order: int) -> Objective:
        objective = Objective.objects.create(
            strategy=strategy,
            title=data["title"],
            theme=data["theme"],
            description=data["description"],
            order=order,
        )
        self.run.count(Objective, True)
        return objective

    def _owner(self, data: dict) -> User:
        if data.get("owner") == SECRETARIAT:
            return self.secretariat
        return User.objects.get(email=manager_email(data["lead"]))

    def action(self, data: dict, *, objective: Objective, parent: Action | None = None) -> Action:
        owner = self._owner(data)
        action = Action.objects.create(
            objective=objective,
            parent=parent,
            weight=data.get("weight", 1),
            title=data["title"],
            description=data.get("description", ""),
            lead_cluster=self.clusters[data["lead"]],
            owner=owner,
            start_date=self.run.day(data["start"]),
            due_date=self.run.day(data["due"]),
            status=data["status"],
            progress=data.get("progress", 0),
            budget_amount=Decimal(data["budget"]) if "budget" in data else None,
            funding_source=data.get("funding", ""),
        )
        action.partners.set([self.clusters[slug] for slug in data["partners"]])
        # Entered when the strategy was adopted, or when it started if that was earlier.
        created = self.run.ago(max(self.adopted_days_ago, -data["start"]))
        updates = data.get("updates", ())
        updated = self.run.ago(updates[-1][0]) if updates else created
        Action.objects.filter(pk=action.pk).update(created=created, updated=updated)
        self.run.count(Action, True)
        Milestone.objects.bulk_create(
            Milestone(action=action, title=title, date=self.run.day(offset), done=done)
            for title, offset, done in data.get("milestones", ())
        )
        for indicator in data.get("indicators", ()):
            self.indicator(indicator, action=action, author=owner)
        for days_ago, progress, status, text in updates:
            update = ProgressUpdate.objects.create(
                action=action, author=owner, progress=progress, status=status, text=text
            )
            ProgressUpdate.objects.filter(pk=update.pk).update(created=self.run.ago(days_ago))
        children = [
            self.action(child, objective=objective, parent=action)
            for child in data.get("children", ())
        ]
        if children:
            rollup_progress(children[-1])  # the parent's progress, weighted from them
        return action

    def indicator(
        self,
        data: dict,
        *,
        author: User,
        action: Action | None = None,
        objective: Objective | None = None,
    ) -> Indicator:
        history = data["history"]
        indicator = Indicator.objects.create(
            action=action,
            objective=objective,
            name=data["name"],
            unit=data["unit"],
            baseline=Decimal(data["baseline"]),
            target=Decimal(data["target"]),
            current=Decimal(history[-1][1] if history else data["baseline"]),
        )
        for days_ago, value in history:
            recorded = IndicatorValue.objects.create(
                indicator=indicator, value=Decimal(value), recorded_by=author
            )
            IndicatorValue.objects.filter(pk=recorded.pk).update(recorded_at=self.run.ago(days_ago))
        return indicator


def seed(run: DemoRun, *, secretariat: User, clusters: dict[str, Cluster]) -> None:
    PlanSeeder(run, secretariat=secretariat, clusters=clusters).seed(content(clusters))
