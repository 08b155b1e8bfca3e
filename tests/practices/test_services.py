"""The practice services: drafting, the moderation workflow, its history and who hears of it."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from clusters.models import Ecosystem
from core.models import AuditEvent
from core.selectors import audit_events_for
from notifications.models import Notification
from practices import notifications as kinds
from practices.models import Practice, PracticeVersion, Tag, TransferInterest
from practices.services import (
    ALREADY_INTERESTED,
    COMMENT_REQUIRED,
    NOT_YOUR_CLUSTER,
    WRONG_STATE,
    interest_express,
    parse_tags,
    practice_archive,
    practice_create,
    practice_publish,
    practice_reject,
    practice_request_changes,
    practice_submit,
    practice_update,
)
from tests.factories import (
    ClusterFollowFactory,
    MembershipFactory,
    StaffFactory,
    TagFactory,
    UserFactory,
)

from .conftest import UNPUBLISHED

pytestmark = pytest.mark.django_db

S = Practice.Status
ALL_STATES = [s.value for s in S]
# Each transition, the states it may start from, and how WRONG_STATE names the action.
TRANSITIONS = {
    "submit": ({"draft", "changes_requested"}, "submitted"),
    "publish": ({"submitted"}, "published"),
    "request_changes": ({"submitted"}, "sent back for changes"),
    "reject": ({"submitted"}, "rejected"),
    "archive": ({"published"}, "archived"),
}
ILLEGAL = [
    (action, state)
    for action, (allowed, _label) in TRANSITIONS.items()
    for state in ALL_STATES
    if state not in allowed
]


# --- helpers ----------------------------------------------------------------------------


def practice_data(**overrides):
    return {
        "title": "Shared procurement of e-buses",
        "category": Practice.Category.MANAGEMENT,
        "summary": "Twelve members bought electric buses together.",
        "problem": "Each town bought a few buses, at a high price.",
        "description": "The cluster gathered the needs and ran **one** tender.",
        "resources": "A procurement lawyer, two days a month.",
        "evidence": "Prices fell by 18 %.",
        "difficulties": "Aligning the budgets of twelve towns.",
        "transfer_potential": "Any cluster with public members.",
        "start_year": 2019,
        "end_year": None,
        **overrides,
    }


def create(actor, cluster, *, tags=(), codes=("mobility",), **overrides):
    return practice_create(
        actor=actor,
        cluster=cluster,
        data=practice_data(**overrides),
        ecosystems=Ecosystem.objects.filter(code__in=codes),
        tags=list(tags),
    )


def update(practice, actor, *, tags=(), codes=("mobility",), **changes):
    data = {f: getattr(practice, f) for f in practice_data()}
    data.update(changes)
    return practice_update(
        practice=practice,
        actor=actor,
        data=data,
        ecosystems=Ecosystem.objects.filter(code__in=codes),
        tags=list(tags),
    )


def run(action, practice, actor, comment="Looks good."):
    """Call the transition ``action`` the way its caller would."""
    if action == "submit":
        return practice_submit(practice=practice, actor=actor)
    service = {
        "publish": practice_publish,
        "request_changes": practice_request_changes,
        "reject": practice_reject,
        "archive": practice_archive,
    }[action]
    return service(practice=practice, actor=actor, comment=comment)


def actor_for(action, *, manager, secretariat):
    return manager if action == "submit" else secretariat


def snapshot(practice):
    """Everything a transition could write about ``practice``."""
    return {
        "row": Practice.objects.filter(pk=practice.pk).values().get(),
        "versions": list(PracticeVersion.objects.filter(practice=practice).values()),
        "events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def recipients(kind):
    return sorted(n.recipient.email for n in Notification.objects.filter(kind=kind.name))


def events(practice):
    return list(
        audit_events_for(practice)
        .order_by("created", "id")
        .values_list("verb", "from_state", "to_state", "comment", "actor__email")
    )


# --- practice_create --------------------------------------------------------------------


def test_a_cluster_manager_starts_a_draft(manager, cluster):
    practice = create(manager, cluster, codes=("mobility", "energy"))

    practice.refresh_from_db()
    assert practice.status == S.DRAFT
    assert practice.cluster == cluster
    assert practice.author == manager
    assert practice.slug == "shared-procurement-of-e-buses"
    assert practice.description == "The cluster gathered the needs and ran **one** tender."
    assert sorted(e.code for e in practice.ecosystems.all()) == ["energy", "mobility"]
    assert practice.submitted_at is None
    assert practice.published_at is None
    assert events(practice) == [("practice.create", "", "draft", "", "manager@example.org")]


def test_cluster_staff_may_start_a_draft_too(staff_member, cluster):
    practice = create(staff_member, cluster)

    assert practice.author == staff_member
    assert practice.status == S.DRAFT


@pytest.mark.parametrize("role", ["member", "other_manager", "secretariat"])
def test_only_the_clusters_team_may_write_for_it(role, users, cluster):
    with pytest.raises(PermissionDenied) as exc:
        create(users[role], cluster)

    assert str(exc.value) == str(NOT_YOUR_CLUSTER)
    assert not Practice.objects.exists()
    assert not AuditEvent.objects.filter(verb="practice.create").exists()


def test_a_manager_cannot_write_for_another_cluster(manager, other_cluster):
    with pytest.raises(PermissionDenied):
        create(manager, other_cluster)

    assert not Practice.objects.exists()


def test_practices_with_the_same_title_get_distinct_slugs(manager, cluster):
    slugs = [create(manager, cluster).slug for _ in range(3)]

    assert slugs == [
        "shared-procurement-of-e-buses",
        "shared-procurement-of-e-buses-2",
        "shared-procurement-of-e-buses-3",
    ]


def test_a_title_without_letters_for_a_slug_still_gets_one(manager, cluster):
    assert create(manager, cluster, title="!!!").slug == "practice"


def test_tags_are_trimmed_and_deduplicated_ignoring_case():
    text = " Open data,open   DATA, Living lab,, ,living lab , Procurement "

    assert parse_tags(text) == ["Open data", "Living lab", "Procurement"]


def test_tags_are_capped_in_number_and_length():
    names = parse_tags(",".join(f"tag {n}" for n in range(15)) + "," + "x" * 80)

    assert names == [f"tag {n}" for n in range(10)]
    assert parse_tags("y" * 80) == ["y" * 50]


def test_empty_tag_text_gives_no_tags():
    assert parse_tags("") == []
    assert parse_tags(None) == []
    assert parse_tags(" , ,, ") == []


def test_the_same_tag_is_shared_between_practices(manager, cluster):
    first = create(manager, cluster, tags=parse_tags("Open data, e-mobility"))
    second = create(manager, cluster, tags=parse_tags("open data"))

    assert Tag.objects.count() == 2
    assert sorted(t.slug for t in first.tags.all()) == ["e-mobility", "open-data"]
    assert list(second.tags.all()) == [Tag.objects.get(slug="open-data")]


def test_a_tag_whose_slug_was_edited_in_the_admin_is_reused_by_its_name(manager, cluster):
    curated = TagFactory(name="Open data", slug="opendata")

    practice = create(manager, cluster, tags=["Open data", "Living labs"])

    assert sorted(Tag.objects.values_list("name", "slug")) == [
        ("Living labs", "living-labs"),
        ("Open data", "opendata"),
    ]
    assert curated in practice.tags.all()


def test_tags_written_differently_with_one_slug_make_one_tag(manager, cluster):
    practice = create(manager, cluster, tags=["E-mobility", "e mobility"])

    assert list(Tag.objects.values_list("name", "slug")) == [("E-mobility", "e-mobility")]
    assert [t.slug for t in practice.tags.all()] == ["e-mobility"]


def test_updating_a_practice_with_new_and_known_tags_keeps_one_row_per_tag(manager, cluster):
    first = create(manager, cluster, tags=["Open data"])
    second = create(manager, cluster, tags=["Procurement"])

    update(second, manager, tags=["open data", "Procurement", "Depots"])

    assert Tag.objects.count() == 3
    assert sorted(t.slug for t in second.tags.all()) == ["depots", "open-data", "procurement"]
    assert [t.slug for t in first.tags.all()] == ["open-data"]


def test_a_draft_with_an_end_before_its_start_is_refused(manager, cluster):
    with pytest.raises(ValidationError) as exc:
        create(manager, cluster, start_year=2020, end_year=2018)

    assert "end_year" in exc.value.message_dict or "__all__" in exc.value.message_dict
    assert not Practice.objects.exists()


# --- practice_update --------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "changes_requested"])
@pytest.mark.parametrize("role", ["manager", "staff_member"])
def test_the_team_edits_a_practice_while_it_is_editable(status, role, users, make_practice):
    practice = make_practice(status)
    old_title = practice.title

    update(
        practice,
        users[role],
        title="E-buses bought together",
        tags=["Procurement"],
        codes=("energy",),
    )

    practice.refresh_from_db()
    assert practice.title == "E-buses bought together"
    assert practice.status == status
    assert [t.name for t in practice.tags.all()] == ["Procurement"]
    assert [e.code for e in practice.ecosystems.all()] == ["energy"]
    event = audit_events_for(practice).get(verb="practice.update")
    assert event.actor == users[role]
    assert event.changes == {"title": [old_title, "E-buses bought together"]}


def test_an_edit_that_changes_nothing_records_nothing(manager, draft):
    update(draft, manager)

    assert not audit_events_for(draft).filter(verb="practice.update").exists()


def test_an_edit_cannot_change_the_status_or_the_cluster(manager, draft, other_cluster):
    update(draft, manager, status="published", cluster=other_cluster, slug="hijacked")

    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft.cluster != other_cluster
    assert draft.slug == "e-buses"


@pytest.mark.parametrize("status", ["submitted", "published", "rejected", "archived"])
def test_the_team_cannot_edit_once_the_practice_left_the_draft(status, manager, make_practice):
    practice = make_practice(status, title="Before")

    with pytest.raises(PermissionDenied):
        update(practice, manager, title="After")

    practice.refresh_from_db()
    assert practice.title == "Before"


@pytest.mark.parametrize("role", ["member", "other_manager", "secretariat"])
def test_outsiders_cannot_edit_a_draft(role, users, draft):
    with pytest.raises(PermissionDenied):
        update(draft, users[role], title="Defaced")

    draft.refresh_from_db()
    assert draft.title == "Shared procurement of e-buses"


# --- the workflow -----------------------------------------------------------------------


def test_a_draft_is_submitted_then_published(manager, secretariat, draft):
    submitted = practice_submit(practice=draft, actor=manager)

    assert submitted.status == S.SUBMITTED
    assert submitted.submitted_at is not None
    assert submitted.published_at is None

    published = practice_publish(practice=submitted, actor=secretariat, comment="Well told.")

    published.refresh_from_db()
    assert published.status == S.PUBLISHED
    assert published.published_at is not None
    assert published.reviewer_feedback == "Well told."
    assert list(Practice.objects.published()) == [published]
    assert events(published) == [
        ("practice.submit", "draft", "submitted", "", "manager@example.org"),
        ("practice.publish", "submitted", "published", "Well told.", "secretariat@example.org"),
    ]


def test_changes_requested_then_resubmitted_then_published(manager, secretariat, draft):
    practice_submit(practice=draft, actor=manager)
    practice_request_changes(practice=draft, actor=secretariat, comment="Add the prices.")
    draft.refresh_from_db()
    assert draft.status == S.CHANGES_REQUESTED
    assert draft.reviewer_feedback == "Add the prices."

    update(draft, manager, evidence="Prices fell from 600k to 490k per bus.")
    practice_submit(practice=draft, actor=manager)
    practice_publish(practice=draft, actor=secretariat)

    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    assert draft.reviewer_feedback == ""
    assert [v.number for v in draft.versions.order_by("number")] == [1, 2]
    assert [e[:3] for e in events(draft) if e[0] != "practice.update"] == [
        ("practice.submit", "draft", "submitted"),
        ("practice.request_changes", "submitted", "changes_requested"),
        ("practice.submit", "changes_requested", "submitted"),
        ("practice.publish", "submitted", "published"),
    ]


def test_a_submitted_practice_can_be_rejected(manager, secretariat, draft):
    practice_submit(practice=draft, actor=manager)
    practice_reject(practice=draft, actor=secretariat, comment="Not a practice: an advert.")

    draft.refresh_from_db()
    assert draft.status == S.REJECTED
    assert draft.published_at is None
    assert draft.reviewer_feedback == "Not a practice: an advert."
    assert events(draft)[-1] == (
        "practice.reject",
        "submitted",
        "rejected",
        "Not a practice: an advert.",
        "secretariat@example.org",
    )


def test_a_published_practice_can_be_archived(secretariat, published):
    practice_archive(practice=published, actor=secretariat, comment="Superseded.")

    published.refresh_from_db()
    assert published.status == S.ARCHIVED
    assert not Practice.objects.published().exists()
    assert events(published) == [
        ("practice.archive", "published", "archived", "Superseded.", "secretariat@example.org")
    ]


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_an_illegal_transition_is_refused_and_changes_nothing(
    action, state, manager, secretariat, make_practice
):
    practice = make_practice(state)
    before = snapshot(practice)

    with pytest.raises(ValidationError) as exc:
        run(action, practice, actor_for(action, manager=manager, secretariat=secretariat))

    label = TRANSITIONS[action][1]
    assert exc.value.messages == [WRONG_STATE % {"status": S(state).label, "action": label}]
    assert snapshot(practice) == before


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_an_illegal_transition_from_a_stale_copy_is_refused(
    action, state, manager, secretariat, make_practice
):
    """The state is read again under a lock: a copy loaded before a change cannot act on it."""
    allowed = sorted(TRANSITIONS[action][0])[0]
    practice = make_practice(allowed)
    Practice.objects.filter(pk=practice.pk).update(
        status=state, published_at=practice.published_at or practice.created
    )
    before = snapshot(practice)

    with pytest.raises(ValidationError):
        run(action, practice, actor_for(action, manager=manager, secretariat=secretariat))

    assert snapshot(practice) == before


@pytest.mark.parametrize("action", ["request_changes", "reject"])
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_sending_back_or_rejecting_needs_a_comment(action, comment, secretariat, make_practice):
    practice = make_practice("submitted")
    before = snapshot(practice)

    with pytest.raises(ValidationError) as exc:
        run(action, practice, secretariat, comment=comment)

    assert exc.value.message_dict == {"comment": [str(COMMENT_REQUIRED)]}
    assert snapshot(practice) == before


def test_publishing_needs_no_comment(secretariat, make_practice):
    practice = practice_publish(practice=make_practice("submitted"), actor=secretariat)

    assert practice.status == S.PUBLISHED
    assert practice.reviewer_feedback == ""


@pytest.mark.parametrize("action", ["publish", "request_changes", "reject"])
@pytest.mark.parametrize("role", ["manager", "staff_member", "other_manager", "member"])
def test_only_the_secretariat_moderates(action, role, users, make_practice):
    practice = make_practice("submitted")
    before = snapshot(practice)

    with pytest.raises(PermissionDenied):
        run(action, practice, users[role])

    assert snapshot(practice) == before


@pytest.mark.parametrize("role", ["manager", "staff_member", "other_manager", "member"])
def test_only_the_secretariat_archives(role, users, published):
    before = snapshot(published)

    with pytest.raises(PermissionDenied):
        practice_archive(practice=published, actor=users[role])

    assert snapshot(published) == before


@pytest.mark.parametrize("role", ["member", "other_manager", "secretariat"])
def test_only_the_team_submits(role, users, draft):
    before = snapshot(draft)

    with pytest.raises(PermissionDenied):
        practice_submit(practice=draft, actor=users[role])

    assert snapshot(draft) == before


# --- versions ---------------------------------------------------------------------------


def test_each_submission_keeps_the_text_as_it_was(manager, staff_member, secretariat, draft):
    practice_submit(practice=draft, actor=manager)
    practice_request_changes(practice=draft, actor=secretariat, comment="Say how long.")
    update(draft, staff_member, end_year=2023, title="E-buses, 2019–2023")
    practice_submit(practice=draft, actor=staff_member)

    first, second = PracticeVersion.objects.filter(practice=draft).order_by("number")
    assert (first.number, first.created_by) == (1, manager)
    assert first.data["title"] == "Shared procurement of e-buses"
    assert first.data["end_year"] is None
    assert first.data["category"] == "management"
    assert first.data["description"] == draft.description
    assert (second.number, second.created_by) == (2, staff_member)
    assert second.data["title"] == "E-buses, 2019–2023"
    assert second.data["end_year"] == 2023
    assert second.data["start_year"] == 2020


def test_moderating_stores_no_version(manager, secretariat, draft):
    practice_submit(practice=draft, actor=manager)
    practice_publish(practice=draft, actor=secretariat)
    practice_archive(practice=draft, actor=secretariat)

    assert draft.versions.count() == 1


# --- notifications ----------------------------------------------------------------------


def test_submitting_tells_each_active_secretariat_member_once(
    manager, secretariat, colleague, member, draft
):
    StaffFactory(email="retired@example.org", is_active=False)

    practice_submit(practice=draft, actor=manager)

    assert recipients(kinds.SUBMITTED) == ["coordinator@example.org", "secretariat@example.org"]
    assert Notification.objects.count() == 2
    notification = Notification.objects.filter(recipient=secretariat).get()
    assert notification.subject == "To moderate: Shared procurement of e-buses (Mobility Valley)"
    assert notification.link == draft.get_absolute_url()


def test_a_resubmission_says_so(manager, secretariat, draft):
    practice_submit(practice=draft, actor=manager)
    practice_request_changes(practice=draft, actor=secretariat, comment="Add the prices.")
    practice_submit(practice=draft, actor=manager)

    subjects = [
        n.subject
        for n in Notification.objects.filter(kind=kinds.SUBMITTED.name).order_by("created", "id")
    ]
    assert subjects == [
        "To moderate: Shared procurement of e-buses (Mobility Valley)",
        "Resubmitted: Shared procurement of e-buses (Mobility Valley)",
    ]


def test_the_secretariat_is_emailed_after_the_submission_commits(
    manager, secretariat, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        practice_submit(practice=draft, actor=manager)

    assert [m.to for m in mail.outbox] == [["secretariat@example.org"]]
    assert "Shared procurement of e-buses" in mail.outbox[0].subject


def test_publishing_tells_the_authors_with_the_comment(manager, secretariat, draft):
    practice_submit(practice=draft, actor=manager)
    practice_publish(practice=draft, actor=secretariat, comment="A model for the network.")

    notification = Notification.objects.get(kind=kinds.PUBLISHED.name)
    assert notification.recipient == manager
    assert notification.subject == "Published: Shared procurement of e-buses"
    assert "A model for the network." in notification.body
    assert notification.link == draft.get_absolute_url()


@pytest.mark.parametrize(
    ("action", "kind", "subject"),
    [
        ("request_changes", kinds.CHANGES_REQUESTED, "Changes requested: "),
        ("reject", kinds.REJECTED, "Not accepted: "),
    ],
)
def test_a_decision_tells_the_authors_with_the_comment(
    action, kind, subject, manager, secretariat, draft
):
    practice_submit(practice=draft, actor=manager)
    run(action, draft, secretariat, comment="The costs are missing.")

    notification = Notification.objects.get(kind=kind.name)
    assert notification.recipient == manager
    assert notification.subject == subject + "Shared procurement of e-buses"
    assert "The costs are missing." in notification.body


def test_everyone_who_submitted_a_version_hears_the_decision(
    manager, staff_member, secretariat, draft
):
    practice_submit(practice=draft, actor=manager)
    practice_request_changes(practice=draft, actor=secretariat, comment="Add the prices.")
    practice_submit(practice=draft, actor=staff_member)
    practice_publish(practice=draft, actor=secretariat)

    assert recipients(kinds.CHANGES_REQUESTED) == ["manager@example.org"]
    assert recipients(kinds.PUBLISHED) == ["manager@example.org", "staff@example.org"]


def test_each_transition_notifies_once(manager, secretariat, colleague, draft):
    practice_submit(practice=draft, actor=manager)
    practice_request_changes(practice=draft, actor=secretariat, comment="Add the prices.")
    practice_submit(practice=draft, actor=manager)
    practice_publish(practice=draft, actor=secretariat)
    practice_archive(practice=draft, actor=secretariat)

    counts = {
        kind.name: Notification.objects.filter(kind=kind.name).count()
        for kind in (kinds.SUBMITTED, kinds.CHANGES_REQUESTED, kinds.PUBLISHED, kinds.REJECTED)
    }
    assert counts == {
        kinds.SUBMITTED.name: 4,  # two submissions, two secretariat members each
        kinds.CHANGES_REQUESTED.name: 1,
        kinds.PUBLISHED.name: 1,
        kinds.REJECTED.name: 0,
    }
    assert Notification.objects.count() == 6  # archiving tells nobody


def test_publishing_tells_the_clusters_followers_but_not_its_authors(
    manager, staff_member, secretariat, member, cluster, other_cluster, draft
):
    ClusterFollowFactory(cluster=cluster, user=member)
    ClusterFollowFactory(cluster=cluster, user=manager)  # an author who follows their own cluster
    ClusterFollowFactory(cluster=other_cluster, user__email="elsewhere@example.org")
    practice_submit(practice=draft, actor=manager)
    assert not Notification.objects.filter(kind=kinds.FOLLOWED_CLUSTER_PUBLISHED.name).exists()

    practice_publish(practice=draft, actor=secretariat)

    assert recipients(kinds.FOLLOWED_CLUSTER_PUBLISHED) == ["member@example.org"]
    notification = Notification.objects.get(kind=kinds.FOLLOWED_CLUSTER_PUBLISHED.name)
    assert notification.subject == (
        "New practice from Mobility Valley: Shared procurement of e-buses"
    )
    assert notification.email_state == Notification.EmailState.DIGEST
    assert recipients(kinds.PUBLISHED) == ["manager@example.org"]


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_followers_hear_nothing_of_a_practice_that_is_not_published(
    action, manager, secretariat, member, cluster, draft
):
    ClusterFollowFactory(cluster=cluster, user=member)
    practice_submit(practice=draft, actor=manager)

    run(action, draft, secretariat, comment="Not yet.")

    assert not Notification.objects.filter(recipient=member).exists()


def test_a_refused_transition_tells_nobody(manager, secretariat, colleague, published):
    with pytest.raises(ValidationError):
        practice_publish(practice=published, actor=secretariat)
    with pytest.raises(ValidationError):
        practice_reject(practice=published, actor=secretariat, comment="Too late.")

    assert not Notification.objects.exists()


# --- interest ---------------------------------------------------------------------------


def test_a_member_tells_the_clusters_managers_they_want_to_transfer_it(
    member, manager, staff_member, cluster, published
):
    second_manager = MembershipFactory(cluster=cluster, user__email="second@example.org").user

    interest = interest_express(practice=published, user=member, message="  We want it.  ")

    assert interest.message == "We want it."
    assert TransferInterest.objects.get() == interest
    assert recipients(kinds.INTEREST) == sorted([manager.email, second_manager.email])
    notification = Notification.objects.filter(kind=kinds.INTEREST.name).first()
    assert notification.subject == 'Mia Member wants to transfer "Open data for smart parking"'
    assert "We want it." in notification.body
    assert "member@example.org" in notification.body
    event = audit_events_for(published).get(verb="practice.interest")
    assert (event.actor, event.comment) == (member, "  We want it.  ")


def test_a_member_expresses_interest_only_once(member, manager, published):
    interest_express(practice=published, user=member)

    with pytest.raises(ValidationError) as exc:
        interest_express(practice=published, user=member, message="Again!")

    assert exc.value.messages == [str(ALREADY_INTERESTED)]
    assert TransferInterest.objects.count() == 1
    assert Notification.objects.filter(kind=kinds.INTEREST.name).count() == 1
    assert audit_events_for(published).filter(verb="practice.interest").count() == 1


def test_another_clusters_manager_may_express_interest(other_manager, manager, published):
    interest_express(practice=published, user=other_manager)

    assert recipients(kinds.INTEREST) == ["manager@example.org"]


@pytest.mark.parametrize("role", ["manager", "staff_member"])
def test_the_practices_own_team_cannot_express_interest(role, users, published):
    with pytest.raises(PermissionDenied):
        interest_express(practice=published, user=users[role])

    assert not TransferInterest.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_no_interest_in_an_unpublished_practice(status, member, manager, make_practice):
    practice = make_practice(status)

    with pytest.raises(PermissionDenied):
        interest_express(practice=practice, user=member)

    assert not TransferInterest.objects.exists()
    assert not Notification.objects.exists()


def test_an_anonymous_visitor_cannot_express_interest(published):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        interest_express(practice=published, user=AnonymousUser())


def test_interest_of_two_members_tells_the_managers_twice(manager, member, published):
    interest_express(practice=published, user=member)
    interest_express(practice=published, user=UserFactory(email="someone@example.org"))

    assert Notification.objects.filter(recipient=manager, kind=kinds.INTEREST.name).count() == 2
