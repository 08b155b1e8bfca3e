"""What the action plan shows on composed pages (core.panels)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.panels import as_secretariat
from accounts.permissions import is_authenticated, is_secretariat
from core.panels import Panel, register
from core.work import BLOCK_TEMPLATE, WORK_SLOT, WorkItem, first_shown, work_block

from .models import Action
from .selectors import current_strategy, my_actions_due, overdue_actions, plan_summary


def _home_plan_reader(request: HttpRequest) -> dict[str, Any]:
    """The secretariat's home may show a newer draft, the same for the whole secretariat;
    everyone else sees the adopted plan, the same for all (a shared panel either way)."""
    return {"drafts": is_secretariat(request.user)}


def home_plan(request: HttpRequest, *, drafts: bool = False) -> dict[str, Any] | None:
    plan = plan_summary(drafts=drafts)
    return {"plan": plan} if plan else None


def _note(action: Action) -> str:
    owner = action.owner.name if action.owner_id and action.owner else _("no owner")  # type: ignore[union-attr]  # checked
    return f"{action.lead_cluster.name} · {owner}"


def work_overdue(request: HttpRequest, *, secretariat: bool = False) -> dict[str, Any] | None:
    """The secretariat's queue: every overdue action of the plan being carried out (the
    adopted one, which the reminders follow, even while a next one is drafted), most
    overdue first."""
    if not secretariat:
        return None
    strategy = current_strategy(user=None, adopted=True)
    if strategy is None:
        return None
    overdue = overdue_actions(strategy=strategy)
    count = overdue.count()
    items = [
        WorkItem(a.title, a.get_absolute_url(), since=a.due_date, note=_note(a), overdue=True)
        for a in first_shown(overdue)
    ]
    return work_block(
        name="actionplan-overdue",
        title=_("Overdue actions"),
        count=count,
        items=items,
        more_url=f"{reverse('actionplan:plan')}?plan=adopted&due=overdue",
        empty=_("No action of the plan is overdue."),
    )


def work_my_actions(request: HttpRequest) -> dict[str, Any] | None:
    """A person's own actions ("Mine": owned, or led by a cluster they manage) that are
    overdue or due soon, most overdue first. Nothing for a person with no open action."""
    user = request.user
    if not is_authenticated(user):
        return None
    strategy = current_strategy(user=user, adopted=True)
    if strategy is None:
        return None
    mine = Action.objects.filter(objective__strategy=strategy).of_person(user).open()
    if not mine.exists():
        return None
    today = timezone.localdate()
    due = my_actions_due(user=user, strategy=strategy, today=today)
    count = due.count()
    items = []
    for a in first_shown(due):
        late = a.due_date < today
        when = date_format(a.due_date, "j M Y")
        note = a.lead_cluster.name if late else _("due %(date)s") % {"date": when}
        since = a.due_date if late else None
        items.append(WorkItem(a.title, a.get_absolute_url(), since=since, note=note, overdue=late))
    return work_block(
        name="actionplan-mine",
        title=_("Your actions due"),
        count=count,
        items=items,
        more_url=f"{reverse('actionplan:plan')}?plan=adopted&mine=on",
        more_label=_("See all your actions in the plan"),
        empty=_("None of your actions is overdue or due in the next 14 days."),
    )


register(
    Panel(
        "home",
        "plan",
        "actionplan/panels/home_plan.html",
        home_plan,
        10,
        shared=True,
        vary=_home_plan_reader,
    )
)
register(Panel(WORK_SLOT, "actionplan-mine", BLOCK_TEMPLATE, work_my_actions, 35))
register(
    Panel(
        WORK_SLOT,
        "actionplan-overdue",
        BLOCK_TEMPLATE,
        work_overdue,
        50,
        shared=True,
        vary=as_secretariat,
    )
)
