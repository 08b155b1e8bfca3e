from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusters.selectors import clusters_of_user
from core.files import serve_private_file
from core.forms import add_service_errors
from core.pagecache.fragments import deferred
from core.ratelimit import is_search, rate_limit
from core.slices import SlicedPaginator

from . import permissions as perms
from .forms import (
    PRACTICE_FORM_ID,
    AttachmentForm,
    InterestForm,
    ModerationForm,
    PracticeForm,
)
from .models import Practice
from .selectors import (
    moderation_queue,
    practice_get,
    practice_history,
    practice_related,
    practice_repository,
    practices_of_my_clusters,
    versions_of,
)
from .services import (
    OWN_PRACTICE,
    interest_express,
    practice_archive,
    practice_create,
    practice_publish,
    practice_reject,
    practice_request_changes,
    practice_save_with_files,
    practice_submit,
)

DRAFT_SAVED = _("Your draft is saved. Submit it when it is ready for the secretariat.")
SUBMITTED = _("Submitted: the secretariat will review it and you will be told the outcome.")
SAVED_AND_ATTACHED = _("Your draft is saved and the file is attached.")
SAVED_AND_DETACHED = _("Your draft is saved and the file was removed.")
FILE_NOT_KEPT = _(
    "Nothing was saved: see the messages below. Your text is still here; "
    "choose the file again before you attach it."
)
FILE_NOT_REMOVED = _(
    "Nothing was saved and the file was not removed: see the messages below. "
    "Your text is still here."
)
INTEREST_SENT = _("The cluster's managers have been told you want to transfer this practice.")
DECIDED = {
    "publish": _("The practice is published."),
    "request_changes": _("The authors have been asked for changes."),
    "reject": _("The practice was rejected."),
}
ARCHIVED = _("The practice is archived: it no longer appears in the repository.")


@require_http_methods(["GET", "HEAD"])
@rate_limit("search", when=is_search)
def repository(request):
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "practices/repository.html",
        {
            # Read by the shared fragment only: not computed when it comes from the cache.
            "repository": deferred(_repository_page, data=request.GET),
            "querystring": query.urlencode(),
            "can_create": perms.can_create_practice(request.user),
        },
    )


def _repository_page(data) -> dict:
    filterset, results = practice_repository(data=data)
    return {"filter": filterset, "page_obj": Paginator(results, 20).get_page(data.get("page"))}


@login_required
@require_http_methods(["GET", "HEAD"])
def mine(request):
    return render(
        request,
        "practices/mine.html",
        {
            "practices": practices_of_my_clusters(user=request.user),
            "can_create": perms.can_create_practice(request.user),
        },
    )


def _my_clusters(user):
    return clusters_of_user(user=user)


def _save(request, form, practice=None, *, upload=None, remove=None):
    """Create, or update with the file chosen and the one to remove; submit too when that
    button was pressed."""
    data = {
        k: v for k, v in form.cleaned_data.items() if k not in {"ecosystems", "tags", "cluster"}
    }
    kwargs = {"ecosystems": form.cleaned_data["ecosystems"], "tags": form.cleaned_data["tags"]}
    if practice is None:
        practice = practice_create(
            actor=request.user, cluster=form.cleaned_data["cluster"], data=data, **kwargs
        )
    else:
        practice = practice_save_with_files(
            practice=practice, actor=request.user, data=data, upload=upload, remove=remove, **kwargs
        )
    if "submit" in request.POST:
        practice_submit(practice=practice, actor=request.user)
        messages.success(request, SUBMITTED)
        return redirect(practice)
    if upload is not None:
        messages.success(request, SAVED_AND_ATTACHED)
    elif remove is not None:
        messages.success(request, SAVED_AND_DETACHED)
    else:
        messages.success(request, DRAFT_SAVED)
    return redirect("practices:edit", slug=practice.slug)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not perms.can_create_practice(request.user):
        raise PermissionDenied
    clusters = _my_clusters(request.user)
    if request.method == "POST":
        form = PracticeForm(request.POST, clusters=clusters)
        if form.is_valid():
            try:
                return _save(request, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
        return render(request, "practices/form.html", {"form": form}, status=400)
    return render(request, "practices/form.html", {"form": PracticeForm(clusters=clusters)})


def _moderation_record(user, practice) -> dict:
    """The versions submitted and the moderation history with the reviewers' comments:
    internal, for the cluster's team and the secretariat only."""
    if not perms.can_see_moderation(user, practice):
        return {"history": [], "versions": []}
    return {
        "history": practice_history(practice=practice),
        "versions": versions_of(practice=practice),
    }


@require_http_methods(["GET", "HEAD"])
def detail(request, slug):
    practice = practice_get(slug=slug, user=request.user, related=False)
    user = request.user
    context = {
        "practice": practice,
        **_moderation_record(user, practice),
        # Computed only when the page renders it (not when it comes from the shared cache).
        "related": deferred(practice_related, practice=practice),
        "can_edit": perms.can_edit_practice(user, practice),
        "can_moderate": perms.can_moderate_practice(user, practice),
        "can_archive": perms.can_archive_practice(user, practice),
        "can_express_interest": perms.can_express_interest(user, practice),
        "already_interested": user.is_authenticated
        and practice.interests.filter(user=user).exists(),
        "moderation_form": ModerationForm(),
        "interest_form": InterestForm(),
    }
    return render(request, "practices/detail.html", context)


def _editable(request, slug) -> Practice:
    practice = practice_get(slug=slug, user=request.user)
    if not perms.can_edit_practice(request.user, practice):
        raise PermissionDenied
    return practice


def _render_edit(request, practice, form, attachment_form=None, status=200):
    return render(
        request,
        "practices/form.html",
        {
            "form": form,
            "practice": practice,
            "attachment_form": attachment_form or AttachmentForm(),
            "attachments": practice.attachments.all(),
            "form_id": PRACTICE_FORM_ID,
        },
        status=status,
    )


def _attachment_to_remove(request, practice):
    """The attachment whose Remove button sent the form, if one did (404 if not this
    practice's)."""
    pk = request.POST.get("remove_attachment")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(practice.attachments, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    """The edit form carries the Attachments box too: "Save and attach" and each "Remove"
    send the text typed so far with the file, so nothing typed is ever lost."""
    practice = _editable(request, slug)
    clusters = _my_clusters(request.user)
    if request.method == "POST":
        form = PracticeForm(request.POST, instance=practice, clusters=clusters)
        attachment_form = AttachmentForm(
            request.POST, request.FILES, attaching="attach" in request.POST
        )
        remove = _attachment_to_remove(request, practice)
        if form.is_valid() and attachment_form.is_valid():
            try:
                return _save(
                    request,
                    form,
                    Practice.objects.get(pk=practice.pk),
                    upload=attachment_form.cleaned_data["file"],
                    remove=remove,
                )
            except ValidationError as exc:
                _add_save_errors(form, attachment_form, exc)
        if request.FILES:
            messages.warning(request, FILE_NOT_KEPT)
        elif remove is not None:
            messages.warning(request, FILE_NOT_REMOVED)
        # Validation wrote the posted values onto the instance: show the stored one (which
        # may have been submitted meanwhile; the form says so and keeps the typing).
        stored = practice_get(slug=slug, user=request.user)
        return _render_edit(request, stored, form, attachment_form, status=400)
    return _render_edit(request, practice, PracticeForm(instance=practice, clusters=clusters))


def _add_save_errors(form, attachment_form, exc: ValidationError) -> None:
    """A refused file is shown next to the file field; the rest on the edit form."""
    if hasattr(exc, "error_dict") and "file" in exc.error_dict:
        attachment_form.add_error("file", exc.error_dict.pop("file"))
        if not exc.error_dict:
            return
    add_service_errors(form, exc)


@login_required
@require_POST
def submit(request, slug):
    practice = _editable(request, slug)
    practice_submit(practice=practice, actor=request.user)
    messages.success(request, SUBMITTED)
    return redirect(practice)


@require_http_methods(["GET", "HEAD"])
def attachment_download(request, slug, pk):
    """Served only to those who may see the practice; never rendered inline as HTML."""
    practice = practice_get(slug=slug, user=request.user)
    attachment = get_object_or_404(practice.attachments, pk=pk)
    return serve_private_file(attachment)


MODERATION_ROW_FIELDS = ("title", "slug", "category", "submitted_at", "cluster__name")


@login_required
@require_http_methods(["GET", "HEAD"])
def moderation(request):
    if not perms.can_moderate_practice(request.user):
        raise PermissionDenied
    # What a row shows: the practices' texts, cluster profiles and ecosystems stay unread.
    queue = moderation_queue().prefetch_related(None).only(*MODERATION_ROW_FIELDS)
    page = SlicedPaginator(queue, 30).get_page(request.GET.get("page"))
    return render(request, "practices/moderation.html", {"page_obj": page})


@login_required
@require_POST
def moderate(request, slug):
    practice = practice_get(slug=slug, user=request.user)
    if not perms.can_moderate_practice(request.user):
        raise PermissionDenied
    if perms.is_practice_party(request.user, practice):
        messages.error(request, OWN_PRACTICE)
        return redirect(practice)
    form = ModerationForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        service = {
            "publish": practice_publish,
            "request_changes": practice_request_changes,
            "reject": practice_reject,
        }[decision]
        try:
            service(practice=practice, actor=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:  # wrong state: the form is no longer shown for it, so say it here
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, DECIDED[decision])
            return redirect("practices:moderation")
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            **_moderation_record(request.user, practice),
            "related": [],
            "can_moderate": perms.can_moderate_practice(request.user, practice),
            "moderation_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def archive(request, slug):
    practice = practice_get(slug=slug, user=request.user)
    if perms.can_moderate_practice(request.user) and perms.is_practice_party(
        request.user, practice
    ):
        messages.error(request, OWN_PRACTICE)
        return redirect(practice)
    if not perms.can_archive_practice(request.user, practice):
        raise PermissionDenied
    practice_archive(practice=practice, actor=request.user)
    messages.success(request, ARCHIVED)
    return redirect(practice)


@login_required
@require_POST
def interest(request, slug):
    practice = practice_get(slug=slug, user=request.user)
    if not perms.can_express_interest(request.user, practice):
        raise PermissionDenied
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            interest_express(
                practice=practice, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, INTEREST_SENT)
        return redirect(practice)
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "history": [],
            "versions": [],
            "related": [],
            "can_express_interest": True,
            "interest_form": form,
        },
        status=400,
    )
