"""No page offers a choice among more than a few hundred options.

A network has 10,000 clusters, tens of thousands of people, practices and actions; a
<select> (or a group of checkboxes or radios) over any of them is megabytes of HTML and
useless to a person. Such fields are typed (``core.typed``) on the site and autocompletes
or id lookups in the admin. This walks every page of the matrix as every role that may
open it, and every admin add and change page, with a few hundred of each kind of row.
"""

from collections import Counter, defaultdict
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, ForeignKeyRawIdWidget
from django.forms import ModelChoiceField
from django.urls import reverse

from accounts.models import User
from actionplan.models import Action
from clusters.models import Cluster, ClusterMembership, Organisation
from exchange.models import Offer
from practices.models import Practice
from tests.routes import MATRIX

# The largest fixed list on the site is the countries (about 250); a list of rows must
# stay below this whatever the size of the network.
MAX_OPTIONS = 300
CROWD = MAX_OPTIONS + 20


class _Choices(HTMLParser):
    """Counts the options of each <select> and the checkboxes and radios of each name."""

    def __init__(self):
        super().__init__()
        self.counts: Counter = Counter()
        self._select: str | None = None
        self._selects = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._selects += 1
            self._select = f"select {attrs.get('name') or self._selects}"
        elif tag == "option" and self._select:
            self.counts[self._select] += 1
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            self.counts[f"{attrs['type']} {attrs.get('name')}"] += 1

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def too_many(html: str) -> dict[str, int]:
    parser = _Choices()
    parser.feed(html)
    return {name: n for name, n in parser.counts.items() if n > MAX_OPTIONS}


def _copy(obj) -> dict:
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }


@pytest.fixture
def crowd(world):
    """CROWD more clusters (each with a manager and a member organisation), people,
    offers, practices and actions, beside the world's, in a few bulk writes."""
    clusters = Cluster.objects.bulk_create(
        Cluster(
            name=f"Crowd Cluster {n:04d}",
            acronym=f"CC{n}",
            slug=f"crowd-{n:04d}",
            country="DE",
            city="Berlin",
            contact_email=f"c{n}@crowd.example.org",
            description="A crowd cluster.",
        )
        for n in range(CROWD)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Crowd Org {n:04d}", country="DE", kind="sme", size="small")
        for n in range(CROWD)
    )
    users = User.objects.bulk_create(
        User(email=f"crowd{n}@crowd.example.org", name=f"Crowd Person {n}", organisation=org)
        for n, org in enumerate(organisations)
    )
    ClusterMembership.objects.bulk_create(
        ClusterMembership(cluster=c, user=u, role="manager")
        for c, u in zip(clusters, users, strict=True)
    )
    Cluster.member_organisations.through.objects.bulk_create(
        Cluster.member_organisations.through(cluster_id=c.pk, organisation_id=o.pk)
        for c, o in zip(clusters, organisations, strict=True)
    )
    offer = Offer.objects.get(pk=world.exchange["offer"].pk)
    Offer.objects.bulk_create(
        Offer(**_copy(offer) | {"topic": f"Crowd offer {n}", "host_id": c.pk})
        for n, c in enumerate(clusters)
    )
    action = Action.objects.get(pk=world.plan["action"].pk)
    Action.objects.bulk_create(
        Action(**_copy(action) | {"title": f"Crowd action {n}", "lead_cluster_id": c.pk})
        for n, c in enumerate(clusters)
    )
    practice = Practice.objects.get(pk=world.practices["published"].pk)
    Practice.objects.bulk_create(
        Practice(
            **_copy(practice)
            | {"title": f"Crowd practice {n}", "slug": f"crowd-practice-{n}", "cluster_id": c.pk}
        )
        for n, c in enumerate(clusters)
    )
    return world


@pytest.mark.django_db
def test_no_site_page_offers_more_than_a_few_hundred_choices(client, crowd):
    found = defaultdict(dict)
    for route in MATRIX:
        if route.name.startswith("admin:"):
            continue
        for role, expected in route.get.items():
            if expected != 200:
                continue
            user = crowd.users[role]
            client.logout()
            if user is not None:
                client.force_login(user)
            url = route.url(crowd)
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            over = too_many(response.content.decode())
            if over:
                found[url][role] = over
    assert not found, f"pages with more than {MAX_OPTIONS} choices: {dict(found)}"


@pytest.mark.django_db
def test_no_admin_form_offers_more_than_a_few_hundred_choices(client, crowd):
    client.force_login(crowd.users["secretariat"])
    found = {}
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        urls = []
        if model_admin.has_add_permission(_request(crowd)):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            over = too_many(response.content.decode())
            if over:
                found[url] = over
    assert not found, f"admin forms with more than {MAX_OPTIONS} choices: {found}"


def _request(world):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.users["secretariat"]
    return request


# Tables that grow with the network: an admin field choosing among them searches.
GROWING = {
    "accounts.user",
    "accounts.organisation",
    "clusters.cluster",
    "exchange.offer",
    "exchange.application",
    "practices.practice",
    "actionplan.action",
    "notifications.notification",
}


def _plain_list_fields(form_class, where: str, skip: str = "") -> list[str]:
    plain = []
    for name, field in form_class.base_fields.items():
        if name == skip or not isinstance(field, ModelChoiceField):
            continue
        if field.queryset.model._meta.concrete_model._meta.label_lower not in GROWING:
            continue
        widget = getattr(field.widget, "widget", field.widget)  # the related-field wrapper
        if not isinstance(widget, AutocompleteMixin | ForeignKeyRawIdWidget):
            plain.append(f"{where}.{name}")
    return plain


@pytest.mark.django_db
def test_admin_fields_on_growing_tables_are_searches(rf, secretariat):
    """Every admin form and inline, whatever the rows today: a field whose choices are
    clusters, organisations, people, offers, applications, practices, actions or
    notifications is an autocomplete or an id lookup, never a list of them all."""
    request = rf.get("/")
    request.user = secretariat
    plain = []
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            plain += _plain_list_fields(model_admin.get_form(request), model._meta.label)
        for inline in model_admin.get_inline_instances(request):
            if not (
                inline.has_add_permission(request, None) or inline.has_change_permission(request)
            ):
                continue  # shown read-only
            formset = inline.get_formset(request)
            plain += _plain_list_fields(
                formset.form, f"{model._meta.label}/{inline.model.__name__}", skip=formset.fk.name
            )
    assert not plain, f"admin fields listing a growing table: {plain}"


def _autocomplete(client, term):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "clusters",
            "model_name": "clustermembership",
            "field_name": "cluster",
            "term": term,
        },
    )


@pytest.mark.django_db
def test_secretariat_finds_a_cluster_by_typing_in_the_admin(client, secretariat, cluster):
    client.force_login(secretariat)
    response = _autocomplete(client, "Mobility")
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [str(cluster)]


@pytest.mark.django_db
def test_admin_autocomplete_is_refused_without_permission(client, member, cluster):
    client.force_login(member)  # not staff: the admin's login page, no names
    response = _autocomplete(client, "Mobility")
    assert response.status_code == 302
    assert str(cluster) not in response.content.decode()
    clerk = User.objects.create_user(email="clerk@example.org", password="x", is_staff=True)
    client.force_login(clerk)  # staff without the permission to view clusters
    assert _autocomplete(client, "Mobility").status_code == 403
