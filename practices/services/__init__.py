"""Writes for best practices, one module per sub-domain: drafting, the moderation
workflow, attachments and transfer interest. Import from the package:
``from practices import services`` or ``from practices.services import practice_submit``.
"""

from .attachments import attachment_add, attachment_remove, practice_save_with_files
from .drafts import parse_tags, practice_create, practice_update
from .interest import interest_express
from .messages import (
    ALREADY_INTERESTED,
    COMMENT_REQUIRED,
    EDITABLE_FIELDS,
    NO_LONGER_EDITABLE,
    NOT_YOUR_CLUSTER,
    OWN_PRACTICE,
    TEXT_FIELDS,
    TEXT_NO_LONGER_EDITABLE,
    TOO_MANY_FILES,
    WRONG_STATE,
)
from .moderation import (
    practice_archive,
    practice_publish,
    practice_reject,
    practice_request_changes,
    practice_submit,
)

__all__ = [
    "ALREADY_INTERESTED",
    "COMMENT_REQUIRED",
    "EDITABLE_FIELDS",
    "NOT_YOUR_CLUSTER",
    "NO_LONGER_EDITABLE",
    "OWN_PRACTICE",
    "TEXT_FIELDS",
    "TEXT_NO_LONGER_EDITABLE",
    "TOO_MANY_FILES",
    "WRONG_STATE",
    "attachment_add",
    "attachment_remove",
    "interest_express",
    "parse_tags",
    "practice_archive",
    "practice_create",
    "practice_publish",
    "practice_reject",
    "practice_request_changes",
    "practice_save_with_files",
    "practice_submit",
    "practice_update",
]
