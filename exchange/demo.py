"""ClusterXchange's step of ``manage.py seed_demo``, from ``exchange/demo.toml``.

Two rounds: an open call and a closed one, created straight on the model like the
rest of the network, with offers from host clusters published through the exchange
services by their managers. The applications are acted out through the services too
(``exchange/demo_applications.py``) and end in every state of the workflow. The
closed round is acted while its call is open and its visits ahead, then moved into
the past (the call, the visits, the notifications' texts), after which its ended
visits wait for their reports like every night and some reports are sent. Finally
every step is dated when it happened. All of it is skipped when the open call
exists. Notifications stay in the inboxes: none is e-mailed.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from accounts.models import User
from clusters.demo import (
    COUNTRY_CODES,
    ECOSYSTEM_CODES,
    check_person,
    ecosystems_by_code,
    manager_email,
    member,
    staff_email,
)
from clusters.models import Cluster
from core.demo import DemoDataError, DemoRun, backdate_events, check, load_data, require
from exchange import services as exchange_services
from exchange.demo_applications import STEPS, ApplicationSteps
from exchange.models import Application, Call, CountryCap, Offer, TravelBand, all_applicant_kinds
from notifications import demo as notifications_demo

DATA = Path(__file__).with_name("demo.toml")
OPEN = "open"
CLOSED = "closed"
ROLES = ("manager", "staff")


def check_data(data: dict, *, slugs: set[str], path: Path = DATA) -> dict:
    """Check the rounds; ``slugs`` are the clusters that may host and send visitors."""
    calls = [call["key"] for call in data["calls"]]
    check(calls, [OPEN, CLOSED], path=path, entry="calls", field_name="call key")
    for call in data["calls"]:
        entry = f"call {call['key']!r}"
        check(
            [c for c, _cap in call["caps"]],
            COUNTRY_CODES,
            path=path,
            entry=entry,
            field_name="country",
        )
    for applicant in data["applicants"]:
        check_person(applicant, path=path, slugs=sorted(slugs))
    offers = []
    for offer in data["offers"]:
        entry = f"offer {offer.get('key')!r}"
        require(
            offer,
            (
                "key",
                "call",
                "host",
                "topic",
                "ecosystems",
                "weeks",
                "capacity",
                "contact",
                "description",
                "languages",
            ),
            path=path,
            entry=entry,
        )
        check(offer["call"], calls, path=path, entry=entry, field_name="call")
        check(offer["host"], slugs, path=path, entry=entry, field_name="host")
        check(offer["ecosystems"], ECOSYSTEM_CODES, path=path, entry=entry, field_name="ecosystems")
        check(offer["contact"], ROLES, path=path, entry=entry, field_name="contact")
        offers.append(offer["key"])
    for plan in data["applications"]:
        entry = f"application of {plan.get('applicant')!r} to {plan.get('offer')!r}"
        require(
            plan, ("call", "applicant", "offer", "visit", "from", "steps"), path=path, entry=entry
        )
        check(plan["call"], calls, path=path, entry=entry, field_name="call")
        check(plan["offer"], offers, path=path, entry=entry, field_name="offer")
        check(
            [step for step, *_when in plan["steps"]],
            STEPS,
            path=path,
            entry=entry,
            field_name="step",
        )
        if "reviewer" in plan:
            check(plan["reviewer"], ROLES, path=path, entry=entry, field_name="reviewer")
    return data


@cache
def _content() -> dict[str, Any]:
    return load_data(DATA)


def content(slugs: set[str]) -> dict[str, Any]:
    try:
        return check_data(_content(), slugs=slugs)
    except KeyError as error:
        raise DemoDataError(f"exchange/demo.toml: missing {error}.") from error


class ExchangeSeeder(ApplicationSteps):
    def __init__(self, run: DemoRun, *, secretariat: User, clusters: dict[str, Cluster]):
        super().__init__(run, secretariat=secretariat)
        self.clusters = clusters
        self.ecosystems = ecosystems_by_code()

    def seed(self, data: dict) -> None:
        """The closed round, then the open one; nothing if the open call is there."""
        for applicant in data["applicants"]:
            member(self.run, applicant, self.clusters)
        calls = {call["key"]: call for call in data["calls"]}
        if Call.objects.filter(title=calls[OPEN]["title"]).exists():
            return
        countries = sorted({cluster.country.code for cluster in self.clusters.values()})
        for key in (CLOSED, OPEN):
            if not Call.objects.filter(title=calls[key]["title"]).exists():
                self.exchange_round(data, calls[key], countries=countries)
        notifications_demo.no_email(self.run)

    def _at(self, days_ago: int, clock: str) -> datetime:
        hour, minute = (int(part) for part in clock.split(":"))
        day = self.run.today - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def _weeks(self, first: int, last: int) -> tuple[date, date]:
        """From the Monday of week ``first`` to the Friday of week ``last``."""
        return (
            self.monday + timedelta(weeks=first),
            self.monday + timedelta(weeks=last, days=4),
        )

    @staticmethod
    def _acting_shift(data: dict) -> timedelta:
        """How far ahead a round is acted out: a closed one as if it were open now, by
        whole weeks so that the visits keep their weekdays (and their funding)."""
        if data["closes"] > 0:
            return timedelta(0)
        return timedelta(weeks=round(-(data["opens"] + data["closes"]) / 14))

    def exchange_round(self, content: dict, data: dict, *, countries: list[str]) -> Call:
        shift = self._acting_shift(data)
        call = self.call(data, countries=countries, shift=shift)
        offers = {
            offer["key"]: self.offer(
                offer, call=call, host=self.clusters[offer["host"]], shift=shift
            )
            for offer in content["offers"]
            if offer["call"] == data["key"]
        }
        plans = [
            plan
            for plan in content["applications"]
            if plan["call"] == data["key"]
            and not Application.objects.filter(
                call=call,
                applicant__email=plan["applicant"],
                host=offers[plan["offer"]].host,
            ).exists()
        ]
        # Every step of every application in the order it happened, so that capacity,
        # overlaps and "one visit per organisation" are checked as they would have been.
        steps = sorted(
            (self._at(days_ago, clock), number, step)
            for number, plan in enumerate(plans)
            for step, days_ago, clock in plan["steps"]
        )
        applications: dict[int, Application] = {}
        when: dict[int, dict[str, datetime]] = {number: {} for number in range(len(plans))}
        for at, number, step in steps:
            plan = plans[number]
            applications[number] = self.application_step(
                step,
                plan,
                applications.get(number),
                call=call,
                offer=offers[plan["offer"]],
                shift=shift,
                at=at,
            )
            when[number][step] = at
        if shift:
            self.move_round_back(call, offers.values(), applications.values(), shift)
            self.visits_over(plans, applications, when)
        for number, application in applications.items():
            self.backdate_application(application, when[number])
            self.run.count(Application, True)
        return call

    def call(self, data: dict, *, countries: list[str], shift: timedelta) -> Call:
        visits_from, visits_until = self._weeks(*data["visit_weeks"])
        call = Call(
            title=data["title"],
            series=data["series"],
            description=data["description"],
            opens_at=self._at(-data["opens"], "09:00") + shift,
            closes_at=self._at(-data["closes"], "17:00") + shift,
            visits_from=visits_from + shift,
            visits_until=visits_until + shift,
            min_days=data["min_days"],
            max_days=data["max_days"],
            eligible_countries=countries,
            eligible_kinds=all_applicant_kinds(),
            funded_places=data["funded_places"],
            daily_allowance=Decimal(data["daily_allowance"]),
            visitor_cap=Decimal(data["visitor_cap"]),
        )
        call.full_clean()
        call.save()
        TravelBand.objects.bulk_create(
            TravelBand(call=call, from_km=km, amount=Decimal(amount))
            for km, amount in data["bands"]
        )
        CountryCap.objects.bulk_create(
            CountryCap(call=call, country=country, cap=Decimal(cap))
            for country, cap in data["caps"]
        )
        Call.objects.filter(pk=call.pk).update(created=call.opens_at - shift - timedelta(days=14))
        if shift and not (call.is_open and call.visits_from > self.run.today):
            raise ValueError(f"{call}: acted {shift.days} days ahead, it must be open.")
        self.run.count(Call, True)
        return call

    def offer(self, data: dict, *, call: Call, host: Cluster, shift: timedelta) -> Offer:
        """Published by the host's manager a few days before the call opened."""
        offer = Offer.objects.filter(call=call, host=host, topic=data["topic"]).first()
        if offer is not None:
            return offer
        contact = staff_email if data["contact"] == "staff" else manager_email
        available_from, available_until = self._weeks(*data["weeks"])
        offer = exchange_services.offer_create(
            actor=self.person(manager_email(host.slug)),
            call=call,
            host=host,
            data={
                "topic": data["topic"],
                "description": data["description"],
                "languages": data["languages"],
                "available_from": available_from + shift,
                "available_until": available_until + shift,
                "capacity": data["capacity"],
                "contact": self.person(contact(host.slug)),
                "is_active": True,
            },
            ecosystems=[self.ecosystems[code] for code in data["ecosystems"]],
        )
        spread = len(data["topic"])  # varies per offer, same on every run
        published = call.opens_at - shift - timedelta(days=2 + spread % 9, hours=-(spread % 6))
        Offer.objects.filter(pk=offer.pk).update(created=published, updated=published)
        backdate_events(offer, {"exchange.offer_create": published})
        self.run.count(Offer, True)
        return offer


def seed(run: DemoRun, *, secretariat: User, clusters: dict[str, Cluster]) -> None:
    data = content(set(clusters))
    ExchangeSeeder(run, secretariat=secretariat, clusters=clusters).seed(data)
