"""Management labels are facts the secretariat records (ClusterLabel, in admin, through a
service), never declared by a cluster's manager in the profile form."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters.models import Cluster, ClusterLabel
from clusters.services import (
    CERTIFICATE_TYPE,
    LABEL_ALREADY_CONFIRMED,
    LABEL_ALREADY_RECORDED,
    cluster_label_confirm,
    cluster_label_record,
    cluster_label_remove,
)
from core.models import AuditEvent
from tests.factories import PDF_BYTES, ClusterFactory, StaffFactory
from tests.practices.samples import PNG_BYTES

from .test_views import edit_data, edit_url

pytestmark = pytest.mark.django_db


def test_a_manager_posting_label_fields_in_the_profile_changes_nothing(login, cluster, manager):
    response = login(manager).post(
        edit_url(cluster), edit_data(cluster, label="gold", label_year="2023")
    )

    assert response.status_code == 302
    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == (Cluster.Label.NONE, None)
    assert not ClusterLabel.objects.exists()
    assert not AuditEvent.objects.exists()  # nothing else changed either
    form = login(manager).get(edit_url(cluster)).context["form"]
    assert "label" not in form.fields
    assert "label_year" not in form.fields


def test_the_directory_filter_finds_only_clusters_with_a_recorded_label(client, secretariat):
    recorded = ClusterFactory(name="Recorded Gold")
    cluster_label_record(cluster=recorded, actor=secretariat, level="gold", year=2023)
    ClusterFactory(name="Never Labelled")

    response = client.get(reverse("clusters:directory"), {"label": "gold"})

    names = [c.name for c in response.context["page_obj"]]
    assert names == ["Recorded Gold"]


def test_the_profile_shows_the_recorded_label_with_its_year(client, secretariat, cluster):
    cluster_label_record(cluster=cluster, actor=secretariat, level="bronze", year=2019)
    cluster_label_record(cluster=cluster, actor=secretariat, level="silver", year=2022)

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert 'class="label label-silver">Silver</span>' in html
    assert "(2022)" in html


def test_the_current_label_is_the_latest_recorded_and_follows_a_removal(secretariat, cluster):
    older = cluster_label_record(cluster=cluster, actor=secretariat, level="gold", year=2018)
    latest = cluster_label_record(cluster=cluster, actor=secretariat, level="silver", year=2024)
    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == ("silver", 2024)

    cluster_label_remove(label=latest, actor=secretariat)
    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == ("gold", 2018)

    cluster_label_remove(label=older, actor=secretariat)
    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == ("none", None)
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["cluster.label_record"] * 2 + ["cluster.label_remove"] * 2


def test_only_the_secretariat_records_a_label(cluster, manager):
    with pytest.raises(PermissionDenied):
        cluster_label_record(cluster=cluster, actor=manager, level="gold", year=2023)
    assert not ClusterLabel.objects.exists()


def test_a_label_is_recorded_once_per_year_and_a_certificate_is_a_pdf_or_image(
    secretariat, cluster
):
    cluster_label_record(cluster=cluster, actor=secretariat, level="gold", year=2023)
    with pytest.raises(ValidationError) as exc:
        cluster_label_record(cluster=cluster, actor=secretariat, level="gold", year=2023)
    assert exc.value.messages == [str(LABEL_ALREADY_RECORDED)]
    page = SimpleUploadedFile("certificate.html", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as exc:
        cluster_label_record(
            cluster=cluster, actor=secretariat, level="silver", year=2023, certificate=page
        )
    assert exc.value.message_dict == {"certificate": [str(CERTIFICATE_TYPE)]}
    assert ClusterLabel.objects.count() == 1


def test_the_admin_records_a_label_with_its_certificate_and_an_audit_event(client, cluster):
    staff = StaffFactory()
    client.force_login(staff)

    response = client.post(
        reverse("admin:clusters_clusterlabel_add"),
        {
            "cluster": cluster.pk,
            "level": "gold",
            "year": "2024",
            "certificate": SimpleUploadedFile("gold.pdf", PDF_BYTES),
        },
    )

    assert response.status_code == 302
    label = ClusterLabel.objects.get()
    assert (label.cluster, label.level, label.year, label.recorded_by) == (
        cluster,
        "gold",
        2024,
        staff,
    )
    assert label.certificate.name.endswith(".pdf")
    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == ("gold", 2024)
    event = AuditEvent.objects.get(verb="cluster.label_record")
    assert (event.actor, event.changes) == (staff, {"label": ["", "gold 2024"]})


def test_the_admin_deletes_a_label_through_the_service(client, cluster, secretariat):
    label = cluster_label_record(cluster=cluster, actor=secretariat, level="gold", year=2024)
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:clusters_clusterlabel_delete", args=[label.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.label == "none"
    assert AuditEvent.objects.filter(verb="cluster.label_remove").count() == 1
    assert AuditEvent.objects.get(verb="cluster.label_remove").changes == {
        "label": ["gold 2024", ""]
    }


@pytest.mark.parametrize(
    ("year", "certificate", "field"),
    [
        ("2999", None, "year"),
        ("2023", SimpleUploadedFile("gold.html", b"<html></html>"), "certificate"),
        ("twenty", None, "year"),
    ],
)
def test_the_admin_refuses_a_bad_label_next_to_the_field(
    client, cluster, secretariat, year, certificate, field
):
    client.force_login(secretariat)
    data = {"cluster": cluster.pk, "level": "gold", "year": year}
    if certificate is not None:
        data["certificate"] = certificate

    response = client.post(reverse("admin:clusters_clusterlabel_add"), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not ClusterLabel.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_profile_links_the_recorded_certificate(client, secretariat, cluster):
    label = cluster_label_record(
        cluster=cluster,
        actor=secretariat,
        level="gold",
        year=2024,
        certificate=SimpleUploadedFile("gold.pdf", PDF_BYTES),
    )

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert f'href="{label.certificate.url}"' in html


@pytest.mark.parametrize(
    ("sent_as", "content", "kept_as"),
    [
        ("x.html", PDF_BYTES, "x.pdf"),  # a PDF's first bytes, an HTML name: kept as a PDF
        ("seal.svg", PNG_BYTES, "seal.png"),
        ("folder/award.PDF", PDF_BYTES, "award.PDF"),
    ],
    ids=["pdf-named-html", "png-named-svg", "pdf-named-pdf"],
)
def test_a_certificate_is_kept_under_the_extension_of_its_checked_content(
    secretariat, cluster, sent_as, content, kept_as
):
    label = cluster_label_record(
        cluster=cluster,
        actor=secretariat,
        level="gold",
        year=2023,
        certificate=SimpleUploadedFile(sent_as, content),
    )

    assert label.certificate.name == f"clusters/labels/{cluster.pk}/{kept_as}"
    assert label.certificate.url.endswith(f"/{kept_as}")
    assert label.certificate.read() == content


def carried_over(cluster, level="gold", year=2023):
    """A label as migration 0004 carries it over from a self-declared profile."""
    return ClusterLabel.objects.create(cluster=cluster, level=level, year=year)


def test_a_label_waiting_for_confirmation_is_not_shown(client, secretariat, cluster):
    carried_over(cluster, "gold", 2024)
    cluster_label_record(cluster=cluster, actor=secretariat, level="bronze", year=2020)

    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == ("bronze", 2020)
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert 'class="label label-gold"' not in html
    assert 'class="label label-bronze">Bronze</span>' in html


def test_the_secretariat_confirms_a_carried_over_label_and_it_is_recorded(
    client, secretariat, cluster
):
    label = carried_over(cluster)

    cluster_label_confirm(label=label, actor=secretariat)

    label.refresh_from_db()
    assert (label.confirmed, label.recorded_by) == (True, secretariat)
    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == ("gold", 2023)
    event = AuditEvent.objects.get(verb="cluster.label_confirm")
    assert (event.actor, event.changes) == (
        secretariat,
        {"label": ["gold 2023 unconfirmed", "gold 2023"]},
    )
    assert 'class="label label-gold">Gold</span>' in (
        client.get(cluster.get_absolute_url()).content.decode()
    )
    with pytest.raises(ValidationError) as exc:
        cluster_label_confirm(label=label, actor=secretariat)
    assert exc.value.messages == [str(LABEL_ALREADY_CONFIRMED)]


def test_only_the_secretariat_confirms_a_label(cluster, manager):
    label = carried_over(cluster)
    with pytest.raises(PermissionDenied):
        cluster_label_confirm(label=label, actor=manager)
    label.refresh_from_db()
    cluster.refresh_from_db()
    assert (label.confirmed, cluster.label) == (False, Cluster.Label.NONE)
    assert not AuditEvent.objects.exists()


def test_the_admin_confirm_action_confirms_through_the_service(client, secretariat, cluster):
    waiting = carried_over(cluster)
    done = cluster_label_record(cluster=cluster, actor=secretariat, level="bronze", year=2019)
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:clusters_clusterlabel_changelist"),
        {"action": "confirm", "_selected_action": [waiting.pk, done.pk]},
        follow=True,
    )

    waiting.refresh_from_db()
    assert waiting.confirmed
    cluster.refresh_from_db()
    assert (cluster.label, cluster.label_year) == ("gold", 2023)
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "1 label confirmed." in text
    assert f"{done}: {LABEL_ALREADY_CONFIRMED}" in text
