from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_http_methods

from actionplan.selectors import plan_summary
from clusters.models import Cluster
from clusters.selectors import network_counts
from exchange.selectors import calls_visible
from practices.models import Practice


@require_http_methods(["GET", "HEAD"])
def home(request):
    newest = Cluster.objects.active().prefetch_related("ecosystems").order_by("-created")[:6]
    practices = (
        Practice.objects.published()
        .select_related("cluster")
        .prefetch_related("ecosystems")
        .order_by("-published_at")[:3]
    )
    counts = {**network_counts(), "practices": Practice.objects.published().count()}
    return render(
        request,
        "core/home.html",
        {
            "counts": counts,
            "newest": newest,
            "practices": practices,
            "plan": plan_summary(),
            "calls": calls_visible()[:3],
        },
    )


@require_http_methods(["GET", "HEAD"])
def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)
