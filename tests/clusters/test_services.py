import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusters.models import Cluster, ClusterMembership, Ecosystem, JoinRequest
from clusters.services import (
    ALREADY_IN_ROLE,
    CLUSTER_NAME_TAKEN,
    JOIN_REQUEST_NOT_OPEN,
    JOIN_REQUEST_PENDING,
    LAST_MANAGER,
    NO_SUCH_USER,
    REJECTION_NEEDS_REASON,
    cluster_update,
    join_request_approve,
    join_request_reject,
    join_request_submit,
    membership_add,
    membership_remove,
)
from core.models import AuditEvent
from tests.factories import (
    ClusterFactory,
    JoinRequestFactory,
    MembershipFactory,
    UserFactory,
    ecosystem,
)

pytestmark = pytest.mark.django_db


def events(verb, target):
    return AuditEvent.objects.filter(verb=verb, object_id=str(target.pk))


def messages_of(exc_info, field=None):
    error = exc_info.value
    if field is None:
        return error.messages
    return error.message_dict[field]


def snapshot(cluster):
    cluster.refresh_from_db()
    return (
        {f.name: getattr(cluster, f.name) for f in Cluster._meta.concrete_fields},
        sorted(cluster.ecosystems.values_list("code", flat=True)),
    )


# --- cluster_update ---------------------------------------------------------------------


def test_manager_updates_cluster_and_the_change_is_recorded(cluster, manager):
    cluster_update(
        cluster=cluster,
        actor=manager,
        data={"name": "Mobility Valley Network", "members_smes": 55, "city": "Berlin"},
        ecosystems=[ecosystem("mobility"), ecosystem("ict")],
    )
    cluster.refresh_from_db()
    assert cluster.name == "Mobility Valley Network"
    assert cluster.members_smes == 55
    assert cluster.members_total == 60
    assert sorted(cluster.ecosystems.values_list("code", flat=True)) == ["ict", "mobility"]
    event = events("cluster.update", cluster).get()
    assert event.actor == manager
    assert event.changes == {
        "name": ["Mobility Valley", "Mobility Valley Network"],
        "members_smes": ["40", "55"],
        "ecosystems": ["mobility", "ict, mobility"],
    }


def test_cluster_update_records_country_as_a_code(cluster, manager):
    cluster_update(cluster=cluster, actor=manager, data={"country": "AT"})
    cluster.refresh_from_db()
    assert cluster.country.code == "AT"
    assert events("cluster.update", cluster).get().changes == {"country": ["DE", "AT"]}


def test_cluster_update_without_changes_records_nothing(cluster, manager):
    cluster_update(
        cluster=cluster,
        actor=manager,
        data={"name": cluster.name, "country": "DE"},
        ecosystems=[ecosystem("mobility")],
    )
    assert not events("cluster.update", cluster).exists()


def test_cluster_update_does_not_take_a_label(manager):
    cluster = ClusterFactory()
    MembershipFactory(cluster=cluster, user=manager)
    with pytest.raises(ValueError, match="label is not an editable cluster field"):
        cluster_update(cluster=cluster, actor=manager, data={"label": Cluster.Label.GOLD})
    cluster.refresh_from_db()
    assert cluster.label == Cluster.Label.NONE


def test_manager_cannot_update_other_cluster(other_cluster, manager):
    before = snapshot(other_cluster)
    with pytest.raises(PermissionDenied):
        cluster_update(
            cluster=other_cluster,
            actor=manager,
            data={"name": "Hijacked"},
            ecosystems=[ecosystem("ict")],
        )
    assert snapshot(other_cluster) == before
    assert not AuditEvent.objects.exists()


def test_other_cluster_manager_gets_permission_denied(cluster, other_manager):
    before = snapshot(cluster)
    with pytest.raises(PermissionDenied):
        cluster_update(cluster=cluster, actor=other_manager, data={"members_smes": 1})
    assert snapshot(cluster) == before
    assert not AuditEvent.objects.exists()


def test_cluster_staff_cannot_update_the_profile(cluster, staff_member):
    before = snapshot(cluster)
    with pytest.raises(PermissionDenied):
        cluster_update(cluster=cluster, actor=staff_member, data={"city": "Hamburg"})
    assert snapshot(cluster) == before


def test_plain_member_cannot_update_a_cluster(cluster, member):
    with pytest.raises(PermissionDenied):
        cluster_update(cluster=cluster, actor=member, data={"city": "Hamburg"})
    cluster.refresh_from_db()
    assert cluster.city == "Berlin"


def test_secretariat_may_update_any_cluster_through_the_service(cluster, secretariat):
    cluster_update(cluster=cluster, actor=secretariat, data={"city": "Potsdam"})
    cluster.refresh_from_db()
    assert cluster.city == "Potsdam"
    assert events("cluster.update", cluster).get().actor == secretariat


def test_cluster_update_refuses_a_field_that_is_not_editable(cluster, manager):
    with pytest.raises(ValueError, match="status"):
        cluster_update(cluster=cluster, actor=manager, data={"status": "inactive"})
    cluster.refresh_from_db()
    assert cluster.status == Cluster.Status.ACTIVE


def test_cluster_update_with_invalid_value_changes_nothing(cluster, manager):
    before = snapshot(cluster)
    with pytest.raises(ValidationError) as exc_info:
        cluster_update(
            cluster=cluster, actor=manager, data={"name": "Renamed", "year_founded": 1800}
        )
    assert "year_founded" in exc_info.value.message_dict
    assert snapshot(cluster) == before
    assert not AuditEvent.objects.exists()


# --- membership_add ---------------------------------------------------------------------


def test_manager_adds_a_registered_person_to_the_team(cluster, manager, member):
    membership = membership_add(
        cluster=cluster, actor=manager, email=member.email, role=ClusterMembership.Role.STAFF
    )
    assert membership.user == member
    assert ClusterMembership.objects.get(cluster=cluster, user=member).role == "staff"
    event = events("membership.add", cluster).get()
    assert (event.actor, event.to_state, event.comment) == (manager, "staff", member.email)


def test_membership_add_finds_the_person_ignoring_case_and_spaces(cluster, manager, member):
    membership_add(cluster=cluster, actor=manager, email="  MEMBER@Example.org ", role="staff")
    assert ClusterMembership.objects.filter(cluster=cluster, user=member).exists()


def test_membership_add_changes_the_role_of_a_team_member(cluster, manager, staff_member):
    membership_add(cluster=cluster, actor=manager, email=staff_member.email, role="manager")
    membership = ClusterMembership.objects.get(cluster=cluster, user=staff_member)
    assert membership.role == ClusterMembership.Role.MANAGER
    assert ClusterMembership.objects.filter(cluster=cluster).count() == 2
    event = events("membership.change_role", cluster).get()
    assert (event.from_state, event.to_state) == ("staff", "manager")


def test_membership_add_with_the_same_role_says_so(cluster, manager, staff_member):
    with pytest.raises(ValidationError) as exc_info:
        membership_add(cluster=cluster, actor=manager, email=staff_member.email, role="staff")
    assert messages_of(exc_info, "role") == [str(ALREADY_IN_ROLE)]


def test_membership_add_with_unknown_email_adds_nobody(cluster, manager):
    before = ClusterMembership.objects.count()
    with pytest.raises(ValidationError) as exc_info:
        membership_add(cluster=cluster, actor=manager, email="nobody@example.org", role="staff")
    assert messages_of(exc_info, "email") == [str(NO_SUCH_USER)]
    assert ClusterMembership.objects.count() == before
    assert not events("membership.add", cluster).exists()


def test_membership_add_ignores_deactivated_accounts(cluster, manager):
    gone = UserFactory(email="gone@example.org", is_active=False)
    with pytest.raises(ValidationError) as exc_info:
        membership_add(cluster=cluster, actor=manager, email=gone.email, role="staff")
    assert messages_of(exc_info, "email") == [str(NO_SUCH_USER)]
    assert not ClusterMembership.objects.filter(user=gone).exists()


def test_last_manager_cannot_be_demoted(cluster, manager):
    with pytest.raises(ValidationError) as exc_info:
        membership_add(cluster=cluster, actor=manager, email=manager.email, role="staff")
    assert messages_of(exc_info, "role") == [str(LAST_MANAGER)]
    assert ClusterMembership.objects.get(cluster=cluster, user=manager).role == "manager"


def test_a_manager_can_be_demoted_when_another_remains(cluster, manager):
    second = MembershipFactory(cluster=cluster).user
    membership_add(cluster=cluster, actor=manager, email=second.email, role="staff")
    assert ClusterMembership.objects.get(cluster=cluster, user=second).role == "staff"


def test_manager_cannot_add_people_to_other_cluster(other_cluster, manager, member):
    with pytest.raises(PermissionDenied):
        membership_add(cluster=other_cluster, actor=manager, email=member.email, role="manager")
    assert not ClusterMembership.objects.filter(user=member).exists()
    assert not ClusterMembership.objects.filter(cluster=other_cluster, user=manager).exists()


def test_cluster_staff_cannot_manage_the_team(cluster, staff_member, member):
    with pytest.raises(PermissionDenied):
        membership_add(cluster=cluster, actor=staff_member, email=member.email, role="staff")
    with pytest.raises(PermissionDenied):
        membership_add(
            cluster=cluster, actor=staff_member, email=staff_member.email, role="manager"
        )
    assert ClusterMembership.objects.get(user=staff_member).role == "staff"
    assert not ClusterMembership.objects.filter(user=member).exists()


# --- membership_remove ------------------------------------------------------------------


def test_manager_removes_a_team_member_and_it_is_recorded(cluster, manager, staff_member):
    membership = ClusterMembership.objects.get(cluster=cluster, user=staff_member)
    membership_remove(membership=membership, actor=manager)
    assert not ClusterMembership.objects.filter(cluster=cluster, user=staff_member).exists()
    event = events("membership.remove", cluster).get()
    assert (event.actor, event.from_state, event.comment) == (
        manager,
        "staff",
        staff_member.email,
    )


def test_last_manager_cannot_be_removed(cluster, manager):
    membership = ClusterMembership.objects.get(cluster=cluster, user=manager)
    with pytest.raises(ValidationError) as exc_info:
        membership_remove(membership=membership, actor=manager)
    assert messages_of(exc_info) == [str(LAST_MANAGER)]
    assert ClusterMembership.objects.filter(pk=membership.pk).exists()
    assert not events("membership.remove", cluster).exists()


def test_a_manager_can_be_removed_when_another_remains(cluster, manager):
    second = MembershipFactory(cluster=cluster)
    membership_remove(membership=second, actor=manager)
    assert list(ClusterMembership.objects.filter(cluster=cluster)) == [
        ClusterMembership.objects.get(user=manager)
    ]


def test_manager_cannot_remove_people_from_other_cluster(manager, other_cluster, other_manager):
    colleague = MembershipFactory(cluster=other_cluster, role="staff")
    with pytest.raises(PermissionDenied):
        membership_remove(membership=colleague, actor=manager)
    assert ClusterMembership.objects.filter(pk=colleague.pk).exists()


# --- join_request_submit ----------------------------------------------------------------


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
        "year_founded": 2015,
        "legal_form": "association",
        "members_smes": 30,
        "members_large": 2,
        "members_research": 4,
        "members_public": 1,
        "members_other": 0,
        "offers": "Know-how on energy communities.",
        "needs": "Partners for mobility pilots.",
        "motivation": "We want to exchange with other Smart City clusters.",
    }
    data.update(overrides)
    return data


def test_member_submits_a_join_request(member):
    join_request = join_request_submit(
        requester=member, data=join_data(), ecosystems=[ecosystem("energy"), ecosystem("ict")]
    )
    join_request.refresh_from_db()
    assert join_request.requester == member
    assert join_request.status == JoinRequest.Status.SUBMITTED
    assert join_request.name == "Porto Energy Cluster"
    assert join_request.members_smes == 30
    assert sorted(join_request.ecosystems.values_list("code", flat=True)) == ["energy", "ict"]
    event = events("joinrequest.submit", join_request).get()
    assert (event.actor, event.to_state) == (member, "submitted")


def test_join_request_for_a_name_already_in_the_network_is_refused(member, cluster):
    with pytest.raises(ValidationError) as exc_info:
        join_request_submit(
            requester=member,
            data=join_data(name="  mobility VALLEY "),
            ecosystems=[ecosystem("mobility")],
        )
    assert messages_of(exc_info, "name") == [str(CLUSTER_NAME_TAKEN)]
    assert not JoinRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_second_pending_join_request_for_the_same_cluster_is_refused(member):
    join_request_submit(requester=member, data=join_data(), ecosystems=[ecosystem("energy")])
    with pytest.raises(ValidationError) as exc_info:
        join_request_submit(
            requester=member,
            data=join_data(name="porto energy cluster"),
            ecosystems=[ecosystem("energy")],
        )
    assert messages_of(exc_info, "name") == [str(JOIN_REQUEST_PENDING)]
    assert JoinRequest.objects.count() == 1


def test_join_request_with_invalid_data_is_not_saved(member):
    with pytest.raises(ValidationError) as exc_info:
        join_request_submit(
            requester=member,
            data=join_data(year_founded=1850, legal_form="cooperative"),
            ecosystems=[ecosystem("energy")],
        )
    assert {"year_founded", "legal_form"} <= set(exc_info.value.message_dict)
    assert not JoinRequest.objects.exists()


# --- join_request_approve ---------------------------------------------------------------


def test_approving_creates_the_cluster_with_the_request_data(secretariat):
    join_request = JoinRequestFactory(
        name="Porto Energy Cluster",
        acronym="PEC",
        region="Norte",
        website="https://pec.example.org",
        year_founded=2012,
        legal_form="association",
        members_smes=12,
        members_public=3,
        offers="Energy know-how",
        needs="Mobility partners",
        ecosystems=["energy", "ict"],
    )
    cluster = join_request_approve(join_request=join_request, actor=secretariat)
    cluster.refresh_from_db()
    assert cluster.name == "Porto Energy Cluster"
    assert cluster.slug == "porto-energy-cluster"
    assert cluster.acronym == "PEC"
    assert cluster.country.code == "PT"
    assert (cluster.region, cluster.city) == ("Norte", "Porto")
    assert cluster.website == "https://pec.example.org"
    assert cluster.contact_email == "hello@joining.example.org"
    assert cluster.description == join_request.description
    assert (cluster.year_founded, cluster.legal_form) == (2012, "association")
    assert (cluster.members_smes, cluster.members_public, cluster.members_total) == (12, 3, 15)
    assert (cluster.offers, cluster.needs) == ("Energy know-how", "Mobility partners")
    assert cluster.status == Cluster.Status.ACTIVE
    assert sorted(cluster.ecosystems.values_list("code", flat=True)) == ["energy", "ict"]


def test_approving_makes_the_requester_manager(secretariat):
    join_request = JoinRequestFactory()
    cluster = join_request_approve(join_request=join_request, actor=secretariat)
    membership = ClusterMembership.objects.get(cluster=cluster)
    assert membership.user == join_request.requester
    assert membership.role == ClusterMembership.Role.MANAGER


def test_approving_marks_the_request_decided_and_records_it(secretariat):
    join_request = JoinRequestFactory()
    cluster = join_request_approve(join_request=join_request, actor=secretariat)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == secretariat
    assert join_request.decided_at is not None
    assert join_request.cluster == cluster
    event = events("joinrequest.approve", join_request).get()
    assert (event.actor, event.from_state, event.to_state) == (
        secretariat,
        "submitted",
        "approved",
    )
    assert events("cluster.create", cluster).get().actor == secretariat


def test_approving_twice_is_refused(secretariat):
    join_request = JoinRequestFactory()
    join_request_approve(join_request=join_request, actor=secretariat)
    with pytest.raises(ValidationError) as exc_info:
        join_request_approve(join_request=join_request, actor=secretariat)
    assert messages_of(exc_info) == [str(JOIN_REQUEST_NOT_OPEN)]
    assert Cluster.objects.count() == 1
    assert ClusterMembership.objects.count() == 1


def test_approving_a_rejected_request_is_refused(secretariat):
    join_request = JoinRequestFactory()
    join_request_reject(join_request=join_request, actor=secretariat, reason="Not a cluster.")
    with pytest.raises(ValidationError) as exc_info:
        join_request_approve(join_request=join_request, actor=secretariat)
    assert messages_of(exc_info) == [str(JOIN_REQUEST_NOT_OPEN)]
    assert not Cluster.objects.exists()


@pytest.mark.parametrize("who", ["member", "manager"])
def test_only_the_secretariat_approves_join_requests(request, who):
    actor = request.getfixturevalue(who)
    clusters_before = Cluster.objects.count()
    join_request = JoinRequestFactory()
    with pytest.raises(PermissionDenied):
        join_request_approve(join_request=join_request, actor=actor)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.SUBMITTED
    assert Cluster.objects.count() == clusters_before


def test_approval_is_refused_when_the_name_was_taken_meanwhile(secretariat):
    join_request = JoinRequestFactory(name="Late Cluster")
    ClusterFactory(name="LATE cluster")
    with pytest.raises(ValidationError) as exc_info:
        join_request_approve(join_request=join_request, actor=secretariat)
    assert messages_of(exc_info) == [str(CLUSTER_NAME_TAKEN)]
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.SUBMITTED
    assert Cluster.objects.count() == 1


def test_approval_picks_a_free_slug(secretariat):
    ClusterFactory(name="Something else", slug="porto-energy")
    join_request = JoinRequestFactory(name="Porto Energy")
    cluster = join_request_approve(join_request=join_request, actor=secretariat)
    assert cluster.slug == "porto-energy-2"


def test_approval_is_all_or_nothing(secretariat, monkeypatch):
    join_request = JoinRequestFactory()

    def broken_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ClusterMembership.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        join_request_approve(join_request=join_request, actor=secretariat)
    assert not Cluster.objects.exists()
    assert not ClusterMembership.objects.exists()
    assert not AuditEvent.objects.exists()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.SUBMITTED
    assert join_request.decided_by is None
    assert join_request.cluster is None


# --- join_request_reject ----------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejecting_needs_a_reason(secretariat, reason):
    join_request = JoinRequestFactory()
    with pytest.raises(ValidationError) as exc_info:
        join_request_reject(join_request=join_request, actor=secretariat, reason=reason)
    assert messages_of(exc_info, "rejection_reason") == [str(REJECTION_NEEDS_REASON)]
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.SUBMITTED
    assert not AuditEvent.objects.exists()


def test_rejecting_keeps_the_request_with_the_reason_and_records_it(secretariat):
    join_request = JoinRequestFactory()
    join_request_reject(
        join_request=join_request, actor=secretariat, reason="  Outside the Smart City scope. "
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REJECTED
    assert join_request.rejection_reason == "Outside the Smart City scope."
    assert join_request.decided_by == secretariat
    assert join_request.decided_at is not None
    assert not Cluster.objects.exists()
    event = events("joinrequest.reject", join_request).get()
    assert (event.from_state, event.to_state, event.comment) == (
        "submitted",
        "rejected",
        "Outside the Smart City scope.",
    )


def test_rejecting_an_approved_request_is_refused(secretariat):
    join_request = JoinRequestFactory()
    join_request_approve(join_request=join_request, actor=secretariat)
    with pytest.raises(ValidationError) as exc_info:
        join_request_reject(join_request=join_request, actor=secretariat, reason="Changed mind")
    assert messages_of(exc_info) == [str(JOIN_REQUEST_NOT_OPEN)]
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED


def test_only_the_secretariat_rejects_join_requests(manager):
    join_request = JoinRequestFactory()
    with pytest.raises(PermissionDenied):
        join_request_reject(join_request=join_request, actor=manager, reason="No")
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.SUBMITTED


def test_ecosystems_are_the_four_fixed_rows():
    assert sorted(Ecosystem.objects.values_list("code", flat=True)) == [
        "energy",
        "environment",
        "ict",
        "mobility",
    ]


def test_manager_cannot_rename_their_cluster_to_another_clusters_name(
    cluster, other_cluster, manager
):
    with pytest.raises(ValidationError) as excinfo:
        cluster_update(cluster=cluster, actor=manager, data={"name": other_cluster.name.upper()})
    assert CLUSTER_NAME_TAKEN in excinfo.value.message_dict["name"]
    cluster.refresh_from_db()
    assert cluster.name == "Mobility Valley"
