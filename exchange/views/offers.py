"""A host team publishes and edits its offers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors

from .. import permissions as perms
from ..forms import OfferForm
from ..selectors import call_taking_offers, clusters_hosting, host_of_offer, offer_get
from ..services import offer_create, offer_update
from .common import NOT_HOST, OFFER_SAVED, _int


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request):
    call = call_taking_offers(pk=_int(request.GET.get("call")))
    hosts = clusters_hosting(user=request.user)
    if not hosts.exists():
        raise PermissionDenied(NOT_HOST)
    form = OfferForm(request.POST or None, hosts=hosts)
    if request.method == "POST":
        if form.is_valid():
            try:
                offer = offer_create(actor=request.user, call=call, **form.service_kwargs())
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
    form = OfferForm(request.POST or None, instance=offer, hosts=host_of_offer(offer=offer))
    context = {"form": form, "call": offer.call, "offer": offer}
    if request.method == "POST":
        if form.is_valid():
            try:
                # The service reads the offer again under a lock: the form's instance
                # already carries the new values.
                offer = offer_update(offer=offer, actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, OFFER_SAVED)
                return redirect(offer)
        return render(request, "exchange/offer_form.html", context, status=400)
    return render(request, "exchange/offer_form.html", context)
