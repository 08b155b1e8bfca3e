"""The exchange demo's applications, acted out step by step through the exchange services.

Part of the exchange step of ``manage.py seed_demo`` (see ``exchange/demo.py``): the
applicants, the hosts' teams and the secretariat act in the order the steps happened,
so every rule is checked as it would have been; a round acted ahead is then moved
back into the past, its ended visits wait for their reports, and every step is
dated when it happened.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import formats, timezone

from accounts.models import User
from clusters.demo import manager_email, staff_email
from clusters.models import Organisation
from core.demo import DemoRun, backdate_events
from core.models import AuditEvent
from exchange import notifications as exchange_kinds
from exchange import services as exchange_services
from exchange.models import (
    ApplicantKind,
    Application,
    Call,
    Decision,
    Offer,
    ReferenceCounter,
    Review,
    VisitReport,
)
from notifications import demo as notifications_demo

# Which step of an exchange application's life each audit event and notification
# belongs to; the report is due when the nightly task runs on the morning after the visit.
STEPS_OF_VERB = {
    "exchange.create": ("create",),
    "exchange.submit": ("submit",),
    "exchange.review": ("accept", "decline"),
    "exchange.more_info": ("more_info",),
    "exchange.update": ("update",),
    "exchange.resubmit": ("resubmit",),
    "exchange.approved": ("approve",),
    "exchange.rejected": ("reject",),
    "exchange.withdraw": ("withdraw",),
    "exchange.report_due": ("report_due",),
    "exchange.report": ("report",),
}
STEPS_OF_KIND = {
    exchange_kinds.NEW_APPLICATION.name: ("submit",),
    exchange_kinds.HOST_REVIEWED.name: ("accept", "decline"),
    exchange_kinds.HOST_ACCEPTED.name: ("accept",),
    exchange_kinds.MORE_INFO.name: ("more_info",),
    exchange_kinds.RESUBMITTED.name: ("resubmit",),
    exchange_kinds.DECIDED.name: ("approve", "reject"),
    exchange_kinds.WITHDRAWN.name: ("withdraw",),
}
DECISION_OF_STEP = {
    "more_info": Decision.Outcome.MORE_INFO,
    "approve": Decision.Outcome.APPROVED,
    "reject": Decision.Outcome.REJECTED,
}
STEPS = frozenset(
    {"create", "submit", "resubmit", "update", "accept", "decline", "withdraw", *DECISION_OF_STEP}
)
APPLICANT_KIND_OF_ORGANISATION = {
    Organisation.Kind.SME: ApplicantKind.SME,
    Organisation.Kind.STARTUP: ApplicantKind.STARTUP,
    Organisation.Kind.RESEARCH: ApplicantKind.RESEARCH,
    Organisation.Kind.CLUSTER: ApplicantKind.CLUSTER_STAFF,
}
REPORTS_OPENED_AT = time(6, 0)  # exchange-open-visit-reports in the beat schedule
VISIT_DATE_FORMAT = "j M Y"  # as the exchange notifications write a visit's dates


class ApplicationSteps:
    """The applications' part of the exchange seeder (``exchange.demo.ExchangeSeeder``):
    its actors, its calendar and every step of an application."""

    def __init__(self, run: DemoRun, *, secretariat: User):
        self.run = run
        self.secretariat = secretariat
        self._people: dict[str, User] = {}  # the exchange's actors, by e-mail

    def person(self, email: str) -> User:
        if email not in self._people:
            self._people[email] = User.objects.select_related("organisation").get(email=email)
        return self._people[email]

    @property
    def monday(self) -> date:
        """Visit weeks count from this week's Monday."""
        return self.run.today - timedelta(days=self.run.today.weekday())

    def visit(self, week: int, weekday: int, days: int) -> tuple[date, date]:
        start = end = self.monday + timedelta(weeks=week, days=weekday)
        while days > 1:
            end += timedelta(days=1)
            days -= end.weekday() < 5
        return start, end

    def application_step(
        self,
        step: str,
        plan: dict,
        application: Application | None,
        *,
        call: Call,
        offer: Offer,
        shift: timedelta,
        at: datetime,
    ) -> Application:
        applicant = self.person(plan["applicant"])
        services = exchange_services
        if step == "create":
            return self.application_create(
                plan, applicant, call=call, offer=offer, shift=shift, at=at
            )
        if step in {"submit", "resubmit"}:
            return services.application_submit(application=application, actor=applicant)
        if step == "update":
            return services.application_update(
                application=application, actor=applicant, data=plan["update"]
            )
        if step in {"accept", "decline"}:
            reviewer = staff_email if plan.get("reviewer") == "staff" else manager_email
            return services.application_review(
                application=application,
                actor=self.person(reviewer(offer.host.slug)),
                recommendation=(
                    Review.Recommendation.ACCEPT
                    if step == "accept"
                    else Review.Recommendation.DECLINE
                ),
                comment=plan.get("review", ""),
            )
        if step in DECISION_OF_STEP:
            return services.application_decide(
                application=application,
                actor=self.secretariat,
                outcome=DECISION_OF_STEP[step],
                message=plan["more_info"] if step == "more_info" else plan["decision"],
            )
        if step == "withdraw":
            return services.application_withdraw(
                application=application, actor=applicant, comment=plan["withdraw"]
            )
        raise ValueError(f"Unknown step of an exchange application: {step}")

    def application_create(
        self, plan: dict, applicant: User, *, call: Call, offer: Offer, shift: timedelta, at
    ) -> Application:
        start, end = self.visit(*plan["visit"])
        city, distance_km = plan["from"]
        organisation = applicant.organisation
        membership = applicant.memberships.select_related("cluster").first()
        sending = (
            membership.cluster if membership else organisation.clusters.order_by("name").first()
        )
        application = exchange_services.application_create(
            actor=applicant,
            call=call,
            offer=offer,
            data={
                "applicant_kind": APPLICANT_KIND_OF_ORGANISATION.get(
                    organisation.kind, ApplicantKind.OTHER
                ),
                "motivation": plan["motivation"],
                "learning_goals": plan["learning_goals"],
                "expected_results": plan["expected_results"],
                "start_date": start + shift,
                "end_date": end + shift,
                "travel_from_city": city,
                "travel_from_country": organisation.country.code,
                "distance_km": distance_km,
                "sending_cluster": sending,
            },
        )
        _renumber(application, timezone.localtime(at).year)
        return application

    def move_round_back(
        self,
        call: Call,
        offers: Iterable[Offer],
        applications: Iterable[Application],
        shift: timedelta,
    ) -> None:
        """Put a round acted ahead back where it belongs: the call, the offers' periods,
        the visits, and the visit dates written in versions and notifications."""
        Call.objects.filter(pk=call.pk).update(
            opens_at=call.opens_at - shift,
            closes_at=call.closes_at - shift,
            visits_from=call.visits_from - shift,
            visits_until=call.visits_until - shift,
        )
        for offer in offers:
            Offer.objects.filter(pk=offer.pk).update(
                available_from=offer.available_from - shift,
                available_until=offer.available_until - shift,
            )
        for application in applications:
            application.refresh_from_db()
            moved = {
                application.start_date: application.start_date - shift,
                application.end_date: application.end_date - shift,
            }
            Application.objects.filter(pk=application.pk).update(
                start_date=moved[application.start_date], end_date=moved[application.end_date]
            )
            for version in application.versions.all():
                for field in ("start_date", "end_date"):
                    version.data[field] = str(moved[getattr(application, field)])
                version.save(update_fields=["data"])
            self._rewrite_visit_dates(application.get_absolute_url(), moved)

    def _rewrite_visit_dates(self, link: str, moved: dict[date, date]) -> None:
        written = {
            formats.date_format(old, VISIT_DATE_FORMAT): formats.date_format(new, VISIT_DATE_FORMAT)
            for old, new in moved.items()
        }
        pattern = re.compile(r"(?<!\d)(" + "|".join(map(re.escape, written)) + r")(?!\d)")
        for notification in notifications_demo.seeded(self.run, link):
            type(notification).objects.filter(pk=notification.pk).update(
                subject=pattern.sub(lambda m: written[m.group(1)], notification.subject),
                body=pattern.sub(lambda m: written[m.group(1)], notification.body),
            )

    def visits_over(self, plans: list[dict], applications: dict[int, Application], when: dict):
        """The nightly task opens the reports of the visits that ended; some visitors
        have sent theirs."""
        exchange_services.applications_open_reports(now=self.run.now)
        for number, application in applications.items():
            application.refresh_from_db()
            if application.status != Application.Status.REPORT_DUE:
                continue
            day_after = application.end_date + timedelta(days=1)
            when[number]["report_due"] = timezone.make_aware(
                datetime.combine(day_after, REPORTS_OPENED_AT)
            )
            report = plans[number].get("report")
            if report is None:
                continue
            exchange_services.report_submit(
                application=application,
                actor=self.person(plans[number]["applicant"]),
                data={k: v for k, v in report.items() if k != "after_days"},
            )
            sent = application.end_date + timedelta(days=report["after_days"])
            when[number]["report"] = timezone.make_aware(
                datetime.combine(sent, time(9 + report["after_days"] % 8, 35))
            )

    def backdate_application(self, application: Application, steps: dict[str, datetime]) -> None:
        """Date every step of the application when it happened in the story."""
        if max(steps.values()) >= self.run.now:
            raise ValueError(f"{application}: a step dated in the future.")
        Application.objects.filter(pk=application.pk).update(
            created=steps["create"],
            updated=max(steps.values()),
            submitted_at=steps.get("resubmit", steps.get("submit")),
            report_due_at=steps.get("report_due"),
        )
        for number, step in ((1, "submit"), (2, "resubmit")):
            if step in steps:
                application.versions.filter(number=number).update(created=steps[step])
        review = steps.get("accept", steps.get("decline"))
        if review is not None:
            Review.objects.filter(application=application).update(created=review)
        for step, outcome in DECISION_OF_STEP.items():
            if step in steps:
                application.decisions.filter(outcome=outcome).update(created=steps[step])
        if "report" in steps:
            VisitReport.objects.filter(application=application).update(created=steps["report"])
        backdate_events(
            application,
            {verb: steps[s] for verb, of in STEPS_OF_VERB.items() for s in of if s in steps},
        )
        notifications_demo.backdate(
            self.run,
            application.get_absolute_url(),
            {kind: steps[s] for kind, of in STEPS_OF_KIND.items() for s in of if s in steps},
        )


def _renumber(application: Application, year: int) -> None:
    """A reference carries the year the draft was started: one begun last year (in
    the story) gets last year's next number, and this year's is given back."""
    prefix, taken_year, number = application.reference.split("-")
    if int(taken_year) == year:
        return
    counter = ReferenceCounter.objects.select_for_update().get(year=int(taken_year))
    if counter.last == int(number):
        counter.last -= 1
        counter.save(update_fields=["last"])
    counter, _ = ReferenceCounter.objects.get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    application.reference = f"{prefix}-{year}-{counter.last:04d}"
    Application.objects.filter(pk=application.pk).update(reference=application.reference)
    AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=str(application.pk),
    ).update(object_repr=application.reference)
