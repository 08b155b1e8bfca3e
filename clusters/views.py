from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors
from core.pagecache.fragments import deferred
from core.ratelimit import is_search, rate_limit

from .forms import ClusterForm, ContactForm, JoinRequestForm, MembershipAddForm
from .models import ClusterFollow, ClusterMembership, TeamInvitation
from .permissions import (
    can_contact_cluster,
    can_edit_cluster,
    can_manage_team,
)
from .selectors import (
    cluster_directory,
    cluster_directory_relaxations,
    cluster_directory_results,
    cluster_get,
    cluster_team,
    current_label,
    member_request_queue,
    team_invitations_open,
)
from .services import (
    cluster_follow,
    cluster_unfollow,
    cluster_update,
    join_request_submit,
    membership_remove,
    team_invite,
)
from .services.contact import cluster_contact

FOLLOWED = _("You follow %(name)s: you will hear when it publishes a practice.")
UNFOLLOWED = _("You no longer follow %(name)s.")
CLUSTER_SAVED = _("The cluster profile has been saved.")
MEMBER_ADDED = _("%(name)s is now %(role)s of the cluster.")
MEMBER_REMOVED = _("%(name)s has been removed from the team.")
INVITATION_SENT = _(
    "%(email)s has no account yet: an invitation to join as %(role)s is sent by e-mail. "
    "They join the team when they sign up with this address."
)
JOIN_REQUEST_SENT = _(
    "Thank you: your request has been sent to the network's secretariat. "
    "You will hear from us by e-mail."
)


def _directory_page(data) -> dict:
    filterset = cluster_directory(data=data)
    page = Paginator(cluster_directory_results(filterset), 24).get_page(data.get("page"))
    return {
        "filter": filterset,
        "page_obj": page,
        "clusters": page.object_list,
        "relaxations": [] if page.paginator.count else cluster_directory_relaxations(filterset),
    }


@require_http_methods(["GET", "HEAD"])
@rate_limit("search", when=is_search)
def directory(request):
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clusters/directory.html",
        {
            # Read by the shared fragment only: not computed when it comes from the cache.
            "directory": deferred(_directory_page, data=request.GET),
            "querystring": query.urlencode(),
        },
    )


@require_http_methods(["GET", "HEAD"])
def detail(request, slug):
    cluster = cluster_get(slug=slug, user=request.user, ecosystems=False)
    user = request.user
    return render(
        request,
        "clusters/detail.html",
        {
            "cluster": cluster,
            # Shown in the shared side panel only: not read when it comes from the cache.
            "label": deferred(current_label, cluster=cluster),
            "can_edit": can_edit_cluster(user, cluster),
            # Visitors see the button too: the contact page asks them to sign in, then back.
            "can_contact": cluster.status == cluster.Status.ACTIVE,
            "contact_state": _contact_state(cluster, user),
            "is_following": user.is_authenticated
            and ClusterFollow.objects.filter(cluster=cluster, user=user).exists(),
        },
    )


@login_required
@require_POST
def follow(request, slug):
    cluster = cluster_get(slug=slug, user=request.user)
    if request.POST.get("action") == "unfollow":
        cluster_unfollow(cluster=cluster, user=request.user)
        messages.success(request, UNFOLLOWED % {"name": cluster.name})
    else:
        cluster_follow(cluster=cluster, user=request.user)
        messages.success(request, FOLLOWED % {"name": cluster.name})
    return redirect(cluster)


def _cluster_for_team_management(request, slug):
    cluster = cluster_get(slug=slug, user=request.user)
    if not can_edit_cluster(request.user, cluster):
        raise PermissionDenied
    return cluster


def _render_edit(request, cluster, form, team_form, status=200):
    return render(
        request,
        "clusters/edit.html",
        {
            "cluster": cluster,
            "form": form,
            "team_form": team_form,
            "team": cluster_team(cluster=cluster),
            "can_manage_team": can_manage_team(request.user, cluster),
            "invitations": team_invitations_open(cluster=cluster),
            "member_requests_waiting": member_request_queue(cluster=cluster).count(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    cluster = _cluster_for_team_management(request, slug)
    if request.method == "POST":
        form = ClusterForm(request.POST, request.FILES, instance=cluster)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "ecosystems"}
            if "logo" not in form.changed_data:
                data.pop("logo")
            elif data["logo"] is False:  # "clear" ticked
                data["logo"] = ""
            try:
                cluster_update(
                    cluster=cluster.__class__.objects.get(pk=cluster.pk),
                    actor=request.user,
                    data=data,
                    ecosystems=list(form.cleaned_data["ecosystems"]),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, CLUSTER_SAVED)
                return redirect("clusters:edit", slug=cluster.slug)
        # ModelForm validation wrote the posted values onto the instance: reload it.
        cluster = cluster_get(slug=slug, user=request.user)
        return _render_edit(request, cluster, form, MembershipAddForm(), status=400)
    return _render_edit(request, cluster, ClusterForm(instance=cluster), MembershipAddForm())


def _per_person(request) -> str:
    return f"user:{request.user.pk}"


@login_required
@require_POST
@rate_limit("invite", key=_per_person)
def team_add(request, slug):
    """Add a person to the team, or invite by e-mail someone who has no account yet."""
    cluster = _cluster_for_team_management(request, slug)
    if not can_manage_team(request.user, cluster):
        raise PermissionDenied
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            membership = team_invite(
                cluster=cluster,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if isinstance(membership, TeamInvitation):
                messages.success(
                    request,
                    INVITATION_SENT
                    % {"email": membership.email, "role": membership.get_role_display().lower()},
                )
                return redirect("clusters:edit", slug=cluster.slug)
            messages.success(
                request,
                MEMBER_ADDED
                % {
                    "name": membership.user.display_name,
                    "role": membership.get_role_display().lower(),
                },
            )
            return redirect("clusters:edit", slug=cluster.slug)
    return _render_edit(request, cluster, ClusterForm(instance=cluster), form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def team_remove(request, slug, membership_id):
    """GET asks to confirm the removal; the POST of that page removes the person."""
    cluster = _cluster_for_team_management(request, slug)
    if not can_manage_team(request.user, cluster):
        raise PermissionDenied
    membership = get_object_or_404(
        ClusterMembership.objects.select_related("user"), pk=membership_id, cluster=cluster
    )
    if request.method != "POST":
        return render(
            request,
            "clusters/team_remove.html",
            {"cluster": cluster, "membership": membership},
        )
    try:
        membership_remove(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, MEMBER_REMOVED % {"name": membership.user.display_name})
    return redirect("clusters:edit", slug=cluster.slug)


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    if request.method == "POST":
        form = JoinRequestForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "ecosystems"}
            try:
                join_request_submit(
                    requester=request.user,
                    data=data,
                    ecosystems=list(form.cleaned_data["ecosystems"]),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, JOIN_REQUEST_SENT)
                return redirect("accounts:profile")
        return render(request, "clusters/join.html", {"form": form}, status=400)
    return render(request, "clusters/join.html", {"form": JoinRequestForm()})


# --- writing to a cluster's managers (issue 14, "Finding a cluster") ---------------------
CONTACT_SENT = _(
    "Your message has been sent to the managers of %(name)s. They will answer you by "
    "e-mail at %(email)s."
)


def _contact_state(cluster, user) -> str:
    """Whether a message from ``user`` would be read: "open" when another active manager
    gets it, "own" for the cluster's only manager, "nobody" otherwise."""
    sender = user if user.is_authenticated else None
    # The managers cluster_get brought with the cluster: contact_recipients without a query.
    managers = [m.user for m in cluster.manager_memberships]
    if any(m.is_active and (sender is None or m.pk != sender.pk) for m in managers):
        return "open"
    if sender is not None and any(m.pk == sender.pk for m in managers):
        return "own"
    return "nobody"


def _contact_rate_key(request) -> str | None:
    """Messages count per sender, wherever they write from."""
    return f"contact-user-{request.user.pk}" if request.user.is_authenticated else None


def _is_post(request) -> bool:
    return request.method == "POST"


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("contact", when=_is_post, key=_contact_rate_key)
def contact(request, slug):
    cluster = cluster_get(slug=slug, user=request.user)
    if not can_contact_cluster(request.user, cluster):
        raise PermissionDenied
    form = ContactForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                cluster_contact(
                    cluster=cluster, sender=request.user, message=form.cleaned_data["message"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, CONTACT_SENT % {"name": cluster.name, "email": request.user.email}
                )
                return redirect(cluster)
        status = 400
    return render(
        request,
        "clusters/contact.html",
        {
            "cluster": cluster,
            "form": form,
            "contact_state": _contact_state(cluster, request.user),
        },
        status=status,
    )
