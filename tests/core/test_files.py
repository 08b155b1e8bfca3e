"""core.files: what an upload is, read from its bytes at a small, bounded cost."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError

from core.files import (
    ARCHIVE_REFUSED,
    FILE_TYPE_REFUSED,
    ZIP_MAX_ENTRIES,
    detect_content_type,
    file_name_for,
)
from tests.practices.samples import GIF_POLYGLOT, ODT, upload, zip_bomb

MIB = 1024 * 1024
PEAK_LIMIT = 4 * MIB  # what checking one upload may cost, whatever it unpacks to


@pytest.fixture(scope="module")
def content_bomb():
    """408 KB that unpack to 210 MiB: a huge ``content.xml``, a proper ``mimetype``."""
    return zip_bomb(huge="content.xml", mib=210)


@pytest.fixture(scope="module")
def mimetype_bomb():
    """The ``mimetype`` entry itself unpacks to 210 MiB (the old check read it whole)."""
    return zip_bomb(huge="mimetype", mib=210)


def refusal_and_peak(data: bytes):
    """The message the check refused ``data`` with, and the memory it took at its peak."""
    uploaded = upload("bomb.odt", data)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as exc:
            detect_content_type(uploaded)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return exc.value.messages, peak


@pytest.mark.parametrize("bomb", ["content_bomb", "mimetype_bomb"])
def test_a_zip_bomb_is_refused_with_a_clear_message(bomb, request):
    data = request.getfixturevalue(bomb)
    assert len(data) < MIB  # small on the wire...
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) > 200 * MIB

    messages, _peak = refusal_and_peak(data)

    assert messages == [str(ARCHIVE_REFUSED)]


@pytest.mark.parametrize("bomb", ["content_bomb", "mimetype_bomb"])
def test_checking_a_zip_bomb_takes_little_memory(bomb, request):
    _messages, peak = refusal_and_peak(request.getfixturevalue(bomb))

    assert peak < PEAK_LIMIT, f"checking the upload took {peak / MIB:.1f} MiB"


def test_one_entry_that_packs_a_thousandfold_is_refused_under_the_total_cap():
    data = zip_bomb(huge="content.xml", mib=20)  # 20 MiB of zeros, about 20 KB packed

    messages, peak = refusal_and_peak(data)

    assert messages == [str(ARCHIVE_REFUSED)]
    assert peak < PEAK_LIMIT


def test_a_mimetype_entry_longer_than_any_real_one_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT + " " * 200, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office/>")

    messages, _peak = refusal_and_peak(buffer.getvalue())

    assert messages == [str(ARCHIVE_REFUSED)]


def test_a_mimetype_entry_packed_with_an_unbounded_method_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_BZIP2)
        archive.writestr("content.xml", "<office/>")

    messages, _peak = refusal_and_peak(buffer.getvalue())

    assert messages == [str(ARCHIVE_REFUSED)]


def test_an_archive_of_too_many_entries_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        for n in range(ZIP_MAX_ENTRIES + 1):
            archive.writestr(f"Pictures/{n}.xml", "")

    messages, _peak = refusal_and_peak(buffer.getvalue())

    assert messages == [str(ARCHIVE_REFUSED)]


def test_a_real_opendocument_file_is_still_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office>" + "<p>text</p>" * 50_000 + "</office>")

    assert detect_content_type(upload("tender.odt", buffer.getvalue())) == ODT


def test_a_zip_that_is_no_office_document_is_refused_as_a_type():
    with pytest.raises(ValidationError) as exc:
        detect_content_type(upload("a.odt", b"PK\x03\x04 truncated"))

    assert exc.value.messages == [str(FILE_TYPE_REFUSED)]


def test_a_gif_named_html_is_a_gif():
    assert detect_content_type(upload("poly.html", GIF_POLYGLOT)) == "image/gif"


@pytest.mark.parametrize(
    ("original", "content_type", "kept"),
    [
        ("poly.html", "image/gif", "poly.gif"),
        ("poly.HTML", "image/gif", "poly.gif"),
        ("report.pdf", "application/pdf", "report.pdf"),
        ("Report.PDF", "application/pdf", "Report.PDF"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("photo.png", "image/jpeg", "photo.jpg"),
        ("report", "application/pdf", "report.pdf"),
        ("../../etc/report.svg", "application/pdf", "report.pdf"),
        ("C:\\Users\\me\\plan.exe", "application/pdf", "plan.pdf"),
        ("", "application/pdf", "attachment.pdf"),
        (None, "image/png", "attachment.png"),
        ("...", "image/png", "attachment.png"),
        ("tender.docx.html", ODT, "tender.docx.odt"),
        ("a\x00b\u202e.png", "image/png", "ab.png"),
        ("x" * 300 + ".html", "image/png", "x" * 196 + ".png"),
    ],
)
def test_a_file_is_named_after_its_checked_content(original, content_type, kept):
    assert file_name_for(original, content_type) == kept
