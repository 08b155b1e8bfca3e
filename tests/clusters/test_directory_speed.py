"""The directory and the profile at network scale: the cheaper widgets render the same HTML
as Django's, the query count stays the same as the network grows, and the page stays small."""

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from clusters.filters import CheckboxList, FlatSelect
from clusters.models import Cluster
from clusters.permissions import is_cluster_manager_of
from clusters.selectors import active_country_codes, network_counts
from clusters.services.contact import contact_recipients
from tests.factories import ClusterFactory, MembershipFactory

CHOICES = [("mobility", "Mobility"), ("energy", "Energy & <grids>"), ("ict", "ICT")]


@pytest.mark.parametrize(
    ("ours", "django"),
    [(CheckboxList, forms.CheckboxSelectMultiple), (FlatSelect, forms.Select)],
)
@pytest.mark.parametrize("value", [None, ["energy"], ["energy", "ict"], "ict"])
def test_the_flat_widgets_render_the_same_html_as_djangos(ours, django, value):
    if django is forms.Select and isinstance(value, list):
        value = value[0]
    attrs = {"id": "id_eco", "aria-describedby": "id_eco_helptext"}
    mine = ours(choices=CHOICES).render("eco", value, attrs=attrs)
    theirs = django(choices=CHOICES).render("eco", value, attrs=attrs)
    assert parse_html(mine) == parse_html(theirs)
    assert "&lt;grids&gt;" in mine


@pytest.fixture
def spread(db):
    """Active clusters in three countries, and a country whose only cluster is inactive."""
    for country, status in [
        ("PT", "active"),
        ("PT", "active"),
        ("DE", "active"),
        ("SE", "active"),
        ("SE", "inactive"),
        ("FR", "inactive"),
    ]:
        ClusterFactory(country=country, status=status, members_smes=10, members_research=1)


def test_the_countries_with_an_active_cluster_are_each_listed_once(spread):
    distinct = set(Cluster.objects.active().values_list("country", flat=True))
    assert active_country_codes() == sorted(distinct) == ["DE", "PT", "SE"]


def test_no_active_cluster_means_no_country(db):
    assert active_country_codes() == []
    assert network_counts() == {"clusters": 0, "countries": 0, "members": 0}


def test_the_network_figures_count_active_clusters_only(spread):
    assert network_counts() == {"clusters": 4, "countries": 3, "members": 44}


def test_the_directory_offers_only_the_countries_with_an_active_cluster(client, spread):
    response = client.get(reverse("clusters:directory"))
    offered = [code for code, _name in response.context["filter"].form.fields["country"].choices]
    assert sorted(offered) == ["DE", "PT", "SE"]


@pytest.mark.parametrize("language", ["en", "fr", "de"])
@pytest.mark.parametrize("label", ["none", "bronze", "gold"])
def test_the_card_names_are_djangos_in_every_language(db, language, label):
    cluster = ClusterFactory.build(country="PT", label=label)
    with translation.override(language):
        assert cluster.label_name == cluster.get_label_display()
        assert cluster.country_name == cluster.country.name


PAGES = [
    "/",
    "/clusters/",
    "/clusters/?page=2",
    "/clusters/?ecosystem=energy",
    "/clusters/?ecosystem=energy&size=small&sort=-members",
    "/clusters/?ecosystem=energy&ecosystem=ict&country=DE&country=FR",
    "/clusters/?country=DE",
    "/clusters/?q=mobility",
    "/clusters/?q=germany",
    "/clusters/mobility-valley/",
]


def _grow(count):
    """More clusters of every kind the pages show: countries, ecosystems, labels, sizes."""
    codes = ["DE", "FR", "PT", "ES", "SE"]
    ecosystems = [["energy"], ["energy", "ict"], ["mobility", "environment"], ["ict"]]
    labels = ["none", "bronze", "silver", "gold"]
    for n in range(count):
        label = labels[n % 4]
        ClusterFactory(
            country=codes[n % 5],
            ecosystems=ecosystems[n % 4],
            label=label,
            label_year=None if label == "none" else 2024,
            members_smes=10 + 30 * (n % 7),
        )


@pytest.mark.parametrize("persona", ["visitor", "member", "manager", "secretariat"])
def test_the_cluster_pages_cost_the_same_queries_for_a_larger_network(
    client, cluster, other_cluster, manager, member, secretariat, persona
):
    user = {"member": member, "manager": manager, "secretariat": secretariat}.get(persona)
    if user is not None:
        client.force_login(user)
    _grow(3)
    small = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        small[url] = len(queries)
    _grow(40)
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        assert len(queries) <= small[url], (url, [q["sql"] for q in queries.captured_queries])


def test_a_full_directory_page_stays_small_with_many_countries(client, db):
    """24 cards with long names, and clusters in 60 countries to tick: well under 100 KB,
    and no list of choices longer than a few hundred."""
    codes = [code for code, _name in countries][:60]
    for n, code in enumerate(codes):
        ClusterFactory(
            country=code,
            name=f"Smart Mobility and Energy Transition Cluster of the Region {n:03}",
            acronym=f"SMETC{n}",
            ecosystems=["energy", "ict", "mobility"],
            label="gold",
            label_year=2024,
        )
    response = client.get(reverse("clusters:directory"))
    html = response.content.decode()
    assert html.count('class="card cluster-card"') == 24
    assert len(response.content) < 100_000
    assert html.count('name="country"') == 60
    assert html.count("<option") + html.count('type="checkbox"') < 300


def _old_contact_state(cluster, user):
    """The profile's contact state as it was asked of the database before."""
    sender = user if user.is_authenticated else None
    if contact_recipients(cluster=cluster, sender=sender):
        return "open"
    if is_cluster_manager_of(sender, cluster.pk):
        return "own"
    return "nobody"


@pytest.mark.parametrize("managers", [0, 1, 2])
@pytest.mark.parametrize("inactive", [False, True])
@pytest.mark.parametrize("viewer", ["visitor", "first_manager", "member", "other_manager"])
def test_the_profile_reads_its_managers_once_and_agrees_with_the_service(
    client, member, other_manager, managers, inactive, viewer
):
    cluster = ClusterFactory(slug="valley")
    team = [
        MembershipFactory(cluster=cluster, user__is_active=not (inactive and n == managers - 1))
        for n in range(managers)
    ]
    user = {
        "member": member,
        "other_manager": other_manager,
        "first_manager": team[0].user if team else member,
    }.get(viewer)
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("clusters:detail", args=["valley"]))
    viewer_user = response.context["user"]
    assert response.context["contact_state"] == _old_contact_state(cluster, viewer_user)
    assert response.context["can_edit"] == is_cluster_manager_of(viewer_user, cluster.pk)
    asked = [q["sql"] for q in queries.captured_queries if "clusters_clustermembership" in q["sql"]]
    assert len(asked) == 1, asked
