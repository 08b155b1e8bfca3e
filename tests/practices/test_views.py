"""The practices' pages, for every role, with bad input, hostile Markdown, filters and search."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clusters.models import ClusterFollow, Ecosystem
from core.selectors import audit_events_for
from notifications.models import Notification
from practices import notifications as kinds
from practices.forms import END_BEFORE_START, YEAR_IN_FUTURE
from practices.models import MARKDOWN_FIELDS, Practice, Tag, TransferInterest
from practices.services import (
    ALREADY_INTERESTED,
    COMMENT_REQUIRED,
    WRONG_STATE,
    practice_publish,
    practice_submit,
)
from practices.views import (
    ARCHIVED,
    DECIDED,
    DRAFT_SAVED,
    INTEREST_SENT,
    SUBMITTED,
)
from tests.factories import (
    ClusterFactory,
    ClusterFollowFactory,
    MembershipFactory,
    PracticeFactory,
    TransferInterestFactory,
)

from .conftest import INSIDERS, OUTSIDERS, ROLES, UNPUBLISHED

pytestmark = pytest.mark.django_db

S = Practice.Status
REQUIRED = "This field is required."
NOT_A_NUMBER = "Enter a whole number."
NO_ECOSYSTEM = "Choose at least one ecosystem."
LOGIN = "login"
REPOSITORY = reverse("practices:repository")
MINE = reverse("practices:mine")
CREATE = reverse("practices:create")
MODERATION = reverse("practices:moderation")
THIS_YEAR = timezone.localdate().year


# --- helpers ----------------------------------------------------------------------------


def url(name, practice):
    return reverse(f"practices:{name}", args=[practice.slug])


def is_login_redirect(response):
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def outcome(response):
    return LOGIN if is_login_redirect(response) else response.status_code


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def field_errors(response, field):
    """The text of the error list rendered next to ``field`` (empty when there is none)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def has_field_error(response, field, message):
    return escape(str(message)) in field_errors(response, field)


def card_titles(response):
    """The practice titles listed as cards, in page order."""
    html = response.content.decode()
    titles = re.findall(r'<h3 class="card-title">\s*<a href="[^"]*">([^<]*)</a>', html)
    return [unescape(t) for t in titles]


def article(response):
    """The practice's own content, without the site's header and footer."""
    html = response.content.decode()
    return html[html.index('<article class="profile practice">') : html.index("</article>")]


def form_data(cluster, **overrides):
    data = {
        "cluster": cluster.pk,
        "title": "Living lab for e-scooters",
        "category": Practice.Category.THEMATIC,
        "ecosystems": [Ecosystem.objects.get(code="mobility").pk],
        "summary": "Three towns tested e-scooter parking rules with residents.",
        "tags": "Living lab, living  LAB, micromobility",
        "problem": "Scooters blocked the pavements.",
        "description": "We ran a **six-month** living lab.",
        "resources": "",
        "evidence": "",
        "difficulties": "",
        "transfer_potential": "",
        "start_year": "2021",
        "end_year": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(practice, **overrides):
    data = form_data(practice.cluster, title=practice.title)
    del data["cluster"]
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def practice_rows():
    return list(Practice.objects.order_by("pk").values())


# --- repository -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_repository_lists_only_published_practices_for_everyone(role, client_as, make_practice):
    make_practice("published", title="Published one")
    for status in UNPUBLISHED:
        make_practice(status, title=f"Hidden {status}")

    response = client_as(role).get(REPOSITORY)

    assert response.status_code == 200
    assert card_titles(response) == ["Published one"]


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("visitor", False),
        ("member", False),
        ("manager", True),
        ("staff_member", True),
        ("secretariat", False),
    ],
)
def test_the_repository_offers_to_share_a_practice_to_cluster_teams(role, shown, client_as):
    response = client_as(role).get(REPOSITORY)

    assert (CREATE in response.content.decode()) is shown


def test_the_repository_shows_newest_first(make_practice):
    now = timezone.now()
    for days, title in [(3, "Older"), (1, "Newest"), (2, "Middle")]:
        make_practice("published", title=title, published_at=now - timedelta(days=days))

    assert card_titles(Client().get(REPOSITORY)) == ["Newest", "Middle", "Older"]


def test_the_repository_pages_by_twenty(client, make_practice):
    now = timezone.now()
    for n in range(25):
        make_practice("published", title=f"P{n:02}", published_at=now - timedelta(minutes=n))

    first = client.get(REPOSITORY)
    second = client.get(REPOSITORY, {"page": 2})
    beyond = client.get(REPOSITORY, {"page": 99})

    assert card_titles(first) == [f"P{n:02}" for n in range(20)]
    assert card_titles(second) == [f"P{n:02}" for n in range(20, 25)]
    assert card_titles(beyond) == card_titles(second)
    assert "25 practices" in first.content.decode()


def test_the_repositorys_pages_keep_the_filters(client, make_practice):
    for n in range(21):
        make_practice("published", category="value", title=f"V{n}")

    response = client.get(REPOSITORY, {"category": "value", "page": 1})

    assert "category=value" in response.context["querystring"]
    assert "page" not in response.context["querystring"]


# The same limit for 5 practices and for 30 (20 of them on the page): no query per card.
# The filter's choices (2 queries, then kept), the count, the page, its ecosystems; a search
# reads its tiers' keys then the page.
QUERY_LIMITS = [
    ({}, 5),
    ({"q": "practice", "ecosystem": "energy", "tag": "shared", "category": "management"}, 6),
]


@pytest.mark.parametrize(("query", "limit"), QUERY_LIMITS)
@pytest.mark.parametrize("count", [5, 30])
def test_the_repositorys_query_count_does_not_grow_with_practices(
    count, query, limit, client, cluster, other_cluster, django_assert_max_num_queries
):
    for n in range(count):
        PracticeFactory(
            status="published",
            title=f"Practice {n}",
            cluster=cluster if n % 2 else other_cluster,
            ecosystems=["mobility", "energy"],
            tags=[f"tag {n}", "shared"],
        )

    with django_assert_max_num_queries(limit):
        response = client.get(REPOSITORY, query)

    assert len(card_titles(response)) == min(count, 20)


@pytest.fixture
def catalogue(cluster, other_cluster, manager):
    """Practices that differ in one way each, to filter on."""
    italian = ClusterFactory(name="Torino Smart", slug="torino-smart", country="IT")
    return {
        "mobility": PracticeFactory(
            status="published",
            title="Mobility management",
            cluster=cluster,
            category="management",
            ecosystems=["mobility"],
            tags=["Open data"],
        ),
        "energy": PracticeFactory(
            status="published",
            title="Energy know-how",
            cluster=other_cluster,
            category="thematic",
            ecosystems=["energy", "ict"],
            tags=["Procurement"],
        ),
        "italian": PracticeFactory(
            status="published",
            title="Italian value",
            cluster=italian,
            category="value",
            ecosystems=["environment"],
            tags=["Open data", "Procurement"],
        ),
        "draft": PracticeFactory(
            status="draft",
            title="Hidden draft",
            cluster=cluster,
            category="management",
            ecosystems=["mobility", "energy", "environment"],
            tags=["Open data"],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "management"}, ["Mobility management"]),
        ({"category": "thematic"}, ["Energy know-how"]),
        ({"ecosystem": "energy"}, ["Energy know-how"]),
        ({"ecosystem": "ict"}, ["Energy know-how"]),
        ({"ecosystem": "environment"}, ["Italian value"]),
        ({"country": "IT"}, ["Italian value"]),
        ({"country": "FR"}, ["Energy know-how"]),
        ({"cluster": "mobility-valley"}, ["Mobility management"]),
        ({"cluster": "torino-smart"}, ["Italian value"]),
        ({"tag": "open-data"}, ["Italian value", "Mobility management"]),
        ({"tag": "procurement"}, ["Energy know-how", "Italian value"]),
        ({"tag": "open-data", "category": "value"}, ["Italian value"]),
        ({"ecosystem": "mobility", "country": "FR"}, []),
    ],
)
def test_the_repository_filters(query, expected, client, catalogue):
    response = client.get(REPOSITORY, query)

    assert response.status_code == 200
    assert sorted(card_titles(response)) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"category": "astrology"},
        {"ecosystem": "space"},
        {"country": "ZZ"},
        {"cluster": "no-such-cluster"},
        {"tag": "no-such-tag"},
    ],
)
def test_an_unknown_filter_value_lists_nothing_and_does_not_fail(query, client, catalogue):
    response = client.get(REPOSITORY, query)

    assert response.status_code == 200
    assert card_titles(response) == []


def test_a_practice_with_several_matching_ecosystems_is_listed_once(client, cluster):
    PracticeFactory(status="published", title="Twice", ecosystems=["mobility", "energy"])

    response = client.get(REPOSITORY, {"ecosystem": "mobility", "tag": ""})

    assert card_titles(response) == ["Twice"]


def test_only_clusters_countries_and_tags_with_published_practices_are_offered(client, catalogue):
    form = client.get(REPOSITORY).context["filter"].form

    clusters = {c.slug for c in form.fields["cluster"].queryset}
    assert clusters == {"mobility-valley", "energy-coast", "torino-smart"}
    assert {c for c, _name in form.fields["country"].choices if c} == {"DE", "FR", "IT"}
    assert {slug for slug, _name in form.fields["tag"].choices if slug} == {
        "open-data",
        "procurement",
    }


def test_the_draft_only_tag_is_not_offered(client, cluster):
    PracticeFactory(status="draft", cluster=cluster, tags=["Secret plan"])

    form = client.get(REPOSITORY).context["filter"].form

    assert [slug for slug, _name in form.fields["tag"].choices if slug] == []
    assert Tag.objects.filter(slug="secret-plan").exists()


def test_search_finds_words_in_the_title_summary_problem_and_description(client, cluster):
    PracticeFactory(status="published", title="Procurement of buses", cluster=cluster)
    PracticeFactory(status="published", title="S", summary="A procurement story")
    PracticeFactory(status="published", title="P", problem="No joint procurement existed")
    PracticeFactory(status="published", title="D", description="We wrote a procurement guide")
    PracticeFactory(
        status="published",
        title="Unrelated",
        summary="Parks",
        problem="Trees",
        description="Planting",
    )
    PracticeFactory(status="draft", title="Draft procurement")

    response = client.get(REPOSITORY, {"q": "procurement"})

    assert sorted(card_titles(response)) == ["D", "P", "Procurement of buses", "S"]


def test_search_ranks_a_title_match_before_a_description_only_match(client):
    now = timezone.now()
    PracticeFactory(
        status="published",
        title="Citizens' panel",
        published_at=now,
        description="Our procurement rules came out of a citizens' panel.",
    )
    PracticeFactory(
        status="published",
        title="Joint procurement",
        published_at=now - timedelta(days=30),
        description="Twelve towns bought together.",
    )

    response = client.get(REPOSITORY, {"q": "procurement"})

    assert card_titles(response) == ["Joint procurement", "Citizens' panel"]


def test_search_with_every_word_required(client):
    PracticeFactory(status="published", title="Electric buses", description="Joint tender")
    PracticeFactory(status="published", title="Electric bikes", description="Sharing scheme")

    response = client.get(REPOSITORY, {"q": "electric tender"})

    assert card_titles(response) == ["Electric buses"]


def test_search_combines_with_filters(client, catalogue):
    response = client.get(REPOSITORY, {"q": "know-how", "category": "management"})

    assert card_titles(response) == []


def test_a_blank_search_lists_everything(client, catalogue):
    response = client.get(REPOSITORY, {"q": "   "})

    assert len(card_titles(response)) == 3


# --- mine -------------------------------------------------------------------------------


def test_mine_needs_a_login(client):
    assert is_login_redirect(client.get(MINE))


@pytest.mark.parametrize("role", ["manager", "staff_member"])
def test_mine_lists_every_practice_of_the_team_in_any_state(role, client_as, make_practice):
    for status in [S.PUBLISHED, *UNPUBLISHED]:
        make_practice(status, title=f"Ours {status}")
    PracticeFactory(status="draft", title="Not ours")

    response = client_as(role).get(MINE)

    assert response.status_code == 200
    titles = {p.title for p in response.context["practices"]}
    assert titles == {f"Ours {s}" for s in [S.PUBLISHED, *UNPUBLISHED]}


@pytest.mark.parametrize("role", ["member", "other_manager", "secretariat"])
def test_mine_shows_nothing_of_other_clusters(role, client_as, make_practice):
    make_practice("draft", title="Our secret draft")

    response = client_as(role).get(MINE)

    assert response.status_code == 200
    assert "Our secret draft" not in response.content.decode()


# --- create -----------------------------------------------------------------------------


def test_create_needs_a_login(client, cluster):
    assert is_login_redirect(client.get(CREATE))
    assert is_login_redirect(client.post(CREATE, form_data(cluster)))
    assert not Practice.objects.exists()


@pytest.mark.parametrize("role", ["member", "secretariat"])
def test_someone_without_a_cluster_cannot_create(role, client_as, cluster):
    client = client_as(role)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(cluster)).status_code == 403
    assert not Practice.objects.exists()


@pytest.mark.parametrize("role", ["manager", "staff_member"])
def test_the_team_saves_a_draft(role, users, client_as, cluster):
    client = client_as(role)
    assert client.get(CREATE).status_code == 200

    response = client.post(CREATE, {**form_data(cluster), "save": ""})

    practice = Practice.objects.get()
    assert response.status_code == 302
    assert response.url == url("edit", practice)
    assert messages_of(response) == [str(DRAFT_SAVED)]
    assert practice.status == S.DRAFT
    assert practice.author == users[role]
    assert practice.cluster == cluster
    assert practice.title == "Living lab for e-scooters"
    assert practice.start_year == 2021
    assert practice.end_year is None
    assert sorted(t.name for t in practice.tags.all()) == ["Living lab", "micromobility"]
    assert [e.code for e in practice.ecosystems.all()] == ["mobility"]


def test_the_team_saves_and_submits_at_once(manager, client_as, cluster, secretariat):
    response = client_as("manager").post(CREATE, {**form_data(cluster), "submit": ""})

    practice = Practice.objects.get()
    assert response.url == practice.get_absolute_url()
    assert messages_of(response) == [str(SUBMITTED)]
    assert practice.status == S.SUBMITTED
    assert practice.versions.count() == 1
    assert Notification.objects.filter(recipient=secretariat, kind=kinds.SUBMITTED.name).exists()


def test_a_manager_cannot_create_for_another_cluster(client_as, other_cluster):
    response = client_as("manager").post(CREATE, form_data(other_cluster))

    assert response.status_code == 400
    assert field_errors(response, "cluster")
    assert not Practice.objects.exists()


def test_the_create_form_offers_only_the_users_clusters(client_as, cluster, other_cluster):
    form = client_as("manager").get(CREATE).context["form"]

    assert list(form.fields["cluster"].queryset) == [cluster]


# --- bad input --------------------------------------------------------------------------

BAD_INPUT = [
    ("start_year", {"start_year": "20x9"}, NOT_A_NUMBER),
    ("start_year", {"start_year": "two thousand"}, NOT_A_NUMBER),
    ("end_year", {"end_year": "soon"}, NOT_A_NUMBER),
    ("end_year", {"start_year": "2020", "end_year": "2018"}, END_BEFORE_START),
    ("start_year", {"start_year": str(THIS_YEAR + 1)}, YEAR_IN_FUTURE),
    (
        "category",
        {"category": "astrology"},
        "Select a valid choice. astrology is not one of the available choices.",
    ),
    ("title", {"title": ""}, REQUIRED),
    ("title", {"title": "   "}, REQUIRED),
    ("summary", {"summary": ""}, REQUIRED),
    ("description", {"description": ""}, REQUIRED),
    ("ecosystems", {"ecosystems": None}, NO_ECOSYSTEM),
]


@pytest.mark.parametrize(("field", "changes", "message"), BAD_INPUT)
def test_bad_input_on_create_is_shown_next_to_the_field_and_nothing_is_saved(
    field, changes, message, client_as, cluster
):
    response = client_as("manager").post(CREATE, form_data(cluster, **changes))

    assert response.status_code == 400
    assert has_field_error(response, field, message), field_errors(response, field)
    assert not Practice.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize(("field", "changes", "message"), BAD_INPUT)
def test_bad_input_on_edit_is_shown_next_to_the_field_and_nothing_changes(
    field, changes, message, client_as, draft
):
    before = practice_rows()

    response = client_as("manager").post(url("edit", draft), edit_data(draft, **changes))

    assert response.status_code == 400
    assert has_field_error(response, field, message), field_errors(response, field)
    assert practice_rows() == before
    assert not draft.tags.exists()


def test_text_over_the_length_limit_is_refused(client_as, cluster):
    response = client_as("manager").post(CREATE, form_data(cluster, title="x" * 201))

    assert response.status_code == 400
    assert field_errors(response, "title")
    assert not Practice.objects.exists()


# --- detail -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_published_practice_is_visible_to_everyone(role, client_as, published):
    response = client_as(role).get(published.get_absolute_url())

    assert response.status_code == 200
    assert "Open data for smart parking" in response.content.decode()


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("role", OUTSIDERS)
def test_an_unpublished_practice_does_not_exist_for_outsiders(
    role, status, client_as, make_practice
):
    practice = make_practice(status)

    assert client_as(role).get(practice.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("role", INSIDERS)
def test_the_team_and_the_secretariat_see_an_unpublished_practice(
    role, status, client_as, make_practice
):
    practice = make_practice(status, title="Work in progress")

    response = client_as(role).get(practice.get_absolute_url())

    assert response.status_code == 200
    assert "Work in progress" in response.content.decode()


def test_an_unknown_practice_is_404(client):
    assert client.get(reverse("practices:detail", args=["no-such-practice"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status", "can_edit", "can_moderate", "can_archive", "can_express_interest"),
    [
        ("manager", "draft", True, False, False, False),
        ("staff_member", "changes_requested", True, False, False, False),
        ("manager", "submitted", False, False, False, False),
        ("secretariat", "submitted", False, True, False, False),
        ("secretariat", "published", False, False, True, True),
        ("member", "published", False, False, False, True),
        ("other_manager", "published", False, False, False, True),
        ("manager", "published", False, False, False, False),
        ("visitor", "published", False, False, False, False),
    ],
)
def test_the_detail_page_offers_what_the_user_may_do(
    role,
    status,
    can_edit,
    can_moderate,
    can_archive,
    can_express_interest,
    client_as,
    make_practice,
):
    practice = make_practice(status)

    context = client_as(role).get(practice.get_absolute_url()).context

    assert context["can_edit"] is can_edit
    assert context["can_moderate"] is can_moderate
    assert context["can_archive"] is can_archive
    assert context["can_express_interest"] is can_express_interest


def test_the_detail_page_shows_the_history_with_the_decisions(client, manager, secretariat, draft):
    practice_submit(practice=draft, actor=manager)
    practice_publish(practice=draft, actor=secretariat, comment="A model for the network.")
    client.force_login(manager)  # the history is the team's and the secretariat's (issue #12)

    response = client.get(draft.get_absolute_url())

    history = response.context["history"]
    assert [str(e["label"]) for e in history] == ["Submitted for moderation", "Published"]
    assert [e["actor"] for e in history] == [manager, secretariat]
    assert "A model for the network." in response.content.decode()


def test_the_detail_page_suggests_related_published_practices(client, cluster):
    practice = PracticeFactory(
        status="published", category="value", ecosystems=["mobility", "energy"], title="Main"
    )
    PracticeFactory(status="published", category="thematic", ecosystems=["mobility"], title="One")
    PracticeFactory(
        status="published", category="thematic", ecosystems=["mobility", "energy"], title="Two"
    )
    PracticeFactory(status="published", category="value", ecosystems=["ict"], title="Same kind")
    PracticeFactory(status="published", category="thematic", ecosystems=["ict"], title="Apart")
    PracticeFactory(status="draft", category="value", ecosystems=["mobility"], title="Hidden")

    response = client.get(practice.get_absolute_url())

    titles = [p.title for p in response.context["related"]]
    assert titles == ["Two", "One", "Same kind"]


# --- the Markdown sanitiser -------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)></svg>",
    '<p onclick="alert(1)">x</p>',
    "<iframe src=https://evil.example.org></iframe>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
]


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("field", MARKDOWN_FIELDS)
def test_markup_in_every_markdown_field_comes_out_inert(field, payload, client, make_practice):
    practice = make_practice("published", **{field: f"**bold** before\n\n{payload}\n\nafter"})

    response = client.get(practice.get_absolute_url())

    html = article(response).lower()
    assert response.status_code == 200
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "onerror=" not in html
    assert "onload=" not in html
    assert "onclick=" not in html
    assert "<iframe" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize("field", MARKDOWN_FIELDS)
def test_markdown_renders_emphasis_lists_and_safe_links(field, client, make_practice):
    text = "**bold** and *italic*\n\n- one\n- two\n\n[the guide](https://example.org/guide)"
    practice = make_practice("published", **{field: text})

    html = article(client.get(practice.get_absolute_url()))

    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org/guide"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize("field", ["title", "summary"])
def test_markup_in_the_plain_fields_is_escaped(field, client, make_practice):
    practice = make_practice("published", **{field: "<script>alert(1)</script> **not bold**"})

    html = article(client.get(practice.get_absolute_url()))

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>not bold</strong>" not in html


def test_the_reviewers_comment_is_escaped_for_the_authors(client_as, make_practice):
    practice = make_practice(
        "changes_requested", reviewer_feedback="<script>alert(1)</script> Add the prices."
    )

    html = client_as("manager").get(url("edit", practice)).content.decode()

    assert "<script>alert(1)" not in html
    assert "Add the prices." in html


# --- edit -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "changes_requested"])
@pytest.mark.parametrize("role", ["manager", "staff_member"])
def test_the_team_edits_while_editable(role, status, client_as, make_practice):
    practice = make_practice(status, title="Before")
    client = client_as(role)
    assert client.get(url("edit", practice)).status_code == 200

    response = client.post(url("edit", practice), edit_data(practice, title="After"))

    practice.refresh_from_db()
    assert response.status_code == 302
    assert response.url == url("edit", practice)
    assert practice.title == "After"
    assert practice.status == status


def test_edit_and_submit_sends_it_to_moderation(client_as, draft, secretariat):
    response = client_as("manager").post(url("edit", draft), {**edit_data(draft), "submit": ""})

    draft.refresh_from_db()
    assert response.url == draft.get_absolute_url()
    assert draft.status == S.SUBMITTED


def test_the_edit_form_keeps_the_tags(client_as, make_practice):
    practice = make_practice("draft", tags=["Open data", "Living lab"])

    form = client_as("manager").get(url("edit", practice)).context["form"]

    assert form.initial["tags"] in {"Living lab, Open data", "Open data, Living lab"}
    assert "cluster" not in form.fields


def test_the_edit_form_shows_the_requested_changes(client_as, make_practice):
    practice = make_practice("changes_requested", reviewer_feedback="Add the prices.")

    response = client_as("manager").get(url("edit", practice))

    assert "Add the prices." in response.content.decode()


def test_edit_needs_a_login(client, draft):
    assert is_login_redirect(client.get(url("edit", draft)))
    assert is_login_redirect(client.post(url("edit", draft), edit_data(draft, title="X")))


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("secretariat", "draft", 403),
        ("secretariat", "changes_requested", 403),
        ("member", "draft", 404),
        ("other_manager", "draft", 404),
        ("member", "published", 403),
        ("other_manager", "published", 403),
        ("manager", "submitted", 403),
        ("staff_member", "submitted", 403),
        ("manager", "published", 403),
        ("manager", "rejected", 403),
        ("manager", "archived", 403),
    ],
)
def test_edit_is_refused(role, status, expected, client_as, make_practice):
    practice = make_practice(status, title="Before")
    client = client_as(role)

    assert client.get(url("edit", practice)).status_code == expected
    assert client.post(url("edit", practice), edit_data(practice, title="After")).status_code == (
        expected
    )
    practice.refresh_from_db()
    assert practice.title == "Before"


# --- submit -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "staff_member"])
def test_the_team_submits(role, client_as, draft, secretariat):
    response = client_as(role).post(url("submit", draft))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    assert messages_of(response) == [str(SUBMITTED)]
    assert draft.status == S.SUBMITTED


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", LOGIN), ("member", 404), ("other_manager", 404), ("secretariat", 403)],
)
def test_outsiders_cannot_submit(role, expected, client_as, draft):
    assert outcome(client_as(role).post(url("submit", draft))) == expected
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


@pytest.mark.parametrize("status", ["submitted", "published", "rejected", "archived"])
def test_the_team_cannot_submit_again(status, client_as, make_practice):
    practice = make_practice(status)

    assert client_as("manager").post(url("submit", practice)).status_code == 403
    practice.refresh_from_db()
    assert practice.status == status


def test_submit_is_post_only(client_as, draft):
    assert client_as("manager").get(url("submit", draft)).status_code == 405


# --- moderate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "comment", "to"),
    [
        ("publish", "", S.PUBLISHED),
        ("request_changes", "Add the prices.", S.CHANGES_REQUESTED),
        ("reject", "An advert.", S.REJECTED),
    ],
)
def test_the_secretariat_decides(decision, comment, to, client_as, make_practice, secretariat):
    practice = make_practice("submitted")

    response = client_as("secretariat").post(
        url("moderate", practice), {"decision": decision, "comment": comment}
    )

    practice.refresh_from_db()
    assert response.status_code == 302
    assert response.url == MODERATION
    assert messages_of(response) == [str(DECIDED[decision])]
    assert practice.status == to
    event = audit_events_for(practice).get(verb=f"practice.{decision}")
    assert (event.actor, event.comment) == (secretariat, comment)


@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_a_decision_without_a_comment_is_shown_next_to_the_comment(
    decision, client_as, make_practice
):
    practice = make_practice("submitted")

    response = client_as("secretariat").post(
        url("moderate", practice), {"decision": decision, "comment": "  "}
    )

    practice.refresh_from_db()
    assert response.status_code == 400
    assert has_field_error(response, "comment", COMMENT_REQUIRED)
    assert practice.status == S.SUBMITTED


def test_an_unknown_decision_is_refused(client_as, make_practice):
    practice = make_practice("submitted")

    response = client_as("secretariat").post(url("moderate", practice), {"decision": "delete"})

    practice.refresh_from_db()
    assert response.status_code == 400
    assert field_errors(response, "decision")
    assert practice.status == S.SUBMITTED


@pytest.mark.parametrize("status", ["draft", "changes_requested", "published", "rejected"])
def test_a_practice_that_waits_for_no_decision_cannot_be_decided(status, client_as, make_practice):
    practice = make_practice(status)

    response = client_as("secretariat").post(url("moderate", practice), {"decision": "publish"})

    practice.refresh_from_db()
    message = WRONG_STATE % {"status": S(status).label, "action": "published"}
    assert response.status_code == 400
    assert messages_of(response) == [message]
    assert escape(message) in response.content.decode()  # shown, though the form is not
    assert practice.status == status


def test_a_decision_taken_meanwhile_by_a_colleague_is_explained(
    client_as, colleague, make_practice
):
    practice = make_practice("submitted")
    practice_publish(practice=practice, actor=colleague)

    response = client_as("secretariat").post(
        url("moderate", practice), {"decision": "reject", "comment": "An advert."}
    )

    practice.refresh_from_db()
    assert response.status_code == 400
    assert escape(WRONG_STATE % {"status": "Published", "action": "rejected"}) in (
        response.content.decode()
    )
    assert practice.status == S.PUBLISHED


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", LOGIN),
        ("member", 404),
        ("other_manager", 404),
        ("manager", 403),
        ("staff_member", 403),
    ],
)
def test_only_the_secretariat_moderates(role, expected, client_as, make_practice):
    practice = make_practice("submitted")

    response = client_as(role).post(url("moderate", practice), {"decision": "publish"})

    practice.refresh_from_db()
    assert outcome(response) == expected
    assert practice.status == S.SUBMITTED


def test_a_manager_cannot_moderate_even_a_published_practice(client_as, published):
    response = client_as("other_manager").post(
        url("moderate", published), {"decision": "reject", "comment": "Mine!"}
    )

    published.refresh_from_db()
    assert response.status_code == 403
    assert published.status == S.PUBLISHED


# --- moderation queue -------------------------------------------------------------------


def test_the_moderation_queue_lists_submitted_practices_oldest_first(client_as, make_practice):
    now = timezone.now()
    for days, title in [(2, "Two days"), (9, "Nine days"), (5, "Five days")]:
        make_practice("submitted", title=title, submitted_at=now - timedelta(days=days))
    for status in ["draft", "changes_requested", "published", "rejected", "archived"]:
        make_practice(status, title=f"Not waiting {status}")

    response = client_as("secretariat").get(MODERATION)

    assert response.status_code == 200
    assert [p.title for p in response.context["page_obj"]] == [
        "Nine days",
        "Five days",
        "Two days",
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", LOGIN),
        ("member", 403),
        ("manager", 403),
        ("staff_member", 403),
        ("other_manager", 403),
    ],
)
def test_only_the_secretariat_sees_the_moderation_queue(role, expected, client_as):
    assert outcome(client_as(role).get(MODERATION)) == expected


# --- archive ----------------------------------------------------------------------------


def test_the_secretariat_archives_a_published_practice(client_as, published):
    response = client_as("secretariat").post(url("archive", published))

    published.refresh_from_db()
    assert response.status_code == 302
    assert response.url == published.get_absolute_url()
    assert messages_of(response) == [str(ARCHIVED)]
    assert published.status == S.ARCHIVED
    assert Client().get(published.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", LOGIN),
        ("member", 403),
        ("manager", 403),
        ("staff_member", 403),
        ("other_manager", 403),
    ],
)
def test_only_the_secretariat_archives(role, expected, client_as, published):
    assert outcome(client_as(role).post(url("archive", published))) == expected
    published.refresh_from_db()
    assert published.status == S.PUBLISHED


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "archived"])
def test_only_a_published_practice_is_archived(status, client_as, make_practice):
    practice = make_practice(status)

    assert client_as("secretariat").post(url("archive", practice)).status_code == 403
    practice.refresh_from_db()
    assert practice.status == status


def test_the_admin_archive_action_reports_practices_in_the_wrong_state(client_as, make_practice):
    live = make_practice("published", title="Live")
    draft = make_practice("draft", title="Still a draft")

    response = client_as("secretariat").post(
        reverse("admin:practices_practice_changelist"),
        {"action": "archive", "_selected_action": [live.pk, draft.pk]},
        follow=True,
    )

    live.refresh_from_db()
    draft.refresh_from_db()
    assert response.status_code == 200
    assert (live.status, draft.status) == (S.ARCHIVED, S.DRAFT)
    text = " ".join(messages_of(response))
    assert "1 practice archived." in text
    assert "Still a draft: " in text


def test_the_admin_publish_action_publishes_submitted_practices(client_as, make_practice):
    waiting = make_practice("submitted", title="Waiting")
    draft = make_practice("draft", title="Still a draft")

    client_as("secretariat").post(
        reverse("admin:practices_practice_changelist"),
        {"action": "publish", "_selected_action": [waiting.pk, draft.pk]},
    )

    waiting.refresh_from_db()
    draft.refresh_from_db()
    assert (waiting.status, draft.status) == (S.PUBLISHED, S.DRAFT)


@pytest.mark.parametrize(
    ("action", "status"), [("request_changes", S.CHANGES_REQUESTED), ("reject", S.REJECTED)]
)
def test_the_admin_asks_for_a_comment_before_changes_or_rejection(
    client_as, make_practice, action, status
):
    waiting = make_practice("submitted", title="Waiting")
    changelist = reverse("admin:practices_practice_changelist")
    client = client_as("secretariat")

    form = client.post(changelist, {"action": action, "_selected_action": [waiting.pk]})
    assert form.status_code == 200
    assert 'name="comment"' in form.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == S.SUBMITTED  # nothing happens before the comment is given

    empty = client.post(
        changelist, {"action": action, "_selected_action": [waiting.pk], "comment": ""}
    )
    assert empty.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == S.SUBMITTED

    client.post(
        changelist,
        {"action": action, "_selected_action": [waiting.pk], "comment": "Add the figures."},
    )
    waiting.refresh_from_db()
    assert waiting.status == status
    assert waiting.reviewer_feedback == "Add the figures."


# --- interest ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "other_manager", "secretariat"])
def test_someone_outside_the_team_expresses_interest(role, users, client_as, manager, published):
    response = client_as(role).post(url("interest", published), {"message": "We want it."})

    assert response.status_code == 302
    assert response.url == published.get_absolute_url()
    assert messages_of(response) == [str(INTEREST_SENT)]
    interest = TransferInterest.objects.get()
    assert (interest.user, interest.message) == (users[role], "We want it.")
    assert Notification.objects.filter(recipient=manager, kind=kinds.INTEREST.name).count() == 1


def test_interest_is_expressed_once(client_as, member, manager, published):
    TransferInterestFactory(practice=published, user=member)
    client = client_as("member")

    page = client.get(published.get_absolute_url())
    response = client.post(url("interest", published), {"message": "Again"})

    assert page.context["already_interested"] is True
    assert response.status_code == 302
    assert messages_of(response) == [str(ALREADY_INTERESTED)]
    assert TransferInterest.objects.count() == 1
    assert not Notification.objects.filter(kind=kinds.INTEREST.name).exists()


@pytest.mark.parametrize(
    ("role", "expected"), [("visitor", LOGIN), ("manager", 403), ("staff_member", 403)]
)
def test_the_team_and_visitors_cannot_express_interest(role, expected, client_as, published):
    assert outcome(client_as(role).post(url("interest", published))) == expected
    assert not TransferInterest.objects.exists()


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_no_interest_in_an_unpublished_practice(status, client_as, make_practice):
    practice = make_practice(status)

    assert client_as("member").post(url("interest", practice)).status_code == 404
    assert client_as("secretariat").post(url("interest", practice)).status_code == 403
    assert not TransferInterest.objects.exists()


def test_an_overlong_interest_message_is_refused(client_as, published):
    response = client_as("member").post(url("interest", published), {"message": "x" * 2001})

    assert response.status_code == 400
    assert field_errors(response, "message")
    assert not TransferInterest.objects.exists()


# --- cluster follow and profile ---------------------------------------------------------


def follow_url(cluster):
    return reverse("clusters:follow", args=[cluster.slug])


def test_a_member_follows_and_unfollows_a_cluster(client_as, member, cluster):
    client = client_as("member")

    followed = client.post(follow_url(cluster))
    again = client.post(follow_url(cluster))
    page = client.get(cluster.get_absolute_url())

    assert followed.status_code == 302
    assert followed.url == cluster.get_absolute_url()
    assert ClusterFollow.objects.filter(cluster=cluster, user=member).count() == 1
    assert again.status_code == 302
    assert page.context["is_following"] is True
    assert audit_events_for(cluster).filter(verb="cluster.follow").count() == 1

    unfollowed = client.post(follow_url(cluster), {"action": "unfollow"})

    assert unfollowed.status_code == 302
    assert not ClusterFollow.objects.exists()
    assert client.get(cluster.get_absolute_url()).context["is_following"] is False
    assert audit_events_for(cluster).filter(verb="cluster.unfollow").count() == 1


def test_unfollowing_a_cluster_not_followed_changes_nothing(client_as, cluster):
    response = client_as("member").post(follow_url(cluster), {"action": "unfollow"})

    assert response.status_code == 302
    assert not audit_events_for(cluster).filter(verb="cluster.unfollow").exists()


def test_unfollowing_leaves_other_followers(client_as, member, cluster):
    ClusterFollowFactory(cluster=cluster, user__email="fan@example.org")
    ClusterFollowFactory(cluster=cluster, user=member)

    client_as("member").post(follow_url(cluster), {"action": "unfollow"})

    assert [f.user.email for f in ClusterFollow.objects.all()] == ["fan@example.org"]


def test_a_visitor_must_log_in_to_follow(client, cluster):
    assert is_login_redirect(client.post(follow_url(cluster)))
    assert not ClusterFollow.objects.exists()


def test_follow_is_post_only(client_as, cluster):
    assert client_as("member").get(follow_url(cluster)).status_code == 405
    assert not ClusterFollow.objects.exists()


@pytest.mark.parametrize("role", ["manager", "staff_member", "other_manager", "secretariat"])
def test_anyone_logged_in_may_follow(role, users, client_as, cluster):
    client_as(role).post(follow_url(cluster))

    assert ClusterFollow.objects.filter(user=users[role], cluster=cluster).exists()


def test_the_cluster_profile_lists_its_published_practices_only(client, cluster, make_practice):
    make_practice("published", title="Our published practice")
    for status in UNPUBLISHED:
        make_practice(status, title=f"Our {status} practice")
    PracticeFactory(status="published", title="Someone else's practice")
    MembershipFactory(cluster=cluster)

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert "Our published practice" in html
    assert "Someone else&#x27;s practice" not in html
    for status in UNPUBLISHED:
        assert f"Our {status} practice" not in html


def test_the_cluster_profile_says_when_there_is_no_practice(client, cluster):
    html = client.get(cluster.get_absolute_url()).content.decode()

    assert "No published practice yet." in html
