"""The network's joint strategy for the demo: objectives, actions and their follow-up.

Read by ``manage.py seed_demo``. Dates are given in days relative to the day the
command runs (negative = in the past), so that the dashboard always tells the same
story: a few actions overdue, a few due within the fortnight, the rest later or closed.

An action's ``owner`` is the manager of its lead cluster unless it names the
secretariat; its ``updates`` are (days ago, progress, status, text), oldest first,
the last one matching the action; an indicator's ``history`` is (days ago, value),
oldest first, the last value being its current one. Sub-actions are listed under
their parent's ``children``; the parent's progress is rolled up from them.
"""

SECRETARIAT = "secretariat"

STRATEGY = {
    "title": "Smart City Clusters Joint Strategy 2025–2028",
    "vision": (
        "By 2028 the network's clusters act as one European partner for cities that want "
        "cleaner mobility, local energy and liveable neighbourhoods. Member SMEs find "
        "partners, pilots and customers in other regions as easily as at home. Solutions "
        "that work in one city are documented, transferred and improved in others. The "
        "network speaks with one voice on smart-city policy and funding in Brussels."
    ),
    "start_year": 2025,
    "end_year": 2028,
    "days_ago": 330,  # when it was adopted (and the actions entered)
}

OBJECTIVES = [
    {
        "key": "mobility",
        "theme": "mobility",
        "title": "Connected, shared and accessible mobility in member cities",
        "description": (
            "Pilot demand-responsive and automated transport together, share mobility data "
            "under common rules and move urban logistics to zero emissions."
        ),
    },
    {
        "key": "energy",
        "theme": "energy",
        "title": "Energy communities and positive-energy districts",
        "description": (
            "Help citizens, SMEs and towns produce and share renewable energy, reuse "
            "industrial waste heat and replicate positive-energy districts across regions."
        ),
    },
    {
        "key": "environment",
        "theme": "environment",
        "title": "Climate-resilient and circular neighbourhoods",
        "description": (
            "Measure air and water quality with citizens, adapt cities to heat and floods "
            "with nature-based solutions and keep building materials in use."
        ),
    },
    {
        "key": "ict",
        "theme": "ict",
        "title": "Interoperable urban data and digital twins",
        "description": (
            "Build on open standards so that cities and SMEs can share data, test "
            "services on a common test bed and reuse digital-twin components."
        ),
    },
    {
        "key": "cross",
        "theme": "cross",
        "title": "A stronger network: cooperation, funding and cluster excellence",
        "description": (
            "Mentor younger clusters towards the excellence label, prepare joint funding "
            "bids and meet once a year to review this plan."
        ),
    },
]

# Indicators of objectives: how the network measures the objective as a whole.
OBJECTIVE_INDICATORS = [
    {
        "objective": "mobility",
        "name": "Cities using the network's mobility data-sharing agreement",
        "unit": "cities",
        "baseline": 0,
        "target": 15,
        "history": [(240, 1), (120, 3), (20, 4)],
    },
    {
        "objective": "energy",
        "name": "Energy communities set up with support from member clusters",
        "unit": "communities",
        "baseline": 31,
        "target": 60,
        "history": [(300, 33), (180, 35), (60, 38), (10, 41)],
    },
]

ACTIONS = [
    # -- Mobility -------------------------------------------------------------------
    {
        "objective": "mobility",
        "title": "Joint pilot of demand-responsive buses in rural districts",
        "description": (
            "Three clusters run the same on-demand bus service design in rural districts "
            "around Munich, Turin and Kraków, with one evaluation framework."
        ),
        "lead": "isar-mobility-forum",
        "partners": ["torino-smart-mobility-hub", "vistula-smart-mobility"],
        "start": -300,
        "due": 120,
        "status": "in_progress",
        "progress": 55,
        "budget": 180000,
        "funding": "Interreg Europe",
        "milestones": [
            ("Service design agreed by the three transport authorities", -200, True),
            ("First rural line in operation", -60, True),
            ("Evaluation report", 110, False),
        ],
        "indicators": [
            {
                "name": "Rural municipalities served",
                "unit": "municipalities",
                "baseline": 0,
                "target": 12,
                "history": [(150, 2), (60, 4), (15, 5)],
            }
        ],
        "updates": [
            (150, 30, "in_progress", "Service design signed off in all three regions."),
            (60, 45, "in_progress", "First line running near Freising; 340 trips in week one."),
            (15, 55, "in_progress", "Turin line procured; Kraków tender published."),
        ],
    },
    {
        "objective": "mobility",
        "title": "Cargo-bike last-mile playbook for member cities",
        "description": (
            "Turn three years of cargo-bike trials in Lyon and Rotterdam into a playbook: "
            "hub locations, loading rules, costs per parcel and contract templates."
        ),
        "lead": "confluence-mobilites",
        "partners": ["delta-circular-cities"],
        "start": -420,
        "due": -90,
        "status": "completed",
        "progress": 100,
        "milestones": [
            ("Trial data from Lyon and Rotterdam merged", -300, True),
            ("Playbook published in the repository", -95, True),
        ],
        "indicators": [
            {
                "name": "Cities using the playbook",
                "unit": "cities",
                "baseline": 0,
                "target": 5,
                "history": [(90, 2), (30, 6)],
            }
        ],
        "updates": [
            (200, 60, "in_progress", "Cost model reviewed by both cities' logistics teams."),
            (92, 100, "completed", "Playbook published; presented at the network meeting."),
        ],
    },
    {
        "objective": "mobility",
        "title": "Public acceptance survey on automated shuttles in three cities",
        "description": (
            "A common questionnaire and ride-along interviews on the low-speed automated "
            "shuttles of Turin, Munich and Bilbao."
        ),
        "lead": "torino-smart-mobility-hub",
        "partners": ["isar-mobility-forum", "ria-digital-cities"],
        "start": -240,
        "due": -18,
        "status": "delayed",
        "progress": 35,
        "updates": [
            (120, 25, "in_progress", "Questionnaire translated; Turin field work started."),
            (30, 35, "delayed", "Munich shuttle off the road until spring: survey on hold."),
        ],
    },
    {
        "objective": "mobility",
        "title": "Network-wide mobility data-sharing agreement",
        "description": (
            "One data-sharing agreement that transport operators and cities of every member "
            "region can sign, so that pilots no longer start with months of legal work."
        ),
        "lead": "ria-digital-cities",
        "partners": ["isar-mobility-forum", "vistula-smart-mobility"],
        "start": -200,
        "due": 160,
        "status": "in_progress",
        "milestones": [
            ("Template agreement approved by the legal working group", -70, True),
            ("Two operators signed", 10, False),
            ("Published in six languages", 150, False),
        ],
        "children": [
            {
                "title": "Draft the template agreement with the legal working group",
                "lead": "ria-digital-cities",
                "partners": ["isar-mobility-forum"],
                "weight": 1,
                "start": -200,
                "due": -60,
                "status": "completed",
                "progress": 100,
                "updates": [
                    (120, 50, "in_progress", "First draft circulated to eight legal teams."),
                    (65, 100, "completed", "Approved by the legal working group."),
                ],
            },
            {
                "title": "Pilot the agreement with two transport operators",
                "lead": "vistula-smart-mobility",
                "partners": ["ria-digital-cities"],
                "weight": 2,
                "start": -50,
                "due": 10,
                "status": "in_progress",
                "progress": 40,
                "updates": [
                    (25, 40, "in_progress", "Kraków tram operator signed; Bilbao bus next."),
                ],
            },
            {
                "title": "Translate and publish the agreement in six languages",
                "lead": "ria-digital-cities",
                "partners": [],
                "weight": 1,
                "start": 20,
                "due": 150,
                "status": "planned",
                "progress": 0,
            },
        ],
    },
    {
        "objective": "mobility",
        "title": "Study on heat-resilient charging hubs",
        "description": (
            "How charging hubs behave in southern European summers: derating, shading, "
            "cooling and siting rules, with measurements from Lyon and Valencia."
        ),
        "lead": "confluence-mobilites",
        "partners": ["levante-energy-cluster"],
        "start": 30,
        "due": 270,
        "status": "planned",
        "progress": 0,
    },
    {
        "objective": "mobility",
        "title": "Tram priority and bike-sharing data exchange",
        "description": (
            "Exchange real-time tram priority and bike-sharing data between Kraków and "
            "Bilbao to compare passenger information services."
        ),
        "lead": "vistula-smart-mobility",
        "partners": ["ria-digital-cities"],
        "start": -350,
        "due": -100,
        "status": "cancelled",
        "progress": 20,
        "updates": [
            (160, 20, "cancelled", "Cancelled: Kraków is replacing its tram signalling system."),
        ],
    },
    # -- Energy ---------------------------------------------------------------------
    {
        "objective": "energy",
        "title": "Energy community founders' kit in five languages",
        "description": (
            "Translate and adapt Levante's legal and technical kit for founding an energy "
            "community to the rules of Germany, Sweden, Poland and Italy."
        ),
        "lead": "levante-energy-cluster",
        "partners": ["nordhafen-energy-network", "oresund-urban-energy"],
        "start": -260,
        "due": 9,
        "status": "in_progress",
        "progress": 70,
        "budget": 45000,
        "funding": "member fees",
        "milestones": [
            ("German and Swedish versions reviewed by lawyers", -40, True),
            ("Polish and Italian versions published", 9, False),
        ],
        "indicators": [
            {
                "name": "Language versions published",
                "unit": "versions",
                "baseline": 1,
                "target": 5,
                "history": [(120, 2), (40, 3)],
            }
        ],
        "updates": [
            (120, 40, "in_progress", "German version published; Swedish in review."),
            (40, 70, "in_progress", "Swedish version out; Polish and Italian with translators."),
        ],
    },
    {
        "objective": "energy",
        "title": "Hydrogen safety training for SME technicians, exchange edition",
        "description": (
            "Open Nordhafen's hydrogen safety course to technicians from other clusters, "
            "with a practical day at the Antwerp test site."
        ),
        "lead": "nordhafen-energy-network",
        "partners": ["scheldt-energy-valley"],
        "start": -380,
        "due": -150,
        "status": "completed",
        "progress": 100,
        "milestones": [
            ("Course dates and trainers fixed", -300, True),
            ("Third and last session held", -155, True),
        ],
        "indicators": [
            {
                "name": "Technicians trained",
                "unit": "people",
                "baseline": 0,
                "target": 60,
                "history": [(260, 22), (200, 41), (152, 64)],
            }
        ],
        "updates": [
            (260, 40, "in_progress", "First session full: 22 technicians from 4 countries."),
            (152, 100, "completed", "64 technicians trained, 4 more than planned."),
        ],
    },
    {
        "objective": "energy",
        "title": "Positive-energy district twinning programme",
        "description": (
            "Malmö's two positive-energy districts coach three follower districts in "
            "Bologna, Vienna and Antwerp from design to monitoring."
        ),
        "lead": "oresund-urban-energy",
        "partners": ["emilia-green-cities", "danube-urban-tech"],
        "start": -330,
        "due": 200,
        "status": "in_progress",
        "milestones": [
            ("Twinning agreements signed", -280, True),
            ("Follower roadmaps approved by their city councils", 90, False),
        ],
        "children": [
            {
                "title": "Study visits to Malmö for the twinned districts",
                "lead": "oresund-urban-energy",
                "partners": ["emilia-green-cities", "danube-urban-tech"],
                "weight": 1,
                "start": -330,
                "due": -120,
                "status": "completed",
                "progress": 100,
            },
            {
                "title": "Co-design roadmaps with the three follower districts",
                "lead": "emilia-green-cities",
                "partners": ["oresund-urban-energy"],
                "weight": 2,
                "start": -120,
                "due": 90,
                "status": "in_progress",
                "progress": 60,
                "updates": [
                    (70, 30, "in_progress", "Bologna roadmap workshop held with residents."),
                    (20, 60, "in_progress", "Vienna and Antwerp drafts ready for comment."),
                ],
            },
            {
                "title": "Open the monitoring data of 1,200 flats to partners",
                "lead": "oresund-urban-energy",
                "partners": ["danube-urban-tech"],
                "weight": 2,
                "start": -150,
                "due": -12,
                "status": "delayed",
                "progress": 30,
                "updates": [
                    (50, 30, "delayed", "Waiting for the housing company's privacy review."),
                ],
            },
        ],
    },
    {
        "objective": "energy",
        "title": "Waste-heat matchmaking between port industries and utilities",
        "description": (
            "Map industrial waste-heat sources in the ports of Hamburg, Antwerp and Malmö "
            "and match them with district-heating operators."
        ),
        "lead": "nordhafen-energy-network",
        "partners": ["scheldt-energy-valley", "oresund-urban-energy"],
        "start": -90,
        "due": 200,
        "status": "in_progress",
        "progress": 25,
    },
    {
        "objective": "energy",
        "title": "Flexibility-market readiness check for energy communities",
        "description": (
            "A self-assessment and coaching for energy communities that want to sell "
            "flexibility to grid operators."
        ),
        "lead": "scheldt-energy-valley",
        "partners": ["levante-energy-cluster"],
        "start": 45,
        "due": 330,
        "status": "planned",
        "progress": 0,
        "budget": 120000,
        "funding": "Horizon Europe",
    },
    {
        "objective": "energy",
        "title": "Smart-grid interoperability test days at the Antwerp micro-grid",
        "description": (
            "Two days for member SMEs to test their building energy management systems "
            "against the micro-grid's open interfaces."
        ),
        "lead": "scheldt-energy-valley",
        "partners": ["danube-urban-tech", "aura-digital-cities"],
        "start": 5,
        "due": 12,
        "status": "planned",
        "progress": 0,
    },
    # -- Environment ----------------------------------------------------------------
    {
        "objective": "environment",
        "title": "Citizen-science air-quality campaign in ten towns",
        "description": (
            "Residents host low-cost sensors for a year; the towns publish the data on "
            "Loire's open dashboard and discuss the results in public meetings."
        ),
        "lead": "loire-smart-territories",
        "partners": ["tejo-smart-city-hub", "emilia-green-cities"],
        "start": -210,
        "due": 75,
        "status": "in_progress",
        "progress": 65,
        "milestones": [
            ("Sensors delivered to the ten towns", -150, True),
            ("Mid-term public meetings", -20, True),
            ("Final data set published", 70, False),
        ],
        "indicators": [
            {
                "name": "Sensors deployed with residents",
                "unit": "sensors",
                "baseline": 0,
                "target": 400,
                "history": [(150, 90), (90, 180), (30, 260)],
            }
        ],
        "updates": [
            (150, 30, "in_progress", "Sensors shipped; volunteers' training in five towns."),
            (90, 50, "in_progress", "180 sensors online, data on the dashboard."),
            (25, 65, "in_progress", "Mid-term meetings drew 600 residents in total."),
        ],
    },
    {
        "objective": "environment",
        "title": "Shared catalogue of nature-based solutions with costs",
        "description": (
            "Extend Emilia's catalogue with cases from Rotterdam and Nantes, each with "
            "investment and maintenance costs."
        ),
        "lead": "emilia-green-cities",
        "partners": ["delta-circular-cities", "loire-smart-territories"],
        "start": -400,
        "due": -200,
        "status": "completed",
        "progress": 100,
    },
    {
        "objective": "environment",
        "title": "Coastal climate-adaptation exchange Lisbon–Rotterdam",
        "description": (
            "Staff exchanges between the two cities' water and planning departments, with "
            "SMEs in water-sensitive urban design."
        ),
        "lead": "tejo-smart-city-hub",
        "partners": ["delta-circular-cities"],
        "start": -180,
        "due": -30,
        "status": "delayed",
        "progress": 40,
        "budget": 60000,
        "funding": "Interreg Europe",
        "updates": [
            (100, 40, "in_progress", "First exchange in Rotterdam: 9 participants."),
            (35, 40, "delayed", "Return visit moved: Lisbon's team busy with the storm repairs."),
        ],
    },
    {
        "objective": "environment",
        "title": "Materials passport pilot in social-housing renovation",
        "description": (
            "Use Delta's materials passport on Emilia's renovation sites, so that panels "
            "and fittings can be reused at the end of their life."
        ),
        "lead": "delta-circular-cities",
        "partners": ["emilia-green-cities"],
        "start": -150,
        "due": 5,
        "status": "in_progress",
        "progress": 85,
        "milestones": [
            ("First building documented", -60, True),
            ("Pilot report to the housing company", 5, False),
        ],
        "indicators": [
            {
                "name": "Flats with a materials passport",
                "unit": "flats",
                "baseline": 0,
                "target": 120,
                "history": [(60, 40), (20, 96)],
            }
        ],
        "updates": [
            (60, 50, "in_progress", "First building in Bologna fully documented."),
            (20, 85, "in_progress", "96 flats done; report being written."),
        ],
    },
    {
        "objective": "environment",
        "title": "Green public procurement guide for small municipalities",
        "description": (
            "A short guide with tender clauses for sensors, green spaces and renovation "
            "works that small towns can copy."
        ),
        "lead": "loire-smart-territories",
        "partners": ["emilia-green-cities", "tejo-smart-city-hub"],
        "start": 60,
        "due": 240,
        "status": "planned",
        "progress": 0,
    },
    {
        "objective": "environment",
        "title": "Directory of SMEs recycling construction waste",
        "description": "A searchable directory of member SMEs that recycle demolition waste.",
        "lead": "emilia-green-cities",
        "partners": ["delta-circular-cities"],
        "start": -300,
        "due": -60,
        "status": "cancelled",
        "progress": 10,
    },
    # -- ICT ------------------------------------------------------------------------
    {
        "objective": "ict",
        "title": "Urban digital-twin reference architecture, version 2",
        "description": (
            "Extend Ría's reference architecture with noise and building-energy layers and "
            "validate it with three cities outside the Basque Country."
        ),
        "lead": "ria-digital-cities",
        "partners": ["aura-digital-cities", "tejo-smart-city-hub"],
        "start": -330,
        "due": 40,
        "status": "in_progress",
        "progress": 80,
        "budget": 250000,
        "funding": "Horizon Europe",
        "milestones": [
            ("Architecture draft reviewed by partner cities", -120, True),
            ("Validation in Turku and Lisbon", 30, False),
        ],
        "indicators": [
            {
                "name": "Cities validating the architecture",
                "unit": "cities",
                "baseline": 0,
                "target": 3,
                "history": [(90, 1), (30, 2)],
            }
        ],
        "updates": [
            (120, 60, "in_progress", "Review round closed with 140 comments, all answered."),
            (30, 80, "in_progress", "Turku validation under way; Lisbon starts next month."),
        ],
    },
    {
        "objective": "ict",
        "title": "Open city-API interoperability test bed for all clusters",
        "description": (
            "Open Aura's test bed to SMEs of every member cluster, with test suites for "
            "the most used open city API standards."
        ),
        "lead": "aura-digital-cities",
        "partners": ["danube-urban-tech", "scheldt-energy-valley"],
        "start": -360,
        "due": -45,
        "status": "completed",
        "progress": 100,
        "indicators": [
            {
                "name": "SMEs that tested on the test bed",
                "unit": "SMEs",
                "baseline": 0,
                "target": 25,
                "history": [(250, 6), (150, 14), (50, 27)],
            }
        ],
    },
    {
        "objective": "ict",
        "title": "Privacy impact assessment template for smart-city projects",
        "description": (
            "Adapt Aura's privacy impact assessment template to Portuguese and Austrian "
            "practice and train cluster staff to use it."
        ),
        "lead": "aura-digital-cities",
        "partners": ["tejo-smart-city-hub"],
        "start": -100,
        "due": 60,
        "status": "in_progress",
        "progress": 45,
    },
    {
        "objective": "ict",
        "title": "Cybersecurity baseline for connected vehicles, for SMEs",
        "description": (
            "A short baseline of security requirements that automotive SMEs can meet "
            "before working on connected-vehicle projects."
        ),
        "lead": "danube-urban-tech",
        "partners": ["torino-smart-mobility-hub", "isar-mobility-forum"],
        "start": -160,
        "due": -5,
        "status": "delayed",
        "progress": 20,
        "updates": [
            (90, 20, "in_progress", "Requirements collected from 14 SMEs."),
            (10, 20, "delayed", "Waiting for the new EU type-approval rules to be final."),
        ],
    },
    {
        "objective": "ict",
        "title": "Shared GPU cluster access for members' simulation work",
        "description": (
            "Open Ría's GPU cluster to SMEs of other clusters at member rates for traffic "
            "and energy simulations."
        ),
        "lead": "ria-digital-cities",
        "partners": ["isar-mobility-forum"],
        "start": 20,
        "due": 200,
        "status": "planned",
        "progress": 0,
    },
    # -- Cross-cutting --------------------------------------------------------------
    {
        "objective": "cross",
        "title": "Mentoring programme: gold-label clusters coach younger clusters",
        "description": (
            "Each gold-label cluster coaches a younger cluster on strategy, services and "
            "financing, with a visit in each direction."
        ),
        "lead": "delta-circular-cities",
        "partners": ["isar-mobility-forum", "confluence-mobilites"],
        "start": -280,
        "due": 220,
        "status": "in_progress",
        "progress": 60,
        "budget": 30000,
        "funding": "member fees",
        "indicators": [
            {
                "name": "Mentoring pairs active",
                "unit": "pairs",
                "baseline": 0,
                "target": 6,
                "history": [(240, 2), (120, 4)],
            }
        ],
        "updates": [
            (240, 20, "in_progress", "Two pairs started: Rotterdam–Kraków and Munich–Bilbao."),
            (120, 60, "in_progress", "Four pairs active; first return visits done."),
        ],
    },
    {
        "objective": "cross",
        "title": "Annual network meeting 2026 in Lisbon",
        "description": (
            "Two days in Lisbon to review this plan, with site visits and a pitch day "
            "for member SMEs."
        ),
        "lead": "tejo-smart-city-hub",
        "partners": ["delta-circular-cities"],
        "owner": SECRETARIAT,
        "start": -200,
        "due": -40,
        "status": "completed",
        "progress": 100,
        "milestones": [
            ("Programme and venue confirmed", -120, True),
            ("Meeting held", -42, True),
        ],
        "updates": [
            (42, 100, "completed", "110 participants from 15 clusters; plan review adopted."),
        ],
    },
    {
        "objective": "cross",
        "title": "Joint Interreg Europe application on SME internationalisation",
        "description": (
            "A joint application with six clusters to fund exchange visits and market "
            "entry support for member SMEs."
        ),
        "lead": "delta-circular-cities",
        "partners": ["vistula-smart-mobility", "danube-urban-tech", "levante-energy-cluster"],
        "start": -240,
        "due": -150,
        "status": "completed",
        "progress": 100,
    },
    {
        "objective": "cross",
        "title": "Prepare three young clusters for the excellence label",
        "description": (
            "Self-assessment, coaching and a mock audit for clusters without a label yet."
        ),
        "lead": "ria-digital-cities",
        "partners": ["tejo-smart-city-hub", "vistula-smart-mobility"],
        "owner": SECRETARIAT,
        "start": 30,
        "due": 400,
        "status": "planned",
        "progress": 0,
    },
]
