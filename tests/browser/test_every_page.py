"""axe-core, one <h1>, a <main>, no CSP violation and no horizontal scrolling at
390 px, on every HTML page of the permission matrix, for every role that may see it.

Django admin's own pages are left out: their templates are Django's, not ours
(axe reports unlabelled inline-formset cells and colour-only links there), and
the matrix already checks who reaches them.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.matrix import ROLES
from tests.routes import MATRIX

NOT_HTML = {  # files, not pages
    "healthz",
    "readyz",
    "favicon",
    "practices:attachment",
    "actionplan:export_csv",
    "actionplan:calendar",
    "exchange:call_export",
    "exchange:report_attachment",
}


def _pages_for(role):
    return [
        route
        for route in MATRIX
        if route.name not in NOT_HTML
        and not route.name.startswith("admin:")
        and route.get[role] == 200
    ]


def _log_in(visitor, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    visitor.page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_see_is_accessible_and_fits_a_phone(
    world, role, new_visitor, new_phone_visitor, live_server
):
    desktop, phone = new_visitor(), new_phone_visitor()
    user = world.users[role]
    if user is not None:
        _log_in(desktop, user, live_server)
        _log_in(phone, user, live_server)
    pages = _pages_for(role)
    assert pages, f"no page for {role}?"
    failures = []
    for route in pages:
        url = route.url(world)
        for visitor, run_axe in ((desktop, True), (phone, False)):
            try:
                response = visitor.goto(url, check=False)
                assert response.status == 200, f"{url}: {response.status}"
                visitor.check_page(axe=run_axe)
            except AssertionError as exc:
                failures.append(f"{url} @ {visitor.page.viewport_size['width']}px: {exc}")
    assert not failures, f"as {role}:\n" + "\n".join(failures)
