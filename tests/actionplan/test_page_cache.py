"""The plan and an action's page never show a stale state to an anonymous visitor."""

import pytest
from django.urls import reverse

from actionplan.services import progress_update_post
from tests.core.test_page_cache import fresh, stored

pytestmark = pytest.mark.django_db


def test_an_action_updated_shows_at_once(action, owner):
    page = reverse("actionplan:action", args=[action.pk])
    plan = reverse("actionplan:plan")
    stored(page)
    stored(plan)
    progress_update_post(
        action=action,
        actor=owner,
        expected_version=action.version,
        progress=45,
        status="delayed",
        text="Pilots slipped to spring.",
    )
    assert b"Pilots slipped to spring." in fresh(page)
    assert b"45" in fresh(plan)
