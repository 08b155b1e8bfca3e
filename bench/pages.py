"""The pages the benchmark loads, the people it loads them as, and their sessions.

Needs Django set up on the benchmark's database. ``pick_fixtures`` takes real slugs and
ids from the seeded rows; ``prepare_people`` chooses a member and a manager among the
seeded people and makes a superuser for the secretariat (staff need TOTP: it gets an
authenticator through allauth.mfa); ``page_list`` names each page once per person.

``log_in`` goes through the site's real login form and, for a person with TOTP, allauth's
second step with the current code, over any ``HttpSession``: ``UrlSession`` talks HTTP to
a running server, tests pass one around Django's test client.
"""

import html
import re
import secrets
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from typing import Protocol

ANONYMOUS, MEMBER, MANAGER, SECRETARIAT = "anonymous", "member", "manager", "secretariat"
PEOPLE = (MEMBER, MANAGER, SECRETARIAT)
BENCH_SECRETARIAT_EMAIL = "bench-secretariat@bench.invalid"
SCALE_DOMAIN = ".scale.example.org"
PREFERRED_CLUSTER = "scale-000042"
BARE, ADMIN = "bare view", "admin changelist"


@dataclass(frozen=True)
class Page:
    name: str
    who: str
    path: str


@dataclass
class Person:
    role: str
    email: str
    password: str
    totp_secret: str | None = None
    session_key: str | None = None


@dataclass
class Fixtures:
    cluster_slug: str
    practice_slug: str | None
    offer_pk: int | None
    ecosystem: str = "energy"
    directory_search: str = "mobility"
    practice_search: str = "energy"
    notes: list[str] = field(default_factory=list)


def pick_fixtures() -> Fixtures:
    """Real rows to point the pages at: the preferred scale cluster (or the first), the
    latest published practice, the first offer of the open calls."""
    from clusters.models import Cluster
    from exchange.selectors import open_offers
    from practices.models import Practice

    cluster = (
        Cluster.objects.filter(slug=PREFERRED_CLUSTER).first()
        or Cluster.objects.filter(status=Cluster.Status.ACTIVE).order_by("slug").first()
    )
    if cluster is None:
        raise SystemExit("no cluster in the database: seed it first")
    practice = Practice.objects.published().order_by("-published_at", "pk").first()
    _, offers = open_offers(data=None)
    offer = offers.first()
    fixtures = Fixtures(
        cluster_slug=cluster.slug,
        practice_slug=practice.slug if practice else None,
        offer_pk=offer.pk if offer else None,
    )
    if practice is None:
        fixtures.notes.append("no published practice: the practice page is left out")
    if offer is None:
        fixtures.notes.append("no offer in an open call: the offer page is left out")
    return fixtures


def public_pages(fixtures: Fixtures) -> list[tuple[str, str]]:
    pages = [
        ("home", "/"),
        ("directory", "/clusters/"),
        ("directory page 50", "/clusters/?page=50"),
        ("directory by ecosystem", f"/clusters/?ecosystem={fixtures.ecosystem}"),
        ("directory search", f"/clusters/?q={fixtures.directory_search}"),
        ("cluster profile", f"/clusters/{fixtures.cluster_slug}/"),
        ("practices", "/practices/"),
        ("practices search", f"/practices/?q={fixtures.practice_search}"),
    ]
    if fixtures.practice_slug:
        pages.append(("practice", f"/practices/{fixtures.practice_slug}/"))
    pages += [("action plan", "/action-plan/"), ("exchange", "/exchange/")]
    if fixtures.offer_pk:
        pages.append(("offer", f"/exchange/offers/{fixtures.offer_pk}/"))
    return pages


PERSONAL_PAGES = [("your work", "/dashboard/"), ("notifications", "/notifications/")]
SECRETARIAT_PAGES = [
    ("moderation queue", "/practices/moderation/"),
    ("exchange decisions", "/exchange/decisions/"),
]


def admin_changelist_path() -> str:
    from django.conf import settings

    return f"/{settings.ADMIN_URL}clusters/cluster/"


def page_list(fixtures: Fixtures, people: tuple[str, ...] = PEOPLE) -> list[Page]:
    """Every public page for anonymous visitors, then each person's own pages and the
    public pages as that person; the secretariat's queues last."""
    public = public_pages(fixtures)
    pages = [Page(name, ANONYMOUS, path) for name, path in public]
    for who in people:
        pages += [Page(name, who, path) for name, path in PERSONAL_PAGES]
        if who == SECRETARIAT:
            pages += [Page(name, who, path) for name, path in SECRETARIAT_PAGES]
        pages += [Page(name, who, path) for name, path in public]
    return pages


def _busiest(emails) -> str | None:
    """Of these people, the one with the most notifications (the fullest inbox)."""
    from django.db.models import Count

    from accounts.models import User

    person = (
        User.objects.filter(emails, is_active=True, is_staff=False)
        .annotate(n=Count("notifications"))
        .order_by("-n", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return person


def prepare_people() -> dict[str, Person]:
    """A member of a member organisation and a cluster manager from the seeded people (the
    ones with the most notifications), and the bench's own superuser as the secretariat.
    Each gets a fresh random password; the secretariat a fresh TOTP authenticator."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db.models import Q

    from accounts.models import User
    from clusters import demo as clusters_demo
    from clusters.models import ClusterMembership

    managers = ClusterMembership.objects.filter(role=ClusterMembership.Role.MANAGER)
    member_email = _busiest(
        Q(email__startswith="member", email__endswith=SCALE_DOMAIN)
    ) or _busiest(Q(email=clusters_demo.MEMBER_EMAIL))
    manager_email = _busiest(
        Q(email__startswith="manager@", email__endswith=SCALE_DOMAIN)
        & Q(pk__in=managers.values("user"))
    ) or _busiest(Q(pk__in=managers.values("user")))
    if member_email is None or manager_email is None:
        raise SystemExit("no member or no manager in the database: seed it first")
    people = {
        MEMBER: Person(MEMBER, member_email, secrets.token_urlsafe(16)),
        MANAGER: Person(MANAGER, manager_email, secrets.token_urlsafe(16)),
        SECRETARIAT: Person(SECRETARIAT, BENCH_SECRETARIAT_EMAIL, secrets.token_urlsafe(16)),
    }
    admin, _ = User.objects.get_or_create(
        email=BENCH_SECRETARIAT_EMAIL,
        defaults={"name": "Bench Secretariat", "is_staff": True, "is_superuser": True},
    )
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.save()
    EmailAddress.objects.update_or_create(
        user=admin,
        email=BENCH_SECRETARIAT_EMAIL,
        defaults={"verified": True, "primary": True},
    )
    for person in people.values():
        user = User.objects.get(email=person.email)
        user.set_password(person.password)
        user.save(update_fields=["password"])
    # The secret is encrypted with this run's SECRET_KEY: a new authenticator each run.
    Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    people[SECRETARIAT].totp_secret = secret
    return people


# ----------------------------------------------------------------------------------------
# Logging in
# ----------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: str


class HttpSession(Protocol):
    def get(self, path: str) -> Answer: ...

    def post(self, path: str, data: dict[str, str]) -> Answer: ...

    def cookie(self, name: str) -> str | None: ...


class LoginError(RuntimeError):
    pass


_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


def csrf_token(body: str) -> str:
    match = _CSRF_INPUT.search(body)
    if not match:
        raise LoginError("no CSRF token in the form")
    return html.unescape(match[1])


def current_totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(http: HttpSession, person: Person) -> str:
    """Log ``person`` in through the login form (and TOTP step); the session key."""
    from django.urls import reverse

    login_path = reverse("account_login")
    form = http.get(login_path)
    answer = http.post(
        login_path,
        {
            "csrfmiddlewaretoken": csrf_token(form.body),
            "login": person.email,
            "password": person.password,
        },
    )
    if answer.status != 302:
        raise LoginError(f"{person.email}: the login form answered {answer.status}")
    mfa_path = reverse("mfa_authenticate")
    if urllib.parse.urlsplit(answer.location).path == mfa_path:
        if not person.totp_secret:
            raise LoginError(f"{person.email}: asked for a TOTP code, has no secret")
        form = http.get(mfa_path)
        answer = http.post(
            mfa_path,
            {
                "csrfmiddlewaretoken": csrf_token(form.body),
                "code": current_totp_code(person.totp_secret),
            },
        )
        if answer.status != 302 or urllib.parse.urlsplit(answer.location).path == mfa_path:
            raise LoginError(f"{person.email}: the TOTP step answered {answer.status}")
    session = http.cookie("sessionid")
    if not session:
        raise LoginError(f"{person.email}: logged in without a session cookie")
    person.session_key = session
    return session


class UrlSession:
    """HTTP to a running server as a browser behind the production proxy would send it:
    ``X-Forwarded-Proto: https``, the site's host, cookies kept, redirects not followed."""

    def __init__(self, base_url: str, *, host: str, headers: dict[str, str] | None = None):
        parts = urllib.parse.urlsplit(base_url)
        self.netloc = parts.netloc
        self.host = host
        self.headers = headers or {}
        self.cookies: dict[str, str] = {}

    def _request(self, method: str, path: str, body: str | None = None) -> Answer:
        headers = {
            **self.headers,
            "Host": self.host,
            "Origin": f"https://{self.host}",
            "Referer": f"https://{self.host}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = HTTPConnection(self.netloc, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return Answer(response.status, response.headers.get("Location", ""), text)
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        return self._request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Answer:
        return self._request("POST", path, urllib.parse.urlencode(data))

    def cookie(self, name: str) -> str | None:
        return self.cookies.get(name)


class ClientSession:
    """An ``HttpSession`` over Django's test client (tests; the server time without load)."""

    def __init__(self, client):
        self.client = client

    @staticmethod
    def _answer(response) -> Answer:
        return Answer(
            response.status_code,
            response.headers.get("Location", ""),
            response.content.decode(errors="replace"),
        )

    def get(self, path: str) -> Answer:
        return self._answer(self.client.get(path))

    def post(self, path: str, data: dict[str, str]) -> Answer:
        return self._answer(self.client.post(path, data))

    def cookie(self, name: str) -> str | None:
        morsel = self.client.cookies.get(name)
        return morsel.value if morsel else None


def session_headers(person: Person | None) -> dict[str, str]:
    if person is None:
        return {}
    return {"Cookie": f"sessionid={person.session_key}"}
