"""The moderation workflow: submit, publish, ask for changes, reject, archive.

Every transition goes through ``core.services.transition``: it checks the state it
starts from, records who did it, when and why (an AuditEvent, shown as the practice's
history); then the people concerned are told."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import secretariat_users
from clusters.models import ClusterFollow
from core.services import transition
from notifications.services import notify

from .. import notifications as kinds
from ..models import Practice, PracticeVersion
from ..permissions import (
    can_moderate_practice,
    is_practice_party,
    is_practice_team,
)
from .messages import COMMENT_REQUIRED, OWN_PRACTICE, TEXT_FIELDS, WRONG_STATE, S

if TYPE_CHECKING:
    from accounts.models import User
    from core.services import Text
    from notifications.registry import Kind


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
