"""axe-core, one <h1>, a <main>, no CSP violation, no horizontal scrolling at 390 px
and valid HTML (the Nu Html Checker), on every HTML page of the permission matrix,
for every role that may see it.

Django admin's pages, whose templates are Django's, not ours, have a test of their
own below: axe-core and the HTML checker, leaving out a short, named list of the
library's markup.
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


# Django admin's own markup, and only it, that the checks below leave out:
ADMIN_KNOWN_AXE = {
    # SelectFilter2.js (filter_horizontal) puts aria-label on a <span> with no role.
    "aria-prohibited-attr": r'^<span class="help-tooltip search-label-icon"',
    # A tabular inline's cells have column headers, not labels (name="<prefix>-<n>-<field>");
    # django-import-export's export page has an unlabelled "select all" toggle.
    "label": r'^<input [^>]*name="([\w-]+-\d+-\w+|select-all-toggle)"',
    "select-name": r'^<select [^>]*name="[\w-]+-\d+-\w+"',
}
# django-import-export's import and export templates: an empty form action (the
# page posts to itself), custom attributes read by its script, and a label of a
# toggle that its script shows.
IMPORT_EXPORT_PAGES = {"admin:clusters_cluster_export", "admin:clusters_cluster_import"}
IMPORT_EXPORT_KNOWN_HTML = {
    "Bad value “” for attribute “action” on element “form”: Must be non-empty.",
    "Attribute “resource-index” not allowed on element “div” at this point.",
    "Attribute “resource-id” not allowed on element “input” at this point.",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden "
    "form control.",
}


def test_admin_pages_are_accessible_and_valid(world, new_visitor, live_server):
    """Django admin's pages, as the secretariat sees them: axe-core finds nothing serious
    (links in running text are told apart without colour) and the HTML checker no error,
    leaving out only the library markup listed above.

    Not checked here: CSP. Django admin's scripts (filter_horizontal, inline formsets)
    and django-import-export's pages apply inline styles that the site's policy blocks."""
    visitor = new_visitor()
    _log_in(visitor, world.users["secretariat"], live_server)
    pages = [r for r in MATRIX if r.name.startswith("admin:") and r.get["secretariat"] == 200]
    assert "admin:account_emailaddress_changelist" in {r.name for r in pages}
    failures = []
    for route in pages:
        url = route.url(world)
        import_export = route.name in IMPORT_EXPORT_PAGES
        try:
            response = visitor.goto(url, check=False)
            assert response.status == 200, f"{url}: {response.status}"
            visitor.check_page(
                csp=False,
                known_axe=ADMIN_KNOWN_AXE,
                known_html=IMPORT_EXPORT_KNOWN_HTML if import_export else (),
            )
        except AssertionError as exc:
            failures.append(f"{url}: {exc}")
    assert not failures, "\n".join(failures)


def test_account_and_inbox_pages_beyond_the_matrix_are_accessible_and_valid(member, new_visitor):
    """allauth's pages in their other states (form errors, done, bad key, MFA set-up) and
    the inbox's later pages, which the matrix's sample does not reach."""
    from tests.factories import TEST_PASSWORD, NotificationFactory, UserFactory

    NotificationFactory.create_batch(25, recipient=member)
    stranger = new_visitor()
    stranger.login(member.email, "not-the-password")  # the login form with its error
    stranger.check_page()
    stranger.goto("/accounts/signup/")
    page = stranger.page
    page.fill("input[name=name]", "Nina Newcomer")
    page.fill("input[name=email]", member.email)
    page.fill("input[name=password1]", "a-long-and-unusual-passphrase")
    page.fill("input[name=password2]", "another-long-passphrase")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    stranger.check_page()  # the signup form with its errors
    stranger.goto("/accounts/password/reset/")
    page.fill("input[name=email]", member.email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/password/reset/done/")
    stranger.check_page()
    stranger.goto(f"/accounts/password/reset/key/{UserFactory().pk}-bad-key/")
    stranger.goto("/accounts/confirm-email/not-a-key/")

    person = new_visitor()
    person.login(member.email, TEST_PASSWORD)
    for path in ("/notifications/", "/notifications/?page=2", "/accounts/logout/"):
        person.goto(path)
        assert person.page.url.endswith(path), f"{path}: ended on {person.page.url}"
    person.goto("/accounts/2fa/totp/activate/")  # asks for the password again first
    assert "/accounts/reauthenticate/" in person.page.url
    person.page.fill("input[name=password]", TEST_PASSWORD)
    person.page.locator("main form button[type=submit]").click()
    person.page.wait_for_url("**/accounts/2fa/totp/activate/")
    person.check_page()  # the QR code and the code field
    person.goto("/accounts/password/change/")
    person.page.fill("input[name=oldpassword]", "not-the-password")
    person.page.fill("input[name=password1]", "a-long-and-unusual-passphrase")
    person.page.fill("input[name=password2]", "a-long-and-unusual-passphrase")
    person.page.locator("main form button[type=submit]").click()
    person.page.wait_for_load_state()
    person.check_page()  # the password change form with its error
