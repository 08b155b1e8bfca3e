import pytest
from django.test import RequestFactory

from core import panels
from core.panels import Panel, panels_for, panels_in


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(panels, "_PANELS", {})
    return panels


def test_panels_render_in_their_order_and_empty_ones_are_left_out(registry, monkeypatch):
    rendered = lambda template, context, request: f"{template} {context['n']}"  # noqa: E731
    monkeypatch.setattr(registry, "render_to_string", rendered)
    registry.register(Panel("slot", "b", "t/two.html", lambda request, n: {"n": n}, order=20))
    registry.register(Panel("slot", "a", "t/one.html", lambda request, n: {"n": n}, order=10))
    registry.register(Panel("slot", "c", "t/none.html", lambda request, n: None, order=5))
    registry.register(Panel("other", "d", "t/one.html", lambda request, n: {"n": 0}))
    request = RequestFactory().get("/")
    assert panels_for("slot", request, n=7) == ["t/one.html 7", "t/two.html 7"]
    assert [p.name for p in panels_in("slot")] == ["c", "a", "b"]


def test_a_panel_registered_twice_differently_fails(registry):
    registry.register(Panel("slot", "a", "t/one.html", dict, order=10))
    registry.register(Panel("slot", "a", "t/one.html", dict, order=10))  # the same: fine
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(Panel("slot", "a", "t/two.html", dict, order=10))


def test_the_features_fill_the_composed_pages_slots():
    assert [p.name for p in panels_in("home_figures")] == ["clusters", "practices"]
    assert [p.name for p in panels_in("home")] == ["plan", "calls", "practices", "newest"]
    assert [p.name for p in panels_in("cluster_profile")] == ["member_organisation", "practices"]
    assert [p.name for p in panels_in("account_profile")] == ["clusters"]
