"""What the exchange shows on composed pages (core.panels)."""

from typing import Any

from django.http import HttpRequest

from core.panels import Panel, register

from .selectors import calls_visible


def home_calls(request: HttpRequest) -> dict[str, Any] | None:
    calls = list(calls_visible()[:3])
    return {"calls": calls} if calls else None


register(Panel("home", "calls", "exchange/panels/home_calls.html", home_calls, 20))
