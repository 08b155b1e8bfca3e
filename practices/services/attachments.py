"""Attachments of a practice, checked by content, changed only while it is editable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.files import file_name_for, validate_upload
from core.services import record

from ..models import Attachment, Practice
from ..permissions import can_edit_practice, is_practice_team
from .drafts import practice_update
from .messages import NO_LONGER_EDITABLE, TEXT_NO_LONGER_EDITABLE, TOO_MANY_FILES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files import File

    from accounts.models import User
    from clusters.models import Ecosystem


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
def practice_save_with_files(
    *,
    practice: Practice,
    actor: User,
    data: dict[str, Any],
    ecosystems: Iterable[Ecosystem],
    tags: list[str],
    upload: File | None = None,
    remove: Attachment | None = None,
) -> Practice:
    """Save the edit form's text and, in the same transaction, remove and/or attach a
    file: attaching or removing a file never throws away what was typed, and a refused
    file (wrong type, too large, one too many) saves nothing, text included, so the
    person sees both again with the reason."""
    if not is_practice_team(actor, practice):
        raise PermissionDenied
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if not can_edit_practice(actor, locked):  # submitted since the page was shown
        raise ValidationError(TEXT_NO_LONGER_EDITABLE % {"status": locked.get_status_display()})
    practice = practice_update(
        practice=practice, actor=actor, data=data, ecosystems=ecosystems, tags=tags
    )
    if remove is not None:
        if remove.practice_id != practice.pk:
            raise PermissionDenied
        attachment_remove(attachment=remove, actor=actor)
    if upload is not None:
        attachment_add(practice=practice, actor=actor, uploaded=upload)
    return practice
