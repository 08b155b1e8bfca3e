"""One home for each helper: a search of the code finds one definition of each."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.permissions import is_secretariat
from clusters.permissions import is_cluster_manager_of, is_cluster_team
from clusters.selectors import clusters_of_user

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["core", "accounts", "notifications", "clusters", "practices", "actionplan", "exchange"]


def production_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def definitions_of(name: str) -> list[str]:
    found = []
    for path in production_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name == name:
                found.append(path.relative_to(ROOT).as_posix())
    return found


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("is_secretariat", "accounts/permissions.py"),
        ("is_cluster_team", "clusters/permissions.py"),
        ("clusters_of_user", "clusters/selectors.py"),
    ],
)
def test_each_helper_is_defined_once(name, home):
    assert definitions_of(name) == [home]


def test_no_module_reads_is_staff_but_is_secretariat():
    readers = []
    for path in production_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            reads = (isinstance(node, ast.Attribute) and node.attr == "is_staff") or (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "getattr"
                and any(getattr(arg, "value", None) == "is_staff" for arg in node.args)
            )
            if reads:
                readers.append(path.relative_to(ROOT).as_posix())
    # the one place that knows the secretariat is the ``is_staff`` flag
    assert sorted(set(readers)) == ["accounts/permissions.py"]


@pytest.mark.django_db
def test_clusters_of_user_are_the_clusters_of_their_team_by_name(
    manager, staff_member, member, cluster, other_cluster, other_manager
):
    assert list(clusters_of_user(user=manager)) == [cluster]
    assert list(clusters_of_user(user=staff_member)) == [cluster]
    assert list(clusters_of_user(user=member)) == []
    assert list(clusters_of_user(user=AnonymousUser())) == []


@pytest.mark.django_db
def test_team_and_manager_checks_by_cluster_id(manager, staff_member, cluster, other_cluster):
    assert is_cluster_team(manager, cluster.pk)
    assert is_cluster_team(staff_member, cluster.pk)
    assert not is_cluster_team(manager, other_cluster.pk)
    assert is_cluster_manager_of(manager, cluster.pk)
    assert not is_cluster_manager_of(staff_member, cluster.pk)
    assert not is_cluster_team(AnonymousUser(), cluster.pk)
    assert not is_cluster_team(manager, None)


@pytest.mark.django_db
def test_is_secretariat_is_the_staff_flag_of_a_signed_in_person(secretariat, manager):
    assert is_secretariat(secretariat)
    assert not is_secretariat(manager)
    assert not is_secretariat(AnonymousUser())
