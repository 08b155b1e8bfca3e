"""The layers of the house, read from the imports (import-linter holds them in lint too)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "accounts", "notifications", "clusters", "practices", "actionplan", "exchange"]
PROJECT = ["smartclusters", "portal"]


def imported_top_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def wrong_imports(package: str, forbidden: list[str], skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(skip):
            continue
        for name in sorted(imported_top_packages(path) & set(forbidden)):
            found.append(f"{relative} imports {name}")
    return found


def test_core_imports_no_app_nor_the_project_package():
    assert wrong_imports("core", [a for a in APPS if a != "core"] + PROJECT) == []


@pytest.mark.parametrize("feature", ["practices", "actionplan", "exchange"])
def test_clusters_imports_no_feature(feature):
    assert wrong_imports("clusters", [feature, *PROJECT]) == []


def test_accounts_is_the_floor_it_imports_no_app_above_it():
    # Its old migrations name clusters' tables (a dependency, not an import).
    above = ["notifications", "clusters", "practices", "actionplan", "exchange", *PROJECT]
    assert wrong_imports("accounts", above, skip=("accounts/migrations/",)) == []
