"""The benchmark's table: ratios to the bare view and the admin, pages that did not answer."""

import pytest

from bench.pages import ADMIN, BARE
from bench.tables import add_ratios, load_table


def _row(name, who, rps, status=200):
    return {
        "name": name,
        "who": who,
        "status": status,
        "requests_per_second": rps,
        "p50_ms": 10.0,
        "p99_ms": 50.0,
        "errors": 0,
    }


def test_ratios_are_to_the_mean_of_the_bare_views_loads_and_to_the_admin():
    rows = [
        _row(BARE, "anonymous", 900.0),
        _row(ADMIN, "secretariat", 20.0),
        _row("home", "anonymous", 10.0),
        _row(BARE + " (again)", "anonymous", 1100.0),
    ]

    add_ratios(rows)

    assert rows[2]["x_bare"] == pytest.approx(0.01)
    assert rows[2]["x_admin"] == pytest.approx(0.5)
    assert rows[1]["x_bare"] == pytest.approx(0.02)


def test_a_page_that_did_not_answer_200_is_shown_unloaded_with_its_status():
    rows = [
        _row(BARE, "anonymous", 1000.0),
        {"name": "your work", "who": "member", "path": "/dashboard/", "status": 302},
    ]
    add_ratios(rows)

    lines = load_table(rows, {("your work", "member"): 3})

    assert lines[-1] == "| your work | member | – | – | – | – | – | answers 302 | 3 |"
    assert lines[2].startswith(f"| {BARE} | anonymous | 1.000 | – | 1000.0 |")
