"""What an attachment may be, decided from the file's content, not its name."""

import zipfile

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FILE_TOO_LARGE = _("This file is larger than 10 MB.")
FILE_TYPE_REFUSED = _(
    "This kind of file cannot be attached: use a PDF, an image (PNG, JPEG, GIF, WebP) or an "
    "office document (Word, Excel, PowerPoint, OpenDocument). The file's content was checked, "
    "not its name."
)
TOO_MANY_FILES = _("A practice has at most 5 attachments: remove one first.")

SIMPLE_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
}
OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}


def _zip_office_type(uploaded) -> str | None:
    """An Office Open XML or OpenDocument file is a zip with a known inner layout."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype if mimetype in ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for prefix, mime in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return mime
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    return None


def detect_content_type(uploaded) -> str:
    """The MIME type read from the file's bytes, or raise ValidationError."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if head.startswith(b"PK\x03\x04"):
        mime = _zip_office_type(uploaded)
        if mime:
            return mime
        raise ValidationError(FILE_TYPE_REFUSED, code="type")
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):  # no match; ValueError: empty input
        matches = []
    for match in matches:
        if match.mime_type in SIMPLE_TYPES:
            return match.mime_type
    raise ValidationError(FILE_TYPE_REFUSED, code="type")


def validate_attachment(uploaded) -> str:
    if uploaded.size > settings.PRACTICE_ATTACHMENT_MAX_BYTES:
        raise ValidationError(FILE_TOO_LARGE, code="size")
    return detect_content_type(uploaded)
