"""What practices shows on composed pages (core.panels)."""

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.panels import as_secretariat
from accounts.permissions import is_authenticated
from clusters.models import Cluster
from clusters.permissions import manages_a_cluster
from core.panels import Panel, register
from core.work import BLOCK_TEMPLATE, WORK_SLOT, WorkItem, first_shown, work_block

from .models import TransferInterest
from .selectors import (
    INTEREST_FRESH_DAYS,
    moderation_queue,
    practices_latest,
    practices_of_my_clusters,
    practices_sent_back,
    published_count,
    published_practices_of,
    transfer_interests_waiting,
)


def home_figures(request: HttpRequest) -> dict[str, Any]:
    return {"count": published_count()}


def home_latest(request: HttpRequest) -> dict[str, Any] | None:
    practices = practices_latest(limit=3)
    return {"practices": practices} if practices else None


def cluster_profile(request: HttpRequest, *, cluster: Cluster) -> dict[str, Any]:
    return {"practices": published_practices_of(cluster=cluster)}


register(
    Panel(
        "home_figures",
        "practices",
        "practices/panels/home_figures.html",
        home_figures,
        20,
        shared=True,
    )
)
register(
    Panel("home", "practices", "practices/panels/home_latest.html", home_latest, 30, shared=True)
)
register(
    Panel(
        "cluster_profile",
        "practices",
        "practices/panels/cluster_profile.html",
        cluster_profile,
        shared=True,
    )
)


# --- Your work ------------------------------------------------------------------------------


def work_moderation(request: HttpRequest, *, secretariat: bool = False) -> dict[str, Any] | None:
    """The secretariat's practices to moderate, the longest waiting first."""
    if not secretariat:
        return None
    queue = moderation_queue().prefetch_related(None)
    count = queue.count()
    items = [
        WorkItem(
            label=p.title,
            url=p.get_absolute_url(),
            since=p.submitted_at,
            note=_("from %(cluster)s") % {"cluster": p.cluster.name},
        )
        for p in (first_shown(queue) if count else [])
    ]
    return work_block(
        name="practices-moderation",
        title=_("Practices to moderate"),
        count=count,
        items=items,
        more_url=reverse("practices:moderation"),
        empty=_("No practice waits for moderation."),
    )


def work_sent_back(request: HttpRequest) -> dict[str, Any] | None:
    """A cluster team's practices the secretariat sent back for changes."""
    queue = practices_sent_back(user=request.user)
    count = queue.count()
    if not count and not practices_of_my_clusters(user=request.user).exists():
        return None
    items = [
        WorkItem(
            label=p.title,
            url=reverse("practices:edit", args=[p.slug]),
            since=p.sent_back_at,  # type: ignore[attr-defined]  # annotated by the selector
            note=_("asked: %(feedback)s") % {"feedback": Truncator(p.reviewer_feedback).chars(90)},
        )
        for p in (first_shown(queue) if count else [])
    ]
    return work_block(
        name="practices-sent-back",
        title=_("Practices sent back for changes"),
        count=count,
        items=items,
        more_url=reverse("practices:mine"),
        more_label=_("All your cluster's practices"),
        empty=_("No practice waits for your changes."),
    )


def _write_to(interest: TransferInterest) -> str:
    subject = quote(str(_("Transferring “%(title)s”") % {"title": interest.practice.title}))
    return f"mailto:{interest.user.email}?subject={subject}"


def work_interests(request: HttpRequest) -> dict[str, Any] | None:
    """A manager's transfer interests of the last weeks: someone to write back to."""
    user = request.user
    if not is_authenticated(user) or not manages_a_cluster(user):
        return None
    queue = transfer_interests_waiting(user=user)
    count = queue.count()
    items = []
    for interest in first_shown(queue) if count else []:
        person = interest.user
        who = person.display_name
        if person.organisation is not None:
            who = f"{who} ({person.organisation.name})"
        items.append(
            WorkItem(
                label=_("%(who)s wants to transfer “%(title)s”")
                % {"who": who, "title": interest.practice.title},
                url=_write_to(interest),
                since=interest.created,
                note=_("write to %(email)s") % {"email": person.email},
            )
        )
    return work_block(
        name="practices-interests",
        title=_("Transfer interests"),
        count=count,
        items=items,
        empty=_("Nobody asked to transfer your practices in the last %(days)d days.")
        % {"days": INTEREST_FRESH_DAYS},
    )


register(
    Panel(
        WORK_SLOT,
        "practices-moderation",
        BLOCK_TEMPLATE,
        work_moderation,
        10,
        shared=True,
        vary=as_secretariat,
    )
)
register(Panel(WORK_SLOT, "practices-sent-back", BLOCK_TEMPLATE, work_sent_back, 45))
register(Panel(WORK_SLOT, "practices-interests", BLOCK_TEMPLATE, work_interests, 55))
