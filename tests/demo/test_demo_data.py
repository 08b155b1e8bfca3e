"""Demo content is data: each app's TOML file is checked on load, an unknown choice
stops the seeding with a message naming the file and the entry, and the seeding
lives in demo/ and the apps, not in clusters/."""

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands

from clusters.models import Cluster

ROOT = Path(settings.BASE_DIR)
FEATURE_APPS = ("practices", "actionplan", "exchange")
ISAR_PRACTICE = "Open living-lab slots at 40 connected intersections for member pilots"


def broken_copy(tmp_path: Path, app: str, old: str, new: str, name: str = "demo.toml") -> Path:
    """A copy of the app's shipped data file with its first ``old`` replaced by ``new``."""
    text = (ROOT / app / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / app / name
    path.parent.mkdir()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_demo_files_pass_their_checks():
    from actionplan import demo as actionplan_demo
    from clusters import demo as clusters_demo
    from exchange import demo as exchange_demo
    from practices import demo as practices_demo

    network = clusters_demo.content()
    slugs = {cluster["slug"] for cluster in network["clusters"]}
    assert len(slugs) == 16
    assert len(practices_demo.content()["practices"]) == 31
    assert actionplan_demo.content(slugs)["strategy"]["title"]
    assert {call["key"] for call in exchange_demo.content(slugs)["calls"]} == {"open", "closed"}


def test_unknown_practice_category_names_the_file_and_the_practice(tmp_path):
    from core.demo import DemoDataError, load_data
    from practices.demo import check_data

    path = broken_copy(tmp_path, "practices", 'category = "value"', 'category = "valeur"')
    with pytest.raises(DemoDataError) as error:
        check_data(load_data(path), path)
    message = str(error.value)
    assert message.startswith("practices/demo.toml: ")
    assert ISAR_PRACTICE in message
    assert "unknown category 'valeur'" in message


def test_unknown_cluster_country_and_ecosystem_are_refused(tmp_path):
    from clusters.demo import check_data
    from core.demo import DemoDataError, load_data

    path = broken_copy(tmp_path, "clusters", 'country = "DE"', 'country = "XX"')
    with pytest.raises(DemoDataError, match=r"clusters/demo.toml: cluster 'isar-mobility-forum'"):
        check_data(load_data(path), path)
    (tmp_path / "clusters" / "demo.toml").unlink()
    (tmp_path / "clusters").rmdir()
    path = broken_copy(tmp_path, "clusters", '"mobility", "ict"]', '"mobility", "it"]')
    with pytest.raises(DemoDataError, match=r"unknown ecosystems 'it'"):
        check_data(load_data(path), path)


def test_unknown_action_status_and_exchange_step_are_refused(tmp_path):
    from actionplan.demo import check_data as check_plan
    from clusters.demo import content
    from core.demo import DemoDataError, load_data
    from exchange.demo import check_data as check_exchange

    slugs = {cluster["slug"] for cluster in content()["clusters"]}
    path = broken_copy(tmp_path, "actionplan", 'status = "in_progress"', 'status = "ongoing"')
    with pytest.raises(DemoDataError, match=r"actionplan/demo.toml: action '.+': unknown status"):
        check_plan(load_data(path), slugs=slugs, path=path)
    path = broken_copy(tmp_path, "exchange", '["submit", ', '["send", ')
    with pytest.raises(
        DemoDataError, match=r"exchange/demo.toml: application of '.+': unknown step"
    ):
        check_exchange(load_data(path), slugs=slugs, path=path)


@pytest.mark.django_db
def test_seed_demo_with_an_unknown_choice_fails_loudly_and_writes_nothing(tmp_path, monkeypatch):
    from clusters import demo as clusters_demo
    from core.demo import DemoDataError

    path = broken_copy(tmp_path, "clusters", 'legal_form = "company"', 'legal_form = "gmbh"')
    monkeypatch.setattr(clusters_demo, "DATA", path)
    clusters_demo.content.cache_clear()
    try:
        with pytest.raises(DemoDataError, match=r"clusters/demo.toml: .*unknown legal_form 'gmbh'"):
            call_command("seed_demo", stdout=StringIO())
    finally:
        clusters_demo.content.cache_clear()
    assert not Cluster.objects.exists()


def test_the_demo_app_owns_the_seed_commands():
    commands = get_commands()
    assert commands["seed_demo"] == "demo"
    assert commands["seed_scale"] == "demo"
    assert settings.INSTALLED_APPS[-1] == "demo"


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names


def test_clusters_seeds_no_feature_and_exchange_demo_borrows_nothing_from_practices():
    clusters_modules = list((ROOT / "clusters").rglob("*.py"))
    assert ROOT / "clusters" / "demo.py" in clusters_modules
    for path in clusters_modules:
        assert not imported_apps(path) & set(FEATURE_APPS), path
    for path in (ROOT / "exchange").glob("demo*.py"):
        assert "practices" not in imported_apps(path), path
    assert not list(ROOT.glob("*/demo_data.py"))


def test_seed_scale_names_and_places_are_checked_data(tmp_path):
    from clusters.demo_scale import COUNTRIES, load
    from core.demo import DemoDataError

    assert "AT" in COUNTRIES
    path = broken_copy(tmp_path, "clusters", "AT = [", "XA = [", name="demo_scale.toml")
    with pytest.raises(DemoDataError, match=r"clusters/demo_scale.toml: places: unknown country"):
        load(path)
