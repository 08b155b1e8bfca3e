"""The clusters app in rooms of its size: services split by sub-domain, every public name
still reachable as ``clusters.services.X``, no module past the 400-line mark of STYLE.md."""

import ast
from pathlib import Path

import pytest

import clusters
from clusters import services

CLUSTERS = Path(clusters.__file__).resolve().parent


def _modules():
    return sorted(
        path.relative_to(CLUSTERS).as_posix()
        for path in CLUSTERS.rglob("*.py")
        if "migrations" not in path.parts
    )


@pytest.mark.parametrize("module", _modules())
def test_no_clusters_module_is_past_400_lines(module):
    assert len((CLUSTERS / module).read_text().splitlines()) <= 400


def test_the_services_are_a_package_split_by_sub_domain():
    rooms = {path.stem for path in Path(services.__file__).parent.glob("*.py")}

    assert {"profile", "memberships", "join_requests", "follows", "labels"} <= rooms
    assert services.cluster_update.__module__ == "clusters.services.profile"
    assert services.membership_add.__module__ == "clusters.services.memberships"
    assert services.join_request_approve.__module__ == "clusters.services.join_requests"
    assert services.cluster_follow.__module__ == "clusters.services.follows"
    assert services.cluster_label_record.__module__ == "clusters.services.labels"


def _defined(room):
    """The public names a room defines itself (functions and module constants)."""
    tree = ast.parse(Path(getattr(services, room).__file__).read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node.name
        elif isinstance(node, ast.Assign):
            yield from (target.id for target in node.targets if isinstance(target, ast.Name))


def test_every_public_name_is_re_exported_by_the_package():
    rooms = (
        "profile",
        "memberships",
        "join_requests",
        "follows",
        "labels",
        "member_organisations",
        "invitations",
    )
    public = {name for room in rooms for name in _defined(room) if not name.startswith("_")}

    assert len(public) > 20
    assert sorted(services.__all__) == sorted(public)
    assert all(getattr(services, name) is not None for name in public)
