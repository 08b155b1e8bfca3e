"""Attachments: accepted by what the file is, not what it is called; served only to who may see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from core.files import ARCHIVE_REFUSED, FILE_TOO_LARGE, FILE_TYPE_REFUSED
from core.selectors import audit_events_for
from practices import views as practice_views
from practices.models import Attachment, Practice
from practices.services import (
    NO_LONGER_EDITABLE,
    TEXT_NO_LONGER_EDITABLE,
    TOO_MANY_FILES,
    attachment_add,
    attachment_remove,
    practice_save_with_files,
)
from tests.factories import PDF_BYTES, AttachmentFactory

from .conftest import INSIDERS, OUTSIDERS, UNPUBLISHED
from .samples import (
    DOCX,
    ELF_BYTES,
    EXE_BYTES,
    GIF_POLYGLOT,
    HTML_BYTES,
    ODT,
    PLAIN_ZIP_BYTES,
    PNG_BYTES,
    SCRIPT_BYTES,
    SVG_BYTES,
    docx_bytes,
    odt_bytes,
    upload,
    zip_bomb,
)

pytestmark = pytest.mark.django_db

STORAGE = Attachment._meta.get_field("file").storage

ACCEPTED = [
    ("report.pdf", PDF_BYTES, "application/pdf"),
    ("chart.png", PNG_BYTES, "image/png"),
    ("tender.docx", docx_bytes(), DOCX),
    ("tender.odt", odt_bytes(), ODT),
]
# A file whose name promises something harmless while its content is not.
DISGUISED = [
    ("report.pdf", EXE_BYTES),
    ("report.pdf", ELF_BYTES),
    ("chart.png", HTML_BYTES),
    ("chart.png", SVG_BYTES),
    ("chart.png", SCRIPT_BYTES),
    ("tender.docx", PLAIN_ZIP_BYTES),
    ("archive.zip", PLAIN_ZIP_BYTES),
    ("page.html", HTML_BYTES),
]


def stored_files(practice):
    """The files kept for ``practice`` in the private storage."""
    try:
        _dirs, files = STORAGE.listdir(f"practices/{practice.pk}")
    except FileNotFoundError:
        return []
    return sorted(files)


def file_errors(exc):
    return exc.value.message_dict["file"]


# --- what is accepted -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_a_real_document_is_attached(name, data, content_type, manager, draft):
    attachment = attachment_add(
        practice=draft, actor=manager, uploaded=upload(name, data, "text/html")
    )

    attachment.refresh_from_db()
    assert attachment.name == name
    assert attachment.content_type == content_type  # read from the bytes, not the browser
    assert attachment.size == len(data)
    assert attachment.uploaded_by == manager
    assert attachment.file.name.startswith(f"practices/{draft.pk}/")
    with attachment.file.open("rb") as stored:
        assert stored.read() == data
    event = audit_events_for(draft).get(verb="practice.attachment_add")
    assert (event.actor, event.comment) == (manager, name)


def test_cluster_staff_may_attach_while_changes_are_requested(staff_member, make_practice):
    practice = make_practice("changes_requested")

    attachment_add(practice=practice, actor=staff_member, uploaded=upload("a.pdf", PDF_BYTES))

    assert practice.attachments.count() == 1


def test_a_path_in_the_file_name_is_dropped(manager, draft):
    attachment = attachment_add(
        practice=draft, actor=manager, uploaded=upload("../../etc/report.pdf", PDF_BYTES)
    )

    assert "/" not in attachment.name
    assert ".." not in attachment.file.name
    assert attachment.file.name.startswith(f"practices/{draft.pk}/")


# --- what is refused --------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), DISGUISED)
def test_a_file_whose_content_is_not_allowed_is_refused_and_nothing_is_kept(
    name, data, manager, draft
):
    before = stored_files(draft)

    with pytest.raises(ValidationError) as exc:
        attachment_add(practice=draft, actor=manager, uploaded=upload(name, data, "image/png"))

    assert file_errors(exc) == [str(FILE_TYPE_REFUSED)]
    assert not Attachment.objects.exists()
    assert stored_files(draft) == before
    assert not audit_events_for(draft).filter(verb="practice.attachment_add").exists()


def test_an_empty_file_is_refused(manager, draft):
    with pytest.raises(ValidationError) as exc:
        attachment_add(practice=draft, actor=manager, uploaded=upload("empty.pdf", b""))

    assert file_errors(exc) == [str(FILE_TYPE_REFUSED)]
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(manager, draft, settings):
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = 1024
    before = stored_files(draft)
    big = PDF_BYTES + b"%" * 1024

    with pytest.raises(ValidationError) as exc:
        attachment_add(practice=draft, actor=manager, uploaded=upload("big.pdf", big))

    assert file_errors(exc) == [str(FILE_TOO_LARGE)]
    assert not Attachment.objects.exists()
    assert stored_files(draft) == before


def test_the_size_limit_is_ten_megabytes(manager, draft):
    limit = 10 * 1024 * 1024
    just_over = PDF_BYTES + b"%" * (limit + 1 - len(PDF_BYTES))

    with pytest.raises(ValidationError) as exc:
        attachment_add(practice=draft, actor=manager, uploaded=upload("big.pdf", just_over))

    assert file_errors(exc) == [str(FILE_TOO_LARGE)]
    assert not Attachment.objects.exists()


def test_a_file_at_the_size_limit_is_accepted(manager, draft, settings):
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = len(PDF_BYTES)

    attachment_add(practice=draft, actor=manager, uploaded=upload("exact.pdf", PDF_BYTES))

    assert draft.attachments.count() == 1


def test_the_sixth_attachment_is_refused(manager, draft):
    for n in range(5):
        attachment_add(practice=draft, actor=manager, uploaded=upload(f"r{n}.pdf", PDF_BYTES))
    before = stored_files(draft)

    with pytest.raises(ValidationError) as exc:
        attachment_add(practice=draft, actor=manager, uploaded=upload("r5.pdf", PDF_BYTES))

    assert file_errors(exc) == [str(TOO_MANY_FILES)]
    assert draft.attachments.count() == 5
    assert stored_files(draft) == before


def test_removing_one_makes_room_for_another(manager, draft):
    attachments = [
        attachment_add(practice=draft, actor=manager, uploaded=upload(f"r{n}.pdf", PDF_BYTES))
        for n in range(5)
    ]

    attachment_remove(attachment=attachments[0], actor=manager)
    attachment_add(practice=draft, actor=manager, uploaded=upload("r5.pdf", PDF_BYTES))

    assert draft.attachments.count() == 5


# --- who may add and remove -------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "other_manager", "secretariat"])
def test_outsiders_cannot_attach(role, users, draft):
    with pytest.raises(PermissionDenied):
        attachment_add(practice=draft, actor=users[role], uploaded=upload("a.pdf", PDF_BYTES))

    assert not Attachment.objects.exists()


@pytest.mark.parametrize("status", ["submitted", "published", "rejected", "archived"])
def test_the_team_cannot_attach_once_the_practice_left_the_draft(status, manager, make_practice):
    practice = make_practice(status)

    with pytest.raises(PermissionDenied):
        attachment_add(practice=practice, actor=manager, uploaded=upload("a.pdf", PDF_BYTES))

    assert not Attachment.objects.exists()


def test_the_team_removes_an_attachment_and_its_file(
    manager, draft, django_capture_on_commit_callbacks
):
    attachment = attachment_add(practice=draft, actor=manager, uploaded=upload("a.pdf", PDF_BYTES))
    path = attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=manager)

    assert not Attachment.objects.exists()
    assert not STORAGE.exists(path)
    event = audit_events_for(draft).get(verb="practice.attachment_remove")
    assert (event.actor, event.comment) == (manager, "a.pdf")


@pytest.mark.parametrize("role", ["member", "other_manager", "secretariat"])
def test_outsiders_cannot_remove_an_attachment(role, users, draft):
    attachment = AttachmentFactory(practice=draft)

    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=attachment, actor=users[role])

    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert STORAGE.exists(attachment.file.name)


@pytest.mark.parametrize("status", ["submitted", "published", "rejected", "archived"])
def test_the_team_cannot_remove_once_the_practice_left_the_draft(status, manager, make_practice):
    attachment = AttachmentFactory(practice=make_practice(status))

    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=attachment, actor=manager)

    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- upload and removal through the edit page -------------------------------------------
# The Attachments box belongs to the edit form: a file goes with the text typed so far.


def edit_data(practice, **changes):
    """The edit form as the page fills it for ``practice``, with ``changes``."""
    data = {
        "title": practice.title,
        "category": practice.category,
        "ecosystems": [str(e.pk) for e in practice.ecosystems.all()],
        "summary": practice.summary,
        "tags": "",
        "problem": practice.problem,
        "description": practice.description,
        "resources": practice.resources,
        "evidence": practice.evidence,
        "difficulties": practice.difficulties,
        "transfer_potential": practice.transfer_potential,
        "start_year": practice.start_year or "",
        "end_year": practice.end_year or "",
    }
    return {**data, **changes}


def edit_url(practice):
    return reverse("practices:edit", args=[practice.slug])


def test_the_team_uploads_through_the_edit_page(login, manager, draft):
    response = login(manager).post(
        edit_url(draft), {**edit_data(draft), "attach": "", "file": upload("chart.png", PNG_BYTES)}
    )

    assert response.status_code == 302
    assert response.url == edit_url(draft)
    assert draft.attachments.get().content_type == "image/png"


def test_text_typed_before_attaching_is_saved_with_the_file(login, manager, draft):
    typed = edit_data(
        draft, title="E-buses bought together", evidence="Twelve towns saved 18% on 40 buses."
    )

    response = login(manager).post(
        edit_url(draft), {**typed, "attach": "", "file": upload("report.pdf", PDF_BYTES)}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "E-buses bought together"
    assert draft.evidence == "Twelve towns saved 18% on 40 buses."
    assert draft.attachments.get().name == "report.pdf"
    verbs = [e.verb for e in audit_events_for(draft)]
    assert {"practice.update", "practice.attachment_add"} <= set(verbs)
    page = login(manager).get(response.url).content.decode()
    assert "Your draft is saved and the file is attached." in page
    assert "Twelve towns saved 18% on 40 buses." in page


def test_a_file_chosen_before_save_draft_is_attached_too(login, manager, draft):
    response = login(manager).post(
        edit_url(draft), {**edit_data(draft), "save": "", "file": upload("a.pdf", PDF_BYTES)}
    )

    assert response.status_code == 302
    assert draft.attachments.count() == 1


def test_save_draft_without_a_file_attaches_nothing(login, manager, draft):
    response = login(manager).post(
        edit_url(draft), {**edit_data(draft, summary="New."), "save": ""}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "New."
    assert not draft.attachments.exists()


def test_attach_without_a_file_says_so_and_keeps_the_text(login, manager, draft):
    response = login(manager).post(
        edit_url(draft), {**edit_data(draft, evidence="Typed, not yet saved."), "attach": ""}
    )

    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"] == ["Choose a file to attach."]
    assert "Typed, not yet saved." in response.content.decode()
    draft.refresh_from_db()
    assert draft.evidence != "Typed, not yet saved."


def test_a_disguised_upload_is_shown_as_an_error_next_to_the_file_field(login, manager, draft):
    typed = edit_data(draft, evidence="Typed before a bad file.")
    before = Practice.objects.values().get(pk=draft.pk)

    response = login(manager).post(
        edit_url(draft),
        {**typed, "attach": "", "file": upload("chart.png", HTML_BYTES, "image/png")},
    )

    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"] == [str(FILE_TYPE_REFUSED)]
    html = response.content.decode()
    # The typed text comes back in the form, with a word that it was not saved yet.
    assert "Typed before a bad file." in html
    assert "choose the file again" in html
    assert not Attachment.objects.exists()
    assert Practice.objects.values().get(pk=draft.pk) == before  # nothing saved


def test_invalid_text_keeps_what_was_typed_and_attaches_nothing(login, manager, draft):
    response = login(manager).post(
        edit_url(draft),
        {
            **edit_data(draft, title="", evidence="Long evidence typed here."),
            "attach": "",
            "file": upload("a.pdf", PDF_BYTES),
        },
    )

    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert "Long evidence typed here." in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("secretariat", 403), ("other_manager", 404)])
def test_outsiders_cannot_upload_through_the_page(role, status, users, login, draft):
    response = login(users[role]).post(
        edit_url(draft), {**edit_data(draft), "attach": "", "file": upload("a.pdf", PDF_BYTES)}
    )

    assert response.status_code == status
    assert not Attachment.objects.exists()


def test_the_team_removes_through_the_edit_page_keeping_the_text(login, manager, draft):
    attachment = AttachmentFactory(practice=draft)

    response = login(manager).post(
        edit_url(draft),
        {**edit_data(draft, summary="Typed before removing."), "remove_attachment": attachment.pk},
    )

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.summary == "Typed before removing."


def test_an_attachment_of_another_practice_cannot_be_removed_through_mine(
    login, manager, draft, make_practice
):
    elsewhere = AttachmentFactory(practice=make_practice("draft"))

    response = login(manager).post(
        edit_url(draft), {**edit_data(draft), "remove_attachment": elsewhere.pk}
    )

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_a_bad_attachment_id_to_remove_is_404(login, manager, draft, value):
    AttachmentFactory(practice=draft)
    response = login(manager).post(
        edit_url(draft), {**edit_data(draft), "remove_attachment": value}
    )
    assert response.status_code == 404
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(("role", "status"), [("secretariat", 403), ("other_manager", 404)])
def test_outsiders_cannot_remove_through_the_page(role, status, users, login, draft):
    attachment = AttachmentFactory(practice=draft)

    response = login(users[role]).post(
        edit_url(draft), {**edit_data(draft), "remove_attachment": attachment.pk}
    )

    assert response.status_code == status
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_one_too_many_files_saves_neither_file_nor_text(login, manager, draft, settings):
    for n in range(settings.PRACTICE_ATTACHMENTS_MAX):
        AttachmentFactory(practice=draft, name=f"f{n}.pdf")

    response = login(manager).post(
        edit_url(draft),
        {**edit_data(draft, summary="Unsaved."), "attach": "", "file": upload("a.pdf", PDF_BYTES)},
    )

    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"] == [str(TOO_MANY_FILES)]
    draft.refresh_from_db()
    assert draft.summary != "Unsaved."
    assert draft.attachments.count() == settings.PRACTICE_ATTACHMENTS_MAX


def test_the_share_a_practice_form_says_where_files_go(login, manager):
    html = login(manager).get(reverse("practices:create")).content.decode()
    assert "Files (PDF, images, office documents) are added once the draft is saved" in html


def test_the_edit_form_says_attaching_keeps_the_text(login, manager, draft):
    html = login(manager).get(edit_url(draft)).content.decode()
    assert "Attaching or removing a file saves your text with it" in html
    # The file input and the buttons belong to the edit form, which can carry a file.
    assert 'id="practice-form" enctype="multipart/form-data"' in html
    assert 'type="file" name="file" form="practice-form"' in html
    assert 'form="practice-form" name="attach"' in html


# --- download ---------------------------------------------------------------------------


def download(client, attachment):
    url = reverse("practices:attachment", args=[attachment.practice.slug, attachment.pk])
    return client.get(url)


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", [*INSIDERS, *OUTSIDERS])
def test_an_attachment_of_a_published_practice_is_served_to_everyone(role, client_as, published):
    attachment = AttachmentFactory(practice=published)

    response = download(client_as(role), attachment)

    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("role", INSIDERS)
def test_the_team_and_the_secretariat_download_from_an_unpublished_practice(
    role, status, client_as, make_practice
):
    attachment = AttachmentFactory(practice=make_practice(status))

    response = download(client_as(role), attachment)

    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_404_for_an_attachment_of_an_unpublished_practice(
    role, status, client_as, make_practice
):
    attachment = AttachmentFactory(practice=make_practice(status))

    response = download(client_as(role), attachment)

    assert response.status_code == 404


def test_an_attachment_is_only_served_under_its_own_practice(client, published, make_practice):
    hidden = AttachmentFactory(practice=make_practice("draft"))
    url = reverse("practices:attachment", args=[published.slug, hidden.pk])

    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "content_type", "disposition"),
    [
        ("report.pdf", PDF_BYTES, "application/pdf", 'inline; filename="report.pdf"'),
        ("chart.png", PNG_BYTES, "image/png", 'inline; filename="chart.png"'),
        ("tender.docx", docx_bytes(), DOCX, 'attachment; filename="tender.docx"'),
        ("tender.odt", odt_bytes(), ODT, 'attachment; filename="tender.odt"'),
    ],
)
def test_images_and_pdfs_open_inline_office_documents_download(
    name, data, content_type, disposition, client, manager, draft, secretariat
):
    attachment = attachment_add(practice=draft, actor=manager, uploaded=upload(name, data))
    client.force_login(secretariat)

    response = download(client, attachment)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition
    assert body(response) == data


# --- stored and served as what it is ----------------------------------------------------


def test_a_gif_named_html_is_stored_and_served_as_a_gif(client, manager, draft, secretariat):
    attachment = attachment_add(
        practice=draft, actor=manager, uploaded=upload("poly.html", GIF_POLYGLOT, "text/html")
    )

    attachment.refresh_from_db()
    assert (attachment.name, attachment.content_type) == ("poly.gif", "image/gif")
    assert attachment.file.name == f"practices/{draft.pk}/poly.gif"
    assert stored_files(draft) == ["poly.gif"]
    client.force_login(secretariat)
    response = download(client, attachment)
    assert response["Content-Type"] == "image/gif"
    assert response["Content-Disposition"] == 'inline; filename="poly.gif"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == GIF_POLYGLOT


def test_an_attachment_kept_under_a_misleading_name_is_served_under_its_type(client, published):
    attachment = AttachmentFactory(practice=published, name="poly.html", content_type="image/gif")

    response = download(client, attachment)

    assert response["Content-Type"] == "image/gif"
    assert response["Content-Disposition"] == 'inline; filename="poly.gif"'


def test_a_zip_bomb_is_refused_and_nothing_is_kept(manager, draft):
    with pytest.raises(ValidationError) as exc:
        attachment_add(
            practice=draft, actor=manager, uploaded=upload("tender.odt", zip_bomb(mib=120))
        )

    assert file_errors(exc) == [str(ARCHIVE_REFUSED)]
    assert not Attachment.objects.exists()
    assert stored_files(draft) == []


# --- an upload racing a submit ----------------------------------------------------------


def test_an_upload_after_the_practice_was_submitted_meanwhile_is_refused(manager, draft):
    # The view checked ``draft`` (still a draft in memory); a submit then won the race.
    Practice.objects.filter(pk=draft.pk).update(status=Practice.Status.SUBMITTED)

    with pytest.raises(ValidationError) as exc:
        attachment_add(practice=draft, actor=manager, uploaded=upload("a.pdf", PDF_BYTES))

    assert file_errors(exc) == [NO_LONGER_EDITABLE % {"status": Practice.Status.SUBMITTED.label}]
    assert not Attachment.objects.exists()
    assert stored_files(draft) == []
    assert not audit_events_for(draft).filter(verb="practice.attachment_add").exists()


def test_a_removal_after_the_practice_was_submitted_meanwhile_is_refused(manager, draft):
    attachment = AttachmentFactory(practice=draft)
    Practice.objects.filter(pk=draft.pk).update(status=Practice.Status.SUBMITTED)

    with pytest.raises(ValidationError):
        attachment_remove(attachment=attachment, actor=manager)

    assert Attachment.objects.filter(pk=attachment.pk).exists()


@pytest.fixture
def submitted_after_the_views_check(monkeypatch):
    """The view finds the practice editable; a submit commits right after its check."""
    real = practice_views._editable

    def editable_then_submitted(request, slug):
        practice = real(request, slug)
        Practice.objects.filter(pk=practice.pk).update(status=Practice.Status.SUBMITTED)
        return practice

    monkeypatch.setattr(practice_views, "_editable", editable_then_submitted)


@pytest.mark.usefixtures("submitted_after_the_views_check")
def test_an_upload_racing_a_submit_is_refused_on_the_page(login, manager, draft):
    response = login(manager).post(
        edit_url(draft),
        {
            **edit_data(draft, summary="Typed during the race."),
            "attach": "",
            "file": upload("chart.png", PNG_BYTES),
        },
    )

    assert response.status_code == 400
    message = TEXT_NO_LONGER_EDITABLE % {"status": Practice.Status.SUBMITTED.label}
    html = response.content.decode()
    assert escape(message) in html
    assert "Typed during the race." in html
    assert not Attachment.objects.exists()
    assert stored_files(draft) == []


@pytest.mark.usefixtures("submitted_after_the_views_check")
def test_a_removal_racing_a_submit_is_refused_on_the_page(login, manager, draft):
    attachment = AttachmentFactory(practice=draft)

    response = login(manager).post(
        edit_url(draft), {**edit_data(draft), "remove_attachment": attachment.pk}
    )

    assert response.status_code == 400
    message = TEXT_NO_LONGER_EDITABLE % {"status": Practice.Status.SUBMITTED.label}
    assert escape(message) in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- the service behind the edit form: text and file in one transaction -----------------


def _save_kwargs(practice, **data):
    return {
        "practice": practice,
        "data": {"title": practice.title, "summary": practice.summary, **data},
        "ecosystems": list(practice.ecosystems.all()),
        "tags": [],
    }


def test_the_text_and_the_file_are_saved_together(manager, draft):
    practice_save_with_files(
        actor=manager, upload=upload("a.pdf", PDF_BYTES), **_save_kwargs(draft, summary="Kept.")
    )

    draft.refresh_from_db()
    assert draft.summary == "Kept."
    assert draft.attachments.get().content_type == "application/pdf"


def test_a_refused_file_saves_no_text_either(manager, draft):
    with pytest.raises(ValidationError) as refused:
        practice_save_with_files(
            actor=manager,
            upload=upload("a.pdf", EXE_BYTES),
            **_save_kwargs(draft, summary="Not kept."),
        )

    assert file_errors(refused) == [str(FILE_TYPE_REFUSED)]
    draft.refresh_from_db()
    assert draft.summary != "Not kept."
    assert [e.verb for e in audit_events_for(draft)] == []


def test_removing_a_file_saves_the_text_with_it(manager, draft):
    attachment = AttachmentFactory(practice=draft)

    practice_save_with_files(actor=manager, remove=attachment, **_save_kwargs(draft, summary="S."))

    draft.refresh_from_db()
    assert draft.summary == "S."
    assert not draft.attachments.exists()


def test_an_outsider_cannot_save_with_files(other_manager, draft):
    with pytest.raises(PermissionDenied):
        practice_save_with_files(
            actor=other_manager, upload=upload("a.pdf", PDF_BYTES), **_save_kwargs(draft)
        )
    assert not Attachment.objects.exists()
