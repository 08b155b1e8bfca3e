"""Writes for best practices: drafting, the moderation workflow, attachments, interest.

Every transition goes through ``core.services.transition``: it checks the state it starts
from, records who did it, when and why (an AuditEvent, shown as the practice's
history) and tells the people concerned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.selectors import secretariat_users
from clusters.models import Cluster, ClusterFollow, ClusterMembership
from core.files import file_name_for, validate_upload
from core.services import assign, record, transition
from notifications.services import notify

from . import notifications as kinds
from .models import MARKDOWN_FIELDS, Attachment, Practice, PracticeVersion, Tag, TransferInterest
from .permissions import (
    can_edit_practice,
    can_express_interest,
    can_moderate_practice,
    is_practice_party,
    is_practice_team,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files import File

    from accounts.models import User
    from clusters.models import Ecosystem
    from core.services import Text
    from notifications.registry import Kind

S = Practice.Status
NOT_YOUR_CLUSTER = _("You can only write practices for a cluster whose team you are in.")
WRONG_STATE = _("This practice is “%(status)s”: it cannot be %(action)s now.")
COMMENT_REQUIRED = _("Say what should change: the authors read this comment.")
OWN_PRACTICE = _(
    "You cannot moderate this practice: you wrote it or you are in its cluster's team. "
    "Another member of the secretariat moderates it."
)
ALREADY_INTERESTED = _("You have already told this cluster you want to transfer this practice.")
TOO_MANY_FILES = _("A practice has at most 5 attachments: remove one first.")
NO_LONGER_EDITABLE = _(
    "This practice is “%(status)s” now: its attachments can no longer be changed."
)

TEXT_FIELDS = ("title", "summary", *MARKDOWN_FIELDS)
EDITABLE_FIELDS = (*TEXT_FIELDS, "category", "start_year", "end_year")


def parse_tags(text: str) -> list[str]:
    names: list[str] = []
    for raw in (text or "").split(","):
        name = " ".join(raw.split())[:50]
        if name and slugify(name) and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names[:10]


def _existing_tags(wanted: dict[str, str]) -> dict[str, Tag]:
    """The tags already there for ``{slug: name}``, keyed by the slug asked for: matched
    by slug ("Open data" and "open data" are one tag), else by name (a tag whose slug
    was edited in the admin)."""
    tags = list(Tag.objects.filter(Q(slug__in=wanted) | Q(name__in=wanted.values())))
    by_slug = {tag.slug: tag for tag in tags}
    by_name = {tag.name: tag for tag in tags}
    found = {slug: by_slug.get(slug) or by_name.get(name) for slug, name in wanted.items()}
    return {slug: tag for slug, tag in found.items() if tag is not None}


def _set_tags(practice: Practice, names: list[str]) -> None:
    """Give ``practice`` these tags, creating the new ones.

    Safe when two practices bring the same new tag at once: new tags are inserted with
    ON CONFLICT DO NOTHING, so an insert that meets another transaction's uncommitted
    tag waits for it and then does nothing, and the tag is read back once committed
    (no IntegrityError, one shared tag). They are inserted in slug order, so two such
    inserts take the unique index entries in the same order and cannot deadlock.
    """
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(slugify(name), name)
    tags = _existing_tags(wanted)
    missing = sorted(slug for slug in wanted if slug not in tags)
    if missing:
        Tag.objects.bulk_create(
            [Tag(name=wanted[slug], slug=slug) for slug in missing], ignore_conflicts=True
        )
        tags = _existing_tags(wanted)
    practice.tags.set(tags.values())


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "practice"
    slug, n = base, 2
    while Practice.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _save_with_a_free_slug(practice: Practice, tries: int = 5) -> None:
    """Insert ``practice``; if another practice took its slug meanwhile (created at the
    same moment with the same title), pick the next free slug and try again."""
    for attempt in range(tries):
        try:
            with transaction.atomic():  # a savepoint: the outer transaction goes on
                practice.save()
            return
        except IntegrityError:
            if attempt == tries - 1 or not Practice.objects.filter(slug=practice.slug).exists():
                raise  # not the slug (or still taken after several tries)
            practice.slug = _unique_slug(practice.title)


@transaction.atomic
def practice_create(
    *,
    actor: User,
    cluster: Cluster,
    data: dict[str, Any],
    ecosystems: Iterable[Ecosystem],
    tags: list[str],
) -> Practice:
    """A manager or staff member of ``cluster`` starts a practice (a draft)."""
    if not ClusterMembership.objects.filter(user=actor, cluster=cluster).exists():
        raise PermissionDenied(NOT_YOUR_CLUSTER)
    practice = Practice(
        cluster=cluster,
        author=actor,
        slug=_unique_slug(data["title"]),
        status=S.DRAFT,
        **{k: v for k, v in data.items() if k in EDITABLE_FIELDS},
    )
    practice.full_clean()
    _save_with_a_free_slug(practice)
    practice.ecosystems.set(ecosystems)
    _set_tags(practice, tags)
    record(actor=actor, verb="practice.create", target=practice, to_state=S.DRAFT)
    return practice


@transaction.atomic
def practice_update(
    *,
    practice: Practice,
    actor: User,
    data: dict[str, Any],
    ecosystems: Iterable[Ecosystem],
    tags: list[str],
) -> Practice:
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if not can_edit_practice(actor, practice):
        raise PermissionDenied
    changes = assign(practice, data, fields=EDITABLE_FIELDS)
    practice.full_clean()
    practice.save()
    practice.ecosystems.set(ecosystems)
    _set_tags(practice, tags)
    if changes:
        record(actor=actor, verb="practice.update", target=practice, changes=changes)
    return practice


def _authors(practice: Practice) -> list:
    """Who wrote it: the author and everyone who submitted a version."""
    people = {practice.author_id: practice.author} if practice.author_id else {}
    for version in practice.versions.select_related("created_by"):
        if version.created_by_id:
            people.setdefault(version.created_by_id, version.created_by)
    return list(people.values())


@transaction.atomic
def practice_submit(*, practice: Practice, actor: User) -> Practice:
    """Send a draft (or a practice with changes requested) to the secretariat."""
    # Who may act is checked here; the state, under the lock, by transition (WRONG_STATE).
    if not is_practice_team(actor, practice):
        raise PermissionDenied
    practice, before = transition(
        practice,
        to=S.SUBMITTED,
        actor=actor,
        verb="practice.submit",
        allowed_from={S.DRAFT, S.CHANGES_REQUESTED},
        wrong_state=WRONG_STATE,
        action=_("submitted"),
        also={"submitted_at": timezone.now()},
    )
    number = practice.versions.count() + 1
    PracticeVersion.objects.create(
        practice=practice,
        number=number,
        created_by=actor,
        data={
            **{f: getattr(practice, f) for f in TEXT_FIELDS},
            "category": practice.category,
            "start_year": practice.start_year,
            "end_year": practice.end_year,
        },
    )
    notify(
        recipients=secretariat_users(),
        kind=kinds.SUBMITTED.name,
        context={"practice": practice, "resubmitted": before == S.CHANGES_REQUESTED},
        link=practice.get_absolute_url(),
    )
    return practice


def _moderate(
    practice: Practice,
    actor: User,
    *,
    to: str,
    action: Text,
    comment: str,
    verb: str,
    kind: Kind,
    comment_required: bool,
) -> Practice:
    if not can_moderate_practice(actor):
        raise PermissionDenied
    if is_practice_party(actor, practice):
        raise PermissionDenied(OWN_PRACTICE)
    comment = (comment or "").strip()
    if comment_required and not comment:
        raise ValidationError({"comment": COMMENT_REQUIRED})
    also: dict[str, Any] = {"reviewer_feedback": comment}
    if to == S.PUBLISHED:
        also["published_at"] = timezone.now()
    practice, _before = transition(
        practice,
        to=to,
        actor=actor,
        verb=verb,
        allowed_from={S.SUBMITTED},
        wrong_state=WRONG_STATE,
        action=action,
        comment=comment,
        also=also,
    )
    notify(
        recipients=_authors(practice),
        kind=kind.name,
        context={"practice": practice, "comment": comment},
        link=practice.get_absolute_url(),
    )
    return practice


@transaction.atomic
def practice_publish(*, practice: Practice, actor: User, comment: str = "") -> Practice:
    practice = _moderate(
        practice,
        actor,
        to=S.PUBLISHED,
        action=_("published"),
        comment=comment,
        verb="practice.publish",
        kind=kinds.PUBLISHED,
        comment_required=False,
    )
    authors = {u.pk for u in _authors(practice)}
    followers = [
        f.user
        for f in ClusterFollow.objects.filter(cluster_id=practice.cluster_id).select_related("user")
        if f.user_id not in authors
    ]
    notify(
        recipients=followers,
        kind=kinds.FOLLOWED_CLUSTER_PUBLISHED.name,
        context={"practice": practice},
        link=practice.get_absolute_url(),
    )
    return practice


@transaction.atomic
def practice_request_changes(*, practice: Practice, actor: User, comment: str) -> Practice:
    return _moderate(
        practice,
        actor,
        to=S.CHANGES_REQUESTED,
        action=_("sent back for changes"),
        comment=comment,
        verb="practice.request_changes",
        kind=kinds.CHANGES_REQUESTED,
        comment_required=True,
    )


@transaction.atomic
def practice_reject(*, practice: Practice, actor: User, comment: str) -> Practice:
    return _moderate(
        practice,
        actor,
        to=S.REJECTED,
        action=_("rejected"),
        comment=comment,
        verb="practice.reject",
        kind=kinds.REJECTED,
        comment_required=True,
    )


@transaction.atomic
def practice_archive(*, practice: Practice, actor: User, comment: str = "") -> Practice:
    """The secretariat takes a published practice out of the repository; as for the other
    decisions, never one who wrote it or is in its cluster's team (four eyes)."""
    if not can_moderate_practice(actor):
        raise PermissionDenied
    if is_practice_party(actor, practice):
        raise PermissionDenied(OWN_PRACTICE)
    practice, _before = transition(
        practice,
        to=S.ARCHIVED,
        actor=actor,
        verb="practice.archive",
        allowed_from={S.PUBLISHED},
        wrong_state=WRONG_STATE,
        action=_("archived"),
        comment=comment,
    )
    return practice


def _lock_editable(practice: Practice, actor: User) -> Practice:
    """Lock the practice and check, under the lock, that ``actor`` may still change it:
    a submit that won the race leaves a practice whose attachments are frozen."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if not can_edit_practice(actor, locked):
        raise ValidationError(
            {"file": NO_LONGER_EDITABLE % {"status": locked.get_status_display()}}
        )
    return locked


@transaction.atomic
def attachment_add(*, practice: Practice, actor: User, uploaded: File) -> Attachment:
    """Attach a file whose content is a PDF, an image or an office document. It is kept
    under the uploader's name with the extension of its checked content."""
    if not can_edit_practice(actor, practice):
        raise PermissionDenied
    practice = _lock_editable(practice, actor)  # one upload at a time, and not after a submit
    if practice.attachments.count() >= settings.PRACTICE_ATTACHMENTS_MAX:
        raise ValidationError({"file": TOO_MANY_FILES})
    try:
        content_type = validate_upload(uploaded, max_bytes=settings.PRACTICE_ATTACHMENT_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    name = file_name_for(uploaded.name, content_type)
    attachment = Attachment(
        practice=practice,
        name=name,
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=actor,
    )
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    record(actor=actor, verb="practice.attachment_add", target=practice, comment=name)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    practice = attachment.practice
    if not can_edit_practice(actor, practice):
        raise PermissionDenied
    practice = _lock_editable(practice, actor)
    name = attachment.name
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))  # type: ignore[arg-type]  # a saved attachment has a file name
    record(actor=actor, verb="practice.attachment_remove", target=practice, comment=name)


@transaction.atomic
def interest_express(*, practice: Practice, user: User, message: str = "") -> TransferInterest:
    """A member says "we want to transfer this"; the cluster's managers hear of it."""
    if not can_express_interest(user, practice):
        raise PermissionDenied
    try:
        with transaction.atomic():
            interest = TransferInterest.objects.create(
                practice=practice, user=user, message=message.strip()
            )
    except IntegrityError:
        raise ValidationError(ALREADY_INTERESTED) from None
    record(actor=user, verb="practice.interest", target=practice, comment=message[:500])
    managers = [
        m.user
        for m in ClusterMembership.objects.filter(
            cluster_id=practice.cluster_id, role=ClusterMembership.Role.MANAGER
        ).select_related("user")
    ]
    notify(
        recipients=managers,
        kind=kinds.INTEREST.name,
        context={"practice": practice, "interested": user, "message": interest.message},
        link=practice.get_absolute_url(),
        dedupe_key=f"practice-interest:{practice.pk}:{user.pk}",
    )
    return interest
