from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import registry
from .forms import CHANNEL_CHOICES, PreferencesForm, SetAllForm
from .models import Notification
from .selectors import digest_hour_of, preferences_for
from .selectors import inbox as inbox_selector
from .services import notification_mark_read, notifications_mark_all_read, preferences_save

PREFERENCES_SAVED = _("Your notification preferences have been saved.")
ALL_READ = _("All your notifications are marked as read.")
ALL_SET = _("Every kind of message is now set to “%(channel)s”.")


def _own(request, pk) -> Notification:
    # Another person's notification is a 404: its existence is private.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request):
    page = Paginator(inbox_selector(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "HEAD"])
def open_notification(request, pk):
    """Follow a notification's link; opening it marks it read."""
    notification = _own(request, pk)
    notification_mark_read(notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk):
    notification_mark_read(notification=_own(request, pk))
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    notifications_mark_all_read(user=request.user)
    messages.success(request, ALL_READ)
    return redirect("notifications:inbox")


def _preferences_page(request, *, form=None, set_all_form=None, status=200):
    kinds = registry.kinds_for(request.user)
    if form is None:
        form = PreferencesForm(
            kinds=kinds,
            initial_channels=preferences_for(user=request.user),
            digest_hour=digest_hour_of(user=request.user),
        )
    context = {"form": form, "set_all_form": set_all_form or SetAllForm()}
    return render(request, "notifications/preferences.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """The digest hour and a channel per kind, for the kinds that can reach the person."""
    if request.method == "POST":
        form = PreferencesForm(
            request.POST,
            kinds=registry.kinds_for(request.user),
            initial_channels=preferences_for(user=request.user),
            digest_hour=digest_hour_of(user=request.user),
        )
        if form.is_valid():
            preferences_save(
                user=request.user,
                channels=form.channels(),
                digest_hour=form.cleaned_data["digest_hour"],
            )
            messages.success(request, PREFERENCES_SAVED)
            return redirect("notifications:preferences")
        return _preferences_page(request, form=form, status=400)
    return _preferences_page(request)


@login_required
@require_POST
def preferences_set_all(request):
    """One channel for every kind the person can receive (no JavaScript needed)."""
    form = SetAllForm(request.POST)
    if not form.is_valid():
        return _preferences_page(request, set_all_form=form, status=400)
    channel = form.cleaned_data["set_all"]
    kinds = registry.kinds_for(request.user)
    preferences_save(user=request.user, channels={kind.name: channel for kind in kinds})
    messages.success(request, ALL_SET % {"channel": dict(CHANNEL_CHOICES)[channel]})
    return redirect("notifications:preferences")
