"""What clusters shows on composed pages (core.panels)."""

from typing import Any

from django.http import HttpRequest

from core.panels import Panel, register

from .models import Cluster
from .selectors import join_requests_of, memberships_of, network_counts


def home_figures(request: HttpRequest) -> dict[str, Any]:
    return {"counts": network_counts()}


def home_newest(request: HttpRequest) -> dict[str, Any]:
    newest = Cluster.objects.active().prefetch_related("ecosystems").order_by("-created")[:6]
    return {"newest": newest}


def account_clusters(request: HttpRequest, *, user) -> dict[str, Any]:
    return {"memberships": memberships_of(user=user), "join_requests": join_requests_of(user=user)}


register(Panel("home_figures", "clusters", "clusters/panels/home_figures.html", home_figures, 10))
register(Panel("home", "newest", "clusters/panels/home_newest.html", home_newest, 40))
register(
    Panel("account_profile", "clusters", "clusters/panels/account_profile.html", account_clusters)
)
