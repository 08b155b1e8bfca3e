from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "HEAD"])
def home(request):
    # The sections come from what the features registered for the slots
    # "home_figures" and "home" (core.panels), so this page imports none of them.
    return render(request, "portal/home.html")


@require_http_methods(["GET", "HEAD"])
@login_required
def dashboard(request):
    # "Your work": one block per queue the person has, each registered by its
    # feature in the slot "work" (core.work), so this page imports none of them.
    return render(request, "portal/dashboard.html")


@require_http_methods(["GET", "HEAD"])
def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)
