from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import PreferencesForm
from .models import Notification
from .selectors import inbox as inbox_selector
from .selectors import preferences_for
from .services import notification_mark_read, notifications_mark_all_read, preferences_save

PREFERENCES_SAVED = _("Your notification preferences have been saved.")
ALL_READ = _("All your notifications are marked as read.")


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


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    initial = preferences_for(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, initial_channels=initial)
        if form.is_valid():
            preferences_save(user=request.user, channels=form.cleaned_data)
            messages.success(request, PREFERENCES_SAVED)
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    form = PreferencesForm(initial_channels=initial)
    return render(request, "notifications/preferences.html", {"form": form})
