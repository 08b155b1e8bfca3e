"""Every route declares who may use it; the answers and the denials are checked.

A new view without a row in ``tests/routes.py`` fails ``test_every_route_has_a_row``.
"""

import pytest
from django.urls import reverse

from tests.matrix import (
    ADMIN_LOGIN,
    DENIALS,
    LOGIN,
    ROLES,
    all_routes,
    route_group,
    snapshot,
    snapshot_diff,
)
from tests.routes import MATRIX, ROUTES


def _client_as(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def _check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"].startswith(reverse("admin:login")), response["Location"]
    else:
        assert response.status_code == expected, f"{url}: {response.status_code} != {expected}"


def test_every_route_has_a_row():
    missing = []
    for name, pattern, module in all_routes():
        if route_group(name, pattern, module):
            continue
        if name not in ROUTES:
            missing.append(f"{name or '(unnamed)'}  {pattern}  ({module})")
    assert not missing, "routes without a row in tests/routes.py:\n" + "\n".join(missing)


def test_every_row_names_a_real_route():
    names = {name for name, _pattern, _module in all_routes()}
    assert set(ROUTES) <= names, set(ROUTES) - names


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", MATRIX, ids=lambda r: r.name)
def test_get(client, world, route, role):
    url = route.url(world)
    response = _client_as(client, world, role).get(url)
    _check(response, route.get[role], url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", [r for r in MATRIX if r.post], ids=lambda r: r.name)
def test_post(client, world, route, role):
    """A POST of valid data: denied roles get the denial and change nothing."""
    url = route.url(world)
    data = route.form.data(world) if route.form else {}
    expected = route.post[role]
    before = snapshot()
    response = _client_as(client, world, role).post(url, data)
    _check(response, expected, url)
    changed = snapshot_diff(before, snapshot())
    if expected in DENIALS or expected == 400:
        assert not changed, f"{role} was refused {url} but these changed: {changed}"
    else:
        assert changed, f"{role} may POST to {url}, yet nothing changed"
