"""A call open to any host: the host cluster is typed, not chosen from a list of the
network's thousands of clusters (core.typed_choice)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from clusters.models import Cluster
from core.typed_choice import AMBIGUOUS
from exchange.models import Application
from tests.exchange.test_no_dead_ends import _draft_data
from tests.factories import ApplicantFactory, CallFactory, ClusterFactory, OfferFactory
from tests.matrix import snapshot
from tests.test_select_bound import MAX_OPTIONS, too_many


@pytest.fixture
def open_call(db):
    call = CallFactory(open_applications=True)
    offer = OfferFactory(call=call)  # for the dates of _draft_data
    for name in ("Turin Robotics", "Turin Food Valley", "Porto Sea"):
        ClusterFactory(name=name, country="IT", city="Turin")
    return call, offer


def _new(call):
    return reverse("exchange:application_new") + f"?call={call.pk}"


def test_the_host_is_typed_by_name_or_its_start(client, open_call):
    call, offer = open_call
    client.force_login(ApplicantFactory())
    response = client.post(_new(call), {**_draft_data(offer), "host": "porto"})
    assert response.status_code == 302, response.context["form"].errors
    assert Application.objects.get().host.name == "Porto Sea"


def test_an_ambiguous_host_is_refused_with_the_matches_and_nothing_changes(client, open_call):
    call, offer = open_call
    client.force_login(ApplicantFactory())
    before = snapshot()
    response = client.post(_new(call), {**_draft_data(offer), "host": "Turin"})
    assert response.status_code == 400
    html = response.content.decode()
    said = str(AMBIGUOUS) % {"value": "Turin", "matches": "“Turin Food Valley”, “Turin Robotics”"}
    assert escape(said) in html
    assert escape("“Turin Food Valley”") in html
    assert escape("“Turin Robotics”") in html
    assert snapshot() == before


def test_the_form_lists_no_clusters_however_many(client, open_call):
    call, _offer = open_call
    Cluster.objects.bulk_create(
        Cluster(name=f"Crowd {n}", slug=f"crowd-{n}", country="DE", contact_email="c@x.org")
        for n in range(MAX_OPTIONS + 10)
    )
    client.force_login(ApplicantFactory())
    response = client.get(_new(call))
    assert response.status_code == 200
    assert 'name="host"' in response.content.decode()
    assert not too_many(response.content.decode())
