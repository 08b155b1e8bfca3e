"""Browser journeys: Playwright driving Debian's Chromium against live_server.

Each page a journey visits is checked with axe-core (zero serious or critical
violations), for horizontal scrolling at 390 px, for CSP violations, and its HTML as
the server sent it with the Nu Html Checker (zero errors).
"""

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from tests import htmlcheck

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django refuses
    # ORM calls from a thread with a running loop unless told otherwise.
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="session")
def html_checker(tmp_path_factory):
    """The Nu Html Checker as a local service for the whole session, or None where java
    or the jar is missing (a failure instead under CI=true or REQUIRE_SERVICES=1)."""
    try:
        checker = htmlcheck.HtmlChecker.start(tmp_path_factory.mktemp("vnu"))
    except htmlcheck.CheckerUnavailable as exc:
        if htmlcheck.required():
            pytest.fail(f"the HTML checker is required here: {exc}")
        yield None
        return
    yield checker
    checker.stop()


# What differs between two renderings of one page (the CSRF token) is left out of the
# key that says whether a page's HTML was already checked in this session.
_VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value=)"[^"]*"')
_html_checked: set[bytes] = set()


def _known_violation(violation, known_axe) -> bool:
    pattern = known_axe.get(violation["id"])
    return pattern is not None and all(re.search(pattern, n["html"]) for n in violation["nodes"])


class Visitor:
    """One person's browser tab, with the checks every page must pass."""

    def __init__(self, page, base_url, axe, request, html_checker=None):
        self.page = page
        self.base_url = base_url
        self.axe = axe
        self.request = request
        self.html_checker = html_checker
        self.csp_errors: list[str] = []
        self.checked: set[str] = set()
        self.document = None  # the response that brought the page now shown
        page.on("console", self._on_console)
        page.on("response", self._on_response)

    def _on_response(self, response):
        if response.frame == self.page.main_frame and response.request.is_navigation_request():
            self.document = response

    def _on_console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_errors.append(message.text)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, check: bool = True):
        response = self.page.goto(self.url(path))
        if check:
            self.check_page()
        return response

    def check_page(self, *, axe: bool = True, csp: bool = True, known_axe=None, known_html=()):
        """One h1, a main, lang; axe-core finds nothing serious or critical (once per
        URL and tab); no CSP violation; no horizontal scrolling at this width.

        For pages whose markup is a library's (Django admin), ``known_axe`` maps an axe
        rule to a pattern that every reported node's HTML matches, and ``known_html``
        holds exact checker messages: those, and only those, are left out."""
        page = self.page
        key = page.url.split("?")[0]
        assert page.locator("html").get_attribute("lang"), f"{page.url}: <html> has no lang"
        assert page.locator("h1").count() == 1, f"{page.url}: expected exactly one <h1>"
        assert page.locator("main").count() == 1, f"{page.url}: expected one <main>"
        self.check_html(known=known_html)
        if axe and key not in self.checked:
            results = self.axe.run(page)
            bad = [
                v
                for v in results.response["violations"]
                if v.get("impact") in ("serious", "critical")
                and not _known_violation(v, known_axe or {})
            ]
            assert not bad, f"{page.url}: accessibility violations:\n" + "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(n["html"][:120] for n in v["nodes"][:3])
                for v in bad
            )
            self.checked.add(key)
        if csp:
            assert not self.csp_errors, f"{page.url}: CSP violations: {self.csp_errors}"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        width = page.viewport_size["width"]
        assert scroll <= width, f"{page.url}: scrolls horizontally at {width}px ({scroll}px)"

    def check_html(self, known=()) -> None:
        """The Nu Html Checker finds no error in the HTML the server sent for this page
        (the response body, not the DOM after scripts ran); each distinct page once."""
        response = self.document
        if self.html_checker is None or response is None:
            return
        if not response.headers.get("content-type", "").startswith("text/html"):
            return
        body = response.body()
        key = hashlib.sha256(_VOLATILE.sub(rb"\1", body)).digest()
        if key in _html_checked:
            return
        _html_checked.add(key)  # a page's errors are reported once
        errors = [e for e in self.html_checker.errors(body) if e.message not in known]
        if errors:
            raise AssertionError(
                f"{response.request.method} {response.url}: {len(errors)} HTML error(s) (vnu):\n"
                + "\n".join(f"- {error}" for error in errors)
            )

    def login(self, email: str, password: str) -> None:
        self.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign In").click()
        self.page.wait_for_load_state()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _visitor_factory(browser, live_server, axe, request, width, html_checker):
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(8000)
        contexts.append(context)
        return Visitor(context.new_page(), live_server.url, axe, request, html_checker)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_visitor(browser, live_server, axe, request, html_checker):
    """Make a fresh browser tab (its own cookies) at desktop width."""
    yield from _visitor_factory(browser, live_server, axe, request, 1280, html_checker)


@pytest.fixture
def new_phone_visitor(browser, live_server, axe, request, html_checker):
    """Make a fresh browser tab at 390 px wide."""
    yield from _visitor_factory(browser, live_server, axe, request, 390, html_checker)


@pytest.fixture(autouse=True)
def _ecosystems(transactional_db):
    """live_server tests flush the database between tests, migration data included."""

    from clusters.models import Ecosystem

    for code, name in Ecosystem.CODES:
        Ecosystem.objects.update_or_create(code=code, defaults={"name": str(name)})
