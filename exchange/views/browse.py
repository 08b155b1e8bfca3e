"""The pages anyone browses, and the queues and export of the host teams and secretariat."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from core.pagecache.fragments import deferred
from core.pagecache.values import remember
from core.ratelimit import is_search, rate_limit
from core.slices import SlicedPaginator

from .. import permissions as perms
from ..exports import applications_csv
from ..forms import CallFilterForm
from ..models import Call
from ..selectors import (
    applications_of_call,
    call_get,
    calls_visible,
    clusters_hosting,
    decision_queue,
    funded_places_used,
    my_application_to_offer,
    my_applications_by_offer,
    no_applications,
    offer_get,
    offers_of_call,
    offers_of_my_clusters,
    open_offers,
    review_queue,
)
from ..selectors.suggestions import suggested_offers
from ..selectors.work import reviews_to_do
from ..services import apply_facts, apply_refusal


def _calls() -> dict:
    calls = list(calls_visible())
    return {
        "open_calls": [c for c in calls if c.is_open],
        "upcoming_calls": [c for c in calls if c.status == Call.Status.UPCOMING],
    }


def _suggestions_html(request) -> str:
    """ "Suggested for you", rendered once for the person and kept under the page cache's
    generation (any write to the offers, applications, clusters or the person changes it;
    the language and the date are in the key) and at most ``PAGE_CACHE_SECONDS``, as long as
    a cached page may show a call open after it closed."""
    user = request.user
    if not user.is_authenticated:
        return ""

    def render_them() -> str:
        offers = suggested_offers(user=user)
        if not offers:
            return ""
        context = {"suggestions": offers}
        return render_to_string("exchange/partials/suggestions.html", context, request=request)

    key = f"exchange:suggestions:{user.pk}:{get_language()}:{timezone.localdate().isoformat()}"
    html = remember(key, render_them, timeout=settings.PAGE_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308  # rendered by the template engine


def _offers_page(data) -> dict:
    filterset, offers = open_offers(data=data)
    return {"filter": filterset, "page_obj": Paginator(offers, 20).get_page(data.get("page"))}


@require_http_methods(["GET", "HEAD"])
@rate_limit("search", when=is_search)
def index(request):
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchange/index.html",
        {
            # Read by the shared fragments only: not computed when they come from the cache.
            "calls": deferred(_calls),
            "offers": deferred(_offers_page, data=request.GET),
            "querystring": query.urlencode(),
            "suggestions_html": _suggestions_html(request),
            "can_offer": clusters_hosting(user=request.user).exists(),
        },
    )


@require_http_methods(["GET", "HEAD"])
def call_detail(request, pk):
    call = call_get(pk=pk)
    user = request.user
    offers = list(offers_of_call(call=call))
    # Each offer says whether this person may apply, or why not, before any form.
    facts = apply_facts(user, call)
    mine = my_applications_by_offer(call=call, user=user)
    rows = [
        {
            "offer": offer,
            "mine": mine.get(offer.pk),
            "refusal": apply_refusal(user, call=call, offer=offer, facts=facts),
        }
        for offer in offers
    ]
    return render(
        request,
        "exchange/call_detail.html",
        {
            "call": call,
            "offer_rows": rows,
            "places_used": funded_places_used(call=call),
            "refusal": apply_refusal(user, call=call, facts=facts)
            if call.open_applications
            else None,
            "can_offer": call.status != Call.Status.CLOSED and clusters_hosting(user=user).exists(),
            "is_secretariat": perms.is_secretariat(user),
        },
    )


@require_http_methods(["GET", "HEAD"])
def offer_detail(request, pk):
    offer = offer_get(pk=pk, user=request.user, ecosystems=False)
    user = request.user
    mine = my_application_to_offer(offer=offer, user=user)
    refusal = apply_refusal(user, call=offer.call, offer=offer)
    return render(
        request,
        "exchange/offer_detail.html",
        {
            "offer": offer,
            "call": offer.call,
            "places_left": max(offer.capacity - offer.taken, 0),
            "refusal": refusal,
            "can_apply": refusal is None and mine is None,
            "is_host_team": perms.is_cluster_team(user, offer.host_id),
            "my_application": mine,
            "can_edit": perms.can_edit_offer(user, offer),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def review(request):
    hosts = clusters_hosting(user=request.user)
    if not hosts.exists():
        raise PermissionDenied
    # ?waiting=1: only those waiting for the user's review, the queue Your work counts.
    waiting = request.GET.get("waiting") == "1"
    queue = reviews_to_do(user=request.user) if waiting else review_queue(user=request.user)
    page = SlicedPaginator(queue, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/review.html",
        {
            "page_obj": page,
            "waiting": waiting,
            "querystring": "waiting=1" if waiting else "",
            "offers": offers_of_my_clusters(user=request.user),
            "open_calls": [c for c in calls_visible() if c.status != Call.Status.CLOSED],
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def decisions(request):
    if not perms.is_secretariat(request.user):
        raise PermissionDenied
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchange/decisions.html",
        {
            # Read by the shared fragment only (the same for the whole secretariat).
            "decisions": deferred(_decisions_page, data=request.GET),
            "querystring": query.urlencode(),
        },
    )


def _decisions_page(data) -> dict:
    form = CallFilterForm(data)
    call = form.cleaned_data["call"] if form.is_valid() else None
    queue = decision_queue(call=call) if form.is_valid() else no_applications()
    page = SlicedPaginator(queue, 30).get_page(data.get("page"))
    return {"page_obj": page, "form": form, "call": call}


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
