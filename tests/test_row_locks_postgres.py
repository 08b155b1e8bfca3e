"""Services lock the rows they serialise on, and no more (PostgreSQL).

``select_for_update()`` on a query that joins another table (``select_related``, or a
default ordering across a relation) locks the joined rows too, unless ``of=("self",)``
says otherwise. Each test holds a service's transaction open and checks, from another
connection, that the rows it only read are free.
"""

import pytest

from clusters.models import ClusterMembership
from clusters.services import membership_add, membership_remove
from exchange import services as exchange_services
from tests.concurrency import held_while, lock_at_once, require_postgresql
from tests.factories import MembershipFactory, OfferFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    require_postgresql()


def test_adding_a_team_member_leaves_the_cluster_and_the_members_user_rows_free():
    manager = MembershipFactory(role=ClusterMembership.Role.MANAGER)
    newcomer = UserFactory()

    results = held_while(
        lambda: membership_add(
            cluster=manager.cluster,
            actor=manager.user,
            email=newcomer.email,
            role=ClusterMembership.Role.STAFF,
        ),
        lambda: (lock_at_once(manager.user), lock_at_once(manager.cluster)),
    )

    assert isinstance(results["held"], ClusterMembership)
    assert results["then"] == (manager.user, manager.cluster)


def test_removing_a_team_member_leaves_the_cluster_and_the_members_user_rows_free():
    manager = MembershipFactory(role=ClusterMembership.Role.MANAGER)
    staff = MembershipFactory(cluster=manager.cluster, role=ClusterMembership.Role.STAFF)

    results = held_while(
        lambda: membership_remove(membership=staff, actor=manager.user),
        lambda: (lock_at_once(manager.user), lock_at_once(manager.cluster)),
    )

    assert results == {"held": None, "then": (manager.user, manager.cluster)}
    assert not ClusterMembership.objects.filter(pk=staff.pk).exists()


def test_editing_an_offer_leaves_its_call_free():
    offer = OfferFactory()
    secretariat = StaffFactory()
    data = {f: getattr(offer, f) for f in exchange_services.OFFER_FIELDS}

    results = held_while(
        lambda: exchange_services.offer_update(
            offer=offer, actor=secretariat, data={**data, "topic": "Renamed"}, ecosystems=[]
        ),
        lambda: lock_at_once(offer.call),
    )

    assert results["held"].topic == "Renamed"
    assert results["then"] == offer.call
