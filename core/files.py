"""Uploaded files: what a file is (read from its bytes, not its name), under which name it
is kept, and how a private file is served (only by views that check access).

The content checks read as little as they need: the first bytes for the simple types,
and for an Office/OpenDocument file (a zip) its directory of entries, whose declared sizes
are checked before anything is unpacked. The only entry ever unpacked is an OpenDocument
``mimetype``, and only its first bytes: a small upload that unpacks to gigabytes (a zip
bomb) is refused without costing the worker memory.
"""

import struct
import zipfile

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

FILE_TOO_LARGE = _("This file is larger than 10 MB.")
FILE_TYPE_REFUSED = _(
    "This kind of file cannot be attached: use a PDF, an image (PNG, JPEG, GIF, WebP) or an "
    "office document (Word, Excel, PowerPoint, OpenDocument). The file's content was checked, "
    "not its name."
)
ARCHIVE_REFUSED = _(
    "This office document unpacks to far more than its size, or holds too many parts, as a "
    "“zip bomb” does: it was refused. Save it again from your office program, or attach it "
    "as a PDF."
)

# What an office document may declare before it is refused unopened. A real one of at most
# 10 MB holds a few hundred parts and unpacks to tens of MB; XML packs tightly, but not a
# thousandfold.
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_TOTAL_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100  # unpacked / packed size of one entry...
ZIP_RATIO_FROM_BYTES = 1024 * 1024  # ...once it unpacks to more than this
ZIP_MAX_DIRECTORY_BYTES = ZIP_MAX_ENTRIES * 1024  # the directory is read whole to be parsed
MIMETYPE_MAX_BYTES = 100  # "application/vnd.oasis.opendocument.presentation" is 47
# Packed with these, a read of n bytes unpacks about n bytes (bzip2 and LZMA: unbounded).
BOUNDED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# Each accepted type and the extensions it is known by, the usual one first: a stored file
# is named after its content, never after what the uploader's name claimed.
EXTENSIONS = {
    PDF: ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    PPTX: ("pptx",),
    ODT: ("odt",),
    ODS: ("ods",),
    ODP: ("odp",),
}
SIMPLE_TYPES = (PDF, "image/png", "image/jpeg", "image/gif", "image/webp")
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_TYPES = {ODT, ODS, ODP}
INLINE_TYPES = ("image/", PDF)

NAME_MAX = 200
_EOCD = struct.Struct("<4s4H2LH")  # the zip's end-of-central-directory record
_EOCD_SIGNATURE = b"PK\x05\x06"


def _declared_directory(uploaded) -> tuple[int, int] | None:
    """How many entries the zip's end record declares, and the size of its directory, read
    without parsing the directory (a million entries would cost memory on their own)."""
    uploaded.seek(0, 2)
    size = uploaded.tell()
    tail_size = min(size, _EOCD.size + 65535)  # the record, then a comment of up to 64 KiB
    uploaded.seek(size - tail_size)
    tail = uploaded.read(tail_size)
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    fields = _EOCD.unpack_from(tail, at)
    return fields[4], fields[5]  # 0xFFFF entries: see the ZIP64 record (refused)


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse on what the entries declare, before unpacking anything."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if total > ZIP_MAX_TOTAL_BYTES:
            raise ValidationError(ARCHIVE_REFUSED, code="archive")
        if info.file_size > ZIP_RATIO_FROM_BYTES and info.file_size > ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ValidationError(ARCHIVE_REFUSED, code="archive")


def _zip_office_type(uploaded) -> str | None:
    """An Office Open XML or OpenDocument file is a zip with a known inner layout."""
    directory = _declared_directory(uploaded)
    if directory is None:
        return None
    entries, directory_bytes = directory
    if entries > ZIP_MAX_ENTRIES or directory_bytes > ZIP_MAX_DIRECTORY_BYTES:
        raise ValidationError(ARCHIVE_REFUSED, code="archive")
    uploaded.seek(0)
    with zipfile.ZipFile(uploaded) as archive:
        if len(archive.infolist()) > ZIP_MAX_ENTRIES:
            raise ValidationError(ARCHIVE_REFUSED, code="archive")
        _check_archive(archive)
        names = archive.namelist()
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size > MIMETYPE_MAX_BYTES or info.compress_type not in BOUNDED_COMPRESSION:
                raise ValidationError(ARCHIVE_REFUSED, code="archive")
            with archive.open(info) as entry:
                # Bounded even if the declared size lies: at most this much is unpacked.
                raw = entry.read(MIMETYPE_MAX_BYTES + 1)
            if len(raw) > MIMETYPE_MAX_BYTES:
                raise ValidationError(ARCHIVE_REFUSED, code="archive")
            mimetype = raw.decode("ascii", "replace").strip()
            return mimetype if mimetype in ODF_TYPES else None
        if "[Content_Types].xml" in names:
            for prefix, mime in OOXML_PARTS.items():
                if any(name.startswith(prefix) for name in names):
                    return mime
    return None


def detect_content_type(uploaded) -> str:
    """The MIME type read from the file's bytes, or raise ValidationError."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if head.startswith(b"PK\x03\x04"):
        try:
            mime = _zip_office_type(uploaded)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            mime = None
        finally:
            uploaded.seek(0)
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


def validate_upload(uploaded, *, max_bytes: int) -> str:
    """The checked content type of an upload of at most ``max_bytes``, or ValidationError."""
    if uploaded.size > max_bytes:
        raise ValidationError(FILE_TOO_LARGE, code="size")
    return detect_content_type(uploaded)


def file_name_for(original: str | None, content_type: str) -> str:
    """The name a file is kept and served under: the uploader's name without any folder,
    with the extension of its checked content. A GIF sent as ``poly.html`` is
    ``poly.gif``; ``photo.jpeg`` stays ``photo.jpeg``."""
    base = (original or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    known = EXTENSIONS.get(content_type, ("bin",))
    if extension.lower() not in known:
        extension = known[0]
    stem = stem.strip().strip(".") or "attachment"
    return f"{stem[: NAME_MAX - len(extension) - 1]}.{extension}"


def private_storage():
    """The storage for attachments: no public URL (``STORAGES["private"]``)."""
    return storages["private"]


def serve_private_file(attachment) -> FileResponse:
    """Stream an attachment (``file``, ``name``, ``content_type``) to someone already
    allowed to see it, as the type its content was checked to be and under a name with
    that type's extension. Images and PDFs open in the browser; anything else downloads.
    Never rendered as HTML: no sniffing, and a sandbox with nothing allowed."""
    inline = attachment.content_type.startswith(INLINE_TYPES)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=file_name_for(attachment.name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response
