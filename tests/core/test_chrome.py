"""The header and footer kept per kind of page and viewer (core/templatetags/chrome.py): each
person gets their own name, unread count and logout token, the same bytes as rendering it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.templatetags import chrome
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

_HEADER = re.compile(rb"<header .*?</header>", re.DOTALL)
_FOOTER = re.compile(rb"<footer .*?</footer>", re.DOTALL)
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _header(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return _HEADER.search(response.content).group(0)


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "url",
    ["/", "/clusters/", "/practices/", "/action-plan/", "/exchange/", "/dashboard/"],
)
@pytest.mark.parametrize("who", [None, "member", "secretariat", "superuser"])
def test_the_kept_header_is_the_header_rendered_for_the_person(request, settings, url, who):
    user = request.getfixturevalue(who) if who else None
    if user is not None:
        NotificationFactory(recipient=user)
    if who is None and url == "/dashboard/":
        pytest.skip("the dashboard asks a visitor to log in")
    settings.PAGE_CACHE = False  # a visitor's page is rendered, not served from the cache
    settings.DEBUG = True  # nothing kept: rendered for this request
    rendered = _header(_client(user), url)
    settings.DEBUG = False
    chrome._kept.clear()
    _header(_client(user), url)  # kept
    kept = _header(_client(user), url)
    assert _TOKEN.sub(b"", kept) == _TOKEN.sub(b"", rendered)
    assert chrome._kept


def test_each_person_gets_their_own_name_count_and_token(member):
    chrome._kept.clear()
    other = UserFactory(email="other@example.org", name="<b>Otto & Co</b>")
    for _ in range(3):
        NotificationFactory(recipient=other)
    first, second = _client(member), _client(other)
    mine = _header(first, "/clusters/")
    theirs = _header(second, "/clusters/")
    assert b"Mia Member" in mine
    assert b"Otto" not in mine
    assert b"&lt;b&gt;Otto &amp; Co&lt;/b&gt;" in theirs
    assert b"Mia Member" not in theirs
    assert b'class="count-badge">3<' in theirs
    assert b"count-badge" not in mine
    # The logout form carries this person's own token: logging out works.
    token = _TOKEN.search(theirs).group(1).decode()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = second.cookies
    response = csrf_client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in csrf_client.session


def test_the_secretariat_alone_gets_its_links_and_the_section_is_marked(member, secretariat):
    chrome._kept.clear()
    staff = _header(_client(secretariat), "/practices/")
    plain = _header(_client(member), "/practices/")
    assert reverse("admin:index").encode() in staff
    assert reverse("practices:moderation").encode() in staff
    assert reverse("admin:index").encode() not in plain
    assert reverse("practices:moderation").encode() not in plain
    current = re.findall(rb'href="([^"]+)" aria-current="page"', plain)
    assert current == [reverse("practices:repository").encode()]
    anonymous = _header(_client(None), "/clusters/")
    assert reverse("account_login").encode() in anonymous
    assert b"Log out" not in anonymous


def test_the_footer_is_kept_per_language(client, settings):
    chrome._kept.clear()
    settings.DEBUG = True
    rendered = _FOOTER.search(client.get("/").content).group(0)
    settings.DEBUG = False
    client.get("/")
    assert _FOOTER.search(client.get("/clusters/").content).group(0) == rendered
    assert [key for key in chrome._kept if key[:2] == ("footer", "en")]
