"""The transitions taken from an application's page, and the visit report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.files import serve_private_file
from core.forms import add_service_errors
from core.ratelimit import rate_limit

from .. import permissions as perms
from ..forms import DecisionForm, MessageForm, ReportForm, ReviewForm, WithdrawForm
from ..selectors import application_get, report_attachment_get
from ..services import (
    HOST_TEAM_DECISION,
    OWN_APPLICATION,
    REPORT_NOT_OPEN,
    application_decide,
    application_mark_paid,
    application_message_post,
    application_review,
    application_submit,
    application_withdraw,
    report_submit,
)
from .applications import _detail_context
from .common import (
    DECIDED,
    MESSAGE_SENT,
    PAID,
    REPORTED,
    RESUBMITTED,
    RESUBMITTED_TO_HOST,
    REVIEWED,
    SUBMITTED,
    WITHDRAWN,
    S,
)


def _act(request, pk, *, allowed, role, service, done, form_class=None, form_key=None, anchor=""):
    """Run one transition from the application page. ``allowed`` says whether the user
    may take it now, ``role`` whether they could at all: someone who could, but finds
    the state moved on (another person acted first), is told so. A refusal shows the page
    again with the reason (400). ``done`` is the success message, or gives it from the
    state the application was in and the application the service returned. ``service``
    is called with the application, the actor and the form's ``service_kwargs()``."""
    application = application_get(pk=pk, user=request.user)
    if not allowed(request.user, application):
        if role(request.user, application):
            messages.error(
                request,
                _("This application is now “%(status)s”: your action was not taken.")
                % {"status": application.get_status_display()},
            )
            return redirect(application)
        raise PermissionDenied
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        context = _detail_context(request, application, **{form_key: form})
        return render(request, "exchange/application_detail.html", context, status=400)
    before = application.status
    kwargs = form.service_kwargs() if form is not None else {}
    try:
        result = service(application=application, actor=request.user, **kwargs)
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            add_service_errors(form, exc)
            context = _detail_context(request, application, **{form_key: form})
        else:
            context = _detail_context(request, application)
            context["action_errors"] = exc.messages
        return render(request, "exchange/application_detail.html", context, status=400)
    messages.success(request, done(before, result) if callable(done) else done)
    return redirect(application.get_absolute_url() + anchor)


def _submitted_message(before, application):
    if before != S.MORE_INFO:
        return SUBMITTED
    return RESUBMITTED if application.status == S.HOST_ACCEPTED else RESUBMITTED_TO_HOST


@login_required
@require_POST
def application_submit_view(request, pk):
    return _act(
        request,
        pk,
        allowed=perms.can_edit_application,
        role=perms.is_applicant,
        service=application_submit,
        done=_submitted_message,
    )


@login_required
@require_POST
def application_withdraw_view(request, pk):
    return _act(
        request,
        pk,
        allowed=perms.can_withdraw,
        role=perms.is_applicant,
        service=application_withdraw,
        done=WITHDRAWN,
        form_class=WithdrawForm,
        form_key="withdraw_form",
    )


@login_required
@require_POST
def application_review_view(request, pk):
    return _act(
        request,
        pk,
        allowed=perms.can_review,
        role=perms.is_reviewer,
        service=application_review,
        done=REVIEWED,
        form_class=ReviewForm,
        form_key="review_form",
    )


@login_required
@require_POST
def application_decide_view(request, pk):
    application = application_get(pk=pk, user=request.user)
    if perms.is_secretariat(request.user):
        for conflict, message in (
            (perms.is_party, OWN_APPLICATION),
            (perms.is_host_party, HOST_TEAM_DECISION),
        ):
            if conflict(request.user, application):
                messages.error(request, message)
                return redirect(application)
    return _act(
        request,
        pk,
        allowed=perms.can_decide,
        role=lambda user, _application: perms.is_secretariat(user),
        service=application_decide,
        done=DECIDED,
        form_class=DecisionForm,
        form_key="decision_form",
    )


def _per_user(request):
    """Count a signed-in person's requests against them, wherever they send them from."""
    return f"user:{request.user.pk}" if request.user.is_authenticated else None


@login_required
@require_POST
@rate_limit("message", key=_per_user)
def application_message_view(request, pk):
    """Write in the application's thread (its people only; the others are notified)."""
    return _act(
        request,
        pk,
        allowed=perms.can_message,
        role=perms.can_message,
        service=application_message_post,
        done=MESSAGE_SENT,
        form_class=MessageForm,
        form_key="message_form",
        anchor="#messages",
    )


@login_required
@require_POST
def application_paid_view(request, pk):
    """The secretariat marks the grant paid, once the report is in."""
    application = application_get(pk=pk, user=request.user)
    if perms.is_secretariat(request.user) and perms.is_party(request.user, application):
        messages.error(request, OWN_APPLICATION)
        return redirect(application)
    # The service says why a grant cannot be marked paid (not completed, already paid).
    return _act(
        request,
        pk,
        allowed=lambda user, _application: perms.is_secretariat(user),
        role=lambda user, _application: perms.is_secretariat(user),
        service=application_mark_paid,
        done=PAID,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_report(request, pk):
    application = application_get(pk=pk, user=request.user)
    if perms.is_applicant(request.user, application) and application.status == S.APPROVED:
        # Not a dead end: say when the report opens and when it is due.
        not_open = REPORT_NOT_OPEN % {
            "opens": formats.date_format(application.report_opens_on, "j F Y"),
            "due": formats.date_format(application.report_due_on, "j F Y"),
        }
        context = {"application": application, "not_open": not_open}
        status = 400 if request.method == "POST" else 200
        return render(request, "exchange/report_form.html", context, status=status)
    if not perms.can_report(request.user, application):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "application": application}
    if request.method == "POST":
        if form.is_valid():
            try:
                report_submit(application=application, actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, REPORTED)
                return redirect(application)
        return render(request, "exchange/report_form.html", context, status=400)
    return render(request, "exchange/report_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def report_attachment(request, pk, file_pk):
    """Served only to those who may see the application; never rendered inline as HTML."""
    application = application_get(pk=pk, user=request.user)
    return serve_private_file(report_attachment_get(application=application, pk=file_pk))
