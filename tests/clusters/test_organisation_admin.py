"""Organisation moved down to accounts; the secretariat still curates it under Clusters."""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Organisation as AccountsOrganisation
from clusters.models import ClusterMembership, Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_organisation_lives_in_accounts_and_keeps_its_table():
    assert AccountsOrganisation._meta.db_table == "clusters_organisation"
    assert Organisation._meta.proxy
    assert Organisation._meta.concrete_model is AccountsOrganisation


def test_no_relation_points_at_the_clusters_proxy_only_at_accounts():
    """The proxy is kept for the admin (its URLs are admin:clusters_organisation_*); every
    foreign key, exchange's application's included, points at accounts.Organisation."""
    pointing = {
        (model._meta.label, field.name): field.related_model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and field.related_model in (Organisation, AccountsOrganisation)
    }
    assert ("exchange.Application", "organisation") in pointing
    assert set(pointing.values()) == {"accounts.Organisation"}


def test_secretariat_sets_an_organisations_clusters_in_the_admin(
    login, secretariat, cluster, other_cluster
):
    organisation = OrganisationFactory(name="Acme Mobility", country="DE")
    organisation.clusters.add(cluster)
    client = login(secretariat)
    url = reverse("admin:clusters_organisation_change", args=[organisation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["adminform"].form["clusters"].value() == [cluster.pk]

    response = client.post(
        url,
        {
            "name": "Acme Mobility",
            "country": "DE",
            "kind": "sme",
            "size": "small",
            "clusters": [other_cluster.pk],
        },
    )
    assert response.status_code == 302
    assert list(organisation.clusters.all()) == [other_cluster]
    assert list(other_cluster.member_organisations.all()) == [organisation]


def test_the_user_admin_shows_the_persons_team_memberships(login, secretariat, manager, cluster):
    response = login(secretariat).get(reverse("admin:accounts_user_change", args=[manager.pk]))
    assert response.status_code == 200
    inline_models = [formset.formset.model for formset in response.context["inline_admin_formsets"]]
    assert ClusterMembership in inline_models
