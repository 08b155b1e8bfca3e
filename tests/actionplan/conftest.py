from datetime import timedelta

import factory
import pytest
from django.utils import timezone

from actionplan.models import Action, Indicator, Milestone, Objective, Strategy
from tests.factories import ClusterFactory, UserFactory


def today():
    return timezone.localdate()


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    title = factory.Sequence(lambda n: f"Joint Strategy {n}")
    vision = "Smart, green cities built together by the clusters of the network."
    start_year = 2025
    end_year = 2030
    status = Strategy.Status.ADOPTED


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    theme = Objective.Theme.MOBILITY
    order = factory.Sequence(lambda n: n)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    lead_cluster = factory.SubFactory(ClusterFactory)
    owner = None
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=60))
    due_date = factory.LazyFunction(lambda: today() + timedelta(days=120))
    status = Action.Status.IN_PROGRESS

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.partners.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    date = factory.LazyFunction(lambda: today() + timedelta(days=30))


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    objective = None
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "pilots"
    baseline = 0
    target = 10
    current = 0


@pytest.fixture
def strategy(db):
    return StrategyFactory(title="Smart Clusters 2025–2030")


@pytest.fixture
def draft_strategy(db):
    return StrategyFactory(
        title="Next Strategy", start_year=2031, end_year=2035, status=Strategy.Status.DRAFT
    )


@pytest.fixture
def objective(strategy):
    return ObjectiveFactory(strategy=strategy, title="Cleaner mobility", theme="mobility")


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.org", name="Olga Owner")


@pytest.fixture
def action(objective, cluster, owner):
    """An adopted action led by ``cluster`` (whose manager is ``manager``), owned by ``owner``."""
    return ActionFactory(
        objective=objective, lead_cluster=cluster, owner=owner, title="Shared e-bike pilots"
    )


@pytest.fixture
def draft_action(draft_strategy, cluster, owner):
    return ActionFactory(
        objective=ObjectiveFactory(strategy=draft_strategy),
        lead_cluster=cluster,
        owner=owner,
        title="Secret future action",
    )
