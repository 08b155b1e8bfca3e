"""Private files: stored outside MEDIA_URL and served only by views that check access."""

from django.core.files.storage import storages
from django.http import FileResponse

INLINE_TYPES = ("image/", "application/pdf")


def private_storage():
    """The storage for attachments: no public URL (``STORAGES["private"]``)."""
    return storages["private"]


def serve_private_file(attachment) -> FileResponse:
    """Stream an attachment (``file``, ``name``, ``content_type``) to someone already
    allowed to see it. Images and PDFs open in the browser; anything else downloads.
    Never rendered as HTML: no sniffing, and a sandbox with nothing allowed."""
    inline = attachment.content_type.startswith(INLINE_TYPES)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response
