"""What practices shows on composed pages (core.panels)."""

from typing import Any

from django.http import HttpRequest

from core.panels import Panel, register

from .models import Practice
from .selectors import published_practices_of


def home_figures(request: HttpRequest) -> dict[str, Any]:
    return {"count": Practice.objects.published().count()}


def home_latest(request: HttpRequest) -> dict[str, Any] | None:
    practices = list(
        Practice.objects.published()
        .select_related("cluster")
        .prefetch_related("ecosystems")
        .order_by("-published_at")[:3]
    )
    return {"practices": practices} if practices else None


def cluster_profile(request: HttpRequest, *, cluster) -> dict[str, Any]:
    return {"practices": published_practices_of(cluster=cluster)}


register(Panel("home_figures", "practices", "practices/panels/home_figures.html", home_figures, 20))
register(Panel("home", "practices", "practices/panels/home_latest.html", home_latest, 30))
register(
    Panel("cluster_profile", "practices", "practices/panels/cluster_profile.html", cluster_profile)
)
