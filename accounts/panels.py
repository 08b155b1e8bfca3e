"""What accounts shows on composed pages (core.panels): a newcomer's first step on Your work."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.panels import Panel, register
from core.work import BLOCK_TEMPLATE, WORK_SLOT, WorkItem, work_block

from .permissions import is_authenticated, is_secretariat


def as_secretariat(request: HttpRequest) -> dict[str, Any]:
    """The ``vary`` of a panel showing a queue the whole secretariat shares
    (``Panel(shared=True, vary=as_secretariat)``): the panel is told whether the person is
    of the secretariat and reads nothing else of them, so it is rendered once for the
    secretariat and kept under the page cache's generation (core.pagecache.fragments)."""
    return {"secretariat": is_secretariat(request.user)}


def work_profile(request: HttpRequest) -> dict[str, Any] | None:
    """A person without an organisation in their profile: the exchange rules and the
    sending cluster depend on it, so adding it is the first thing to do."""
    user = request.user
    if not is_authenticated(user) or is_secretariat(user) or user.organisation_id:
        return None
    return work_block(
        name="profile",
        title=_("Complete your profile"),
        count=1,
        items=[
            WorkItem(
                _("Add your organisation, its country and kind"),
                reverse("accounts:profile"),
                note=_("Exchange applications and the clusters you belong to depend on it."),
            )
        ],
    )


register(Panel(WORK_SLOT, "profile", BLOCK_TEMPLATE, work_profile, 5))
