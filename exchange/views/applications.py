"""The applicant's pages: their applications, a new one, editing it, and its page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors

from .. import permissions as perms
from ..forms import ApplicationForm, DecisionForm, MessageForm, ReviewForm, WithdrawForm
from ..funding import compute_funding
from ..models import ApplicantKind, Application
from ..selectors import (
    NEXT_STEP,
    application_get,
    call_open_to_hosts,
    decisions_of,
    funded_places_used,
    hosts_to_apply_to,
    my_applications,
    offer_to_apply_to,
    thread_of,
    timeline,
    versions_of,
)
from ..selectors.contacts import host_person, host_persons
from ..services import (
    application_create,
    application_update,
    apply_refusal,
    eligibility_problems,
    funding_for,
    granted_amount,
)
from .common import DRAFT_SAVED, S, _int


@login_required
@require_http_methods(["GET", "HEAD"])
def applications(request):
    mine = list(my_applications(user=request.user))
    # Where "Plan your visit" is said, the host's person to plan it with.
    contacts = host_persons([a for a in mine if a.status in perms.CONTACTS_SHOWN])
    rows = [
        {"application": a, "next_step": NEXT_STEP[a.status], "contact": contacts.get(a.pk)}
        for a in mine
    ]
    return render(request, "exchange/applications.html", {"rows": rows})


def _target(request):
    """The offer (``?offer=``) or, for calls with open applications, the call (``?call=``)."""
    if "offer" in request.GET:
        offer = offer_to_apply_to(pk=_int(request.GET["offer"]))
        return offer.call, offer
    return call_open_to_hosts(pk=_int(request.GET.get("call"))), None


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    call, offer = _target(request)
    # The same rules as the offer and call pages, and as application_create: whoever
    # cannot apply is told why, before writing anything; a POST changes nothing.
    refusal = apply_refusal(request.user, call=call, offer=offer)
    if refusal is not None:
        context = {"call": call, "offer": offer, "refusal": refusal}
        status = 400 if request.method == "POST" else 200
        return render(request, "exchange/application_form.html", context, status=status)
    hosts = hosts_to_apply_to(call=call, user=request.user) if offer is None else None
    preview = "preview" in request.POST
    form = ApplicationForm(
        request.POST or None, user=request.user, call=call, hosts=hosts, for_funding=preview
    )
    context = {"form": form, "call": call, "offer": offer}
    if request.method == "POST":
        if preview:
            return _render_preview(request, form, context, call, offer.host if offer else None)
        if form.is_valid():
            try:
                application = application_create(
                    actor=request.user, call=call, offer=offer, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, DRAFT_SAVED)
                return redirect(application)
        return render(request, "exchange/application_form.html", context, status=400)
    return render(request, "exchange/application_form.html", context)


def _render_preview(request, form, context, call, host):
    """ "Compute the funding": only the dates, the distance (and the host) are needed;
    the rest of the form is kept as typed, unchecked until it is saved."""
    valid = form.is_valid()
    form.require_all_again()
    if not valid:
        return render(request, "exchange/application_form.html", context, status=400)
    context["funding"] = _preview(call, host or form.cleaned_data["host"], form.cleaned_data)
    return render(request, "exchange/application_form.html", context)


def _preview(call, host, data):
    """The funding these dates and this distance would receive; nothing is saved."""
    return compute_funding(
        call=call,
        host_country=host.country.code,
        start=data["start_date"],
        end=data["end_date"],
        distance_km=data["distance_km"],
    )


def _versions(application):
    """The versions submitted, each with its fields as (label, value) rows to show."""
    versions = versions_of(application=application)
    for version in versions:
        version.rows = [_version_row(key, value) for key, value in version.data.items()]
    return versions


def _version_row(key, value):
    try:
        label = Application._meta.get_field(key).verbose_name
    except FieldDoesNotExist:
        label = key.replace("_", " ")
    if key == "applicant_kind" and value in ApplicantKind.values:
        value = ApplicantKind(value).label
    return label, value


def _detail_context(request, application, **forms):
    user = request.user
    is_applicant = perms.is_applicant(user, application)
    can_edit = perms.can_edit_application(user, application)
    context = {
        "application": application,
        "timeline": timeline(application=application, user=user),
        "next_step": NEXT_STEP[application.status] if is_applicant else "",
        "is_applicant": is_applicant,
        "can_edit": can_edit,
        "problems": eligibility_problems(application) if can_edit else [],
        "funding": funding_for(application),
        "can_withdraw": perms.can_withdraw(user, application),
        "can_review": perms.can_review(user, application),
        "can_decide": perms.can_decide(user, application),
        "can_report": perms.can_report(user, application),
        "review": getattr(application, "review", None)
        if perms.can_see_review(user, application)
        else None,
        "decisions": decisions_of(application=application),
        "versions": _versions(application)
        if not is_applicant or perms.is_secretariat(user)
        else [],
        "report": getattr(application, "report", None),
        "review_form": forms.get("review_form") or ReviewForm(),
        "decision_form": forms.get("decision_form")
        or DecisionForm(initial={"funding_granted": application.funding_requested}),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }
    if application.status == S.HOST_ACCEPTED and context["can_decide"]:
        context["places_used"] = funded_places_used(call=application.call)
    can_message = perms.can_message(user, application)
    context["can_message"] = can_message
    if can_message:
        context["thread"] = thread_of(application=application)
        context["message_form"] = forms.get("message_form") or MessageForm()
    if perms.can_see_contacts(user, application):
        # Who applicant and host write to about the visit (else the host cluster's address).
        context["contacts"] = {
            "applicant": application.applicant,
            "host_person": host_person(application),
            "host_email": application.host.contact_email,
        }
    if application.status in {S.APPROVED, S.REPORT_DUE}:
        context["report_dates"] = {
            "opens": application.report_opens_on,
            "due": application.report_due_on,
            "overdue": application.report_due_on < timezone.localdate(),
        }
    if application.status == S.COMPLETED and (is_applicant or perms.is_secretariat(user)):
        context["payment"] = {
            "paid_at": application.paid_at,
            "amount": granted_amount(application),
            "can_mark_paid": perms.can_mark_paid(user, application),
        }
    return context


@login_required
@require_http_methods(["GET", "HEAD"])
def application_detail(request, pk):
    application = application_get(pk=pk, user=request.user)
    return render(
        request, "exchange/application_detail.html", _detail_context(request, application)
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = application_get(pk=pk, user=request.user)
    if not perms.can_edit_application(request.user, application):
        raise PermissionDenied
    preview = "preview" in request.POST
    form = ApplicationForm(
        request.POST or None,
        instance=application,
        user=request.user,
        call=application.call,
        for_funding=preview,
    )
    context = {
        "form": form,
        "call": application.call,
        "offer": application.offer,
        "application": application,
        "funding": funding_for(application),
    }
    if request.method == "POST":
        if preview:
            return _render_preview(request, form, context, application.call, application.host)
        if form.is_valid():
            try:
                application_update(
                    application=application, actor=request.user, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, DRAFT_SAVED)
                return redirect(application)
        return render(request, "exchange/application_form.html", context, status=400)
    return render(request, "exchange/application_form.html", context)
