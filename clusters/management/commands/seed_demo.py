"""A small, believable demo network: clusters, their teams, member SMEs, a join request,
and a repository of best practices, and the network's joint strategy (Plan of Actions).

The network itself is seed data, so it is written straight to the models (there
is no actor, nothing to notify and no history to record). The practices, on the
other hand, go through the practices services, acted out by the cluster managers
and the secretariat, so that their history, versions and notifications are real;
afterwards their dates are moved into the past so the repository does not look
as if it had all happened today. Every object is looked up by its natural key
first and only created when missing; an existing row is never modified, so a
second run adds nothing and changes nothing.

The joint strategy (``actionplan.demo_data``) is written straight to the models
too, with no service call, so that nobody is e-mailed about the actions they own;
its dates are relative to today so the dashboard always shows some actions
overdue and some due soon. It is skipped as a whole when the strategy exists.

ClusterXchange (``exchange.demo_data``) has two rounds: an open call and a closed
one, created straight on the model like the rest of the network, with offers from
fourteen host clusters published through the exchange services by their managers.
The applications are acted out through the services too, step by step in the
order they happened, by the applicants, the hosts' teams and the secretariat, so
that every rule is checked as it would have been and the timelines, versions and
notifications are real; they end in every state of the workflow. The closed round
is acted while its call is open and its visits ahead, then moved into the past
(the call, the visits, the notifications' texts), after which its ended visits
wait for their reports like every night and some reports are sent. Finally every
step is dated when it happened. All of it is skipped when the open call exists.
Notifications, here as for the practices, stay in the inboxes: none is e-mailed.
"""

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import formats, timezone

from accounts.models import User
from actionplan import demo_data as plan_data
from actionplan.models import (
    Action,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    ProgressUpdate,
    Strategy,
)
from actionplan.services import rollup_progress
from clusters.models import (
    Cluster,
    ClusterFollow,
    ClusterLabel,
    ClusterMembership,
    Ecosystem,
    JoinRequest,
    Organisation,
)
from clusters.services import cluster_follow, cluster_label_record
from core.models import AuditEvent
from exchange import demo_data as exchange_data
from exchange import notifications as exchange_kinds
from exchange import services as exchange_services
from exchange.models import (
    ApplicantKind,
    Application,
    Call,
    CountryCap,
    Decision,
    Offer,
    ReferenceCounter,
    Review,
    TravelBand,
    VisitReport,
    all_applicant_kinds,
)
from notifications.models import Notification
from practices import notifications as practice_kinds
from practices import services as practice_services
from practices.demo_data import FOLLOWS, INTERESTS, PRACTICES
from practices.models import Practice, Tag, TransferInterest

DEMO_DOMAIN = "demo.smartclusters.eu"
SECRETARIAT_EMAIL = f"secretariat@{DEMO_DOMAIN}"
MEMBER_EMAIL = f"member@{DEMO_DOMAIN}"

SECRETARIAT = {"email": SECRETARIAT_EMAIL, "name": "Sofie Janssens", "country": "BE"}

# Each dict is one cluster: its profile, its ecosystems, its manager and, for
# some, a staff member. Names, people and websites are invented.
CLUSTERS = [
    {
        "slug": "isar-mobility-forum",
        "name": "Isar Mobility Forum",
        "acronym": "IMF",
        "country": "DE",
        "region": "Bavaria",
        "city": "Munich",
        "year_founded": 2009,
        "legal_form": Cluster.LegalForm.ASSOCIATION,
        "ecosystems": ["mobility", "ict"],
        "members": {"smes": 142, "large": 18, "research": 11, "public": 6, "other": 4},
        "label": Cluster.Label.GOLD,
        "label_year": 2023,
        "description": (
            "Isar Mobility Forum brings together automotive suppliers, software SMEs and "
            "transport operators around connected and shared mobility. Its members run "
            "joint pilots with the city's transport authority on demand-responsive buses "
            "and multimodal ticketing."
        ),
        "offers": (
            "A living lab of 40 connected intersections open to member pilots; a template "
            "data-sharing agreement for mobility operators; two-day study visits to our "
            "mobility hubs."
        ),
        "needs": (
            "Partners with experience in rural demand-responsive transport; SMEs working "
            "on accessible journey planning for people with reduced mobility."
        ),
        "manager": "Katrin Hofmann",
        "staff": "Felix Brandt",
    },
    {
        "slug": "nordhafen-energy-network",
        "name": "Nordhafen Energy Network",
        "acronym": "NEN",
        "country": "DE",
        "region": "Hamburg",
        "city": "Hamburg",
        "year_founded": 2012,
        "legal_form": Cluster.LegalForm.COMPANY,
        "ecosystems": ["energy", "environment"],
        "members": {"smes": 96, "large": 14, "research": 7, "public": 5, "other": 2},
        "label": Cluster.Label.SILVER,
        "label_year": 2022,
        "description": (
            "Nordhafen Energy Network connects port industries, utilities and engineering "
            "SMEs that work on green hydrogen and waste-heat recovery. It coordinates the "
            "district-heating roadmap of the harbour area with the city."
        ),
        "offers": (
            "Know-how on connecting industrial waste heat to district heating networks; a "
            "hydrogen safety training course for SME technicians."
        ),
        "needs": (
            "Clusters with experience in energy communities and citizen participation; "
            "start-ups in heat-pump monitoring."
        ),
        "manager": "Henrik Paulsen",
    },
    {
        "slug": "loire-smart-territories",
        "name": "Loire Smart Territories",
        "acronym": "LST",
        "country": "FR",
        "region": "Pays de la Loire",
        "city": "Nantes",
        "year_founded": 2014,
        "legal_form": Cluster.LegalForm.ASSOCIATION,
        "ecosystems": ["environment", "ict"],
        "members": {"smes": 78, "large": 6, "research": 9, "public": 12, "other": 3},
        "label": Cluster.Label.BRONZE,
        "label_year": 2021,
        "description": (
            "Loire Smart Territories helps towns of the Loire valley use sensors and open "
            "data to manage water, air quality and green spaces. Most of its members are "
            "small digital companies and local authorities."
        ),
        "offers": (
            "An open-source dashboard for river-level and flood alerts used by 23 towns; "
            "a procurement guide for small municipalities buying IoT networks."
        ),
        "needs": (
            "Partners who have run citizen-science air-quality campaigns; SMEs doing "
            "low-power sensor hardware."
        ),
        "manager": "Camille Moreau",
    },
    {
        "slug": "confluence-mobilites",
        "name": "Confluence Mobilités",
        "acronym": "CMOB",
        "country": "FR",
        "region": "Auvergne-Rhône-Alpes",
        "city": "Lyon",
        "year_founded": 2006,
        "legal_form": Cluster.LegalForm.ASSOCIATION,
        "ecosystems": ["mobility", "energy"],
        "members": {"smes": 164, "large": 22, "research": 15, "public": 8, "other": 6},
        "label": Cluster.Label.GOLD,
        "label_year": 2024,
        "description": (
            "Confluence Mobilités is the network of companies behind clean urban logistics "
            "and electric mobility in the Lyon area. It runs an accelerator for mobility "
            "start-ups and a yearly urban-logistics challenge with the metropolis."
        ),
        "offers": (
            "Mentoring from our start-up accelerator; results of three years of cargo-bike "
            "last-mile trials; a shared charging-data platform."
        ),
        "needs": (
            "Clusters from southern Europe working on heat-resilient charging "
            "infrastructure; research partners on battery second life."
        ),
        "manager": "Julien Lefèvre",
        "staff": "Amélie Garnier",
    },
    {
        "slug": "levante-energy-cluster",
        "name": "Levante Energy Cluster",
        "acronym": "LEC",
        "country": "ES",
        "region": "Valencian Community",
        "city": "Valencia",
        "year_founded": 2011,
        "legal_form": Cluster.LegalForm.ASSOCIATION,
        "ecosystems": ["energy"],
        "members": {"smes": 88, "large": 9, "research": 6, "public": 4, "other": 5},
        "label": Cluster.Label.SILVER,
        "label_year": 2023,
        "description": (
            "Levante Energy Cluster groups installers, engineering firms and research "
            "institutes working on solar self-consumption and energy communities. It "
            "has helped set up 31 local energy communities in the region."
        ),
        "offers": (
            "A step-by-step legal and technical kit for founding an energy community; "
            "training for installers on hybrid PV and battery systems."
        ),
        "needs": (
            "Partners with experience in flexibility markets and demand response; SMEs "
            "building energy-sharing apps for households."
        ),
        "manager": "Lucía Navarro",
        "staff": "Javier Ortega",
    },
    {
        "slug": "ria-digital-cities",
        "name": "Ría Digital Cities",
        "acronym": "RDC",
        "country": "ES",
        "region": "Basque Country",
        "city": "Bilbao",
        "year_founded": 2017,
        "legal_form": Cluster.LegalForm.FOUNDATION,
        "ecosystems": ["ict", "mobility"],
        "members": {"smes": 54, "large": 7, "research": 5, "public": 3, "other": 1},
        "label": Cluster.Label.NONE,
        "label_year": None,
        "description": (
            "Ría Digital Cities is a young cluster of software and data companies building "
            "urban digital twins. Its members model traffic, noise and building energy use "
            "for the cities along the estuary."
        ),
        "offers": (
            "An urban digital-twin reference architecture; a shared GPU cluster for members' "
            "simulation work; workshops on open urban data standards."
        ),
        "needs": (
            "Clusters with a management excellence label to mentor us; cities willing to "
            "test our traffic simulation tools."
        ),
        "manager": "Iker Etxeberria",
    },
    {
        "slug": "torino-smart-mobility-hub",
        "name": "Torino Smart Mobility Hub",
        "acronym": "TSMH",
        "country": "IT",
        "region": "Piedmont",
        "city": "Turin",
        "year_founded": 2008,
        "legal_form": Cluster.LegalForm.COMPANY,
        "ecosystems": ["mobility"],
        "members": {"smes": 121, "large": 16, "research": 8, "public": 5, "other": 3},
        "label": Cluster.Label.SILVER,
        "label_year": 2021,
        "description": (
            "Torino Smart Mobility Hub helps automotive SMEs move into connected and "
            "automated vehicles. It operates a test track for low-speed automated shuttles "
            "together with the local university."
        ),
        "offers": (
            "Access to an automated-shuttle test track; a supplier-diversification "
            "programme for automotive SMEs; homologation know-how."
        ),
        "needs": (
            "Partners on the public acceptance of automated shuttles; ICT clusters with "
            "cybersecurity expertise for vehicles."
        ),
        "manager": "Giulia Rinaldi",
    },
    {
        "slug": "emilia-green-cities",
        "name": "Emilia Green Cities",
        "acronym": "EGC",
        "country": "IT",
        "region": "Emilia-Romagna",
        "city": "Bologna",
        "year_founded": 2013,
        "legal_form": Cluster.LegalForm.ASSOCIATION,
        "ecosystems": ["environment", "energy"],
        "members": {"smes": 73, "large": 5, "research": 10, "public": 9, "other": 4},
        "label": Cluster.Label.BRONZE,
        "label_year": 2022,
        "description": (
            "Emilia Green Cities works on urban greening, circular construction and "
            "building renovation. Its members have renovated over 400 social-housing flats "
            "with prefabricated insulation panels."
        ),
        "offers": (
            "A catalogue of nature-based solutions with costs and maintenance data; a "
            "method for deep renovation of social housing in occupied buildings."
        ),
        "needs": (
            "SMEs recycling construction and demolition waste; clusters with experience in "
            "green public procurement."
        ),
        "manager": "Marco Ferri",
    },
    {
        "slug": "tejo-smart-city-hub",
        "name": "Tejo Smart City Hub",
        "acronym": "TSCH",
        "country": "PT",
        "region": "Lisbon",
        "city": "Lisbon",
        "year_founded": 2016,
        "legal_form": Cluster.LegalForm.ASSOCIATION,
        "ecosystems": ["ict", "environment"],
        "members": {"smes": 67, "large": 8, "research": 6, "public": 7, "other": 2},
        "label": Cluster.Label.NONE,
        "label_year": None,
        "description": (
            "Tejo Smart City Hub connects Lisbon's start-up scene with the municipalities of "
            "the metropolitan area. It runs a yearly open-data challenge and a soft-landing "
            "programme for foreign smart-city start-ups."
        ),
        "offers": (
            "A soft-landing programme for start-ups entering Portugal; access to the city's "
            "open-data portal team; pitch days with municipal buyers."
        ),
        "needs": (
            "Partners on coastal climate adaptation; energy clusters to co-host exchange "
            "visits for our start-ups."
        ),
        "manager": "Rita Almeida",
    },
    {
        "slug": "delta-circular-cities",
        "name": "Delta Circular Cities",
        "acronym": "DCC",
        "country": "NL",
        "region": "South Holland",
        "city": "Rotterdam",
        "year_founded": 2010,
        "legal_form": Cluster.LegalForm.FOUNDATION,
        "ecosystems": ["environment", "mobility"],
        "members": {"smes": 133, "large": 19, "research": 12, "public": 10, "other": 7},
        "label": Cluster.Label.GOLD,
        "label_year": 2022,
        "description": (
            "Delta Circular Cities works on circular construction, water management and "
            "zero-emission city logistics in the Rhine delta. It is the network's longest-"
            "standing gold-label cluster and mentors younger clusters."
        ),
        "offers": (
            "Mentoring on cluster management and the excellence label; a materials passport "
            "tool for buildings; results of zero-emission logistics zones."
        ),
        "needs": (
            "Partners from central and eastern Europe for joint projects; SMEs in "
            "water-sensitive urban design."
        ),
        "manager": "Pieter van Dijk",
        "staff": "Lotte Visser",
    },
    {
        "slug": "scheldt-energy-valley",
        "name": "Scheldt Energy Valley",
        "acronym": "SEV",
        "country": "BE",
        "region": "Flanders",
        "city": "Antwerp",
        "year_founded": 2015,
        "legal_form": Cluster.LegalForm.ASSOCIATION,
        "ecosystems": ["energy", "ict"],
        "members": {"smes": 81, "large": 13, "research": 6, "public": 4, "other": 2},
        "label": Cluster.Label.BRONZE,
        "label_year": 2024,
        "description": (
            "Scheldt Energy Valley brings together the digital and the energy sectors "
            "around smart grids and building energy management. Its members share a test "
            "micro-grid on a former industrial site."
        ),
        "offers": (
            "Access to a test micro-grid with 2 MW of solar and storage; a working group on "
            "interoperability of building management systems."
        ),
        "needs": (
            "SMEs with AI forecasting for local energy demand; clusters that organise "
            "matchmaking between start-ups and grid operators."
        ),
        "manager": "Thomas Peeters",
    },
    {
        "slug": "vistula-smart-mobility",
        "name": "Vistula Smart Mobility Cluster",
        "acronym": "VSMC",
        "country": "PL",
        "region": "Lesser Poland",
        "city": "Kraków",
        "year_founded": 2018,
        "legal_form": Cluster.LegalForm.ASSOCIATION,
        "ecosystems": ["mobility", "ict"],
        "members": {"smes": 58, "large": 4, "research": 7, "public": 3, "other": 2},
        "label": Cluster.Label.NONE,
        "label_year": None,
        "description": (
            "Vistula Smart Mobility Cluster gathers software houses and transport companies "
            "that build passenger information and fleet-management systems. It works with "
            "the city on tram priority and bike-sharing data."
        ),
        "offers": (
            "Developers experienced in real-time passenger information; a shared test "
            "environment with anonymised tram and bus positions."
        ),
        "needs": (
            "Mentoring on cluster strategy and financing; partners for a joint application "
            "on urban air mobility."
        ),
        "manager": "Agnieszka Wiśniewska",
    },
    {
        "slug": "oresund-urban-energy",
        "name": "Öresund Urban Energy",
        "acronym": "OUE",
        "country": "SE",
        "region": "Skåne",
        "city": "Malmö",
        "year_founded": 2007,
        "legal_form": Cluster.LegalForm.COMPANY,
        "ecosystems": ["energy", "environment"],
        "members": {"smes": 102, "large": 11, "research": 8, "public": 6, "other": 3},
        "label": Cluster.Label.SILVER,
        "label_year": 2024,
        "description": (
            "Öresund Urban Energy works on low-temperature district heating, positive-energy "
            "districts and sustainable neighbourhoods. Its members have built two "
            "positive-energy districts on former harbour land."
        ),
        "offers": (
            "Study visits to two positive-energy districts; monitoring data from 1,200 "
            "flats; a guide to fifth-generation district heating."
        ),
        "needs": (
            "Partners from southern Europe on district cooling; ICT SMEs for energy data platforms."
        ),
        "manager": "Erik Lindqvist",
    },
    {
        "slug": "aura-digital-cities",
        "name": "Aura Digital Cities",
        "acronym": "ADC",
        "country": "FI",
        "region": "Southwest Finland",
        "city": "Turku",
        "year_founded": 2019,
        "legal_form": Cluster.LegalForm.COMPANY,
        "ecosystems": ["ict"],
        "members": {"smes": 46, "large": 3, "research": 4, "public": 5, "other": 1},
        "label": Cluster.Label.BRONZE,
        "label_year": 2023,
        "description": (
            "Aura Digital Cities is a cluster of software companies building digital public "
            "services for mid-sized cities. It focuses on interoperable platforms and "
            "privacy-friendly use of city data."
        ),
        "offers": (
            "An interoperability test bed based on open standards for city APIs; a privacy "
            "impact assessment template for smart-city projects."
        ),
        "needs": (
            "Mobility and energy clusters whose cities want to pilot our services; "
            "partners for a joint exchange on data spaces."
        ),
        "manager": "Aino Virtanen",
    },
    {
        "slug": "danube-urban-tech",
        "name": "Danube Urban Tech",
        "acronym": "DUT",
        "country": "AT",
        "region": "Vienna",
        "city": "Vienna",
        "year_founded": 2012,
        "legal_form": Cluster.LegalForm.PUBLIC,
        "ecosystems": ["ict", "energy"],
        "members": {"smes": 112, "large": 15, "research": 13, "public": 9, "other": 5},
        "label": Cluster.Label.NONE,
        "label_year": None,
        "description": (
            "Danube Urban Tech is run by the regional business agency and supports companies "
            "in building technology, smart grids and urban data. It organises a yearly "
            "matchmaking event between SMEs and housing associations."
        ),
        "offers": (
            "Matchmaking between SMEs and large housing associations; know-how on "
            "innovation-friendly public procurement."
        ),
        "needs": (
            "Partners to benchmark our cluster management; SMEs in facade-integrated photovoltaics."
        ),
        "manager": "Lukas Gruber",
    },
    {
        "slug": "kattegat-climate-cities",
        "name": "Kattegat Climate Cities",
        "acronym": "KCC",
        "country": "DK",
        "region": "Central Denmark",
        "city": "Aarhus",
        "year_founded": 2016,
        "legal_form": Cluster.LegalForm.INFORMAL,
        "ecosystems": ["environment"],
        "members": {"smes": 24, "large": 2, "research": 3, "public": 4, "other": 1},
        "label": Cluster.Label.NONE,
        "label_year": None,
        "status": Cluster.Status.INACTIVE,
        "description": (
            "Kattegat Climate Cities was a network of coastal towns and SMEs working on "
            "climate adaptation and storm-water management. It is currently dormant while "
            "its members decide on a new legal form."
        ),
        "offers": (
            "Results of a storm-water retention project in three coastal towns; a toolkit "
            "for climate-adaptation plans."
        ),
        "needs": "A host cluster to take over its members and projects.",
        "manager": "Mette Sørensen",
    },
]

# Members from SMEs and start-ups, each working for an organisation that is a
# member of one or more clusters.
MEMBERS = [
    {
        "email": MEMBER_EMAIL,
        "name": "Marta Ferreira",
        "country": "PT",
        "organisation": {
            "name": "Lumen Grid Analytics",
            "kind": Organisation.Kind.STARTUP,
            "size": Organisation.Size.MICRO,
            "clusters": ["tejo-smart-city-hub"],
        },
    },
    {
        "email": f"jonas.weber@{DEMO_DOMAIN}",
        "name": "Jonas Weber",
        "country": "DE",
        "organisation": {
            "name": "Weber Ladetechnik GmbH",
            "kind": Organisation.Kind.SME,
            "size": Organisation.Size.SMALL,
            "clusters": ["isar-mobility-forum"],
        },
    },
    {
        "email": f"claire.dubois@{DEMO_DOMAIN}",
        "name": "Claire Dubois",
        "country": "FR",
        "organisation": {
            "name": "Hydrosense Capteurs SAS",
            "kind": Organisation.Kind.SME,
            "size": Organisation.Size.SMALL,
            "clusters": ["loire-smart-territories", "confluence-mobilites"],
        },
    },
    {
        "email": f"luca.bianchi@{DEMO_DOMAIN}",
        "name": "Luca Bianchi",
        "country": "IT",
        "organisation": {
            "name": "Verdecittà Engineering Srl",
            "kind": Organisation.Kind.SME,
            "size": Organisation.Size.MEDIUM,
            "clusters": ["emilia-green-cities"],
        },
    },
    {
        "email": f"sanne.devries@{DEMO_DOMAIN}",
        "name": "Sanne de Vries",
        "country": "NL",
        "organisation": {
            "name": "Kadeflow BV",
            "kind": Organisation.Kind.STARTUP,
            "size": Organisation.Size.MICRO,
            "clusters": ["delta-circular-cities"],
        },
    },
    {
        "email": f"ana.garcia@{DEMO_DOMAIN}",
        "name": "Ana García",
        "country": "ES",
        "organisation": {
            "name": "Solaria Comunidades SL",
            "kind": Organisation.Kind.SME,
            "size": Organisation.Size.SMALL,
            "clusters": ["levante-energy-cluster"],
        },
    },
    {
        "email": f"piotr.nowak@{DEMO_DOMAIN}",
        "name": "Piotr Nowak",
        "country": "PL",
        "organisation": {
            "name": "Nowak Fleet Telematics Sp. z o.o.",
            "kind": Organisation.Kind.SME,
            "size": Organisation.Size.SMALL,
            "clusters": ["vistula-smart-mobility"],
        },
    },
]

# A cluster asking to join the network, waiting for the secretariat in admin.
JOIN_REQUEST = {
    "requester": f"piotr.nowak@{DEMO_DOMAIN}",
    "name": "Upper Silesia Smart Energy Cluster",
    "acronym": "USSEC",
    "country": "PL",
    "region": "Silesia",
    "city": "Katowice",
    "website": "https://upper-silesia-smart-energy.example.eu",
    "contact_email": "info@upper-silesia-smart-energy.example.eu",
    "year_founded": 2021,
    "legal_form": JoinRequest.LegalForm.ASSOCIATION,
    "ecosystems": ["energy", "environment"],
    "members": {"smes": 37, "large": 6, "research": 4, "public": 5, "other": 1},
    "description": (
        "Upper Silesia Smart Energy Cluster helps former mining towns move from coal to "
        "clean heat and renewable power. Its members are heating companies, installers and "
        "two technical universities."
    ),
    "offers": "Experience in replacing coal boilers in multi-family buildings at scale.",
    "needs": "Know-how on energy communities and district heating from waste heat.",
    "motivation": (
        "We want to learn from clusters that have gone through an energy transition "
        "already, and to send our SMEs on exchange visits to Hamburg and Malmö."
    ),
}


def ecosystems_by_code() -> dict[str, Ecosystem]:
    """The four fixed rows come from a migration, but `manage.py flush` deletes them:
    put back any that are missing rather than seed clusters without ecosystems."""
    return {
        code: Ecosystem.objects.get_or_create(code=code, defaults={"name": str(name)})[0]
        for code, name in Ecosystem.CODES
    }


def manager_email(slug: str) -> str:
    return f"manager@{slug}.{DEMO_DOMAIN}"


def staff_email(slug: str) -> str:
    return f"staff@{slug}.{DEMO_DOMAIN}"


def _member_counts(counts: dict[str, int]) -> dict[str, int]:
    return {f"members_{kind}": n for kind, n in counts.items()}


PS = Practice.Status
PRACTICE_FIELDS = (
    "title",
    "summary",
    "category",
    "problem",
    "description",
    "resources",
    "evidence",
    "difficulties",
    "transfer_potential",
    "start_year",
    "end_year",
)
# Which step of a practice's life each audit event and notification belongs to.
STEP_OF_VERB = {
    "practice.create": "created",
    "practice.submit": "submitted",
    "practice.publish": "decided",
    "practice.request_changes": "decided",
    "practice.reject": "decided",
    "practice.archive": "archived",
}
STEP_OF_KIND = {
    practice_kinds.SUBMITTED.name: "submitted",
    practice_kinds.PUBLISHED.name: "decided",
    practice_kinds.CHANGES_REQUESTED.name: "decided",
    practice_kinds.REJECTED.name: "decided",
    practice_kinds.FOLLOWED_CLUSTER_PUBLISHED.name: "decided",
}
FOLLOWED_DAYS_AGO = 760  # before the oldest demo practice was published
READ_AFTER = timedelta(days=14)  # older notifications count as read by now


# Which step of an exchange application's life each audit event and notification
# belongs to (see ``exchange.demo_data``); the report is due when the nightly task
# runs on the morning after the visit.
EXCHANGE_STEPS_OF_VERB = {
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
EXCHANGE_STEPS_OF_KIND = {
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
APPLICANT_KIND_OF_ORGANISATION = {
    Organisation.Kind.SME: ApplicantKind.SME,
    Organisation.Kind.STARTUP: ApplicantKind.STARTUP,
    Organisation.Kind.RESEARCH: ApplicantKind.RESEARCH,
    Organisation.Kind.CLUSTER: ApplicantKind.CLUSTER_STAFF,
}
REPORTS_OPENED_AT = time(6, 0)  # exchange-open-visit-reports in the beat schedule
VISIT_DATE_FORMAT = "j M Y"  # as the exchange notifications write a visit's dates


def _when(field: str, dates: dict[str, datetime]) -> Case:
    """``created`` moved to dates[<the row's field>], for an update() in one query;
    rows whose field is not in ``dates`` keep their date."""
    return Case(
        *(When(**{field: value}, then=Value(date)) for value, date in dates.items()),
        default=F("created"),
        output_field=DateTimeField(),
    )


@contextmanager
def quiet_task_log() -> Iterator[None]:
    """In-process Celery logs a line for each e-mail task queued after commit (some
    sixty here, all skipped: see ``Seeder._no_email``); keep them out of the output."""
    logger = logging.getLogger("celery.app.trace")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def practice_timeline(data: dict, now: datetime) -> dict[str, datetime]:
    """When each step of a demo practice happened. ``days_ago`` dates the step it
    ended on (its decision, its submission or, for a draft, its creation); the
    earlier steps are spread a few days to weeks before it."""
    state = data["state"]
    at = now - timedelta(days=data["days_ago"])
    spread = len(data["title"])  # varies per practice, same on every run
    if state == PS.DRAFT:
        return {"created": at}
    if state == PS.SUBMITTED:
        return {"created": at - timedelta(days=9, hours=spread % 7), "submitted": at}
    decided = at - timedelta(hours=spread % 8)
    submitted = decided - timedelta(days=2 + spread % 6, hours=3)
    steps = {
        "created": submitted - timedelta(days=10 + spread % 15),
        "submitted": submitted,
        "decided": decided,
    }
    if state == PS.ARCHIVED:
        steps["archived"] = now - timedelta(days=data["archived_days_ago"], hours=2)
    return steps


class Seeder:
    """Creates what is missing and counts what it created."""

    def __init__(self, *, password: str, ecosystems: dict[str, Ecosystem]):
        self.password = password
        self.ecosystems = ecosystems
        self._password_hash = ""
        self.created: dict[type, int] = {}
        self.now = timezone.now()
        self.today = timezone.localdate()  # action dates are relative to it
        self._secretariat: User | None = None
        self._adopted_days_ago = 0  # of the joint strategy
        self._notifications_before = 0  # notifications with a higher pk were written here
        self._links: set[str] = set()  # of the practices and applications notified about
        self._people: dict[str, User] = {}  # the exchange's actors, by e-mail

    def _count(self, model, created: bool) -> None:
        if created:
            self.created[model] = self.created.get(model, 0) + 1

    def password_hash(self) -> str:
        # Hashed once and shared: the demo password is public anyway, and hashing it
        # for each of ~30 users would make `make run` wait for seconds.
        if not self._password_hash:
            self._password_hash = make_password(self.password)
        return self._password_hash

    def user(self, *, email: str, name: str, country: str = "", **extra) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create(
                email=email, name=name, country=country, password=self.password_hash(), **extra
            )
            self._count(User, True)
        _, created = EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        self._count(EmailAddress, created)
        return user

    def cluster(self, data: dict) -> Cluster:
        cluster, created = Cluster.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "acronym": data["acronym"],
                "country": data["country"],
                "region": data["region"],
                "city": data["city"],
                "website": f"https://{data['slug']}.example.eu",
                "contact_email": f"info@{data['slug']}.example.eu",
                "description": data["description"],
                "year_founded": data["year_founded"],
                "legal_form": data["legal_form"],
                "offers": data["offers"],
                "needs": data["needs"],
                "status": data.get("status", Cluster.Status.ACTIVE),
                **_member_counts(data["members"]),
            },
        )
        if created:
            cluster.ecosystems.set([self.ecosystems[code] for code in data["ecosystems"]])
        self._count(Cluster, created)
        return cluster

    def label(self, cluster: Cluster, data: dict, *, secretariat: User) -> None:
        """The cluster's label, recorded by the secretariat (labels are not self-declared)."""
        if data["label"] == Cluster.Label.NONE:
            return
        if cluster.labels.filter(level=data["label"], year=data["label_year"]).exists():
            self._count(ClusterLabel, False)
            return
        cluster_label_record(
            cluster=cluster, actor=secretariat, level=data["label"], year=data["label_year"]
        )
        self._count(ClusterLabel, True)

    def organisation(
        self, *, name: str, country: str, kind: str, size: str, clusters: Sequence[Cluster] = ()
    ) -> Organisation:
        organisation, created = Organisation.objects.get_or_create(
            name__iexact=name,
            country=country,
            defaults={"name": name, "kind": kind, "size": size},
        )
        if created:
            organisation.clusters.set(clusters)
        self._count(Organisation, created)
        return organisation

    def membership(self, *, user: User, cluster: Cluster, role: str) -> ClusterMembership:
        membership, created = ClusterMembership.objects.get_or_create(
            user=user, cluster=cluster, defaults={"role": role}
        )
        self._count(ClusterMembership, created)
        return membership

    def team(self, cluster: Cluster, data: dict) -> None:
        """The cluster's manager (and staff member, if any), employed by the cluster
        organisation itself."""
        employer = self.organisation(
            name=cluster.name,
            country=cluster.country.code,
            kind=Organisation.Kind.CLUSTER,
            size=Organisation.Size.SMALL,
        )
        people = [(manager_email(cluster.slug), data["manager"], ClusterMembership.Role.MANAGER)]
        if data.get("staff"):
            people.append((staff_email(cluster.slug), data["staff"], ClusterMembership.Role.STAFF))
        for email, name, role in people:
            user = self.user(
                email=email, name=name, country=cluster.country.code, organisation=employer
            )
            self.membership(user=user, cluster=cluster, role=role)

    def member(self, data: dict, clusters: dict[str, Cluster]) -> User:
        org = data["organisation"]
        organisation = self.organisation(
            name=org["name"],
            country=data["country"],
            kind=org["kind"],
            size=org["size"],
            clusters=[clusters[slug] for slug in org["clusters"]],
        )
        return self.user(
            email=data["email"],
            name=data["name"],
            country=data["country"],
            organisation=organisation,
        )

    def join_request(self, data: dict) -> JoinRequest:
        fields = {k: v for k, v in data.items() if k not in {"requester", "ecosystems", "members"}}
        join_request, created = JoinRequest.objects.get_or_create(
            requester=User.objects.get(email=data["requester"]),
            name=fields.pop("name"),
            defaults={**fields, **_member_counts(data["members"])},
        )
        if created:
            join_request.ecosystems.set([self.ecosystems[code] for code in data["ecosystems"]])
        self._count(JoinRequest, created)
        return join_request

    # -- The best-practice repository, written through the services ------------------

    def repository(self, *, secretariat: User, clusters: dict[str, Cluster]) -> None:
        """Follows first (so followers hear of the publications), then the practices,
        then members' interest in some of them."""
        self._notifications_before = (
            Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        tags_before = Tag.objects.count()
        for email, slug in FOLLOWS:
            self.follow(user=User.objects.get(email=email), cluster=clusters[slug])
        for data in PRACTICES:
            self.practice(data, cluster=clusters[data["cluster"]], secretariat=secretariat)
        for data in INTERESTS:
            self.interest(data, clusters=clusters)
        if Tag.objects.count() > tags_before:
            self.created[Tag] = Tag.objects.count() - tags_before
        self._no_email()

    def follow(self, *, user: User, cluster: Cluster) -> None:
        created = cluster_follow(cluster=cluster, user=user)
        if created:
            when = self.now - timedelta(days=FOLLOWED_DAYS_AGO)
            ClusterFollow.objects.filter(cluster=cluster, user=user).update(created=when)
            self._backdate_events(cluster, {"cluster.follow": when}, actor=user)
        self._count(ClusterFollow, created)

    def practice(self, data: dict, *, cluster: Cluster, secretariat: User) -> Practice | None:
        """Act out the practice's life: its manager drafts and submits it, the
        secretariat publishes, sends back, rejects or (after publishing) archives it."""
        if Practice.objects.filter(cluster=cluster, title=data["title"]).exists():
            return None
        manager = User.objects.get(email=manager_email(cluster.slug))
        practice = practice_services.practice_create(
            actor=manager,
            cluster=cluster,
            data={field: data[field] for field in PRACTICE_FIELDS},
            ecosystems=[self.ecosystems[code] for code in data["ecosystems"]],
            tags=data["tags"],
        )
        state = data["state"]
        if state != PS.DRAFT:
            practice = practice_services.practice_submit(practice=practice, actor=manager)
        if state in {PS.PUBLISHED, PS.ARCHIVED}:
            practice = practice_services.practice_publish(practice=practice, actor=secretariat)
        elif state == PS.CHANGES_REQUESTED:
            practice = practice_services.practice_request_changes(
                practice=practice, actor=secretariat, comment=data["feedback"]
            )
        elif state == PS.REJECTED:
            practice = practice_services.practice_reject(
                practice=practice, actor=secretariat, comment=data["feedback"]
            )
        if state == PS.ARCHIVED:
            practice = practice_services.practice_archive(
                practice=practice, actor=secretariat, comment=data["archive_comment"]
            )
        self._backdate_practice(practice, practice_timeline(data, self.now))
        self._count(Practice, True)
        return practice

    def interest(self, data: dict, *, clusters: dict[str, Cluster]) -> None:
        user = User.objects.get(email=data["user"])
        practice = (
            Practice.objects.published()
            .filter(cluster=clusters[data["cluster"]], title=data["practice"])
            .first()
        )
        interested = TransferInterest.objects.filter(practice=practice, user=user)
        if practice is None or interested.exists():
            return
        interest = practice_services.interest_express(
            practice=practice, user=user, message=data["message"]
        )
        when = self.now - timedelta(days=data["days_ago"])
        TransferInterest.objects.filter(pk=interest.pk).update(created=when)
        self._backdate_events(practice, {"practice.interest": when}, actor=user)
        link = practice.get_absolute_url()
        self._links.add(link)
        Notification.objects.filter(
            pk__gt=self._notifications_before, kind=practice_kinds.INTEREST.name, link=link
        ).update(created=when)
        self._count(TransferInterest, True)

    def _backdate_practice(self, practice: Practice, steps: dict[str, datetime]) -> None:
        """Move the practice's dates, versions, history and notifications into the past."""
        published = practice.status in {PS.PUBLISHED, PS.ARCHIVED}
        Practice.objects.filter(pk=practice.pk).update(
            created=steps["created"],
            updated=max(steps.values()),
            submitted_at=steps.get("submitted"),
            published_at=steps["decided"] if published else None,
        )
        practice.versions.update(created=steps.get("submitted", steps["created"]))
        self._backdate_events(
            practice,
            {verb: steps[step] for verb, step in STEP_OF_VERB.items() if step in steps},
        )
        link = practice.get_absolute_url()
        self._links.add(link)
        Notification.objects.filter(pk__gt=self._notifications_before, link=link).update(
            created=_when("kind", {k: steps[s] for k, s in STEP_OF_KIND.items() if s in steps})
        )

    def _backdate_events(self, target, when_by_verb: dict[str, datetime], actor=None) -> None:
        events = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
        )
        if actor is not None:
            events = events.filter(actor=actor)
        events.update(created=_when("verb", when_by_verb))

    def _no_email(self) -> None:
        """Keep the notifications the seeding wrote, in the inboxes, but e-mail none of them.

        ``notify()`` queues an e-mail for each after commit: some fifty e-mails,
        printed to stdout by the default console backend (drowning the command's
        own output) or, on a machine with a real mail server and a Celery worker,
        sent to the invented demo addresses. Marking them "in the inbox only"
        before commit makes the delivery task skip them whatever the e-mail
        backend or broker is, and says truthfully that they were never e-mailed.
        The old ones are marked read, as their recipients would have read them.
        """
        seeded = Notification.objects.filter(
            pk__gt=self._notifications_before, link__in=self._links
        )
        seeded.filter(
            email_state__in=[Notification.EmailState.PENDING, Notification.EmailState.DIGEST]
        ).update(email_state=Notification.EmailState.NOT_EMAILED)
        seeded.filter(created__lt=self.now - READ_AFTER).update(
            read_at=F("created") + timedelta(hours=4)
        )

    # -- The joint strategy, written straight to the models (it notifies nobody) ------

    def action_plan(self, *, secretariat: User, clusters: dict[str, Cluster]) -> None:
        """The strategy, its objectives and actions, with their milestones, indicators
        and progress updates; nothing at all if the strategy is already there."""
        if Strategy.objects.filter(title=plan_data.STRATEGY["title"]).exists():
            return
        self._secretariat = secretariat
        strategy = self.strategy(plan_data.STRATEGY)
        objectives = {
            data["key"]: self.objective(data, strategy=strategy, order=order)
            for order, data in enumerate(plan_data.OBJECTIVES, start=1)
        }
        for data in plan_data.OBJECTIVE_INDICATORS:
            self.indicator(data, objective=objectives[data["objective"]], author=secretariat)
        for data in plan_data.ACTIONS:
            self.action(data, objective=objectives[data["objective"]], clusters=clusters)

    def _days(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def _ago(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    def strategy(self, data: dict) -> Strategy:
        strategy = Strategy.objects.create(
            title=data["title"],
            vision=data["vision"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            status=Strategy.Status.ADOPTED,
        )
        adopted = self._ago(data["days_ago"])
        Strategy.objects.filter(pk=strategy.pk).update(created=adopted, updated=adopted)
        self._adopted_days_ago = data["days_ago"]
        self._count(Strategy, True)
        return strategy

    def objective(self, data: dict, *, strategy: Strategy, order: int) -> Objective:
        objective = Objective.objects.create(
            strategy=strategy,
            title=data["title"],
            theme=data["theme"],
            description=data["description"],
            order=order,
        )
        self._count(Objective, True)
        return objective

    def _owner(self, data: dict) -> User:
        if data.get("owner") == plan_data.SECRETARIAT:
            return self._secretariat
        return User.objects.get(email=manager_email(data["lead"]))

    def action(
        self,
        data: dict,
        *,
        objective: Objective,
        clusters: dict[str, Cluster],
        parent: Action | None = None,
    ) -> Action:
        owner = self._owner(data)
        action = Action.objects.create(
            objective=objective,
            parent=parent,
            weight=data.get("weight", 1),
            title=data["title"],
            description=data.get("description", ""),
            lead_cluster=clusters[data["lead"]],
            owner=owner,
            start_date=self._days(data["start"]),
            due_date=self._days(data["due"]),
            status=data["status"],
            progress=data.get("progress", 0),
            budget_amount=Decimal(data["budget"]) if "budget" in data else None,
            funding_source=data.get("funding", ""),
        )
        action.partners.set([clusters[slug] for slug in data["partners"]])
        # Entered when the strategy was adopted, or when it started if that was earlier.
        created = self._ago(max(self._adopted_days_ago, -data["start"]))
        updates = data.get("updates", ())
        updated = self._ago(updates[-1][0]) if updates else created
        Action.objects.filter(pk=action.pk).update(created=created, updated=updated)
        self._count(Action, True)
        self.milestones(action, data.get("milestones", ()))
        for indicator in data.get("indicators", ()):
            self.indicator(indicator, action=action, author=owner)
        self.progress_updates(action, updates, author=owner)
        children = [
            self.action(child, objective=objective, clusters=clusters, parent=action)
            for child in data.get("children", ())
        ]
        if children:
            rollup_progress(children[-1])  # the parent's progress, weighted from them
        return action

    def milestones(self, action: Action, rows: Iterable[tuple[str, int, bool]]) -> None:
        Milestone.objects.bulk_create(
            Milestone(action=action, title=title, date=self._days(offset), done=done)
            for title, offset, done in rows
        )

    def indicator(
        self,
        data: dict,
        *,
        author: User,
        action: Action | None = None,
        objective: Objective | None = None,
    ) -> Indicator:
        history = data["history"]
        indicator = Indicator.objects.create(
            action=action,
            objective=objective,
            name=data["name"],
            unit=data["unit"],
            baseline=Decimal(data["baseline"]),
            target=Decimal(data["target"]),
            current=Decimal(history[-1][1] if history else data["baseline"]),
        )
        for days_ago, value in history:
            recorded = IndicatorValue.objects.create(
                indicator=indicator, value=Decimal(value), recorded_by=author
            )
            IndicatorValue.objects.filter(pk=recorded.pk).update(recorded_at=self._ago(days_ago))
        return indicator

    def progress_updates(
        self, action: Action, rows: Iterable[tuple[int, int, str, str]], *, author: User
    ) -> None:
        for days_ago, progress, status, text in rows:
            update = ProgressUpdate.objects.create(
                action=action, author=author, progress=progress, status=status, text=text
            )
            ProgressUpdate.objects.filter(pk=update.pk).update(created=self._ago(days_ago))

    # -- ClusterXchange, acted out through the exchange services ----------------------

    def exchange(self, *, secretariat: User, clusters: dict[str, Cluster]) -> None:
        """The closed round, then the open one; nothing if the open call is there."""
        for data in exchange_data.APPLICANTS:
            self.member(data, clusters)
        calls = {data["key"]: data for data in exchange_data.CALLS}
        if Call.objects.filter(title=calls[exchange_data.OPEN]["title"]).exists():
            return
        self._secretariat = secretariat
        countries = sorted({cluster.country.code for cluster in clusters.values()})
        for key in (exchange_data.CLOSED, exchange_data.OPEN):
            if not Call.objects.filter(title=calls[key]["title"]).exists():
                self.exchange_round(calls[key], countries=countries, clusters=clusters)
        self._no_email()

    def _person(self, email: str) -> User:
        if email not in self._people:
            self._people[email] = User.objects.select_related("organisation").get(email=email)
        return self._people[email]

    @property
    def _monday(self) -> date:
        """Visit weeks count from this week's Monday."""
        return self.today - timedelta(days=self.today.weekday())

    def _at(self, days_ago: int, clock: str) -> datetime:
        hour, minute = (int(part) for part in clock.split(":"))
        day = self.today - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def _weeks(self, first: int, last: int) -> tuple[date, date]:
        """From the Monday of week ``first`` to the Friday of week ``last``."""
        return (
            self._monday + timedelta(weeks=first),
            self._monday + timedelta(weeks=last, days=4),
        )

    def _visit(self, week: int, weekday: int, days: int) -> tuple[date, date]:
        start = end = self._monday + timedelta(weeks=week, days=weekday)
        while days > 1:
            end += timedelta(days=1)
            days -= end.weekday() < 5
        return start, end

    @staticmethod
    def _acting_shift(data: dict) -> timedelta:
        """How far ahead a round is acted out: a closed one as if it were open now, by
        whole weeks so that the visits keep their weekdays (and their funding)."""
        if data["closes"] > 0:
            return timedelta(0)
        return timedelta(weeks=round(-(data["opens"] + data["closes"]) / 14))

    def exchange_round(self, data: dict, *, countries: list[str], clusters: dict) -> Call:
        shift = self._acting_shift(data)
        call = self.call(data, countries=countries, shift=shift)
        offers = {
            offer["key"]: self.offer(offer, call=call, host=clusters[offer["host"]], shift=shift)
            for offer in exchange_data.OFFERS
            if offer["call"] == data["key"]
        }
        plans = [
            plan
            for plan in exchange_data.APPLICATIONS
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
            self._move_round_back(call, data, offers.values(), applications.values(), shift)
            self._visits_over(plans, applications, when)
        for number, application in applications.items():
            self._backdate_application(application, when[number])
            self._count(Application, True)
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
        if shift and not (call.is_open and call.visits_from > self.today):
            raise ValueError(f"{call}: acted {shift.days} days ahead, it must be open.")
        self._count(Call, True)
        return call

    def offer(self, data: dict, *, call: Call, host: Cluster, shift: timedelta) -> Offer:
        """Published by the host's manager a few days before the call opened."""
        offer = Offer.objects.filter(call=call, host=host, topic=data["topic"]).first()
        if offer is not None:
            return offer
        contact = staff_email if data["contact"] == "staff" else manager_email
        available_from, available_until = self._weeks(*data["weeks"])
        manager = self._person(manager_email(host.slug))
        offer = exchange_services.offer_create(
            actor=manager,
            call=call,
            host=host,
            data={
                "topic": data["topic"],
                "description": data["description"],
                "languages": data["languages"],
                "available_from": available_from + shift,
                "available_until": available_until + shift,
                "capacity": data["capacity"],
                "contact": self._person(contact(host.slug)),
                "is_active": True,
            },
            ecosystems=[self.ecosystems[code] for code in data["ecosystems"]],
        )
        spread = len(data["topic"])  # varies per offer, same on every run
        published = call.opens_at - shift - timedelta(days=2 + spread % 9, hours=-(spread % 6))
        Offer.objects.filter(pk=offer.pk).update(created=published, updated=published)
        self._backdate_events(offer, {"exchange.offer_create": published})
        self._count(Offer, True)
        return offer

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
        applicant = self._person(plan["applicant"])
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
                actor=self._person(reviewer(offer.host.slug)),
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
                actor=self._secretariat,
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
        start, end = self._visit(*plan["visit"])
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
        self._renumber(application, timezone.localtime(at).year)
        return application

    def _renumber(self, application: Application, year: int) -> None:
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

    def _move_round_back(
        self,
        call: Call,
        data: dict,
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
        notifications = Notification.objects.filter(pk__gt=self._notifications_before, link=link)
        for notification in notifications:
            Notification.objects.filter(pk=notification.pk).update(
                subject=pattern.sub(lambda m: written[m.group(1)], notification.subject),
                body=pattern.sub(lambda m: written[m.group(1)], notification.body),
            )

    def _visits_over(
        self, plans: list[dict], applications: dict[int, Application], when: dict
    ) -> None:
        """The nightly task opens the reports of the visits that ended; some visitors
        have sent theirs."""
        exchange_services.applications_open_reports(now=self.now)
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
            applicant = self._person(plans[number]["applicant"])
            exchange_services.report_submit(
                application=application,
                actor=applicant,
                data={k: v for k, v in report.items() if k != "after_days"},
            )
            sent = application.end_date + timedelta(days=report["after_days"])
            when[number]["report"] = timezone.make_aware(
                datetime.combine(sent, time(9 + report["after_days"] % 8, 35))
            )

    def _backdate_application(self, application: Application, steps: dict[str, datetime]) -> None:
        """Date every step of the application when it happened in the story."""
        if max(steps.values()) >= self.now:
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
        self._backdate_events(
            application,
            {
                verb: steps[step]
                for verb, of in EXCHANGE_STEPS_OF_VERB.items()
                for step in of
                if step in steps
            },
        )
        link = application.get_absolute_url()
        self._links.add(link)
        Notification.objects.filter(pk__gt=self._notifications_before, link=link).update(
            created=_when(
                "kind",
                {
                    kind: steps[step]
                    for kind, of in EXCHANGE_STEPS_OF_KIND.items()
                    for step in of
                    if step in steps
                },
            )
        )


class Command(BaseCommand):
    help = "Seed a small, believable demo network and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a cluster.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Cluster.objects.exists():
            self.stdout.write("The database already has clusters: no demo data added.")
            return
        with quiet_task_log(), transaction.atomic():
            seeder = Seeder(password=settings.DEMO_PASSWORD, ecosystems=ecosystems_by_code())
            secretariat = seeder.user(**SECRETARIAT, is_staff=True, is_superuser=True)
            clusters = {}
            for data in CLUSTERS:
                clusters[data["slug"]] = cluster = seeder.cluster(data)
                seeder.label(cluster, data, secretariat=secretariat)
                seeder.team(cluster, data)
            for data in MEMBERS:
                seeder.member(data, clusters)
            seeder.join_request(JOIN_REQUEST)
            seeder.repository(secretariat=secretariat, clusters=clusters)
            seeder.action_plan(secretariat=secretariat, clusters=clusters)
            seeder.exchange(secretariat=secretariat, clusters=clusters)
        self._report(seeder)

    def _report(self, seeder: Seeder) -> None:
        if seeder.created:
            summary = ", ".join(
                f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"
                for model, n in seeder.created.items()
            )
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {summary}."))
        else:
            self.stdout.write("Demo data already present: nothing added.")
        logins = [
            ("Secretariat (admin)", SECRETARIAT_EMAIL),
            *((f"Manager of {data['name']}", manager_email(data["slug"])) for data in CLUSTERS[:3]),
            (f"Staff of {CLUSTERS[0]['name']}", staff_email(CLUSTERS[0]["slug"])),
            ("Member (SME)", MEMBER_EMAIL),
        ]
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        width = max(len(role) for role, _ in logins)
        for role, email in logins:
            self.stdout.write(f"  {role.ljust(width)}  {email}")
        self.stdout.write(f"  {'Password'.ljust(width)}  {settings.DEMO_PASSWORD}")
