from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import Cluster
from core.files import serve_private_file
from core.forms import add_service_errors
from core.ratelimit import is_search, rate_limit

from . import permissions as perms
from .exports import applications_csv
from .forms import (
    ApplicationForm,
    CallFilterForm,
    DecisionForm,
    OfferForm,
    ReportForm,
    ReviewForm,
    WithdrawForm,
)
from .funding import compute_funding
from .models import ApplicantKind, Application, Call, Offer
from .selectors import (
    NEXT_STEP,
    application_get,
    applications_of_call,
    call_get,
    calls_visible,
    clusters_hosting,
    decision_queue,
    funded_places_used,
    my_applications,
    offer_get,
    offers_of_call,
    offers_of_my_clusters,
    open_offers,
    review_queue,
    suggested_offers,
    timeline,
)
from .services import (
    HOST_TEAM_DECISION,
    OWN_APPLICATION,
    OWN_CLUSTER,
    application_create,
    application_decide,
    application_review,
    application_submit,
    application_update,
    application_withdraw,
    eligibility_problems,
    funding_for,
    offer_create,
    offer_update,
    report_submit,
)

S = Application.Status
DRAFT_SAVED = _("Your draft is saved. Check the rules and the funding below, then submit it.")
SUBMITTED = _("Submitted: the host cluster has been told and will review it.")
RESUBMITTED = _("Resubmitted: the secretariat has been told.")
RESUBMITTED_TO_HOST = _(
    "Resubmitted: you changed the dates, the offer or your organisation, so the host "
    "reviews it again. The host has been told."
)
WITHDRAWN = _("Your application is withdrawn.")
REVIEWED = _("Thank you: the applicant and the secretariat have been told.")
DECIDED = _("Decision recorded: the applicant has been told.")
REPORTED = _("Thank you for your report: the exchange is completed.")
OFFER_SAVED = _("The offer is saved.")
CALL_CLOSED = _("The call is not open: applications cannot be started now.")
NOT_HOST = _("Only the team of a cluster in the network can publish offers.")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@require_http_methods(["GET", "HEAD"])
@rate_limit("search", when=is_search)
def index(request):
    filterset, offers = open_offers(data=request.GET)
    page = Paginator(offers, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    calls = list(calls_visible())
    return render(
        request,
        "exchange/index.html",
        {
            "open_calls": [c for c in calls if c.is_open],
            "upcoming_calls": [c for c in calls if c.status == Call.Status.UPCOMING],
            "filter": filterset,
            "page_obj": page,
            "querystring": query.urlencode(),
            "suggestions": suggested_offers(user=request.user),
            "can_offer": clusters_hosting(user=request.user).exists(),
        },
    )


@require_http_methods(["GET", "HEAD"])
def call_detail(request, pk):
    call = call_get(pk=pk)
    user = request.user
    return render(
        request,
        "exchange/call_detail.html",
        {
            "call": call,
            "offers": offers_of_call(call=call),
            "places_used": funded_places_used(call=call),
            "can_apply": perms.can_apply(user, call),
            "can_offer": call.status != Call.Status.CLOSED and clusters_hosting(user=user).exists(),
            "is_secretariat": perms.is_secretariat(user),
        },
    )


@require_http_methods(["GET", "HEAD"])
def offer_detail(request, pk):
    offer = offer_get(pk=pk, user=request.user)
    user = request.user
    mine = (
        Application.objects.filter(offer=offer, applicant=user).exclude(status=S.WITHDRAWN).first()
        if user.is_authenticated
        else None
    )
    return render(
        request,
        "exchange/offer_detail.html",
        {
            "offer": offer,
            "call": offer.call,
            "places_left": max(offer.capacity - offer.taken, 0),
            "can_apply": perms.can_apply_to_offer(user, offer) and mine is None,
            "is_host_team": perms.is_cluster_team(user, offer.host_id),
            "my_application": mine,
            "can_edit": perms.can_edit_offer(user, offer),
        },
    )


def _offer_call(request) -> Call:
    call = get_object_or_404(Call, pk=_int(request.GET.get("call")))
    if call.status == Call.Status.CLOSED:
        raise Http404
    return call


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request):
    call = _offer_call(request)
    hosts = clusters_hosting(user=request.user)
    if not hosts.exists():
        raise PermissionDenied(NOT_HOST)
    form = OfferForm(request.POST or None, hosts=hosts)
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"host", "ecosystems"}}
            try:
                offer = offer_create(
                    actor=request.user,
                    call=call,
                    host=form.cleaned_data["host"],
                    data=data,
                    ecosystems=form.cleaned_data["ecosystems"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, OFFER_SAVED)
                return redirect(offer)
        return render(request, "exchange/offer_form.html", {"form": form, "call": call}, status=400)
    return render(request, "exchange/offer_form.html", {"form": form, "call": call})


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk):
    offer = offer_get(pk=pk, user=request.user)
    if not perms.can_edit_offer(request.user, offer):
        raise PermissionDenied
    hosts = Cluster.objects.filter(pk=offer.host_id)
    form = OfferForm(request.POST or None, instance=offer, hosts=hosts)
    context = {"form": form, "call": offer.call, "offer": offer}
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "ecosystems"}
            try:
                offer = offer_update(
                    offer=Offer.objects.get(pk=offer.pk),
                    actor=request.user,
                    data=data,
                    ecosystems=form.cleaned_data["ecosystems"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, OFFER_SAVED)
                return redirect(offer)
        return render(request, "exchange/offer_form.html", context, status=400)
    return render(request, "exchange/offer_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def applications(request):
    rows = [(a, NEXT_STEP[a.status]) for a in my_applications(user=request.user)]
    return render(request, "exchange/applications.html", {"rows": rows})


def _target(request):
    """The offer (``?offer=``) or, for calls with open applications, the call (``?call=``)."""
    if "offer" in request.GET:
        offer = get_object_or_404(
            Offer.objects.select_related("call", "host"), pk=_int(request.GET["offer"])
        )
        if not offer.is_active:
            raise Http404
        return offer.call, offer
    call = get_object_or_404(Call, pk=_int(request.GET.get("call")), open_applications=True)
    return call, None


def _hosts_for(call, user):
    if call.open_applications:
        return Cluster.objects.active().exclude(memberships__user=user).order_by("name")
    return None


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    call, offer = _target(request)
    if not perms.can_apply(request.user, call):
        messages.error(request, CALL_CLOSED)
        return redirect(offer or call)
    hosts = _hosts_for(call, request.user) if offer is None else None
    form = ApplicationForm(request.POST or None, user=request.user, call=call, hosts=hosts)
    context = {"form": form, "call": call, "offer": offer}
    if offer is not None and perms.is_cluster_team(request.user, offer.host_id):
        context["refusal"] = OWN_CLUSTER % {"host": offer.host.name}
    if request.method == "POST":
        if "preview" in request.POST and form.is_valid():
            host = offer.host if offer is not None else form.cleaned_data["host"]
            context["funding"] = _preview(call, host, form.cleaned_data)
            return render(request, "exchange/application_form.html", context)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "host"}
            try:
                application = application_create(
                    actor=request.user,
                    call=call,
                    offer=offer,
                    host=form.cleaned_data.get("host"),
                    data=data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, DRAFT_SAVED)
                return redirect(application)
        return render(request, "exchange/application_form.html", context, status=400)
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
    versions = list(application.versions.select_related("created_by"))
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
        "decisions": application.decisions.select_related("decided_by"),
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
    form = ApplicationForm(
        request.POST or None, instance=application, user=request.user, call=application.call
    )
    context = {
        "form": form,
        "call": application.call,
        "offer": application.offer,
        "application": application,
        "funding": funding_for(application),
    }
    if request.method == "POST":
        if "preview" in request.POST and form.is_valid():
            context["funding"] = _preview(application.call, application.host, form.cleaned_data)
            return render(request, "exchange/application_form.html", context)
        if form.is_valid():
            try:
                application_update(
                    application=application, actor=request.user, data=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, DRAFT_SAVED)
                return redirect(application)
        return render(request, "exchange/application_form.html", context, status=400)
    return render(request, "exchange/application_form.html", context)


def _act(request, pk, *, allowed, role, service, done, form_class=None, form_key=None):
    """Run one transition from the application page. ``allowed`` says whether the user
    may take it now, ``role`` whether they could at all: someone who could, but finds
    the state moved on (another person acted first), is told so. A refusal shows the page
    again with the reason (400). ``done`` is the success message, or gives it from the
    state the application was in and the application the service returned."""
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
    try:
        result = service(application, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            add_service_errors(form, exc)
            context = _detail_context(request, application, **{form_key: form})
        else:
            context = _detail_context(request, application)
            context["action_errors"] = exc.messages
        return render(request, "exchange/application_detail.html", context, status=400)
    messages.success(request, done(before, result) if callable(done) else done)
    return redirect(application)


def _submitted_message(before, application):
    if before != S.MORE_INFO:
        return SUBMITTED
    return RESUBMITTED if application.status == S.HOST_ACCEPTED else RESUBMITTED_TO_HOST


@login_required
@require_POST
def application_submit_view(request, pk):
    def service(application, _data):
        return application_submit(application=application, actor=request.user)

    return _act(
        request,
        pk,
        allowed=perms.can_edit_application,
        role=perms.is_applicant,
        service=service,
        done=_submitted_message,
    )


@login_required
@require_POST
def application_withdraw_view(request, pk):
    def service(application, data):
        return application_withdraw(
            application=application, actor=request.user, comment=data["comment"]
        )

    return _act(
        request,
        pk,
        allowed=perms.can_withdraw,
        role=perms.is_applicant,
        service=service,
        done=WITHDRAWN,
        form_class=WithdrawForm,
        form_key="withdraw_form",
    )


@login_required
@require_POST
def application_review_view(request, pk):
    def service(application, data):
        return application_review(
            application=application,
            actor=request.user,
            recommendation=data["recommendation"],
            comment=data["comment"],
        )

    return _act(
        request,
        pk,
        allowed=perms.can_review,
        role=perms.is_reviewer,
        service=service,
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

    def service(application, data):
        return application_decide(
            application=application,
            actor=request.user,
            outcome=data["outcome"],
            message=data["message"],
            funding_granted=data["funding_granted"],
        )

    return _act(
        request,
        pk,
        allowed=perms.can_decide,
        role=lambda user, _application: perms.is_secretariat(user),
        service=service,
        done=DECIDED,
        form_class=DecisionForm,
        form_key="decision_form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_report(request, pk):
    application = application_get(pk=pk, user=request.user)
    if not perms.can_report(request.user, application):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "application": application}
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "attachments"}
            try:
                report_submit(
                    application=application,
                    actor=request.user,
                    data=data,
                    files=form.cleaned_data["attachments"],
                )
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
    report = getattr(application, "report", None)
    if report is None:
        raise Http404
    attachment = get_object_or_404(report.attachments, pk=file_pk)
    return serve_private_file(attachment)


@login_required
@require_http_methods(["GET", "HEAD"])
def review(request):
    hosts = clusters_hosting(user=request.user)
    if not hosts.exists():
        raise PermissionDenied
    page = Paginator(review_queue(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/review.html",
        {
            "page_obj": page,
            "offers": offers_of_my_clusters(user=request.user),
            "open_calls": [c for c in calls_visible() if c.status != Call.Status.CLOSED],
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def decisions(request):
    if not perms.is_secretariat(request.user):
        raise PermissionDenied
    form = CallFilterForm(request.GET)
    call = form.cleaned_data["call"] if form.is_valid() else None
    queue = decision_queue(call=call) if form.is_valid() else Application.objects.none()
    page = Paginator(queue, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchange/decisions.html",
        {"page_obj": page, "form": form, "call": call, "querystring": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
@rate_limit("export")
def call_export(request, pk):
    if not perms.is_secretariat(request.user):
        raise PermissionDenied
    call = call_get(pk=pk)
    body = applications_csv(applications_of_call(call=call).prefetch_related("decisions"))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applications-call-{call.pk}.csv"'
    return response
