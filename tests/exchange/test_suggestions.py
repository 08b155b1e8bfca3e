""" "Suggested for you" on /exchange/: scored in the database, the same choice as before,
and only the offers shown are loaded."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from exchange.models import Application, Offer
from exchange.selectors import clusters_of_member
from exchange.selectors.suggestions import suggested_offers
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CallFactory,
    ClusterFactory,
    MembershipFactory,
    OfferFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    """A member in Germany whose SME belongs to an energy cluster looking for hydrogen."""
    member = ApplicantFactory()
    home = ClusterFactory(ecosystems=["energy"], needs="Hydrogen refuelling stations")
    member.organisation.clusters.add(home)
    member.home = home
    return member


@pytest.fixture
def call():
    return CallFactory()


def offer(call, topic, ecosystems, *, days=0, **fields):
    return OfferFactory(
        call=call,
        topic=topic,
        ecosystems=ecosystems,
        available_from=call.visits_from + timedelta(days=days),
        **fields,
    )


def test_offers_are_ranked_by_shared_ecosystems_and_needs(member, call):
    shared_and_word = offer(call, "Hydrogen buses", ["energy"], days=5)  # 2 + 1
    three_words = offer(
        call,
        "Depot visit",
        ["mobility"],
        days=1,
        description="Our HYDROGEN refuelling stations.",  # 3 words, any case
    )
    shared = offer(call, "Grid lab", ["energy", "mobility"])  # 2
    offer(call, "Traffic lights", ["mobility"])  # nothing in common
    offer(call, "Hydrogen at home", ["energy"], host=ClusterFactory(country="DE"))  # not abroad
    offer(call, "Hydrogen on our own", ["energy"], host=member.home)  # their own cluster
    full = offer(call, "Hydrogen, full", ["energy"], capacity=1)
    ApplicationFactory(offer=full, status=Application.Status.SUBMITTED)
    applied = offer(call, "Hydrogen, applied", ["energy"])
    ApplicationFactory(offer=applied, applicant=member, organisation=member.organisation)

    suggested = suggested_offers(user=member)

    # Equal scores (3): the sooner first.
    assert suggested == [three_words, shared_and_word, shared]
    assert suggested_offers(user=member, limit=1) == [three_words]


def test_a_withdrawn_application_does_not_hide_the_offer(member, call):
    withdrawn = offer(call, "Hydrogen buses", ["energy"])
    ApplicationFactory(
        offer=withdrawn,
        applicant=member,
        organisation=member.organisation,
        status=Application.Status.WITHDRAWN,
    )

    assert suggested_offers(user=member) == [withdrawn]


def test_a_member_with_no_cluster_and_a_visitor_get_no_suggestion(call, client):
    offer(call, "Hydrogen buses", ["energy"])

    assert suggested_offers(user=ApplicantFactory()) == []
    assert "Suggested for you" not in client.get(reverse("exchange:index")).text


def test_the_page_loads_only_the_suggested_offers(member, call, client):
    for n in range(30):
        offer(call, f"Hydrogen lab {n:02}", ["energy"])
    client.force_login(member)
    built = []
    from_db = Offer.from_db

    def counted(cls, *args, **kwargs):
        built.append(1)
        return from_db(*args, **kwargs)

    with mock.patch.object(Offer, "from_db", classmethod(counted)):
        suggested = suggested_offers(user=member)

    assert [o.topic for o in suggested] == ["Hydrogen lab 00", "Hydrogen lab 01", "Hydrogen lab 02"]
    assert len(built) == 3  # not the 30 it ranks
    page = client.get(reverse("exchange:index")).text
    assert page.index("Suggested for you") < page.index("Hydrogen lab 00")


def test_the_clusters_of_a_member_are_their_teams_and_their_organisations(member):
    team = MembershipFactory(user=member, role="staff").cluster
    ClusterFactory()  # someone else's

    assert set(clusters_of_member(user=member)) == {member.home, team}
    assert clusters_of_member(user=member).filter(pk=team.pk).exists()


def test_the_suggestions_are_kept_for_the_person_and_never_stale(member, call):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    hydrogen = offer(call, "Hydrogen buses", ["energy"])
    grid = offer(call, "Grid lab", ["energy"], days=3)
    client = Client()
    client.force_login(member)

    def suggested() -> tuple[str, list]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("exchange:index")).content.decode()
        section = page.split('id="suggestions-heading"')[1].split("</section>")[0]
        return section, queries.captured_queries

    first, _ = suggested()
    assert "Hydrogen buses" in first
    assert "Grid lab" in first
    again, kept = suggested()
    # Kept: nothing is scored or loaded again for the person.
    assert again == first
    assert not [q for q in kept if '"applicant_id"' in q["sql"]]
    # Another member with no cluster gets nothing of this member's.
    other = Client()
    other.force_login(ApplicantFactory())
    assert "suggestions-heading" not in other.get(reverse("exchange:index")).content.decode()
    # A write the suggestions read shows at once: the member applies, an offer is renamed.
    ApplicationFactory(offer=hydrogen, applicant=member, organisation=member.organisation)
    after, _ = suggested()
    assert "Hydrogen buses" not in after
    Offer.objects.filter(pk=grid.pk).update(topic="Grid lab, renamed")
    assert "Grid lab, renamed" in suggested()[0]
