from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_http_methods

from clusters.models import Cluster
from clusters.selectors import network_counts


@require_http_methods(["GET", "HEAD"])
def home(request):
    newest = Cluster.objects.active().prefetch_related("ecosystems").order_by("-created")[:6]
    return render(request, "core/home.html", {"counts": network_counts(), "newest": newest})


@require_http_methods(["GET", "HEAD"])
def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)
