"""What the action plan shows on composed pages (core.panels)."""

from typing import Any

from django.http import HttpRequest

from core.panels import Panel, register

from .selectors import plan_summary


def home_plan(request: HttpRequest) -> dict[str, Any] | None:
    plan = plan_summary()
    return {"plan": plan} if plan else None


register(Panel("home", "plan", "actionplan/panels/home_plan.html", home_plan, 10))
