"""Fixtures shared by the practices tests: practices in each state and a client per role."""

import pytest

from tests.factories import PracticeFactory, StaffFactory

ROLES = ("visitor", "member", "manager", "staff_member", "other_manager", "secretariat")
# Who may see a practice that is not published: the cluster's team and the secretariat.
INSIDERS = ("manager", "staff_member", "secretariat")
OUTSIDERS = ("visitor", "member", "other_manager")
UNPUBLISHED = ("draft", "submitted", "changes_requested", "rejected", "archived")


@pytest.fixture
def make_practice(cluster, manager):
    """A practice of ``cluster`` written by its manager, in the state asked for."""

    def _make(status="draft", **kwargs):
        kwargs.setdefault("cluster", cluster)
        kwargs.setdefault("author", manager)
        return PracticeFactory(status=status, **kwargs)

    return _make


@pytest.fixture
def draft(make_practice):
    return make_practice("draft", title="Shared procurement of e-buses", slug="e-buses")


@pytest.fixture
def published(make_practice):
    return make_practice("published", title="Open data for smart parking", slug="smart-parking")


@pytest.fixture
def colleague(secretariat):
    """A second secretariat member: notifications reach each one."""
    return StaffFactory(email="coordinator@example.org", name="Cleo Coordinator")


@pytest.fixture
def users(member, manager, staff_member, other_manager, secretariat):
    return {
        "visitor": None,
        "member": member,
        "manager": manager,
        "staff_member": staff_member,
        "other_manager": other_manager,
        "secretariat": secretariat,
    }


@pytest.fixture
def client_as(client, users):
    """The test client, logged in as the role's user (or anonymous for "visitor")."""

    def _as(role):
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return _as
