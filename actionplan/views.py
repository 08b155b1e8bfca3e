from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusters.selectors import clusters_of_user
from core.forms import add_service_errors
from core.pagecache.fragments import deferred
from core.ratelimit import rate_limit

from . import permissions as perms
from .exports import actions_calendar, actions_csv
from .forms import (
    ActionForm,
    CalendarFeedResetForm,
    ObjectiveForm,
    ProgressUpdateForm,
    StrategyForm,
)
from .models import Action, ActionFollow, Objective, Strategy, hash_token
from .selectors import (
    action_get,
    actions_of,
    calendar_feed_of,
    calendar_feed_owner,
    current_strategy,
)
from .selectors.plan import dashboard
from .services import (
    action_create,
    action_edit,
    action_follow,
    action_unfollow,
    calendar_feed_create,
    calendar_feed_reset,
    objective_save,
    progress_update_post,
    strategy_save,
)

UPDATE_POSTED = _("Thank you: your progress update is posted.")
ACTION_SAVED = _("The action is saved.")
FOLLOWING = _("You follow this action: you will hear when its status changes.")
NOT_FOLLOWING = _("You no longer follow this action.")
SAVED = _("Saved.")
FEED_MADE = _("Your private calendar address is ready. Copy it now: it is shown only once.")
FEED_RESET = _(
    "Your calendar address was reset: the old one no longer works. Copy the new one now: "
    "it is shown only once."
)
# The token of an address just made or reset, kept in the server-side session only until
# the next page shows it once (the database keeps only its hash).
NEW_FEED_SESSION_KEY = "actionplan.new_calendar_token"


# ?plan=adopted: the plan being carried out, even when the secretariat drafts the next one
# (the secretariat's overdue queue on Your work links there).
def _plan_context(request, *, reset_form=None) -> dict:
    strategy = current_strategy(user=request.user, adopted=request.GET.get("plan") == "adopted")
    context = {"strategy": strategy}
    if strategy is not None:
        # Read by the plan's shared fragments only: not computed when they come from the cache.
        context["plan"] = deferred(
            dashboard, strategy=strategy, data=request.GET, user=request.user
        )
        query = request.GET.copy()
        context["querystring"] = query.urlencode()
    if request.user.is_authenticated:
        context["calendar_feed"] = calendar_feed_of(user=request.user)
        context["calendar_reset_form"] = reset_form or CalendarFeedResetForm()
        token = request.method != "HEAD" and request.session.pop(NEW_FEED_SESSION_KEY, None)
        if token:
            context["new_calendar_url"] = request.build_absolute_uri(
                f"{reverse('actionplan:calendar')}?token={token}"
            )
    context["can_manage"] = perms.can_manage_plan(request.user)
    return context


@require_http_methods(["GET", "HEAD"])
def plan(request):
    context = _plan_context(request)
    response = render(request, "actionplan/plan.html", context)
    if "new_calendar_url" in context:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "HEAD"])
def action_detail(request, pk):
    action = action_get(pk=pk, user=request.user)
    user = request.user
    return render(
        request,
        "actionplan/action.html",
        {
            "action": action,
            "can_update": perms.can_update_action(user, action),
            "can_manage": perms.can_manage_plan(user),
            "is_following": user.is_authenticated
            and ActionFollow.objects.filter(action=action, user=user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request, pk):
    action = action_get(pk=pk, user=request.user)
    if not perms.can_update_action(request.user, action):
        raise PermissionDenied
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, action=action)
        if form.is_valid():
            data = form.cleaned_data
            try:
                progress_update_post(
                    action=action,
                    actor=request.user,
                    expected_version=data["version"],
                    progress=data["progress"],
                    status=data["status"],
                    text=data["text"],
                    indicator_values=form.indicator_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, UPDATE_POSTED)
                return redirect(action)
        return render(
            request, "actionplan/update.html", {"action": action, "form": form}, status=400
        )
    form = ProgressUpdateForm(action=action)
    return render(request, "actionplan/update.html", {"action": action, "form": form})


def _action_form_page(request, form, action=None, status=200):
    return render(
        request, "actionplan/action_form.html", {"form": form, "action": action}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request):
    if not perms.can_manage_plan(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"partners", "version"}}
            try:
                action = action_create(
                    actor=request.user, data=data, partners=form.cleaned_data["partners"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, ACTION_SAVED)
                return redirect(action)
        return _action_form_page(request, form, status=400)
    return _action_form_page(request, ActionForm())


@login_required
@require_http_methods(["GET", "POST"])
def action_change(request, pk):
    action = action_get(pk=pk, user=request.user)
    if not perms.can_manage_plan(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ActionForm(request.POST, instance=Action.objects.get(pk=pk))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"partners", "version"}}
            try:
                action_edit(
                    action=Action.objects.get(pk=pk),
                    actor=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    data=data,
                    partners=form.cleaned_data["partners"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, ACTION_SAVED)
                return redirect(action)
        return _action_form_page(request, form, action, status=400)
    return _action_form_page(request, ActionForm(instance=action), action)


def _manage(request, *, form_class, title, instance, save):
    """The secretariat's small edit pages: a form for ``instance`` (None: a new object)
    whose valid data goes to ``save`` (a service call); back to the plan afterwards.
    The calling view has checked the permission."""
    status = 200
    if request.method == "POST":
        # The form validates a copy, so the service gets the object as it is stored.
        copy = type(instance).objects.get(pk=instance.pk) if instance is not None else None
        form = form_class(request.POST, instance=copy)
        if form.is_valid():
            save(form.cleaned_data)
            messages.success(request, SAVED)
            return redirect("actionplan:plan")
        status = 400
    else:
        form = form_class(instance=instance)
    return render(
        request,
        "actionplan/manage_form.html",
        {"form": form, "title": title, "back": reverse("actionplan:plan")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request, pk):
    if not perms.can_manage_plan(request.user):
        raise PermissionDenied
    strategy = get_object_or_404(Strategy, pk=pk)
    return _manage(
        request,
        form_class=StrategyForm,
        title=_("Edit the strategy"),
        instance=strategy,
        save=lambda data: strategy_save(strategy=strategy, actor=request.user, data=data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request, pk):
    if not perms.can_manage_plan(request.user):
        raise PermissionDenied
    strategy = get_object_or_404(Strategy, pk=pk)
    return _manage(
        request,
        form_class=ObjectiveForm,
        title=_("New objective"),
        instance=None,
        save=lambda data: objective_save(
            objective=Objective(strategy=strategy), actor=request.user, data=data
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request, pk):
    if not perms.can_manage_plan(request.user):
        raise PermissionDenied
    objective = get_object_or_404(Objective, pk=pk)
    return _manage(
        request,
        form_class=ObjectiveForm,
        title=_("Edit the objective"),
        instance=objective,
        save=lambda data: objective_save(objective=objective, actor=request.user, data=data),
    )


@login_required
@require_POST
def follow(request, pk):
    action = action_get(pk=pk, user=request.user)
    if request.POST.get("action") == "unfollow":
        action_unfollow(action=action, user=request.user)
        messages.success(request, NOT_FOLLOWING)
    else:
        action_follow(action=action, user=request.user)
        messages.success(request, FOLLOWING)
    return redirect(action)


@require_http_methods(["GET", "HEAD"])
@rate_limit("export")
def export_csv(request):
    strategy = current_strategy(user=request.user)
    if strategy is None:
        raise Http404
    _filter, actions = actions_of(strategy=strategy, data=request.GET, user=request.user)
    body = actions_csv(actions.prefetch_related("partners"))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="plan-of-actions.csv"'
    return response


def private_feed_rate_key(request) -> str | None:
    """A working private calendar address counts against itself, not the client's address:
    calendar services fetch many people's feeds from a few addresses. The plan's public
    feed, and a token that opens nothing (a guess), count per address."""
    token = request.GET.get("token")
    if token and calendar_feed_owner(token=token) is not None:
        return f"calendar-feed:{hash_token(token)}"
    return None


@require_http_methods(["GET", "HEAD"])
@rate_limit("feed", key=private_feed_rate_key)
def calendar(request):
    """The plan's due dates and milestones. ``?token=`` is a person's private feed:
    the actions they own, lead or follow, readable by a calendar app without a login."""
    token = request.GET.get("token")
    if token:
        user = calendar_feed_owner(token=token)
        if user is None:
            raise Http404
        strategy = current_strategy(user=user)
        actions = Action.objects.none()
        if strategy is not None:
            _f, mine = actions_of(strategy=strategy)
            actions = (
                mine.filter(owner=user)
                | mine.filter(lead_cluster__in=clusters_of_user(user=user).values("pk"))
                | mine.filter(follows__user=user)
            ).distinct()
        name = _("My actions — Smart Clusters")
    else:
        strategy = current_strategy(user=request.user)
        if strategy is None:
            raise Http404
        _f, actions = actions_of(strategy=strategy, data=request.GET, user=request.user)
        name = _("Plan of Actions — Smart Clusters")
    body = actions_calendar(actions.prefetch_related("milestones"), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="plan-of-actions.ics"'
    return response


def _to_calendar_section():
    return redirect(reverse("actionplan:plan") + "#calendar-heading")


@login_required
@require_POST
def calendar_feed(request):
    """Make the person's private calendar address and show it once."""
    try:
        token = calendar_feed_create(user=request.user)
    except ValidationError as exc:  # one already: it cannot be shown again, only reset
        messages.error(request, exc.messages[0])
        return render(request, "actionplan/plan.html", _plan_context(request), status=400)
    request.session[NEW_FEED_SESSION_KEY] = token
    messages.success(request, FEED_MADE)
    return _to_calendar_section()


@login_required
@require_POST
def calendar_feed_reset_view(request):
    """A new private calendar address for its owner; the old one answers 404 from now on."""
    feed = calendar_feed_of(user=request.user)
    if feed is None:
        raise Http404
    form = CalendarFeedResetForm(request.POST)
    if not form.is_valid():
        context = _plan_context(request, reset_form=form)
        return render(request, "actionplan/plan.html", context, status=400)
    request.session[NEW_FEED_SESSION_KEY] = calendar_feed_reset(feed=feed, actor=request.user)
    messages.success(request, FEED_RESET)
    return _to_calendar_section()
