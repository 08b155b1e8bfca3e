"""Reviews, decisions and visit reports of the seeded applications, and the targets that
notifications point at (see the package's docstring)."""

import random

from core.demo_scale import PROSE, insert
from exchange.models import Application, Decision, Review, VisitReport

from .applications import APPLICATION_COLUMNS, AS, CALL_PREFIX, DECIDED, ApplicationPlan


def write_outcomes(rng: random.Random, plans: list[ApplicationPlan], ids: dict[str, int]) -> None:
    status_at = APPLICATION_COLUMNS.index("status")
    funding_at = APPLICATION_COLUMNS.index("funding_requested")
    applicant_at = APPLICATION_COLUMNS.index("applicant_id")
    report_at = APPLICATION_COLUMNS.index("updated")
    insert(
        Review,
        ("application_id", "reviewer_id", "recommendation", "comment", "created"),
        (
            (
                ids[plan.reference],
                plan.host_manager_id,
                "decline" if plan.values[status_at] == AS.HOST_DECLINED else "accept",
                "Fits our members' interests." if plan.number % 3 else "",
                plan.reviewed_at,
            )
            for plan in plans
            if plan.reviewed_at
        ),
    )
    insert(
        Decision,
        ("application_id", "decided_by_id", "outcome", "message", "funding_granted", "created"),
        (
            (
                ids[plan.reference],
                None,
                DECIDED[plan.values[status_at]],
                "",
                plan.values[funding_at] if DECIDED[plan.values[status_at]] == "approved" else None,
                plan.decided_at,
            )
            for plan in plans
            if plan.decided_at
        ),
    )
    insert(
        VisitReport,
        (
            "application_id",
            "what_happened",
            "results",
            "contacts",
            "follow_up",
            "satisfaction",
            "submitted_by_id",
            "created",
        ),
        (
            (
                ids[plan.reference],
                PROSE.text(rng, 1, 2, per=(3, 5)),
                PROSE.text(rng, 1, 1, per=(2, 4)),
                "Met the host's members and two city departments.",
                PROSE.text(rng, 1, 1, per=(1, 3)),
                plan.satisfaction,
                plan.values[applicant_at],
                plan.values[report_at],
            )
            for plan in plans
            if plan.values[status_at] == AS.COMPLETED
        ),
    )


def targets(rng: random.Random, limit: int) -> list[tuple[str, str, str]]:
    """Up to ``limit`` scale applications a notification may be about."""
    rows = list(
        Application.objects.filter(call__title__startswith=CALL_PREFIX)
        .order_by("reference")
        .values_list("id", "reference")
    )
    rows = rng.sample(rows, min(limit, len(rows)))
    return [
        (f"exchange.application:{pk}", Application(pk=pk).get_absolute_url(), reference)
        for pk, reference in rows
    ]
