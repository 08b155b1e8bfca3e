"""Pages of the network's and the clusters' memberships: the secretariat's queue of join
requests, organisations asking to join a cluster as members (and the managers' queue),
and the team's invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors
from core.slices import SlicedPaginator

from .forms import MemberRequestDecisionForm, MemberRequestForm, RejectJoinRequestForm
from .models import JoinRequest, MemberOrganisationRequest, TeamInvitation
from .permissions import (
    can_decide_join_request,
    can_manage_team,
    can_request_membership,
    is_cluster_manager,
)
from .selectors import (
    cluster_get,
    join_request_get,
    join_request_queue,
    member_request_queue,
    organisation_memberships,
)
from .services import (
    join_request_approve,
    join_request_reject,
    member_request_accept,
    member_request_decline,
    member_request_submit,
    team_invitation_revoke,
    token_hash,
)

JOIN_REQUEST_APPROVED = _("%(name)s is approved: the cluster is in the directory.")
JOIN_REQUEST_REJECTED = _("The join request of %(name)s is rejected; the requester is told why.")
MEMBER_REQUEST_SENT = _(
    "Your request is sent: the managers of %(cluster)s will accept or decline it, and you "
    "will hear from them."
)
MEMBER_REQUEST_DECIDED = {
    "accept": _("%(organisation)s is now a member organisation of %(cluster)s."),
    "decline": _("The request of %(organisation)s is declined; they are told."),
}
INVITATION_REVOKED = _("The invitation to %(email)s is revoked: its link no longer works.")


# --- the secretariat's join requests ------------------------------------------------------
def _secretariat_only(request) -> None:
    if not can_decide_join_request(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD"])
def join_requests(request):
    _secretariat_only(request)
    page = SlicedPaginator(join_request_queue(), 30).get_page(request.GET.get("page"))
    return render(request, "clusters/join_requests.html", {"page_obj": page})


def _render_join_request(request, join_request, reject_form, status=200):
    return render(
        request,
        "clusters/join_request.html",
        {
            "join_request": join_request,
            "reject_form": reject_form,
            "own": join_request.requester_id == request.user.pk,
            "open": join_request.status == JoinRequest.Status.SUBMITTED,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def join_request_detail(request, pk):
    _secretariat_only(request)
    return _render_join_request(request, join_request_get(pk=pk), RejectJoinRequestForm())


@login_required
@require_POST
def join_request_approve_view(request, pk):
    _secretariat_only(request)
    join_request = join_request_get(pk=pk)
    try:
        join_request_approve(join_request=join_request, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clusters:join_request_detail", pk=pk)
    messages.success(request, JOIN_REQUEST_APPROVED % {"name": join_request.name})
    return redirect("clusters:join_requests")


@login_required
@require_POST
def join_request_reject_view(request, pk):
    _secretariat_only(request)
    join_request = join_request_get(pk=pk)
    form = RejectJoinRequestForm(request.POST)
    if form.is_valid():
        try:
            join_request_reject(
                join_request=join_request, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:  # decided meanwhile, or their own: the form is not shown for it any more
                messages.error(request, " ".join(exc.messages))
                return redirect("clusters:join_request_detail", pk=pk)
        else:
            messages.success(request, JOIN_REQUEST_REJECTED % {"name": join_request.name})
            return redirect("clusters:join_requests")
    return _render_join_request(request, join_request, form, status=400)


# --- an organisation asks to join a cluster as a member ----------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def member_request(request, slug):
    cluster = cluster_get(slug=slug, user=request.user)
    if not can_request_membership(request.user):
        raise PermissionDenied
    form = MemberRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                member_request_submit(
                    cluster=cluster, requester=request.user, message=form.cleaned_data["message"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, MEMBER_REQUEST_SENT % {"cluster": cluster.name})
                return redirect(cluster)
        status = 400
    membership = organisation_memberships(user=request.user)
    return render(
        request,
        "clusters/member_request.html",
        {
            "cluster": cluster,
            "form": form,
            "organisation": membership["organisation"],
            "is_member": cluster in membership["clusters"],
            "pending": any(
                r.cluster_id == cluster.pk and r.status == MemberOrganisationRequest.Status.PENDING
                for r in membership["requests"]
            ),
        },
        status=status,
    )


def _cluster_managed_by(request, slug):
    cluster = cluster_get(slug=slug, user=request.user)
    if not is_cluster_manager(request.user, cluster):
        raise PermissionDenied
    return cluster


def _render_member_requests(request, cluster, bound=None, status=200):
    queue = list(member_request_queue(cluster=cluster))
    items = [
        (
            item,
            bound
            if bound is not None and bound.prefix == f"request-{item.pk}"
            else MemberRequestDecisionForm(prefix=f"request-{item.pk}"),
        )
        for item in queue
    ]
    return render(
        request,
        "clusters/member_requests.html",
        {"cluster": cluster, "items": items, "members": cluster.member_organisations.all()},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_requests(request, slug):
    """The managers' queue; each request's form posts its decision here (``request``
    names it)."""
    cluster = _cluster_managed_by(request, slug)
    if request.method != "POST":
        return _render_member_requests(request, cluster)
    pk = request.POST.get("request", "")
    item = get_object_or_404(
        MemberOrganisationRequest.objects.select_related("organisation", "requester"),
        pk=int(pk) if pk.isdigit() else 0,
        cluster=cluster,
    )
    form = MemberRequestDecisionForm(request.POST, prefix=f"request-{item.pk}")
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "accept":
                member_request_accept(member_request=item, actor=request.user)
            else:
                member_request_decline(
                    member_request=item, actor=request.user, reason=form.cleaned_data["reason"]
                )
        except ValidationError as exc:  # decided meanwhile, or their own request
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                MEMBER_REQUEST_DECIDED[decision]
                % {"organisation": item.organisation.name, "cluster": cluster.name},
            )
        return redirect("clusters:member_requests", slug=cluster.slug)
    return _render_member_requests(request, cluster, bound=form, status=400)


# --- the team's invitations ---------------------------------------------------------------
@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    cluster = cluster_get(slug=slug, user=request.user)
    if not can_manage_team(request.user, cluster):
        raise PermissionDenied
    invitation = get_object_or_404(TeamInvitation, pk=pk, cluster=cluster)
    try:
        team_invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, INVITATION_REVOKED % {"email": invitation.email})
    return redirect("clusters:edit", slug=cluster.slug)


@require_http_methods(["GET", "HEAD"])
def invitation(request, token):
    """The link in an invitation's e-mail: what it invites to, and how to accept (sign up
    with the invited address); an expired or revoked one says so."""
    found = (
        TeamInvitation.objects.select_related("cluster", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return render(
        request,
        "clusters/invitation.html",
        {"invitation": found},
        status=200 if found else 404,
    )
