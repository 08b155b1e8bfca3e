"""The ClusterXchange demo seeded by ``manage.py seed_demo``: two rounds, offers, applications.

``CALLS`` are two rounds of the scheme: the current one, open, and the previous
one, closed, whose visits are over. They are separate call series on purpose: an
organisation visits once per series; the demo member visited in the closed round
and has no approved visit yet in the open one, so her draft can still be submitted.
Dates are relative to the day the command runs: ``opens`` and ``closes`` in days
(negative = in the past), the visit window in weeks from this week's Monday.

Each of ``OFFERS`` is published by the manager of ``host`` in the round ``call``;
``weeks`` is its available period (from the Monday of the first week to the Friday
of the last), ``contact`` the host's manager or staff member.

Each of ``APPLICATIONS`` is acted out through the exchange services by the
applicant, the host cluster's team and the secretariat. ``visit`` is (week from
this week's Monday, first weekday 0 to 4, working days on site); ``steps`` are
(step, days ago, time of day), oldest first; the state the application ends in
follows from them. An approved visit of the closed round that is over waits for
its report (the daily task opens it on the morning after the last day), and
``report``, if given, is sent ``after_days`` days after the visit. ``APPLICANTS``
are members added for the exchange, like ``MEMBERS`` of the seeder. People,
organisations, figures and stories are invented.
"""

from clusters.models import Organisation
from practices.demo_data import md

DEMO = "demo.smartclusters.eu"
MEMBER = f"member@{DEMO}"


def staff(slug: str) -> str:
    return f"staff@{slug}.{DEMO}"


OPEN = "open"
CLOSED = "closed"

BANDS = [(0, "50"), (100, "180"), (500, "275"), (2000, "360")]

CALLS = [
    {
        "key": CLOSED,
        "title": "ClusterXchange Round 2: smart-city exchange visits",
        "series": "ClusterXchange Round 2",
        "opens": -230,
        "closes": -170,
        "visit_weeks": (-22, -1),
        "min_days": 3,
        "max_days": 10,
        "funded_places": 8,
        "daily_allowance": "100",
        "visitor_cap": "1000",
        "bands": [(0, "50"), (100, "170"), (500, "260"), (2000, "340")],
        "caps": [("BE", "700")],
        "description": md("""
            The second round of ClusterXchange funded short visits of 3 to 10 working days
            to a cluster of the network in another country, for cluster staff, SMEs,
            start-ups and research organisations.

            ## What was funded
            - A daily allowance of **100 EUR** per working day on site.
            - A travel lump sum by distance (one way): 50 EUR up to 99 km, 170 EUR from
              100 km, 260 EUR from 500 km and 340 EUR from 2,000 km.
            - Half the amount for stays shorter than five working days or hosts less than
              200 km away; at most 700 EUR for a visit to Belgium and 1,000 EUR per visitor.

            ## Results
            The round is closed and its visits are over. Visitors write a short report (what
            happened, results, contacts made) that completes their exchange; the secretariat
            publishes a summary of the round once all reports are in.
        """),
    },
    {
        "key": OPEN,
        "title": "ClusterXchange Round 3: smart-city exchange visits",
        "series": "ClusterXchange Round 3",
        "opens": -21,
        "closes": 21,
        "visit_weeks": (5, 34),  # from 5 weeks to 8 months from now
        "min_days": 3,
        "max_days": 10,
        "funded_places": 12,
        "daily_allowance": "110",
        "visitor_cap": "1100",
        "bands": BANDS,
        "caps": [("DK", "950"), ("SE", "1000")],
        "description": md("""
            ClusterXchange funds short visits of **3 to 10 working days** to a cluster of the
            network in another country. Cluster staff, SMEs, start-ups and research
            organisations spend time with the host and its members to learn how they work,
            meet partners and start cooperation that lasts beyond the visit.

            ## Who may apply
            - Members of an organisation in one of the network's countries, applying to a host
              in another country.
            - Cluster staff, SMEs, start-ups, research and technology organisations and other
              cluster members.
            - One funded visit per organisation in this round.

            ## What is funded
            - A daily allowance of **110 EUR** per working day on site.
            - A travel lump sum by distance (one way, as the EU distance calculator gives it):

              | Distance | Lump sum |
              |---|---|
              | up to 99 km | 50 EUR |
              | from 100 km | 180 EUR |
              | from 500 km | 275 EUR |
              | from 2,000 km | 360 EUR |

            - Half the amount for stays shorter than five working days, or when the two
              organisations are less than 200 km apart.
            - At most 950 EUR for a visit to Denmark, 1,000 EUR to Sweden and 1,100 EUR per
              visitor.

            ## How to apply
            1. Choose one of the hosts' offers below and check the weeks it is available.
            2. Start an application: the form shows the rules and the funding before you submit.
            3. The host answers within two weeks; the secretariat then decides on the funding.

            After the visit a short report completes the exchange. Twelve visits are funded in
            this round: places are counted when an application is approved.
        """),
    },
]

# Members added for the exchange: staff of SMEs and start-ups of the demo clusters.
APPLICANTS = [
    {
        "email": f"mikko.laine@{DEMO}",
        "name": "Mikko Laine",
        "country": "FI",
        "organisation": {
            "name": "Satamadata Oy",
            "kind": Organisation.Kind.SME,
            "size": Organisation.Size.SMALL,
            "clusters": ["aura-digital-cities"],
        },
    },
    {
        "email": f"emma.claes@{DEMO}",
        "name": "Emma Claes",
        "country": "BE",
        "organisation": {
            "name": "Voltwise BV",
            "kind": Organisation.Kind.SME,
            "size": Organisation.Size.SMALL,
            "clusters": ["scheldt-energy-valley"],
        },
    },
    {
        "email": f"matthias.huber@{DEMO}",
        "name": "Matthias Huber",
        "country": "AT",
        "organisation": {
            "name": "Huber Gebäudetechnik GmbH",
            "kind": Organisation.Kind.SME,
            "size": Organisation.Size.MEDIUM,
            "clusters": ["danube-urban-tech"],
        },
    },
    {
        "email": f"ines.costa@{DEMO}",
        "name": "Inês Costa",
        "country": "PT",
        "organisation": {
            "name": "Maré Urban Labs, Lda.",
            "kind": Organisation.Kind.STARTUP,
            "size": Organisation.Size.MICRO,
            "clusters": ["tejo-smart-city-hub"],
        },
    },
]

OFFERS = [
    # ------------------------------------------------------------- the open round
    {
        "key": "isar-lab",
        "call": OPEN,
        "host": "isar-mobility-forum",
        "topic": "Piloting on 40 connected intersections: our living lab from the inside",
        "ecosystems": ["mobility", "ict"],
        "languages": "English, German",
        "weeks": (6, 30),
        "capacity": 3,
        "contact": "staff",
        "description": md("""
            Spend a week with the team that runs our living lab of 40 connected intersections
            in northern Munich.

            - **Day 1:** how the lab is set up, the permits, and the data-sharing agreement
              with the city's traffic department (you take the template home).
            - **Days 2–3:** join a member pilot on site (V2X messages, signal priority for
              buses) and sit in on the weekly pilot review.
            - **Day 4:** meetings with two or three member SMEs chosen for your interests.
            - **Day 5:** debrief: how you could run a pilot here, or set up a lab at home.

            Best for SMEs and start-ups with a connected-mobility product, and for cluster
            staff who want to build a test bed.
        """),
    },
    {
        "key": "nordhafen-heat",
        "call": OPEN,
        "host": "nordhafen-energy-network",
        "topic": "Industrial waste heat into district heating: the harbour roadmap",
        "ecosystems": ["energy", "environment"],
        "languages": "English, German",
        "weeks": (6, 26),
        "capacity": 2,
        "contact": "manager",
        "description": md("""
            See how port industries, the utility and engineering SMEs connect industrial
            waste heat to the district heating network of the harbour area.

            - Site visits to a copper plant and a data centre that feed their waste heat into
              the network, with their engineers.
            - A day with the roadmap team: heat contracts, pricing and who carries the risk.
            - The hydrogen safety course for SME technicians, if it runs that week.
            - Meetings with members looking for partners in heat-pump monitoring.
        """),
    },
    {
        "key": "loire-flood",
        "call": OPEN,
        "host": "loire-smart-territories",
        "topic": "River-level and flood alerts for small towns with open-source tools",
        "ecosystems": ["environment", "ict"],
        "languages": "French, English",
        "weeks": (8, 28),
        "capacity": 2,
        "contact": "manager",
        "description": md("""
            Our open-source dashboard sends river-level and flood alerts in 23 towns of the
            Loire valley. Come and see it in use, and meet the people behind it.

            - Two days with the technical team: sensors, LoRaWAN network, alert thresholds.
            - A day in a town hall that uses the alerts, with its technical services.
            - Our procurement guide for small municipalities buying IoT networks, explained
              by the lawyer who wrote it.

            Visitors who build low-power sensor hardware are especially welcome.
        """),
    },
    {
        "key": "confluence-logistics",
        "call": OPEN,
        "host": "confluence-mobilites",
        "topic": "Cargo bikes, charging data and our mobility start-up accelerator",
        "ecosystems": ["mobility", "energy"],
        "languages": "French, English",
        "weeks": (6, 20),
        "capacity": 2,
        "contact": "staff",
        "description": md("""
            Three years of cargo-bike last-mile trials in Lyon, a shared charging-data
            platform and an accelerator for mobility start-ups: pick what matters to you.

            - Ride along with a cargo-bike operator and visit two urban consolidation centres.
            - A working session on the charging-data platform: data model, usage policy,
              governance.
            - Join an accelerator mentoring day and pitch to our members.
        """),
    },
    {
        "key": "levante-communities",
        "call": OPEN,
        "host": "levante-energy-cluster",
        "topic": "Founding a local energy community, step by step",
        "ecosystems": ["energy"],
        "languages": "Spanish, English",
        "weeks": (10, 32),
        "capacity": 3,
        "contact": "staff",
        "description": md("""
            We have helped found 31 local energy communities in the Valencian Community.
            Spend a few days with the people who did it.

            1. Our legal and technical kit, explained by the team that uses it every week.
            2. Visits to two energy communities: a village co-operative and a business park.
            3. A session with installers on hybrid PV and battery systems.
            4. Meetings with SMEs building energy-sharing apps for households.
        """),
    },
    {
        "key": "torino-shuttle",
        "call": OPEN,
        "host": "torino-smart-mobility-hub",
        "topic": "Automated shuttles on our test track and the road to homologation",
        "ecosystems": ["mobility"],
        "languages": "Italian, English",
        "weeks": (6, 14),
        "capacity": 1,
        "contact": "manager",
        "description": md("""
            A week on the test track for low-speed automated shuttles we run with the local
            university.

            - Test sessions with the track team and the university's safety engineers.
            - What homologation of an automated shuttle takes, from the people who went
              through it.
            - Our supplier-diversification programme for automotive SMEs.
        """),
    },
    {
        "key": "delta-circular",
        "call": OPEN,
        "host": "delta-circular-cities",
        "topic": "Materials passports and zero-emission logistics zones in Rotterdam",
        "ecosystems": ["environment", "mobility"],
        "languages": "English, Dutch",
        "weeks": (8, 24),
        "capacity": 2,
        "contact": "staff",
        "description": md("""
            See circular construction and zero-emission city logistics at work in the Rhine
            delta.

            - Our materials passport tool, on two building sites that use it.
            - A day with the city's logistics team in the zero-emission zone: what changed for
              carriers and shops.
            - Water-sensitive urban design: a walk through two climate-proof neighbourhoods.
            - Meetings with member SMEs, arranged around your goals.
        """),
    },
    {
        "key": "oresund-districts",
        "call": OPEN,
        "host": "oresund-urban-energy",
        "topic": "Inside two positive-energy districts: monitoring data and 5th-generation heating",
        "ecosystems": ["energy", "environment"],
        "languages": "English, Swedish",
        "weeks": (10, 30),
        "capacity": 2,
        "contact": "manager",
        "description": md("""
            Our members built two positive-energy districts on former harbour land in Malmö.
            Visit them with the engineers and the residents' association.

            - The monitoring set-up of 1,200 flats and how residents consented to open data.
            - The fifth-generation district heating network, from the plant room.
            - Meetings with ICT SMEs that build energy data platforms for us.
        """),
    },
    {
        "key": "aura-apis",
        "call": OPEN,
        "host": "aura-digital-cities",
        "topic": "Interoperable city APIs: a week in our test bed",
        "ecosystems": ["ict"],
        "languages": "English, Finnish",
        "weeks": (12, 32),
        "capacity": 1,
        "contact": "manager",
        "description": md("""
            Bring a digital public service and test it against our interoperability test bed,
            based on open standards for city APIs.

            - Two days of hands-on testing with our developers.
            - Our privacy impact assessment template, applied to your service.
            - A meeting with the city of Turku's digital services team.
        """),
    },
    # ----------------------------------------------------------- the closed round
    {
        "key": "emilia-renovation",
        "call": CLOSED,
        "host": "emilia-green-cities",
        "topic": "Deep renovation of social housing while the tenants stay in",
        "ecosystems": ["environment", "energy"],
        "languages": "Italian, English",
        "weeks": (-15, -3),
        "capacity": 2,
        "contact": "manager",
        "description": md("""
            Our members have renovated over 400 social-housing flats with prefabricated
            insulation panels, with the tenants living in them.

            - Visit two building sites and talk to the site managers and the tenants.
            - Our method for deep renovation in occupied buildings, step by step.
            - The catalogue of nature-based solutions, with costs and maintenance data.
        """),
    },
    {
        "key": "scheldt-microgrid",
        "call": CLOSED,
        "host": "scheldt-energy-valley",
        "topic": "Hands-on days on our 2 MW test micro-grid",
        "ecosystems": ["energy", "ict"],
        "languages": "English, Dutch, French",
        "weeks": (-20, -1),
        "capacity": 2,
        "contact": "manager",
        "description": md("""
            Our members share a test micro-grid on a former industrial site: 2 MW of solar,
            storage and controllable loads.

            - Run your forecasting or control software on the micro-grid's live data.
            - Join the working group on interoperability of building management systems.
            - Meet the grid operator's innovation team.
        """),
    },
    {
        "key": "ria-twin",
        "call": CLOSED,
        "host": "ria-digital-cities",
        "topic": "Building an urban digital twin: traffic, noise and energy models",
        "ecosystems": ["ict", "mobility"],
        "languages": "Spanish, English",
        "weeks": (-18, -2),
        "capacity": 2,
        "contact": "manager",
        "description": md("""
            Work alongside our members who model traffic, noise and building energy use for
            the cities along the estuary.

            - Our reference architecture for urban digital twins.
            - Run simulations on the members' shared GPU cluster.
            - A workshop on open urban data standards.
        """),
    },
    {
        "key": "vistula-passenger",
        "call": CLOSED,
        "host": "vistula-smart-mobility",
        "topic": "Real-time passenger information with live tram and bus data",
        "ecosystems": ["mobility", "ict"],
        "languages": "Polish, English",
        "weeks": (-16, -6),
        "capacity": 2,
        "contact": "manager",
        "description": md("""
            Our developers build passenger information and fleet-management systems for
            Kraków's trams and buses.

            - A shared test environment with anonymised tram and bus positions.
            - Tram priority at traffic lights: a day with the city's team.
            - Meetings with software houses looking for European partners.
        """),
    },
    {
        "key": "danube-matchmaking",
        "call": CLOSED,
        "host": "danube-urban-tech",
        "topic": "Selling to housing associations: our SME matchmaking programme",
        "ecosystems": ["ict", "energy"],
        "languages": "German, English",
        "weeks": (-21, -12),
        "capacity": 1,
        "contact": "manager",
        "description": md("""
            Every year we match SMEs in building technology and smart grids with Vienna's
            large housing associations.

            - Take part in a matchmaking day as an SME.
            - Meet the procurement teams of two housing associations.
            - Our know-how on innovation-friendly public procurement.
        """),
    },
]

APPLICATIONS = [
    # ------------------------------------------------ the closed round (visits over)
    {
        "call": CLOSED,
        "applicant": f"jonas.weber@{DEMO}",
        "offer": "danube-matchmaking",
        "visit": (-19, 0, 5),
        "from": ("Augsburg", 410),
        "steps": [
            ("create", 226, "09:15"),
            ("submit", 224, "16:40"),
            ("accept", 166, "10:05"),
            ("approve", 158, "11:30"),
        ],
        "motivation": (
            "Housing associations own most of the car parks where tenants would charge their "
            "cars, and we have never sold to one. Vienna's matchmaking programme is the best "
            "way we know to learn how they buy."
        ),
        "learning_goals": (
            "How housing associations decide on charging points; what their procurement "
            "teams need to see; how the programme prepares SMEs for the meetings."
        ),
        "expected_results": (
            "Two or three contacts at housing associations, and a sales pitch adapted to them."
        ),
        "review": "A good fit for the matchmaking day in that week.",
        "decision": "Approved. Enjoy Vienna, and tell us what worked for you.",
        "report": {
            "after_days": 6,
            "satisfaction": 5,
            "what_happened": md("""
                Five days in Vienna: the matchmaking day with nine housing associations, two
                visits to their car parks, and a day with the procurement team of the
                largest one.
            """),
            "results": md("""
                We learnt that associations buy charging as a service, not hardware, and we
                are now preparing such an offer with an Austrian installer.
            """),
            "contacts": "Two housing associations, one installer and the cluster's team.",
            "follow_up": "A pilot with 24 charging points in a car park in Floridsdorf.",
        },
    },
    {
        "call": CLOSED,
        "applicant": f"ana.garcia@{DEMO}",
        "offer": "scheldt-microgrid",
        "visit": (-14, 0, 5),
        "from": ("Valencia", 1350),
        "steps": [
            ("create", 221, "12:20"),
            ("submit", 219, "10:10"),
            ("accept", 164, "15:45"),
            ("approve", 157, "09:50"),
        ],
        "motivation": (
            "Our energy communities want to share batteries, but we have never run a shared "
            "battery ourselves. The test micro-grid lets us try our control rules safely."
        ),
        "learning_goals": (
            "How to run a shared battery for several members; the interoperability of "
            "building management systems; how the grid operator sees flexibility."
        ),
        "expected_results": "Control rules tested on real data, and a partner for a joint pilot.",
        "review": "Welcome: the micro-grid is free that week.",
        "decision": "Approved with the full lump sum.",
        "report": {
            "after_days": 11,
            "satisfaction": 4,
            "what_happened": md("""
                Three days on the micro-grid testing our battery-sharing rules with the
                site's engineers, a day with the interoperability working group and a
                meeting with the grid operator.
            """),
            "results": md("""
                Our rules held with six simulated households; the operator explained what
                it would need to pay a community for flexibility.
            """),
            "contacts": "The site's two engineers, the grid operator's innovation team, Voltwise.",
            "follow_up": "A joint proposal with Voltwise for a shared-battery pilot in Valencia.",
        },
    },
    {
        "call": CLOSED,
        "applicant": staff("delta-circular-cities"),
        "offer": "vistula-passenger",
        "visit": (-11, 1, 4),
        "from": ("Rotterdam", 1090),
        "steps": [
            ("create", 214, "11:05"),
            ("submit", 213, "09:30"),
            ("accept", 163, "14:10"),
            ("approve", 156, "10:20"),
        ],
        "motivation": (
            "Our members look for partners in central and eastern Europe. Vistula's software "
            "houses are strong in passenger information, which our logistics members lack."
        ),
        "learning_goals": (
            "How a young cluster grew so fast; which of its members want European projects."
        ),
        "expected_results": "A joint project idea and a matchmaking session for our members.",
        "review": "We would be glad to host Delta: it can also help us with our strategy.",
        "decision": "Approved.",
        "report": {
            "after_days": 4,
            "satisfaction": 5,
            "what_happened": md("""
                Four days in Kraków with the cluster team and six member companies, and a
                morning in the city's traffic control centre.
            """),
            "results": md("""
                A joint project idea on passenger information for ferries and water buses,
                and a first mentoring session on Vistula's strategy.
            """),
            "contacts": "Six software houses, the city's tram priority team.",
            "follow_up": "An online matchmaking between our logistics members and Vistula's.",
        },
    },
    {
        "call": CLOSED,
        "applicant": staff("confluence-mobilites"),
        "offer": "emilia-renovation",
        "visit": (-10, 0, 5),
        "from": ("Lyon", 530),
        "steps": [
            ("create", 208, "10:45"),
            ("submit", 206, "17:15"),
            ("decline", 165, "09:40"),
            ("reject", 159, "12:00"),
        ],
        "motivation": (
            "Our mobility members are starting to work on charging in social housing; we want "
            "to understand how renovation projects are run."
        ),
        "learning_goals": "How renovation sites plan around tenants; who decides on car parks.",
        "expected_results": "Contacts for our members working on charging in housing.",
        "review": (
            "Our renovation sites are closed to visitors in those weeks, and the visit is "
            "about car parks, which our members do not work on."
        ),
        "decision": (
            "The host declined the visit, so we close the application. Confluence is welcome "
            "to apply in the next round."
        ),
    },
    {
        "call": CLOSED,
        "applicant": f"piotr.nowak@{DEMO}",
        "offer": "ria-twin",
        "visit": (-8, 0, 5),
        "from": ("Kraków", 1900),
        "steps": [
            ("create", 199, "08:55"),
            ("submit", 197, "13:25"),
            ("accept", 161, "11:10"),
            ("approve", 155, "16:05"),
        ],
        "motivation": (
            "Our fleet telematics record where every bus is, every second. Feeding them into a "
            "digital twin could predict delays; Ría's members know how to build one."
        ),
        "learning_goals": "The twin's reference architecture; how traffic models use live data.",
        "expected_results": "A prototype feed of our data into the twin, and a partner.",
        "review": "Yes: live fleet data is exactly what our traffic model lacks.",
        "decision": "Approved.",
        "report": {
            "after_days": 16,
            "satisfaction": 4,
            "what_happened": md("""
                A week with two member companies: we connected a replay of our bus positions
                to their traffic model and ran it on the shared GPU cluster.
            """),
            "results": md("""
                Delay predictions ten minutes ahead, good enough for a demo; a clear list of
                what the data must contain for production use.
            """),
            "contacts": "Two Bilbao SMEs, the cluster's data team.",
            "follow_up": "A joint offer to Kraków's operator next spring.",
        },
    },
    {
        "call": CLOSED,
        "applicant": f"sanne.devries@{DEMO}",
        "offer": "ria-twin",
        "visit": (-4, 0, 5),
        "from": ("Rotterdam", 1110),
        "steps": [
            ("create", 192, "14:35"),
            ("submit", 190, "10:00"),
            ("accept", 160, "09:20"),
            ("approve", 154, "10:40"),
            ("withdraw", 96, "18:10"),
        ],
        "motivation": (
            "We model quay traffic in the port; an urban digital twin could show how our barge "
            "deliveries relieve the city's streets."
        ),
        "learning_goals": "How the twin models freight; which data the city shares.",
        "expected_results": "A joint demo of barge logistics in the twin.",
        "review": "Interesting for our freight work.",
        "decision": "Approved.",
        "withdraw": (
            "Our first customer moved its pilot to those weeks and we are only three: we "
            "cannot leave. Thank you, and sorry to the host."
        ),
    },
    {
        "call": CLOSED,
        "applicant": f"claire.dubois@{DEMO}",
        "offer": "emilia-renovation",
        "visit": (-6, 0, 5),
        "from": ("Nantes", 1040),
        "steps": [
            ("create", 185, "16:50"),
            ("submit", 183, "11:35"),
            ("accept", 162, "13:15"),
            ("approve", 153, "15:30"),
        ],
        "motivation": (
            "Our humidity and water-leak sensors could watch renovated flats, but we do not "
            "know how renovation sites and tenants would use them."
        ),
        "learning_goals": "How moisture problems show up after renovation; who pays to watch.",
        "expected_results": "A pilot in one renovated block, and the site managers' feedback.",
        "review": "We have two sites that had damp problems: a good visit.",
        "decision": "Approved.",
    },
    {
        "call": CLOSED,
        "applicant": MEMBER,
        "offer": "scheldt-microgrid",
        "visit": (-1, 0, 5),
        "from": ("Lisbon", 1740),
        "steps": [
            ("create", 178, "20:30"),
            ("submit", 176, "09:05"),
            ("accept", 158, "16:20"),
            ("approve", 151, "11:45"),
        ],
        "motivation": (
            "Lumen Grid Analytics forecasts local energy demand with machine learning. We have "
            "trained our models on Portuguese data only; the micro-grid lets us test them on a "
            "real, different grid."
        ),
        "learning_goals": (
            "How our forecasts perform on a micro-grid with storage; what grid operators "
            "expect from forecasting SMEs."
        ),
        "expected_results": "A benchmark of our forecasts and a first customer contact in Belgium.",
        "review": "AI forecasting is one of our needs: very welcome.",
        "decision": "Approved with the full lump sum (capped for Belgium).",
    },
    # ------------------------------------------------------------ the open round
    {
        "call": OPEN,
        "applicant": f"mikko.laine@{DEMO}",
        "offer": "isar-lab",
        "visit": (18, 0, 8),
        "from": ("Turku", 1540),
        "steps": [
            ("create", 20, "09:10"),
            ("submit", 20, "15:55"),
            ("accept", 16, "10:30"),
            ("more_info", 13, "14:15"),
            ("update", 11, "09:40"),
            ("resubmit", 11, "09:55"),
            ("approve", 7, "11:20"),
        ],
        "reviewer": "staff",
        "motivation": (
            "Satamadata builds traffic data services for port cities. We want to test our "
            "signal-timing analytics on real connected intersections before Turku buys them."
        ),
        "learning_goals": "How the living lab runs pilots; how V2X data is shared with SMEs.",
        "expected_results": "A pilot plan for the lab and a partner SME in Munich.",
        "update": {
            "learning_goals": (
                "How the living lab runs pilots and who pays for them; how V2X data is "
                "shared with SMEs under the city's agreement; which pilot slot we could book "
                "next year."
            ),
            "expected_results": (
                "A pilot plan for an eight-week slot, agreed with the lab team; a partner SME "
                "in Munich for a joint offer to Turku."
            ),
        },
        "review": "A serious applicant. Felix will host him in the pilot week.",
        "more_info": (
            "Eight working days is long for this offer: please say what you will do on the "
            "extra days, and what you expect to bring home."
        ),
        "decision": "Approved: the extra days are well planned now. The cap per visitor applies.",
    },
    {
        "call": OPEN,
        "applicant": f"matthias.huber@{DEMO}",
        "offer": "delta-circular",
        "visit": (19, 0, 5),
        "from": ("Vienna", 940),
        "steps": [
            ("create", 20, "13:40"),
            ("submit", 19, "10:25"),
            ("accept", 15, "16:05"),
            ("approve", 9, "10:15"),
        ],
        "motivation": (
            "We install building services in renovations for Vienna's housing associations, "
            "which now ask for materials passports. Delta's members use them on real sites."
        ),
        "learning_goals": "How a materials passport is filled in on site; who maintains it.",
        "expected_results": "A passport template for our installations and a Dutch partner.",
        "review": "Good fit with our circular construction working group.",
        "decision": "Approved. Have a good visit.",
    },
    {
        "call": OPEN,
        "applicant": MEMBER,
        "offer": "oresund-districts",
        "visit": (14, 0, 5),
        "from": ("Lisbon", 2490),
        "steps": [
            ("create", 19, "21:05"),
            ("submit", 18, "08:45"),
            ("accept", 11, "13:30"),
        ],
        "motivation": (
            "We forecast demand for energy communities in Lisbon. Öresund's open monitoring "
            "data from 1,200 flats is the best data set we know to test our models on "
            "positive-energy districts."
        ),
        "learning_goals": (
            "How the districts balance production and demand; how residents consented to open "
            "data; what the operators would want from a forecast."
        ),
        "expected_results": "A benchmark on the districts' data, and a partner for a pilot.",
        "review": "Exactly the kind of SME we want using our data. Welcome.",
        "decision": "Approved with the full lump sum. Have a good visit to Malmö.",
    },
    {
        "call": OPEN,
        "applicant": f"emma.claes@{DEMO}",
        "offer": "isar-lab",
        "visit": (15, 0, 5),
        "from": ("Antwerp", 620),
        "steps": [
            ("create", 19, "10:20"),
            ("submit", 18, "14:50"),
            ("accept", 14, "09:35"),
            ("reject", 5, "15:10"),
        ],
        "motivation": (
            "Voltwise sells smart chargers for depots. We would like to present them to the "
            "living lab's members and find customers in Bavaria."
        ),
        "learning_goals": "Which members would buy depot chargers.",
        "expected_results": "Three sales meetings.",
        "review": "We can host, though the plan is mostly sales meetings.",
        "decision": (
            "ClusterXchange funds learning visits, and this plan describes sales meetings. "
            "You are welcome to apply again with what you want to learn from the host."
        ),
    },
    {
        "call": OPEN,
        "applicant": f"piotr.nowak@{DEMO}",
        "offer": "torino-shuttle",
        "visit": (8, 0, 5),
        "from": ("Kraków", 1070),
        "steps": [
            ("create", 19, "16:25"),
            ("submit", 18, "11:00"),
            ("decline", 12, "10:10"),
        ],
        "motivation": (
            "Kraków plans an automated shuttle line to the airport; our telematics would "
            "supervise the fleet. We need to see shuttles in operation."
        ),
        "learning_goals": "How shuttles are supervised remotely; what homologation requires.",
        "expected_results": "Requirements for our supervision software.",
        "review": (
            "The track is closed for resurfacing in those weeks. Please apply again for a "
            "week after the summer."
        ),
    },
    {
        "call": OPEN,
        "applicant": f"jonas.weber@{DEMO}",
        "offer": "confluence-logistics",
        "visit": (11, 0, 5),
        "from": ("Augsburg", 550),
        "steps": [
            ("create", 18, "08:50"),
            ("submit", 17, "13:10"),
            ("accept", 11, "10:05"),
        ],
        "reviewer": "staff",
        "motivation": (
            "Our depot chargers are used by cargo-bike operators in Munich. Confluence's "
            "charging-data platform is the model we want to follow for sharing their data."
        ),
        "learning_goals": "The platform's data model and usage policy; how operators joined.",
        "expected_results": "A data-sharing plan with our Munich customers.",
        "review": "Welcome: we will put him with the platform's working group.",
    },
    {
        "call": OPEN,
        "applicant": f"claire.dubois@{DEMO}",
        "offer": "delta-circular",
        "visit": (13, 2, 3),
        "from": ("Nantes", 680),
        "steps": [
            ("create", 17, "15:30"),
            ("submit", 16, "09:55"),
            ("accept", 12, "14:40"),
            ("more_info", 6, "11:25"),
        ],
        "motivation": (
            "Our water sensors could watch the climate-proof neighbourhoods' retention "
            "systems. We want to see them and meet the water board."
        ),
        "learning_goals": "How water-sensitive design is monitored today.",
        "expected_results": "A pilot offer for one neighbourhood.",
        "review": "Interesting; three days is short but workable.",
        "more_info": (
            "Please add who you will meet at the water board and what the pilot offer would "
            "contain; three days is short, so tell us how you will use them."
        ),
    },
    {
        "call": OPEN,
        "applicant": f"ana.garcia@{DEMO}",
        "offer": "nordhafen-heat",
        "visit": (16, 0, 8),
        "from": ("Valencia", 1760),
        "steps": [
            ("create", 16, "11:45"),
            ("submit", 15, "17:20"),
            ("accept", 8, "09:10"),
        ],
        "motivation": (
            "Two of our energy communities sit next to industrial parks with waste heat. We "
            "want to learn how Hamburg made waste heat part of its district heating."
        ),
        "learning_goals": "Heat contracts and pricing; how the utility and industry share risk.",
        "expected_results": "A feasibility outline for a heat network in a Valencian park.",
        "review": "We need partners on energy communities too: a fair exchange.",
    },
    {
        "call": OPEN,
        "applicant": staff("levante-energy-cluster"),
        "offer": "oresund-districts",
        "visit": (22, 0, 8),
        "from": ("Valencia", 2050),
        "steps": [
            ("create", 15, "10:35"),
            ("submit", 14, "12:05"),
            ("withdraw", 10, "19:20"),
        ],
        "motivation": (
            "Our members ask about district cooling; Öresund wants partners from the south. "
            "A visit would start a joint working group."
        ),
        "learning_goals": "How the districts were planned; what a southern partner could bring.",
        "expected_results": "A joint working group on district heating and cooling.",
        "withdraw": (
            "The regional parliament votes the energy-community law that week and I must be "
            "there. We will apply again in the next round."
        ),
    },
    {
        "call": OPEN,
        "applicant": MEMBER,
        "offer": "nordhafen-heat",
        "visit": (9, 0, 5),
        "from": ("Lisbon", 2180),
        "steps": [
            ("create", 12, "21:10"),
            ("submit", 9, "10:25"),
        ],
        "motivation": (
            "Nordhafen's members look for start-ups in heat-pump monitoring, and our "
            "forecasts could tell the heat network when heat pumps will draw power."
        ),
        "learning_goals": "How waste heat and heat pumps are balanced in the harbour network.",
        "expected_results": "A test of our forecasts on the network's data, and a partner.",
    },
    {
        "call": OPEN,
        "applicant": MEMBER,
        "offer": "levante-communities",
        "visit": (20, 1, 4),
        "from": ("Lisbon", 760),
        "steps": [("create", 6, "22:15")],
        "motivation": (
            "Two neighbourhood associations in Almada want to found an energy community with "
            "us. We want to see how Levante's kit works in practice."
        ),
        "learning_goals": "The founding steps, the distribution coefficients, the installers.",
        "expected_results": "A founding plan for the Almada community.",
    },
    {
        "call": OPEN,
        "applicant": f"sanne.devries@{DEMO}",
        "offer": "isar-lab",
        "visit": (10, 0, 5),
        "from": ("Rotterdam", 660),
        "steps": [
            ("create", 6, "13:55"),
            ("submit", 5, "09:15"),
        ],
        "motivation": (
            "Kadeflow routes barge and cargo-bike deliveries; we want to test signal priority "
            "for cargo bikes at connected intersections."
        ),
        "learning_goals": "How a pilot slot works; what the city asks of pilot partners.",
        "expected_results": "A pilot proposal for an eight-week slot.",
    },
    {
        "call": OPEN,
        "applicant": f"luca.bianchi@{DEMO}",
        "offer": "loire-flood",
        "visit": (12, 0, 5),
        "from": ("Bologna", 1040),
        "steps": [
            ("create", 4, "11:30"),
            ("submit", 3, "17:45"),
        ],
        "motivation": (
            "Bologna's green spaces flood more often each year; our engineers design the "
            "drainage. Loire's alerts could warn park managers in time."
        ),
        "learning_goals": "How the alerts are set up and used by small towns.",
        "expected_results": "A proposal to bring the dashboard to two Emilian towns.",
    },
    {
        "call": OPEN,
        "applicant": f"ines.costa@{DEMO}",
        "offer": "loire-flood",
        "visit": (24, 0, 5),
        "from": ("Lisbon", 1120),
        "steps": [
            ("create", 3, "10:00"),
            ("submit", 1, "15:20"),
        ],
        "motivation": (
            "Maré Urban Labs builds low-power tide and flood sensors for the Tagus estuary. "
            "Loire's towns use exactly the kind of network we want to supply."
        ),
        "learning_goals": "The sensor network's requirements; how towns buy IoT equipment.",
        "expected_results": "A test of our sensors alongside Loire's, and a first customer.",
    },
]
