"""Every route of the project and who may use it.

One row per URL name. For each role the expected answer to a GET (and, for
routes that change state, to a POST of valid data): 200, 302, 403, 404, 405,
LOGIN (302 to the login page) or ADMIN_LOGIN. A form route also says which
role submits it and with what valid data, so the bad-input sweep can take it.
Django admin's and allauth's routes are groups: a sample of each is listed.
"""

import itertools
from datetime import timedelta

from django.urls import reverse

from notifications.registry import kinds_for
from tests.matrix import ADMIN_LOGIN, LOGIN, FormSpec, Route, expect


class World:
    """The objects every row is checked against, built from factories."""

    def __init__(
        self,
        *,
        cluster,
        other_cluster,
        member,
        manager,
        other_manager,
        secretariat,
        staff_membership,
        notification,
        practices,
        plan,
        exchange,
    ):
        # The open call, its offer hosted by cluster, and the member's applications to it:
        # draft, submitted, host_accepted; report_due and completed (with an attachment)
        # are in last year's call.
        self.exchange = exchange
        self.plan = plan  # an adopted strategy, its objective and an action led by cluster
        self.notification = notification  # the member's unread one
        self.practices = practices  # published, draft (with an attachment), submitted
        self.cluster = cluster
        self.other_cluster = other_cluster
        self.users = {
            "visitor": None,
            "member": member,
            "manager": manager,
            "other_manager": other_manager,
            "secretariat": secretariat,
        }
        self.member = member
        self.staff_membership = staff_membership


def _cluster(world):
    return {"slug": world.cluster.slug}


def _cluster_data(world):
    c = world.cluster
    return {
        "name": c.name,
        "acronym": c.acronym,
        "country": c.country.code,
        "region": c.region,
        "city": c.city,
        "website": "https://mobility-valley.example.eu",
        "contact_email": c.contact_email,
        "description": "Updated description.",
        "ecosystems": [str(e.pk) for e in c.ecosystems.all()],
        "year_founded": "2010",
        "legal_form": "association",
        "members_smes": "41",
        "members_large": "3",
        "members_research": "5",
        "members_public": "2",
        "members_other": "0",
        "offers": "Test beds.",
        "needs": "Partners.",
    }


_join_counter = itertools.count(1)
_signup_counter = itertools.count(1)


def _join_data(world):
    from clusters.models import Ecosystem

    return {
        "name": f"Porto Energy Communities {next(_join_counter)}",
        "acronym": "PEC",
        "country": "PT",
        "region": "Norte",
        "city": "Porto",
        "website": "https://pec.example.eu",
        "contact_email": "hi@pec.example.eu",
        "description": "Energy communities.",
        "ecosystems": [str(Ecosystem.objects.get(code="energy").pk)],
        "year_founded": "2019",
        "legal_form": "association",
        "members_smes": "12",
        "members_large": "1",
        "members_research": "2",
        "members_public": "1",
        "members_other": "0",
        "offers": "Know-how.",
        "needs": "Partners.",
        "motivation": "To learn and share.",
    }


_practice_counter = itertools.count(1)


def _practice_data(world):
    from clusters.models import Ecosystem

    return {
        "title": "Draft practice",
        "category": "thematic",
        "ecosystems": [str(Ecosystem.objects.get(code="mobility").pk)],
        "summary": "Breakfasts where SMEs meet the city's buyers.",
        "tags": "procurement, SMEs",
        "problem": "SMEs never meet public buyers.",
        "description": "- monthly\n- informal",
        "resources": "A room and coffee.",
        "evidence": "40 contracts in 3 years.",
        "difficulties": "Buyers' agendas.",
        "transfer_potential": "High.",
        "start_year": "2019",
        "end_year": "",
    }


def _action(world):
    return {"pk": world.plan["action"].pk}


def _fresh_action(world):
    from actionplan.models import Action

    return Action.objects.get(pk=world.plan["action"].pk)


def _action_data(world, *, version):
    return {
        "version": version,
        "objective": str(world.plan["objective"].pk),
        "title": "Shared e-bus charging data",
        "description": "Operators share data.",
        "lead_cluster": world.cluster.name,  # typed (core.typed_choice)
        "partners": world.other_cluster.name,
        "owner": "",
        "parent": "",
        "weight": "1",
        "start_date": "2025-03-01",
        "due_date": "2027-06-30",
        "status": "in_progress",
        "budget_amount": "12000.00",
        "budget_currency": "EUR",
        "funding_source": "Interreg Europe",
    }


def _profile_data(world):
    return {
        "name": "Mia Member",
        "country": "DE",
        "organisation_name": "Acme Mobility GmbH",
        "organisation_kind": "sme",
        "organisation_size": "small",
    }


# --- exchange -------------------------------------------------------------------------
def _x(world, name):
    return world.exchange[name]


def _application(name):
    return lambda world: {"pk": _x(world, name).pk}


def _application_data(world):
    start = _x(world, "draft").start_date
    return {
        "applicant_kind": "sme",
        "sending_cluster": "",
        "motivation": "Your living lab runs the data space we want to build.",
        "learning_goals": "Data sharing agreements.",
        "expected_results": "A joint pilot proposal.",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=4)).isoformat(),
        "travel_from_city": "Delft",
        "travel_from_country": "NL",
        "distance_km": "600",
    }


def _offer_data(world):
    from clusters.models import Ecosystem

    call = _x(world, "call")
    return {
        "topic": "Open data for buses",
        "description": "Two days with the operators, one with the city.",
        "ecosystems": [str(Ecosystem.objects.get(code="mobility").pk)],
        "languages": "English, German",
        "available_from": call.visits_from.isoformat(),
        "available_until": call.visits_until.isoformat(),
        "capacity": "2",
        "contact": str(world.users["manager"].pk),
    }


# --- cluster memberships: join requests, member organisations, invitations -------------
MATRIX_INVITATION_TOKEN = "matrix-invitation-token"


def _join_request(world):
    from clusters.models import JoinRequest

    join_request, _created = JoinRequest.objects.get_or_create(
        name="Porto Energy Communities",
        requester=world.member,
        defaults={
            "country": "PT",
            "city": "Porto",
            "contact_email": "hi@pec.example.eu",
            "description": "Energy communities.",
            "motivation": "To learn and share.",
        },
    )
    return {"pk": join_request.pk}


def _member_organisation(world):
    """The member works for an SME that is in no cluster yet."""
    from accounts.models import Organisation

    if world.member.organisation_id is None:
        world.member.organisation = Organisation.objects.create(
            name="Acme Mobility GmbH", country="DE", kind="sme"
        )
        world.member.save(update_fields=["organisation"])
    return world.member.organisation


def _member_request(world):
    """A request of the member's organisation to join the cluster, waiting."""
    from clusters.models import MemberOrganisationRequest

    request, _created = MemberOrganisationRequest.objects.get_or_create(
        cluster=world.cluster,
        organisation=_member_organisation(world),
        status="pending",
        defaults={"requester": world.member, "message": "We build e-bus chargers."},
    )
    return request


def _invitation(world):
    from datetime import timedelta

    from django.utils import timezone

    from clusters.models import TeamInvitation
    from clusters.services import token_hash

    invitation, _created = TeamInvitation.objects.get_or_create(
        token_hash=token_hash(MATRIX_INVITATION_TOKEN),
        defaults={
            "cluster": world.cluster,
            "email": "newcomer@example.org",
            "role": "staff",
            "invited_by": world.users["manager"],
            "expires_at": timezone.now() + timedelta(days=14),
        },
    )
    return invitation


def _latest(model_path):
    def shown_on(world):
        from django.apps import apps

        return apps.get_model(model_path).objects.latest("pk").get_absolute_url()

    return shown_on


def _shown_on_application(name):
    return lambda world: _x(world, name).get_absolute_url()


MATRIX: list[Route] = [
    Route("home", get=expect(200)),
    Route("dashboard", get=expect(200, visitor=LOGIN)),
    Route("favicon", get=expect(301)),
    Route("healthz", get=expect(200)),
    Route("readyz", get=expect(200)),
    Route(
        "accounts:profile",
        get=expect(200, visitor=LOGIN),
        post=expect(302, visitor=LOGIN),
        form=FormSpec(
            role="member", data=_profile_data, shown_on=lambda w: reverse("accounts:profile")
        ),
    ),
    Route(
        "clusters:directory",
        get=expect(200),
        form=FormSpec(
            role="visitor",
            method="get",
            has_required=False,
            data=lambda w: {
                "q": "",
                "ecosystem": [],
                "country": [],
                "label": "",
                "size": "",
                "sort": "name",
            },
        ),
    ),
    Route(
        "clusters:join",
        get=expect(200, visitor=LOGIN),
        post=expect(302, visitor=LOGIN),
        form=FormSpec(
            role="member", data=_join_data, shown_on=lambda w: reverse("accounts:profile")
        ),
    ),
    Route("clusters:detail", kwargs=_cluster, get=expect(200)),
    Route(
        "clusters:edit",
        kwargs=_cluster,
        get=expect(403, visitor=LOGIN, manager=200),
        post=expect(403, visitor=LOGIN, manager=302),
        form=FormSpec(
            role="manager",
            data=_cluster_data,
            shown_on=lambda w: reverse("clusters:detail", kwargs=_cluster(w)),
        ),
    ),
    Route(
        "clusters:team_add",
        kwargs=_cluster,
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, manager=302),
        form=FormSpec(
            role="manager",
            page="clusters:edit",
            data=lambda w: {"email": w.member.email, "role": "staff"},
            shown_on=lambda w: reverse("clusters:edit", kwargs=_cluster(w)),
        ),
    ),
    Route(
        "clusters:team_remove",
        kwargs=lambda w: {"slug": w.cluster.slug, "membership_id": w.staff_membership.pk},
        # GET asks to confirm; the confirmation page's POST removes.
        get=expect(403, visitor=LOGIN, manager=200),
        post=expect(403, visitor=LOGIN, manager=302),
    ),
    Route("clusters:join_requests", get=expect(403, visitor=LOGIN, secretariat=200)),
    Route(
        "clusters:join_request_detail",
        kwargs=_join_request,
        get=expect(403, visitor=LOGIN, secretariat=200),
    ),
    Route(
        "clusters:join_request_approve",
        kwargs=_join_request,
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, secretariat=302),
    ),
    Route(
        "clusters:join_request_reject",
        kwargs=_join_request,
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, secretariat=302),
        form=FormSpec(
            role="secretariat",
            page="clusters:join_request_detail",
            data=lambda w: {"reason": "Outside the network's area."},
            shown_on=lambda w: reverse("clusters:join_request_detail", kwargs=_join_request(w)),
        ),
    ),
    Route(
        "clusters:member_request",
        # The member's organisation asks to join the other cluster; the others name no
        # organisation in their profile, and are told so (400, nothing saved).
        kwargs=lambda w: _member_organisation(w) and {"slug": w.other_cluster.slug},
        get=expect(200, visitor=LOGIN),
        post=expect(400, visitor=LOGIN, member=302),
        form=FormSpec(
            role="member",
            has_required=False,
            data=lambda w: {"message": "We build e-bus chargers."},
        ),
    ),
    Route(
        "clusters:member_requests",
        kwargs=lambda w: _member_request(w) and {"slug": w.cluster.slug},
        get=expect(403, visitor=LOGIN, manager=200),
        post=expect(403, visitor=LOGIN, manager=302),
        form=FormSpec(
            role="manager",
            data=lambda w: {
                "request": str(_member_request(w).pk),
                f"request-{_member_request(w).pk}-decision": "decline",
                f"request-{_member_request(w).pk}-reason": "Not in our region.",
            },
        ),
    ),
    Route(
        "clusters:invitation",
        kwargs=lambda w: _invitation(w) and {"token": MATRIX_INVITATION_TOKEN},
        get=expect(200),
    ),
    Route(
        "clusters:invitation_revoke",
        kwargs=lambda w: {"slug": w.cluster.slug, "pk": _invitation(w).pk},
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, manager=302),
    ),
    Route("notifications:inbox", get=expect(200, visitor=LOGIN)),
    Route(
        "notifications:open",
        kwargs=lambda w: {"pk": w.notification.pk},
        # Another person's notification does not exist for you.
        get=expect(404, visitor=LOGIN, member=302),
    ),
    Route(
        "notifications:mark_read",
        kwargs=lambda w: {"pk": w.notification.pk},
        get=expect(405, visitor=LOGIN),
        post=expect(404, visitor=LOGIN, member=302),
    ),
    Route(
        "notifications:mark_all_read",
        get=expect(405, visitor=LOGIN),
        post=expect(302, visitor=LOGIN),
    ),
    Route(
        "notifications:preferences",
        get=expect(200, visitor=LOGIN),
        post=expect(302, visitor=LOGIN),
        form=FormSpec(
            role="member",
            has_text=False,
            # The kinds that can reach the member (not the secretariat's nor a team's).
            data=lambda w: (
                {kind.name: "digest" for kind in kinds_for(w.member)} | {"digest_hour": "9"}
            ),
            # A kind left out keeps its channel; the hour's list has no empty choice (its
            # absence is refused all the same: tests/notifications/test_preferences.py).
            has_required=False,
        ),
    ),
    Route(
        "notifications:preferences_set_all",
        get=expect(405, visitor=LOGIN),
        post=expect(302, visitor=LOGIN),
        form=FormSpec(
            role="member",
            page="notifications:preferences",
            has_text=False,
            data=lambda w: {"set_all": "in_app"},
        ),
    ),
    Route(
        "clusters:contact",
        kwargs=_cluster,
        get=expect(200, visitor=LOGIN),
        # The cluster's only manager has nobody else to write to: told so, nothing sent.
        post=expect(302, visitor=LOGIN, manager=400),
        form=FormSpec(
            role="member",
            data=lambda w: {"message": "Could we visit your test bed in May?"},
        ),
    ),
    Route(
        "clusters:follow",
        kwargs=_cluster,
        get=expect(405, visitor=LOGIN),
        post=expect(302, visitor=LOGIN),
    ),
    # --- practices ------------------------------------------------------------------
    Route(
        "practices:repository",
        get=expect(200),
        form=FormSpec(
            role="visitor",
            method="get",
            has_required=False,
            data=lambda w: {
                "q": "",
                "category": "",
                "ecosystem": "",
                "country": "",
                "cluster": "",
                "tag": "",
            },
        ),
    ),
    Route("practices:mine", get=expect(200, visitor=LOGIN)),
    Route("practices:moderation", get=expect(403, visitor=LOGIN, secretariat=200)),
    Route(
        "practices:create",
        # Anyone in a cluster's team may write; the other manager may not pick our cluster.
        get=expect(403, visitor=LOGIN, manager=200, other_manager=200),
        post=expect(403, visitor=LOGIN, manager=302, other_manager=400),
        form=FormSpec(
            role="manager",
            data=lambda w: {
                **_practice_data(w),
                "cluster": str(w.cluster.pk),
                "title": f"Matchmaking breakfasts {next(_practice_counter)}",
            },
            shown_on=lambda w: reverse("practices:mine"),
        ),
    ),
    Route(
        "practices:detail",
        kwargs=lambda w: {"slug": w.practices["draft"].slug},
        # A draft is private to its cluster's team (and the secretariat).
        get=expect(404, manager=200, secretariat=200),
    ),
    Route(
        "practices:edit",
        kwargs=lambda w: {"slug": w.practices["draft"].slug},
        get=expect(404, visitor=LOGIN, manager=200, secretariat=403),
        post=expect(404, visitor=LOGIN, manager=302, secretariat=403),
        form=FormSpec(
            role="manager",
            data=_practice_data,
            shown_on=lambda w: reverse(
                "practices:detail", kwargs={"slug": w.practices["draft"].slug}
            ),
        ),
    ),
    Route(
        "practices:submit",
        kwargs=lambda w: {"slug": w.practices["draft"].slug},
        get=expect(405, visitor=LOGIN),
        post=expect(404, visitor=LOGIN, manager=302, secretariat=403),
    ),
    Route(
        "practices:moderate",
        kwargs=lambda w: {"slug": w.practices["submitted"].slug},
        get=expect(405, visitor=LOGIN),
        post=expect(404, visitor=LOGIN, manager=403, secretariat=302),
        form=FormSpec(
            role="secretariat",
            page="practices:detail",
            data=lambda w: {"decision": "request_changes", "comment": "Please add figures."},
        ),
    ),
    Route(
        "practices:archive",
        kwargs=lambda w: {"slug": w.practices["published"].slug},
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, secretariat=302),
    ),
    Route(
        "practices:interest",
        kwargs=lambda w: {"slug": w.practices["published"].slug},
        get=expect(405, visitor=LOGIN),
        # Its own cluster's team does not ask to transfer its own practice.
        post=expect(302, visitor=LOGIN, manager=403),
        form=FormSpec(
            role="member",
            page="practices:detail",
            has_required=False,
            data=lambda w: {"message": "We would like to try this in Porto."},
        ),
    ),
    Route(
        "practices:attachment",
        kwargs=lambda w: {"slug": w.practices["draft"].slug, "pk": w.practices["attachment"].pk},
        get=expect(404, manager=200, secretariat=200),
    ),
    # --- the Plan of Actions ------------------------------------------------------
    Route(
        "actionplan:plan",
        get=expect(200),
        form=FormSpec(
            role="visitor",
            method="get",
            has_required=False,
            # The lead cluster and the owner are typed (names resolved on the server).
            data=lambda w: {"theme": "", "lead": "", "status": "", "owner": "", "due": ""},
        ),
    ),
    Route("actionplan:export_csv", get=expect(200)),
    Route("actionplan:calendar", get=expect(200)),
    Route(
        "actionplan:calendar_feed",
        get=expect(405, visitor=LOGIN),
        post=expect(302, visitor=LOGIN, member=400),  # the member has one: reset it instead
    ),
    Route(
        "actionplan:calendar_feed_reset",
        get=expect(405, visitor=LOGIN),
        # Each person resets only their own address (no id to change in the URL): the
        # member has one; the others have none, so there is nothing of theirs to reset.
        post=expect(404, visitor=LOGIN, member=302),
        form=FormSpec(
            role="member",
            page="actionplan:plan",
            data=lambda w: {"confirm": "on"},
            has_text=False,
        ),
    ),
    Route("actionplan:action", kwargs=_action, get=expect(200)),
    Route(
        "actionplan:action_update",
        kwargs=_action,
        # The owner, the lead cluster's managers and the secretariat report progress.
        get=expect(403, visitor=LOGIN, manager=200, secretariat=200),
        post=expect(403, visitor=LOGIN, manager=302, secretariat=302),
        form=FormSpec(
            role="manager",
            data=lambda w: {
                "version": str(_fresh_action(w).version),
                "progress": "45",
                "status": "in_progress",
                "text": "Two more operators joined.",
                f"indicator_{w.plan['indicator'].pk}": "3",
            },
            shown_on=lambda w: reverse("actionplan:action", kwargs=_action(w)),
        ),
    ),
    Route(
        "actionplan:strategy_edit",
        kwargs=lambda w: {"pk": w.plan["strategy"].pk},
        get=expect(403, visitor=LOGIN, secretariat=200),
        post=expect(403, visitor=LOGIN, secretariat=302),
        form=FormSpec(
            role="secretariat",
            data=lambda w: {
                "title": "Joint strategy",
                "vision": "Smart cities, together and greener.",
                "start_year": "2025",
                "end_year": "2028",
                "status": "adopted",
            },
            shown_on=lambda w: reverse("actionplan:plan"),
        ),
    ),
    Route(
        "actionplan:objective_new",
        kwargs=lambda w: {"pk": w.plan["strategy"].pk},
        get=expect(403, visitor=LOGIN, secretariat=200),
        post=expect(403, visitor=LOGIN, secretariat=302),
        form=FormSpec(
            role="secretariat",
            data=lambda w: {
                "title": "Energy communities",
                "theme": "energy",
                "description": "Local energy, shared.",
                "order": "2",
            },
            shown_on=lambda w: reverse("actionplan:plan"),
        ),
    ),
    Route(
        "actionplan:objective_edit",
        kwargs=lambda w: {"pk": w.plan["objective"].pk},
        get=expect(403, visitor=LOGIN, secretariat=200),
        post=expect(403, visitor=LOGIN, secretariat=302),
        form=FormSpec(
            role="secretariat",
            data=lambda w: {
                "title": "Cleaner mobility",
                "theme": "mobility",
                "description": "Zero-emission fleets.",
                "order": "1",
            },
            shown_on=lambda w: reverse("actionplan:plan"),
        ),
    ),
    Route(
        "actionplan:action_new",
        get=expect(403, visitor=LOGIN, secretariat=200),
        post=expect(403, visitor=LOGIN, secretariat=302),
        form=FormSpec(role="secretariat", data=lambda w: _action_data(w, version="")),
    ),
    Route(
        "actionplan:action_edit",
        kwargs=_action,
        get=expect(403, visitor=LOGIN, secretariat=200),
        post=expect(403, visitor=LOGIN, secretariat=302),
        form=FormSpec(
            role="secretariat",
            data=lambda w: _action_data(w, version=str(_fresh_action(w).version)),
            shown_on=lambda w: reverse("actionplan:action", kwargs=_action(w)),
        ),
    ),
    Route(
        "actionplan:action_follow",
        kwargs=_action,
        get=expect(405, visitor=LOGIN),
        post=expect(302, visitor=LOGIN),
    ),
    # --- ClusterXchange ------------------------------------------------------------
    # world.exchange: an open call; its offer hosted by cluster (so "manager" is the host's
    # manager, "other_manager" not); the member's applications in each state.
    Route(
        "exchange:index",
        get=expect(200),
        form=FormSpec(
            role="visitor",
            method="get",
            has_required=False,
            data=lambda w: {
                "q": "",
                "ecosystem": "",
                "country": "",
                "available_from": "",
                "available_until": "",
            },
        ),
    ),
    Route("exchange:call", kwargs=lambda w: {"pk": _x(w, "call").pk}, get=expect(200)),
    Route(
        "exchange:call_export",
        kwargs=lambda w: {"pk": _x(w, "call").pk},
        get=expect(403, visitor=LOGIN, secretariat=200),
    ),
    Route(
        "exchange:offer_new",
        query=lambda w: f"?call={_x(w, 'call').pk}",
        # Any cluster's team publishes offers, for its own cluster only (the row's data
        # names ours, so the other manager's POST is refused as an unknown choice).
        get=expect(403, visitor=LOGIN, manager=200, other_manager=200),
        post=expect(403, visitor=LOGIN, manager=302, other_manager=400),
        form=FormSpec(
            role="manager",
            data=lambda w: {**_offer_data(w), "host": str(w.cluster.pk)},
            shown_on=_latest("exchange.Offer"),
        ),
    ),
    Route("exchange:offer", kwargs=lambda w: {"pk": _x(w, "offer").pk}, get=expect(200)),
    Route(
        "exchange:offer_edit",
        kwargs=lambda w: {"pk": _x(w, "offer").pk},
        get=expect(403, visitor=LOGIN, manager=200, secretariat=200),
        post=expect(403, visitor=LOGIN, manager=302, secretariat=302),
        form=FormSpec(
            role="manager",
            data=lambda w: {**_offer_data(w), "is_active": "on"},
            shown_on=lambda w: _x(w, "offer").get_absolute_url(),
        ),
    ),
    Route("exchange:applications", get=expect(200, visitor=LOGIN)),
    Route(
        "exchange:application_new",
        query=lambda w: f"?offer={_x(w, 'offer').pk}",
        # Anyone logged in who may apply starts a draft while the call is open. Who cannot
        # (the host's own manager; anyone without an organisation in their profile) is
        # told why on the page, and the POST is refused (exchange.services.apply_refusal).
        get=expect(200, visitor=LOGIN),
        post=expect(400, visitor=LOGIN, member=302),
        form=FormSpec(
            role="member", data=_application_data, shown_on=_latest("exchange.Application")
        ),
    ),
    Route(
        "exchange:application",
        kwargs=_application("submitted"),
        # The applicant, the host's team and the secretariat; nobody else knows it exists.
        get=expect(404, visitor=LOGIN, member=200, manager=200, secretariat=200),
    ),
    Route(
        "exchange:application_edit",
        kwargs=_application("draft"),
        # A draft is the applicant's alone: the host's team does not see it yet.
        get=expect(404, visitor=LOGIN, member=200, secretariat=403),
        post=expect(404, visitor=LOGIN, member=302, secretariat=403),
        form=FormSpec(
            role="member",
            data=_application_data,
            shown_on=_shown_on_application("draft"),
        ),
    ),
    Route(
        "exchange:application_submit",
        kwargs=_application("draft"),
        get=expect(405, visitor=LOGIN),
        post=expect(404, visitor=LOGIN, member=302, secretariat=403),
    ),
    Route(
        "exchange:application_withdraw",
        kwargs=_application("submitted"),
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, member=302, other_manager=404),
        form=FormSpec(
            role="member",
            page="exchange:application",
            has_required=False,
            data=lambda w: {"comment": "We found a partner closer to home."},
            shown_on=_shown_on_application("submitted"),
        ),
    ),
    Route(
        "exchange:application_review",
        kwargs=_application("submitted"),
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, manager=302, other_manager=404),
        form=FormSpec(
            role="manager",
            page="exchange:application",
            data=lambda w: {"recommendation": "accept", "comment": "We look forward to it."},
            shown_on=_shown_on_application("submitted"),
        ),
    ),
    Route(
        "exchange:application_decide",
        kwargs=_application("host_accepted"),
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, other_manager=404, secretariat=302),
        form=FormSpec(
            role="secretariat",
            page="exchange:application",
            data=lambda w: {
                "outcome": "approved",
                "message": "Enjoy the visit.",
                "funding_granted": "700.00",
            },
            shown_on=_shown_on_application("host_accepted"),
        ),
    ),
    Route(
        "exchange:application_report",
        kwargs=_application("report_due"),
        get=expect(403, visitor=LOGIN, member=200, other_manager=404),
        post=expect(403, visitor=LOGIN, member=302, other_manager=404),
        form=FormSpec(
            role="member",
            data=lambda w: {
                "what_happened": "Three days with the operators.",
                "results": "A joint pilot proposal.",
                "contacts": "Two SMEs and the city.",
                "follow_up": "A return visit in spring.",
                "satisfaction": "4",
            },
            shown_on=_shown_on_application("report_due"),
        ),
    ),
    Route(
        "exchange:report_attachment",
        kwargs=lambda w: {"pk": _x(w, "completed").pk, "file_pk": _x(w, "attachment").pk},
        get=expect(404, visitor=LOGIN, member=200, manager=200, secretariat=200),
    ),
    Route(
        "exchange:application_message",
        kwargs=_application("submitted"),
        # The thread is the applicant's, the host's managers' and the offer's contact's
        # (manager is both), and the secretariat's; the others do not know it exists.
        get=expect(405, visitor=LOGIN),
        post=expect(302, visitor=LOGIN, other_manager=404),
        form=FormSpec(
            role="member",
            page="exchange:application",
            data=lambda w: {"body": "Which hotel near the lab would you recommend?"},
            shown_on=_shown_on_application("submitted"),
        ),
    ),
    Route(
        "exchange:application_paid",
        kwargs=_application("completed"),
        # The secretariat marks a completed visit's grant paid; the applicant only sees it.
        get=expect(405, visitor=LOGIN),
        post=expect(403, visitor=LOGIN, other_manager=404, secretariat=302),
    ),
    # The host managers' queue: for anyone in a cluster's team.
    Route("exchange:review", get=expect(403, visitor=LOGIN, manager=200, other_manager=200)),
    # Only those waiting for the user's review: where Your work's "See all N" leads.
    Route(
        "exchange:review",
        query=lambda w: "?waiting=1",
        get=expect(403, visitor=LOGIN, manager=200, other_manager=200),
    ),
    Route(
        "exchange:decisions",
        get=expect(403, visitor=LOGIN, secretariat=200),
        form=FormSpec(
            role="secretariat",
            method="get",
            has_required=False,
            has_text=False,
            data=lambda w: {"call": ""},
        ),
    ),
    # --- allauth (a group: a sample of its routes) -------------------------------
    Route("account_login", get=expect(302, visitor=200)),
    Route(
        "account_signup",
        get=expect(302, visitor=200),
        form=FormSpec(
            role="visitor",
            invalid_status=200,
            data=lambda w: {
                "name": "Nina Newcomer",
                "email": f"nina{next(_signup_counter)}@sme.example.org",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
            },
        ),
    ),
    Route("account_reset_password", get=expect(200)),
    Route("account_email", get=expect(200, visitor=LOGIN)),
    Route("account_change_password", get=expect(200, visitor=LOGIN)),
    Route("mfa_index", get=expect(200, visitor=LOGIN)),
    # Turning on TOTP asks a force-logged-in session to re-authenticate first.
    Route("mfa_activate_totp", get=expect(302, visitor=LOGIN)),
    # --- Django admin (a group: a sample of its routes) --------------------------
    Route("admin:index", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:clusters_cluster_changelist", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route(
        "admin:clusters_cluster_change",
        kwargs=lambda w: {"object_id": w.cluster.pk},
        get=expect(ADMIN_LOGIN, secretariat=200),
    ),
    Route("admin:clusters_cluster_export", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:clusters_cluster_import", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:clusters_joinrequest_changelist", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route(
        # With its Approve and Reject forms (a custom change_form).
        "admin:clusters_joinrequest_change",
        kwargs=lambda w: {"object_id": _join_request(w)["pk"]},
        get=expect(ADMIN_LOGIN, secretariat=200),
    ),
    Route("admin:clusters_clustermembership_changelist", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:clusters_organisation_changelist", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:accounts_user_changelist", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:core_auditevent_changelist", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:clusters_clusterlabel_changelist", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:clusters_clusterlabel_add", get=expect(ADMIN_LOGIN, secretariat=200)),
    Route("admin:account_emailaddress_changelist", get=expect(ADMIN_LOGIN, secretariat=200)),
]

ROUTES = {route.name: route for route in MATRIX}
