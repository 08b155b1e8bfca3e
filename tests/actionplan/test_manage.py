"""The secretariat keeps the strategy and its objectives up to date on the site."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actionplan.forms import PERIOD_REVERSED
from actionplan.models import Objective, Strategy
from actionplan.services import objective_save, strategy_save
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_secretariat_adopts_a_draft_strategy_and_it_is_recorded(draft_strategy, secretariat):
    strategy_save(strategy=draft_strategy, actor=secretariat, data={"status": "adopted"})
    draft_strategy.refresh_from_db()
    assert draft_strategy.status == Strategy.Status.ADOPTED
    event = AuditEvent.objects.get(verb="strategy.save", object_id=str(draft_strategy.pk))
    assert (event.from_state, event.to_state, event.actor) == ("draft", "adopted", secretariat)


def test_a_cluster_manager_cannot_change_the_strategy_or_add_objectives(strategy, manager):
    with pytest.raises(PermissionDenied):
        strategy_save(strategy=strategy, actor=manager, data={"status": "draft"})
    with pytest.raises(PermissionDenied):
        objective_save(
            objective=Objective(strategy=strategy),
            actor=manager,
            data={"title": "Mine", "theme": "ict"},
        )
    strategy.refresh_from_db()
    assert strategy.status == "adopted"
    assert not Objective.objects.filter(title="Mine").exists()


def test_secretariat_adds_an_objective_on_the_site(client, strategy, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("actionplan:objective_new", kwargs={"pk": strategy.pk}),
        {"title": "Data for cities", "theme": "ict", "description": "Open data.", "order": "4"},
    )
    assert response.status_code == 302
    objective = Objective.objects.get(title="Data for cities")
    assert objective.strategy == strategy
    assert AuditEvent.objects.filter(verb="objective.create", object_id=str(objective.pk)).exists()
    assert "Data for cities" in client.get(reverse("actionplan:plan")).content.decode()


def test_a_strategy_cannot_end_before_it_starts(client, strategy, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("actionplan:strategy_edit", kwargs={"pk": strategy.pk}),
        {
            "title": strategy.title,
            "vision": strategy.vision,
            "start_year": "2028",
            "end_year": "2025",
            "status": "adopted",
        },
    )
    assert response.status_code == 400
    assert str(PERIOD_REVERSED) in response.content.decode()
    strategy.refresh_from_db()
    assert strategy.start_year != 2028
