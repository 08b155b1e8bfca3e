"""The demo best-practice repository seeded by ``manage.py seed_demo``.

Each dict is one practice written by the manager of ``cluster`` (a demo cluster
whose ecosystems include the practice's). ``state`` is where the practice ends
up in the moderation workflow and ``days_ago`` when it got there: published,
sent back, rejected, submitted or (for drafts) started. Clusters, people,
figures and results are invented.
"""

import re
from textwrap import dedent

from .models import Practice

C = Practice.Category
S = Practice.Status

_NEW_LINE = re.compile(r"^(?:[-*] |\d+\. |\||#)")


def md(text: str) -> str:
    """Dedent a triple-quoted text and join its wrapped lines, so that each paragraph,
    list item or table row is one line, as if it had been typed into the form."""
    blocks = []
    for block in re.split(r"\n\s*\n", dedent(text).strip()):
        lines: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if lines and not _NEW_LINE.match(line):
                lines[-1] += " " + line
            else:
                lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


PRACTICES = [
    # ------------------------------------------------------------------ published
    {
        "cluster": "isar-mobility-forum",
        "state": S.PUBLISHED,
        "days_ago": 640,
        "category": C.VALUE,
        "ecosystems": ["mobility", "ict"],
        "tags": ["living lab", "connected vehicles", "pilots"],
        "start_year": 2019,
        "end_year": None,
        "title": "Open living-lab slots at 40 connected intersections for member pilots",
        "summary": md("""
            Members book eight-week slots on a living lab of 40 connected traffic lights in
            northern Munich to test V2X and traffic-management products in real traffic. The
            cluster handles permits, data agreements and the contact with the city's traffic
            department.
        """),
        "problem": md("""
            Our SMEs could build V2X and traffic-optimisation software, but could not prove it
            worked on real streets. Getting access to a single signalised intersection took
            them up to a year of negotiation with the city, and most gave up after a first
            pilot. Large suppliers, with their own test fleets, won the contracts.
        """),
        "description": md("""
            In 2019 we signed a framework agreement with the city's traffic department: 40
            intersections along two arterial roads were fitted with roadside units, and the
            cluster allocates their use to members.

            - **Eight-week slots**, booked twice a year through a two-page call; no consortium
              needed.
            - **One contract for everyone**: a template data-sharing and liability agreement,
              approved once by the city's lawyers.
            - **A technical onboarding day** with the traffic engineers before any software
              touches a controller.
            - **A public results page** where each pilot publishes a one-page summary.

            The city gets free evaluations of technologies it may later buy; members get
            references on real streets.
        """),
        "resources": md("""
            - A living-lab coordinator at the cluster (0.5 FTE).
            - About EUR 60,000 a year to maintain the roadside units, paid 70% by the city and
              30% from member fees.
            - The initial equipment (EUR 1.2 million) came from a regional innovation
              programme.
            - Roughly 15 days of a lawyer's time, once, for the template agreement.
        """),
        "evidence": md("""
            Since 2019 the living lab has hosted **47 pilots by 31 companies**, 24 of them
            SMEs. Eleven pilots led to a contract with a public authority in Germany or abroad.
            The time from application to first test dropped from 11 months to 6 weeks, and in
            2023 the city rolled out two of the tested green-wave algorithms on 14 more
            intersections.
        """),
        "difficulties": md("""
            Two members once booked overlapping slots with incompatible firmware and a
            controller had to be reset at rush hour; parallel pilots now need a joint technical
            review. Publishing results was unpopular at first, as companies feared competitors
            would learn from them. Letting each company write its own summary, leaving out
            commercial details, settled it.
        """),
        "transfer_potential": md("""
            Any cluster whose city already runs connected traffic lights can copy the model;
            the template agreement (German and English) is available to network members.
            Without roadside units, start small: four intersections on one corridor are enough
            for meaningful pilots. What matters most is a named contact in the traffic
            department who is measured on innovation, not only on uptime.
        """),
    },
    {
        "cluster": "isar-mobility-forum",
        "state": S.PUBLISHED,
        "days_ago": 410,
        "category": C.MANAGEMENT,
        "ecosystems": ["mobility"],
        "tags": ["member engagement", "surveys", "cluster excellence"],
        "start_year": 2020,
        "end_year": None,
        "title": "Quarterly member pulse survey with a public action log",
        "summary": md("""
            Every quarter members answer five questions in under three minutes, and the cluster
            publishes what it changed in response. Response rates tripled compared with our old
            annual survey, and members can see that their feedback leads somewhere.
        """),
        "problem": md("""
            Our annual member survey had 40 questions, a 14% response rate and results that
            arrived six months too late to act on. Members told us informally that they felt
            unheard, and two large members left in 2019 citing "unclear value".
        """),
        "description": md("""
            We replaced the annual survey with a pulse survey sent in the first week of each
            quarter.

            - Five fixed questions (satisfaction, likelihood to recommend, most and least
              useful service, one thing to change) and one question chosen by the board.
            - Results are discussed at the next team meeting, and each comment gets an owner.
            - An **action log** on the member portal lists every change made because of the
              survey, with its date.

            Once a year the four pulses feed the management report we need for the excellence
            label.
        """),
        "resources": md("""
            Two to three days of staff time per quarter: one to prepare and send, one to
            analyse, half a day to update the action log. The survey tool is a standard online
            form that costs us nothing.
        """),
        "evidence": md("""
            | | Annual survey (2019) | Pulse (2023 average) |
            |---|---|---|
            | Response rate | 14% | 46% |
            | Net promoter score | +8 | +31 |
            | Actions logged per year | n/a | 23 |

            Member churn fell from 9% in 2019 to 4% in 2023.
        """),
        "difficulties": md("""
            The open question produces many small requests, and the action log can look like a
            to-do list nobody finishes. We now also log the requests we decided *not* to follow,
            with a one-line reason. A few members complained of survey fatigue in the first
            year; sending the pulse from the manager's own address instead of a no-reply one
            helped.
        """),
        "transfer_potential": md("""
            Very easy to transfer: no budget and no particular tool. We are happy to share the
            questions. Clusters preparing for a silver or gold label will find the quarterly
            figures useful evidence of member orientation.
        """),
    },
    {
        "cluster": "nordhafen-energy-network",
        "state": S.PUBLISHED,
        "days_ago": 700,
        "category": C.THEMATIC,
        "ecosystems": ["energy", "environment"],
        "tags": ["waste heat", "district heating", "industrial symbiosis"],
        "start_year": 2017,
        "end_year": 2022,
        "title": "Mapping industrial waste heat in the port for the district heating network",
        "summary": md("""
            A cluster-led survey of 38 port companies found 210 GWh a year of unused waste heat
            and matched the best sources to the city's district heating extension. Three
            connections built since then supply as much heat as 9,000 flats use.
        """),
        "problem": md("""
            The city planned to extend its district heating network eastwards while closing a
            coal plant, and needed low-carbon heat. The port industries released large amounts
            of heat into the river and the air, but nobody knew how much, at what temperature
            or when. Companies would not share process data with the utility directly.
        """),
        "description": md("""
            The cluster acted as a neutral party between the companies and the utility:

            1. a confidentiality agreement signed by every participant, with the cluster
               holding the raw data;
            2. a half-day site visit per company by an energy engineer from a member SME;
            3. a heat atlas giving, for each source, its temperature, yearly profile and
               distance to the network.

            Sources were ranked on three criteria:

            - above 70 °C, or reachable with a large heat pump;
            - available at least 6,000 hours a year;
            - a company ready to sign a 10-year supply contract.

            Only the aggregated atlas went to the utility and the city; detailed data went to a
            prospective buyer only with the company's written consent.
        """),
        "resources": md("""
            EUR 340,000 over five years, 60% from the federal energy-efficiency programme and
            40% from the utility. A project manager at the cluster (0.6 FTE) and about 120 days
            of engineering bought from two member SMEs. The confidentiality agreement needed a
            specialist lawyer.
        """),
        "evidence": md("""
            - 38 companies surveyed, 31 of them shared full data.
            - 210 GWh/year of waste heat identified, 95 GWh of it above 70 °C.
            - Three connections built by 2022 (a copper smelter, a refinery and a data centre)
              deliver 68 GWh/year, about what 9,000 flats use.
            - Estimated saving: 17,500 t CO₂ a year.
        """),
        "difficulties": md("""
            Process heat follows production: when the smelter had an unplanned six-week
            shutdown, the utility had to fire up gas boilers. Contracts now include a backup
            obligation and a price for it. Negotiations between the largest company and the
            utility took over two years, well beyond the project, and our role as mediator had
            no funding for that phase.
        """),
        "transfer_potential": md("""
            Relevant to any port or industrial city with a heat network nearby. The survey
            method and the confidentiality agreement can be reused as they are. Plan at least
            as much time for the contract negotiations as for the survey, and agree early on
            who pays for backup capacity.
        """),
    },
    {
        "cluster": "loire-smart-territories",
        "state": S.PUBLISHED,
        "days_ago": 520,
        "category": C.THEMATIC,
        "ecosystems": ["environment", "ict"],
        "tags": ["flood risk", "open source", "IoT", "open data"],
        "start_year": 2016,
        "end_year": None,
        "title": "Open-source river-level dashboard shared by 23 towns",
        "summary": md("""
            Towns along the Loire share one open-source dashboard that combines low-cost level
            sensors, national gauging data and SMS alerts. Each town pays a small yearly fee for
            hosting and support instead of buying its own system.
        """),
        "problem": md("""
            Small riverside towns had either no flood-warning tool or an expensive proprietary
            system that did not talk to its neighbours. During the 2016 floods, mayors phoned
            each other to find out what was coming downstream. At about EUR 40,000, a
            proprietary system was out of reach for most of them.
        """),
        "description": md("""
            A member SME and two towns built the first version in 2016, and the cluster took
            over its governance in 2017.

            - Ultrasonic sensors under bridges (about EUR 900 each) report every 10 minutes
              over LoRaWAN.
            - The dashboard merges their readings with the national hydrometric service.
            - Thresholds set by each town trigger SMS and e-mail alerts to the mayor and the
              technical services.
            - The code is public under the EUPL licence; the cluster hosts a shared instance.

            A steering committee of towns decides the roadmap once a year, and member SMEs bid
            for the development work.
        """),
        "resources": md("""
            A yearly fee of EUR 1,200 per town covers hosting, support and updates. New
            features are funded case by case (about EUR 50,000 a year in all). Each town buys
            its own sensors. The cluster spends about 0.2 FTE on governance.
        """),
        "evidence": md("""
            Used by **23 towns** and two inter-municipal bodies along 180 km of river. During
            the January 2022 flood, alerts reached the towns' services on average 3 h 40 min
            before the peak. Each town pays about a fifth of what a proprietary system costs,
            and four member SMEs have earned revenue from development and installation.
        """),
        "difficulties": md("""
            Open source made some towns suspicious ("if it's free, who is responsible?"). A
            service agreement with the cluster as the contracting party answered that. Vandals
            damaged sensors on two bridges, so we moved the devices under the deck. Keeping
            code from different SMEs consistent needed a code owner, now paid from the fees.
        """),
        "transfer_potential": md("""
            The software can be reused as it is, in French or English; translating the
            interface takes about a week. The choice of sensors depends on local network
            coverage. Another cluster could also join our shared instance rather than run its
            own: get in touch.
        """),
    },
    {
        "cluster": "loire-smart-territories",
        "state": S.PUBLISHED,
        "days_ago": 180,
        "category": C.VALUE,
        "ecosystems": ["ict"],
        "tags": ["public procurement", "IoT", "municipalities"],
        "start_year": 2019,
        "end_year": 2021,
        "title": "Group purchasing of LoRaWAN networks for small municipalities",
        "summary": md("""
            The cluster prepared one joint tender for 17 small towns covering IoT gateways,
            installation and five years of operation. Prices fell by about 35%, and local SMEs
            won two of the three lots.
        """),
        "problem": md("""
            Small towns wanted sensors for water meters, parking and building energy, but each
            needed a network first. Their technical services had never bought IoT; the tenders
            were tiny and attracted either no bid at all or a single large operator.
        """),
        "description": md("""
            With the regional purchasing centre, we bundled the needs of 17 towns into one
            framework contract in three lots:

            - gateways and installation;
            - network operation and supervision for five years;
            - training for municipal staff.

            The technical specifications were drafted *before* the tender in open workshops,
            where any supplier could comment, so no company wrote them alone. Small lots and a
            simple bid form encouraged SMEs to take part.
        """),
        "resources": md("""
            About 45 days of cluster staff time over 14 months, and a procurement lawyer from
            the purchasing centre. Each town paid a participation fee of EUR 500.
        """),
        "evidence": md("""
            - 17 towns joined; 92 gateways installed.
            - Price per installed gateway: EUR 1,850, against EUR 2,900 in earlier purchases by
              single towns.
            - 9 bids received; 2 of the 3 lots won by SMEs from the region.
            - 11 towns had at least one sensor application running within a year.
        """),
        "difficulties": md("""
            Getting decisions from 17 municipal councils took longer than the tender itself,
            and two towns withdrew after local elections. Bidders found the five-year operation
            lot hard to price; next time we would offer three years with options.
        """),
        "transfer_potential": md("""
            Works wherever a regional purchasing centre exists or towns can form a purchasing
            group. Our specifications and the workshop format are available on request. The
            framework ended in 2021 and a second round is under discussion.
        """),
    },
    {
        "cluster": "confluence-mobilites",
        "state": S.PUBLISHED,
        "days_ago": 600,
        "category": C.VALUE,
        "ecosystems": ["mobility"],
        "tags": ["start-ups", "accelerator", "urban logistics"],
        "start_year": 2015,
        "end_year": None,
        "title": (
            "Six-month accelerator for urban logistics start-ups with the metropolis as first "
            "customer"
        ),
        "summary": md("""
            Each year eight urban logistics start-ups get six months of mentoring, test sites in
            the city centre and a paid pilot with the metropolis or a large member. The first
            customer is the hardest to find, so we built it into the programme.
        """),
        "problem": md("""
            Lyon had plenty of logistics start-ups with a prototype but very few with a paying
            customer. Large shippers and the metropolis hesitated to work with companies without
            references, and start-ups ran out of money while they waited.
        """),
        "description": md("""
            The programme runs from February to July.

            - **Selection**: an open call, then a jury of six members and two city officials.
            - **Challenges**: each start-up works on a problem set by the metropolis or a large
              member, such as deliveries to pedestrian streets or returns from shops.
            - **Paid pilot**: the challenge owner commits up front to a pilot of EUR
              15,000-30,000 if the solution passes a mid-term review.
            - **Mentoring**: half a day every fortnight with a mentor from a member company.

            A demo day, open to investors and other cities, closes the programme.
        """),
        "resources": md("""
            EUR 210,000 a year: 40% from the metropolis, 35% from corporate members and 25% from
            a regional fund. Two programme managers (1.5 FTE). Mentors are volunteers from
            member companies.
        """),
        "evidence": md("""
            Since 2015, **74 start-ups** have gone through the programme; 61 ran a paid pilot
            and 38 turned it into a longer contract. Alumni have raised EUR 46 million and
            employ about 620 people, 70% of them in the region. The cargo-bike hub on the
            Presqu'île, now run by an alumnus, began as a 2017 challenge.
        """),
        "difficulties": md("""
            Some owners wrote challenges that were procurement in disguise, with one solution
            in mind. We now review every challenge with its owner and turn down those with only
            one possible answer. Procurement rules cap the metropolis's pilots at EUR 40,000,
            which limits what start-ups can show.
        """),
        "transfer_potential": md("""
            The core idea, making the first customer part of the programme, works in any city
            ready to commit a small pilot budget. Our challenge template and mid-term review
            grid are available. A smaller cluster could run it every two years with four
            start-ups.
        """),
    },
    {
        "cluster": "confluence-mobilites",
        "state": S.PUBLISHED,
        "days_ago": 95,
        "category": C.THEMATIC,
        "ecosystems": ["mobility", "energy"],
        "tags": ["data sharing", "electric buses", "charging"],
        "start_year": 2020,
        "end_year": None,
        "title": "Shared data space for e-bus charging",
        "summary": md("""
            Bus operators, charge-point makers and the grid operator share charging data through
            a common data space with agreed access rules. Operators plan charging around grid
            peaks; manufacturers fix faults faster.
        """),
        "problem": md("""
            The metropolitan fleet grew from 12 to 140 electric buses in four years. Charging
            data sat in three separate systems: the operator's fleet software, the charger
            makers' clouds and the grid operator's meters. Faults took days to diagnose, and the
            depot's peak load was growing faster than its grid connection.
        """),
        "description": md("""
            The cluster brought the parties together and a member SME built the connectors.

            - Each party keeps its data where it is; connectors expose agreed data sets
              (sessions, faults, 15-minute load) in a common format based on OCPP and OCPI.
            - A usage policy signed by all parties says who may see what, and for what purpose.
            - A shared dashboard shows the next day's depot load against the grid limit.

            A governance group meets every two months and adds data sets by consensus.
        """),
        "resources": md("""
            Set-up: EUR 480,000 over two years, 60% from a European project and the rest from
            the participants. Running costs of about EUR 70,000 a year are split between the
            four main participants. A part-time data steward at the cluster.
        """),
        "evidence": md("""
            - Average time to diagnose a charger fault: from 3.2 days to 6 hours.
            - Depot peak load down 18% through smart scheduling, which postponed a EUR 2.1
              million grid reinforcement.
            - Two more operators, a regional coach company and a logistics firm, joined in 2024.
        """),
        "difficulties": md("""
            Agreeing the usage policy took nine months, longer than the technical work. One
            manufacturer refused to share fault codes until its competitor did. We also
            underestimated the work of keeping connectors running after the manufacturers
            update their software.
        """),
        "transfer_potential": md("""
            The usage policy and the data model suit any city with more than about 30 electric
            buses. Expect the governance, not the technology, to be the hard part: a neutral
            convener such as a cluster is essential.
        """),
    },
    {
        "cluster": "levante-energy-cluster",
        "state": S.PUBLISHED,
        "days_ago": 690,
        "category": C.VALUE,
        "ecosystems": ["energy"],
        "tags": ["energy communities", "solar", "toolkit"],
        "start_year": 2019,
        "end_year": None,
        "title": "Legal and technical kit for founding a local energy community",
        "summary": md("""
            A step-by-step kit of statutes, member agreement, sizing spreadsheet and grid
            checklist lets a town or neighbourhood association found an energy community in
            months rather than years. Member installers are trained to guide groups through it.
        """),
        "problem": md("""
            Spanish law has allowed collective self-consumption since 2019, but the first groups
            that tried it spent up to two years on statutes, distribution coefficients and grid
            paperwork. Many gave up, and our installer members lost the projects.
        """),
        "description": md("""
            The kit contains:

            - model statutes for a cooperative and for an association, checked by a notary;
            - a member agreement on joining, leaving and sharing the energy;
            - a spreadsheet that sizes the PV plant and computes distribution coefficients from
              members' bills;
            - a checklist of grid-connection and registration steps with typical timings.

            Installers take a one-day training on the kit, and the cluster runs free
            information evenings in town halls.
        """),
        "resources": md("""
            Developing the kit in 2019 cost about EUR 85,000 (legal work and the
            spreadsheet), paid by the regional energy agency. Today updates, training and
            information evenings take about 0.4 FTE.
        """),
        "evidence": md("""
            **31 energy communities** founded with the kit in five years, with 3,400 member
            households and 7.8 MW of PV. Median time from first meeting to first shared kWh: 7
            months, against more than 18 months for the first groups. 22 member installers
            trained.
        """),
        "difficulties": md("""
            The regulation changed twice, so the kit needs a yearly update; we publish dated
            versions. Distribution coefficients confused many members: a one-page explanation
            with a worked example helped more than the spreadsheet itself.
        """),
        "transfer_potential": md("""
            The structure of the kit fits any EU country that has transposed the renewable
            energy directive, but the legal documents must be adapted to national law. We share
            the spreadsheet (Spanish and English) with any network cluster.
        """),
    },
    {
        "cluster": "levante-energy-cluster",
        "state": S.PUBLISHED,
        "days_ago": 250,
        "category": C.MANAGEMENT,
        "ecosystems": ["energy"],
        "tags": ["funding", "EU projects", "cluster services"],
        "start_year": 2016,
        "end_year": None,
        "title": "Shared bid office for EU and regional funding calls",
        "summary": md("""
            A small bid office at the cluster watches funding calls, builds consortia among
            members and writes the common parts of proposals. Members pay only a success fee,
            so small companies can afford to try.
        """),
        "problem": md("""
            Our SMEs rarely applied for European or regional funding: they had no time to follow
            calls and no experience of writing proposals. The few who tried hired consultants
            whose up-front fees were lost when the proposal failed.
        """),
        "description": md("""
            Two cluster staff members spend part of their time on funding.

            - A monthly digest of calls relevant to members, with a one-line verdict on each.
            - Consortium meetings as soon as three members are interested in the same call.
            - We write the common sections (impact, dissemination, management); members write
              the technical work.
            - A success fee of 3% of the member's grant, and nothing if the proposal fails.

            The fees cover about half of the office's cost.
        """),
        "resources": md("""
            1.2 FTE shared by two staff members and a call-monitoring subscription (EUR 2,400 a
            year). Success fees brought in EUR 96,000 in 2023.
        """),
        "evidence": md("""
            - 64 proposals submitted between 2016 and 2023, 23 funded (36%).
            - EUR 11.4 million in grants for members, 58% of it for SMEs.
            - 19 SMEs won their first EU grant through the bid office.
        """),
        "difficulties": md("""
            A success fee rewards submitting many proposals, so we now decline calls where
            members have little chance. Fees can arrive two years after the bid, which strains
            the cluster's cash flow.
        """),
        "transfer_potential": md("""
            Works for clusters with at least one experienced proposal writer. The success-fee
            model needs a cash reserve for the first two years. Our digest format and fee
            agreement are available to other clusters.
        """),
    },
    {
        "cluster": "ria-digital-cities",
        "state": S.PUBLISHED,
        "days_ago": 330,
        "category": C.THEMATIC,
        "ecosystems": ["ict", "mobility"],
        "tags": ["digital twin", "traffic", "open data"],
        "start_year": 2020,
        "end_year": None,
        "title": "Traffic digital twin calibrated every night with anonymised bus GPS data",
        "summary": md("""
            Four members built a digital twin of traffic along the estuary that is recalibrated
            every night with GPS data from 300 city buses. The city tests roadworks plans in it
            before the cones go out, and members sell the models to other cities.
        """),
        "problem": md("""
            Roadworks in Bilbao's narrow valley regularly caused hours of congestion, because
            their effects were only known once the works had started. Traffic models existed,
            but they were calibrated with counts from 2012 and nobody trusted them.
        """),
        "description": md("""
            Four member companies built the twin under a consortium agreement.

            - Bus GPS positions, anonymised and aggregated into 5-minute travel times per road
              segment, feed the nightly calibration.
            - Permanent loop counters at 60 points complete the picture.
            - City planners enter a roadworks plan in a web interface and get travel-time
              impacts hour by hour.

            The model code belongs to the companies; the calibrated model of Bilbao belongs to
            the city.
        """),
        "resources": md("""
            EUR 620,000 over three years, half of it from the Basque innovation agency. The city
            provides data and a traffic engineer part-time. The nightly calibration runs on the
            cluster's shared GPU server.
        """),
        "evidence": md("""
            Used for 43 roadworks plans since 2021. During the 2023 works on the main bridge,
            the plan chosen with the twin kept peak travel times within 12% of normal, against
            40% during comparable works in 2019. Two members have since sold adapted versions
            to cities in Chile and Portugal.
        """),
        "difficulties": md("""
            Buses only cover bus routes, so side streets were less accurate until we added
            floating car data from a member's fleet. Agreeing on intellectual property between
            four companies and the city took a year and a lawyer.
        """),
        "transfer_potential": md("""
            Any city whose buses report their positions can copy the approach. The consortium
            agreement is the part most worth reusing. Expect three months of data cleaning
            before the first calibration.
        """),
    },
    {
        "cluster": "torino-smart-mobility-hub",
        "state": S.PUBLISHED,
        "days_ago": 560,
        "category": C.VALUE,
        "ecosystems": ["mobility"],
        "tags": ["automotive", "diversification", "SMEs"],
        "start_year": 2017,
        "end_year": 2023,
        "title": "Diversification programme for suppliers of combustion-engine parts",
        "summary": md("""
            A year-long programme helped 48 automotive suppliers that depended on
            combustion-engine parts find new products and markets. Each went through a
            technology audit, coaching by a former factory manager and introductions to buyers
            in other sectors.
        """),
        "problem": md("""
            A third of our members made parts for combustion engines and exhausts: pistons,
            injectors, silencers. With the shift to electric vehicles their order books were
            expected to halve within ten years, and most had never sold outside automotive.
        """),
        "description": md("""
            Each company went through four steps over about a year:

            1. a three-day **technology audit** of its skills, machines and certifications;
            2. a **market scan** matching those skills to rail, aerospace, medical or energy;
            3. ten days of **coaching** over six months by an experienced industrial manager;
            4. **introductions** to buyers, including at two trade fairs on a joint stand.

            What the coaches focused on:

            - certifications the new sector requires;
            - pricing for smaller series;
            - one pilot customer before any investment in machines.

            Companies paid 20% of the cost; the regional programme paid the rest.
        """),
        "resources": md("""
            EUR 1.1 million over six years from the regional industrial-transition programme,
            plus the companies' share. Two cluster staff at 0.5 FTE each and a pool of 12
            freelance coaches.
        """),
        "evidence": md("""
            48 SMEs took part. By 2023, 29 had revenue from a new sector, on average 17% of
            their turnover, and 6 were making parts for electric drivetrains. Employment in the
            participating companies held steady (-2%) while it fell by 9% at comparable
            suppliers.
        """),
        "difficulties": md("""
            Owners often took the audit as criticism of their business. Coaches who had run a
            factory themselves, rather than consultants, made the difference. Certification for
            aerospace or medical markets takes two years, longer than the coaching lasted.
        """),
        "transfer_potential": md("""
            Highly relevant for automotive regions across Europe. The audit grid and the
            matching method are generic and could serve other sectors in transition. The
            programme ended in 2023; a lighter follow-up on electric-drivetrain parts is being
            prepared.
        """),
    },
    {
        "cluster": "torino-smart-mobility-hub",
        "state": S.PUBLISHED,
        "days_ago": 140,
        "category": C.THEMATIC,
        "ecosystems": ["mobility"],
        "tags": ["automated shuttles", "citizen engagement", "testing"],
        "start_year": 2019,
        "end_year": None,
        "title": "Public ride days on the automated shuttle test track",
        "summary": md("""
            Four Saturdays a year the automated-shuttle test track opens to the public: anyone
            can ride, question the engineers and fill in a short survey. The days build trust in
            automated vehicles and give members data on how passengers behave.
        """),
        "problem": md("""
            Surveys showed that most residents would not board a driverless shuttle. Our members
            had plenty of technical data but almost none on passenger behaviour and acceptance,
            which the city asked for before any trial on public roads.
        """),
        "description": md("""
            A ride day is organised like a small fair:

            - 10-minute rides on a 1.2 km loop, with a safety operator on board;
            - three stands where engineers from member companies explain sensors and safety
              decisions;
            - a five-minute survey before and after the ride;
            - reserved slots for schools, older people and people with reduced mobility.

            The cluster handles communication, insurance and volunteers; companies bring the
            vehicles and their staff.
        """),
        "resources": md("""
            About EUR 8,000 per ride day for insurance, communication and volunteers' catering,
            and 20 volunteers from members and the university, which owns the track.
        """),
        "evidence": md("""
            - 5,300 riders over 17 ride days since 2019.
            - Riders who would use a driverless shuttle in daily life: 34% before the ride, 71%
              after.
            - The survey data went into three research papers and the city's 2024 request for
              an on-road trial.
        """),
        "difficulties": md("""
            Bad weather cancelled two days; there is now an indoor programme as plan B. A minor
            emergency stop in 2021 went viral. Explaining at once, on site and online, why the
            vehicle had stopped turned it into a good story about safety.
        """),
        "transfer_potential": md("""
            Any cluster with a closed test site and one vehicle can copy the format. The survey
            is validated and available in Italian and English, so results can be compared
            across regions.
        """),
    },
    {
        "cluster": "emilia-green-cities",
        "state": S.PUBLISHED,
        "days_ago": 480,
        "category": C.THEMATIC,
        "ecosystems": ["environment", "energy"],
        "tags": ["building renovation", "social housing", "prefabrication"],
        "start_year": 2018,
        "end_year": 2023,
        "title": "Deep renovation of occupied social housing with prefabricated facade panels",
        "summary": md("""
            Insulated facade panels with built-in windows and ventilation ducts are mounted on
            occupied social-housing blocks in three to four weeks per building. Tenants stay at
            home, and heating demand falls by around 70%.
        """),
        "problem": md("""
            The regional social-housing company owns 1,800 flats from the 1960s and 70s whose
            heating bills tenants cannot afford. A classic renovation meant moving tenants out
            for months, impossible without spare housing, so renovation kept being postponed.
        """),
        "description": md("""
            Four member SMEs developed the panel system with the housing company.

            - Each facade is laser-scanned and its panels made in the factory to the
              millimetre.
            - Panels carry the insulation, new windows and the ducts of a decentralised
              ventilation system.
            - A crane mounts them from outside; the only work inside is connecting the
              ventilation units.
            - Roof insulation and a heat pump complete the package.

            A tenant liaison officer visits every household before, during and after the works.
        """),
        "resources": md("""
            About EUR 52,000 per flat including the heat pumps, 65% covered by national
            renovation incentives. The cluster coordinated the consortium and the monitoring
            with 0.5 FTE for five years.
        """),
        "evidence": md("""
            - 412 flats in 14 buildings renovated between 2018 and 2023.
            - Measured heating demand down from 148 to 41 kWh/m² a year on average.
            - 3 to 4 weeks on site per building, against 8 months for a conventional
              renovation of a similar block.
            - Tenant satisfaction 8.1 out of 10 after one year.
        """),
        "difficulties": md("""
            Scanning revealed that old facades were out of line by up to 8 cm, which the first
            panels could not absorb. Anchoring into 1960s concrete of unknown quality needed
            on-site tests for every building. A change to the national incentive scheme in
            2022 froze new projects for a year.
        """),
        "transfer_potential": md("""
            Relevant to the many European housing blocks of the same era. The panel system is
            patented by the consortium but can be licensed; the tenant liaison method and the
            contract model with the housing company are free to reuse.
        """),
    },
    {
        "cluster": "emilia-green-cities",
        "state": S.PUBLISHED,
        "days_ago": 380,
        "category": C.MANAGEMENT,
        "ecosystems": ["environment"],
        "tags": ["governance", "working groups", "member engagement"],
        "start_year": 2015,
        "end_year": None,
        "title": "Working groups chaired by member companies in rotation",
        "summary": md("""
            Each of our five working groups is chaired by a member company for two years, while
            the cluster provides the secretariat. Members set the agendas themselves;
            attendance has more than doubled while staff time per group went down.
        """),
        "problem": md("""
            Our working groups were run by cluster staff, who ended up doing most of the
            talking. Attendance fell from one meeting to the next, and members treated the
            groups as information sessions rather than places to start projects together.
        """),
        "description": md("""
            Since 2015 every working group has a chair from a member company, elected for two
            years.

            - The chair sets the agenda and invites speakers; the cluster books rooms, writes
              short minutes and follows up on actions.
            - Each group must start at least one joint activity a year: a project proposal, a
              study visit or a joint position paper.
            - Chairs report to the board twice a year.

            Current groups: nature-based solutions, circular construction, renovation, urban
            water and green procurement.
        """),
        "resources": md("""
            About 0.1 FTE of staff time per group, four days a year from each chair and EUR
            2,000 per group for speakers and visits.
        """),
        "evidence": md("""
            Average attendance rose from 9 to 21 people per meeting between 2014 and 2023. The
            groups started 14 joint proposals (6 funded) and 9 study visits, and three former
            chairs now sit on the cluster's board.
        """),
        "difficulties": md("""
            - Some chairs used the role to promote their company; a short charter signed at
              election, and a strictly neutral secretariat, keep this in check.
            - Less popular topics struggle to find a chair: one group was merged after two
              years without one.
        """),
        "transfer_potential": md("""
            Easy to transfer for a cluster with engaged members; the chair charter and election
            rules are available. Keep the secretariat at the cluster: when we tried full
            self-organisation, groups fizzled out.
        """),
    },
    {
        "cluster": "tejo-smart-city-hub",
        "state": S.PUBLISHED,
        "days_ago": 450,
        "category": C.VALUE,
        "ecosystems": ["ict"],
        "tags": ["start-ups", "internationalisation", "soft landing"],
        "start_year": 2018,
        "end_year": None,
        "title": "Soft-landing programme for foreign smart-city start-ups",
        "summary": md("""
            Foreign start-ups spend three months in Lisbon with a desk, a local mentor, legal and
            tax advice and meetings with municipalities. Each is paired with a Portuguese
            member company, which often becomes its first partner in the market.
        """),
        "problem": md("""
            Foreign smart-city start-ups were interested in Portugal but struggled with the
            language, public procurement rules and finding first customers; those who came alone
            often left within a year. Our own members rarely met them.
        """),
        "description": md("""
            Two cohorts of five start-ups a year, selected together with partner clusters in
            other countries, who send us their best candidates. Each start-up gets:

            - a desk at the cluster's offices for three months;
            - a mentor from a member company, who opens their network;
            - sessions with a lawyer and an accountant on setting up a company and bidding for
              public contracts;
            - meetings with at least three municipalities of the metropolitan area.
        """),
        "resources": md("""
            EUR 120,000 a year, half from the municipality, the rest from start-up fees (EUR
            1,500 each) and partner clusters. One programme manager full-time.
        """),
        "evidence": md("""
            - 52 start-ups from 14 countries since 2018.
            - 21 opened a Portuguese company; 16 still operate here.
            - 27 pilots or contracts with municipalities or members.
            - 9 partnerships or joint ventures with member companies.
        """),
        "difficulties": md("""
            Three months is short compared with public procurement cycles, so we stay in touch
            with alumni for nine more months. Start-ups from outside the EU face visa delays;
            the paperwork now starts on the day they are selected.
        """),
        "transfer_potential": md("""
            Suits clusters in cities that attract start-ups. Exchanges in which two clusters
            send start-ups to each other make it cheaper for both. Network clusters are welcome
            as sending partners.
        """),
    },
    {
        "cluster": "tejo-smart-city-hub",
        "state": S.PUBLISHED,
        "days_ago": 60,
        "category": C.VALUE,
        "ecosystems": ["ict", "environment"],
        "tags": ["public procurement", "matchmaking", "municipalities"],
        "start_year": 2019,
        "end_year": None,
        "title": "Matchmaking breakfasts between SMEs and city procurement officers",
        "summary": md("""
            Once a month, eight SMEs and three municipal procurement officers meet for a
            90-minute breakfast on one theme. Officers learn what the market offers before
            writing tenders; SMEs learn how cities buy.
        """),
        "problem": md("""
            Procurement officers wrote tenders without knowing what small innovative companies
            could offer, and SMEs only saw tenders when it was too late to understand, let alone
            shape, them. Both sides complained, but they never met outside formal procedures.
        """),
        "description": md("""
            The format is small and informal on purpose.

            - One theme per breakfast: sensors for urban heat, digital permits, waste
              collection...
            - Eight SMEs chosen among applicants, each with a three-minute pitch and no slides.
            - Three officers explain their coming needs and how they buy.
            - A note afterwards lists upcoming tenders and market consultations.

            The municipalities' legal services approved the format as an open, documented
            preliminary market consultation.
        """),
        "resources": md("""
            About two days of staff time and EUR 300 of catering per breakfast. The
            municipalities host them.
        """),
        "evidence": md("""
            - 41 breakfasts since 2019: 290 SME places, officers from 12 municipalities.
            - 23 tenders changed after a breakfast, for instance split into lots or rewritten
              as output-based specifications.
            - Member SMEs won 31 public contracts in 2023, against 12 in 2018.
        """),
        "difficulties": md("""
            Officers first feared accusations of favouritism. Publishing the list of
            participants and a summary of every breakfast on the municipal website removed the
            worry. Some SMEs expected to walk away with a contract; the invitation now says
            plainly that nobody will.
        """),
        "transfer_potential": md("""
            One of the easiest practices to copy: little money, no technology. The key is to
            have the format checked by the municipality's lawyers first; our note to them is
            available in Portuguese and English.
        """),
    },
    {
        "cluster": "delta-circular-cities",
        "state": S.PUBLISHED,
        "days_ago": 720,
        "category": C.MANAGEMENT,
        "ecosystems": ["environment", "mobility"],
        "tags": ["cluster excellence", "mentoring", "benchmarking"],
        "start_year": 2016,
        "end_year": None,
        "title": "Peer mentoring for young clusters preparing the excellence label",
        "summary": md("""
            Experienced cluster managers mentor the managers of younger clusters for a year on
            strategy, governance and services, ending with a mock label assessment. Mentored
            clusters pass the real assessment far more often, and mentors bring ideas home too.
        """),
        "problem": md("""
            Young clusters in the network kept asking us how to obtain a management label, and
            we answered the same questions again and again. Consultants offered preparation,
            but at prices small clusters could not pay, and without first-hand experience of
            running a cluster.
        """),
        "description": md("""
            Each mentoring pair works together for twelve months:

            - a two-day kick-off visit to the mentored cluster;
            - a one-hour call every month on topics the mentee chooses;
            - a review of the mentee's strategy and service portfolio;
            - a **mock assessment** with the official indicators, three months before the real
              one.

            Mentors are managers of gold or silver clusters. They are not paid, but their travel
            costs are covered.
        """),
        "resources": md("""
            About EUR 3,000 of travel per pair and roughly eight days of the mentor's time over
            the year. One staff member coordinates the scheme (0.1 FTE).
        """),
        "evidence": md("""
            - 15 clusters from 9 countries mentored since 2016.
            - 12 of them obtained a bronze label or better within two years; across the
              network, about 55% of first applications succeed.
            - 4 former mentees now mentor other clusters.
        """),
        "difficulties": md("""
            Some mentees expected the mentor to write their documents; a one-page agreement at
            kick-off now sets expectations. Language mattered more than we thought: monthly
            calls in a second language for both sides are tiring, so we match languages where
            we can.
        """),
        "transfer_potential": md("""
            Any labelled cluster can mentor, and the network could run the scheme at European
            level. The mock assessment grid and the mentoring agreement are available.
        """),
    },
    {
        "cluster": "delta-circular-cities",
        "state": S.PUBLISHED,
        "days_ago": 260,
        "category": C.THEMATIC,
        "ecosystems": ["mobility", "environment"],
        "tags": ["urban logistics", "zero emission", "city centre"],
        "start_year": 2019,
        "end_year": None,
        "title": "Zero-emission logistics zone with a consolidation hub and quiet night deliveries",
        "summary": md("""
            Only zero-emission vans and trucks may deliver in the historic centre. A
            consolidation hub at the edge of the zone bundles parcels, and quiet electric trucks
            supply supermarkets at night, outside busy hours.
        """),
        "problem": md("""
            Delivery vans made up a quarter of traffic in the city centre and a large share of
            its NOx emissions. Shopkeepers feared a ban would cut their supplies, and carriers
            said electric vans could not do their rounds.
        """),
        "description": md("""
            The zone was designed with the city, carriers and shop associations at the
            cluster's logistics table.

            - A five-year transition announced in 2019, with exemptions for small firms until
              2025.
            - A consolidation hub, run by a member company, where carriers drop goods for the
              last kilometre.
            - Night deliveries to 18 supermarkets by electric trucks, below 60 dB(A).
            - Loading bays booked through an app.

            The cluster and the city monitor traffic and emissions and publish a yearly report.
        """),
        "resources": md("""
            The city paid for signs, cameras and the booking app (EUR 1.8 million). The hub is
            a commercial business that received a EUR 400,000 start-up grant. The logistics
            table takes about 0.3 FTE at the cluster.
        """),
        "evidence": md("""
            - Delivery vehicle movements in the zone down 31% between 2018 and 2023.
            - 96% of deliveries in the zone were zero-emission in 2024.
            - NO₂ at the central monitoring station down 22%.
            - No measurable loss of shop revenue, according to the shop associations' survey.
        """),
        "difficulties": md("""
            Small carriers could not finance electric vans until the cluster negotiated a
            leasing scheme for them. Night deliveries drew complaints from residents at two
            locations until the unloading equipment was replaced by quieter models.
        """),
        "transfer_potential": md("""
            Relevant to historic centres all over Europe, many of which are planning
            zero-emission zones. The most transferable element is the logistics table, where
            all parties design the rules together.
        """),
    },
    {
        "cluster": "scheldt-energy-valley",
        "state": S.PUBLISHED,
        "days_ago": 540,
        "category": C.VALUE,
        "ecosystems": ["energy", "ict"],
        "tags": ["smart grid", "test bed", "SMEs"],
        "start_year": 2017,
        "end_year": None,
        "title": "Test micro-grid bookable by the day for member SMEs",
        "summary": md("""
            Members book the cluster's 2 MW test micro-grid by the day to test inverters,
            batteries or energy-management software in real conditions. A day costs less than
            an hour at a certified lab, and the cluster's engineer helps set up each test.
        """),
        "problem": md("""
            Energy start-ups had to prove their products worked with real solar, storage and
            loads before grid operators would talk to them. Certified labs charged thousands of
            euros a day and had waiting lists of several months.
        """),
        "description": md("""
            The micro-grid on a former industrial site has 2 MW of solar panels, 1.5 MWh of
            batteries, controllable loads and a grid connection that can run in island mode.

            - Online booking by the day or by the week.
            - Ready-made test scenarios: islanding, frequency response, peak shaving.
            - All measurements delivered in an open format.
            - Help from the cluster's test engineer with set-up and interpretation.

            Members pay EUR 450 a day, non-members EUR 1,200.
        """),
        "resources": md("""
            The site and equipment (EUR 3.4 million) were co-funded by the ERDF and two large
            members. Booking fees cover 60% of the EUR 180,000 yearly running costs. One test
            engineer full-time.
        """),
        "evidence": md("""
            The grid was booked on 61% of working days in 2023. Since 2017, 58 companies have
            tested here, 41 of them SMEs, and 19 products tested on the site went on to obtain
            grid-code compliance. Two grid operators run their own tests here and now send
            start-ups our way.
        """),
        "difficulties": md("""
            Safety rules for work on live installations had to be written from scratch and
            accepted by the insurer. Demand peaks in autumn, before the trade fairs, so summer
            bookings are now cheaper.
        """),
        "transfer_potential": md("""
            A physical test bed is a large investment, but the booking model and prices can
            inspire any cluster with shared equipment. Members of network clusters pay the
            member price.
        """),
    },
    {
        "cluster": "vistula-smart-mobility",
        "state": S.PUBLISHED,
        "days_ago": 210,
        "category": C.THEMATIC,
        "ecosystems": ["mobility", "ict"],
        "tags": ["open data", "public transport", "APIs"],
        "start_year": 2020,
        "end_year": None,
        "title": "Real-time tram positions opened to developers through a shared sandbox",
        "summary": md("""
            The city's tram and bus operator opened real-time vehicle positions to member
            developers, first in a sandbox with anonymised history, then as a live feed.
            Members built passenger-information and accessibility apps on it.
        """),
        "problem": md("""
            Local software houses wanted to build passenger information products, but the
            operator only published static timetables. Real-time data existed in its fleet
            system, but the operator feared security risks and bad press from inaccurate apps.
        """),
        "description": md("""
            The cluster brokered a step-by-step opening:

            - **Sandbox**: a year of anonymised positions and a test feed, open to member
              developers who sign the terms of use.
            - **Certification**: apps that pass accuracy and load tests get the live
              GTFS-Realtime feed.
            - **Developer days** twice a year with the operator's IT team.

            After two years the operator published the live feed as open data for everyone.
        """),
        "resources": md("""
            The operator spent about EUR 90,000 on the feed and the sandbox. The cluster spent
            0.3 FTE for two years on coordination and developer days.
        """),
        "evidence": md("""
            - 14 apps certified, 5 of them sold commercially.
            - A member's app for blind and partially sighted passengers has 11,000 users.
            - The open feed, launched in 2022, had 230 registered users by 2024.
        """),
        "difficulties": md("""
            The operator's IT team was small, and the sandbox competed with its daily work;
            funding a part-time developer at the operator through the cluster unblocked it.
            Certification criteria had to stay simple enough for small companies.
        """),
        "transfer_potential": md("""
            Useful where operators hesitate to open their data: going through a sandbox first
            lowers their risk. The terms of use and the certification tests are reusable.
        """),
    },
    {
        "cluster": "oresund-urban-energy",
        "state": S.PUBLISHED,
        "days_ago": 620,
        "category": C.THEMATIC,
        "ecosystems": ["energy", "environment"],
        "tags": ["positive-energy districts", "monitoring", "open data"],
        "start_year": 2016,
        "end_year": None,
        "title": "Open monitoring data from 1,200 flats in two positive-energy districts",
        "summary": md("""
            Hourly energy, indoor-climate and water data from 1,200 flats in two positive-energy
            districts are published as open data with residents' consent. Researchers and
            companies use them to check whether the districts deliver what was promised.
        """),
        "problem": md("""
            Both districts were built on the promise of producing more energy than they use.
            Once they were finished, nobody could show whether they did: the data sat with the
            utility, the housing companies and the building-management vendors, and residents
            had never been asked about sharing it.
        """),
        "description": md("""
            The cluster set up a monitoring programme with the municipality, the utility and
            four housing companies.

            - Residents give their consent when signing the lease; 87% agreed.
            - Data are aggregated per staircase to protect privacy and published every hour.
            - A yearly report compares actual production and use with the design targets.

            Data and reports are published under an open licence on the municipal portal.
        """),
        "resources": md("""
            EUR 260,000 for the set-up from the national energy agency and EUR 35,000 a year of
            running costs shared by the partners. A data scientist at a member research
            institute writes the reports (0.3 FTE).
        """),
        "evidence": md("""
            - District A was net positive in 2021-2023, producing 108% of what it uses.
            - District B reached 94% in 2023, after the monitoring revealed wrong heat-pump
              settings.
            - The data have been used in 19 research papers and by 7 companies developing
              energy-management products.
        """),
        "difficulties": md("""
            Aggregating per staircase lost detail researchers wanted, but privacy came first.
            The building-management systems exported incompatible formats, and the first year
            was mostly spent cleaning data.
        """),
        "transfer_potential": md("""
            The consent wording, data model and report template suit any new district aiming at
            positive energy. Plan the monitoring at the design stage: adding it afterwards is
            twice the work.
        """),
    },
    {
        "cluster": "oresund-urban-energy",
        "state": S.PUBLISHED,
        "days_ago": 160,
        "category": C.MANAGEMENT,
        "ecosystems": ["energy"],
        "tags": ["cluster strategy", "member engagement", "governance"],
        "start_year": 2021,
        "end_year": 2022,
        "title": "Cluster strategy co-written with members in three open workshops",
        "summary": md("""
            Our 2022-2026 strategy was written with members rather than for them: three open
            workshops, four weeks of online comments and a vote at the general assembly. It is
            shorter than the last one, and members actually refer to it.
        """),
        "problem": md("""
            The previous strategy was written by a consultant, approved by the board and
            forgotten. Members could not name the cluster's priorities, and staff found it hard
            to turn down requests that did not fit them.
        """),
        "description": md("""
            The process took six months.

            - **Workshop 1, trends**: members and invited experts listed the changes affecting
              the sector.
            - **Workshop 2, choices**: small groups proposed priorities and voted with dots.
            - **Workshop 3, services**: what the cluster should start, stop and keep doing.
            - A 12-page draft, open for comments online for four weeks.
            - A vote at the general assembly.

            Each of the three priorities has a board member as its sponsor.
        """),
        "resources": md("""
            About 30 days of staff time, an external facilitator (EUR 9,000) and meeting rooms
            offered by members.
        """),
        "evidence": md("""
            74 of our 124 members took part in at least one workshop, and the assembly adopted
            the strategy with 96% of the votes. Two services were stopped and a study-visit
            programme started. In the 2023 member survey, 68% could name at least two
            priorities, against 21% in 2020.
        """),
        "difficulties": md("""
            Members proposed far more priorities than the cluster could handle; forcing a choice
            of three in the second workshop was uncomfortable but necessary. The facilitator's
            neutrality helped when the board disagreed with the members' votes.
        """),
        "transfer_potential": md("""
            Any cluster renewing its strategy can copy the three-workshop format. The workshop
            plans and the strategy template are available.
        """),
    },
    {
        "cluster": "aura-digital-cities",
        "state": S.PUBLISHED,
        "days_ago": 350,
        "category": C.MANAGEMENT,
        "ecosystems": ["ict"],
        "tags": ["membership fees", "business model", "start-ups"],
        "start_year": 2019,
        "end_year": None,
        "title": "Membership fee scaled to company size, with a free first year for start-ups",
        "summary": md("""
            Our fee ranges from nothing for a start-up in its first year to EUR 6,000 for a
            large company, depending on head count. The free year brought in many young
            companies, and most of them stay and pay afterwards.
        """),
        "problem": md("""
            With a flat fee of EUR 1,500 the cluster was too expensive for start-ups and too
            cheap for large companies, which paid the same as a three-person firm. Membership
            grew slowly, and our budget depended on a single regional grant.
        """),
        "description": md("""
            Since 2019 the yearly fee depends on head count:

            - start-ups under three years old: free the first year, then EUR 300;
            - 1-9 employees: EUR 600; 10-49: EUR 1,500; 50-249: EUR 3,000;
            - 250 employees or more: EUR 6,000;
            - public bodies and research organisations: EUR 2,000.

            Every member has the same vote at the general assembly; large members also get a
            seat on the advisory board.
        """),
        "resources": md("""
            No direct cost. Preparing the change took about a month of the manager's time and
            an extraordinary general assembly.
        """),
        "evidence": md("""
            Members went from 31 in 2019 to 59 in 2024, and 72% of start-ups stayed after their
            free year. Fee income rose from EUR 41,000 to EUR 96,000, so the regional grant now
            covers 35% of the budget instead of 70%.
        """),
        "difficulties": md("""
            Two large members objected to paying four times more. The advisory-board seat and a
            clear list of what the fees pay for convinced one of them; the other left. Head
            counts are declared on trust, checked against the business register when in doubt.
        """),
        "transfer_potential": md("""
            Applicable to any membership-based cluster, with the scale adjusted to local wage
            levels. Clusters that depend on a single grant will find the diversification
            worthwhile.
        """),
    },
    {
        "cluster": "danube-urban-tech",
        "state": S.PUBLISHED,
        "days_ago": 30,
        "category": C.VALUE,
        "ecosystems": ["energy", "ict"],
        "tags": ["matchmaking", "housing", "building technology"],
        "start_year": 2014,
        "end_year": None,
        "title": "Speed dating between building-technology SMEs and housing associations",
        "summary": md("""
            Once a year, 40 building-technology SMEs meet the technical directors of Vienna's
            large housing associations in 15-minute meetings booked in advance. Associations
            find new suppliers; SMEs reach buyers they could never cold-call.
        """),
        "problem": md("""
            Housing associations manage hundreds of thousands of flats and renovate all the
            time, but work with a small circle of long-standing suppliers. SMEs with innovative
            products (smart thermostats, facade PV, heat-pump controls) could hardly get a
            meeting.
        """),
        "description": md("""
            The event takes one afternoon.

            - SMEs apply with a one-page profile; a jury of two association directors selects
              40 of them.
            - Associations book up to 12 meetings each, in advance, on an online platform.
            - Meetings last 15 minutes, strictly timed.
            - Three months later the cluster calls participants to ask what came of each
              meeting.

            The afternoon closes with short pitches from the 10 most-booked SMEs.
        """),
        "resources": md("""
            About EUR 18,000 per edition for venue, platform and catering, paid by the regional
            business agency, and 20 days of staff time.
        """),
        "evidence": md("""
            Ten editions since 2014, with 380 meetings in 2023 alone. The follow-up calls show
            that one meeting in six leads to a pilot or an order. Seven housing associations
            take part every year.
        """),
        "difficulties": md("""
            At first the associations sent junior staff. Inviting the directors personally, and
            keeping the event to one afternoon, changed that. SMEs that were not selected were
            disappointed; they now get a short written reason and a tip for next time.
        """),
        "transfer_potential": md("""
            Works in any city with large public or cooperative housing owners. The same format
            suits other groups of buyers, such as hospitals or universities.
        """),
    },
    # ------------------------------------------------------------------ archived
    {
        "cluster": "isar-mobility-forum",
        "state": S.ARCHIVED,
        "days_ago": 680,
        "archived_days_ago": 75,
        "archive_comment": (
            "Archived at the cluster's request: the pilot ended in 2019 and the city's permanent "
            "on-demand service has replaced it."
        ),
        "category": C.THEMATIC,
        "ecosystems": ["mobility"],
        "tags": ["on-demand transport", "electric buses", "suburbs"],
        "start_year": 2016,
        "end_year": 2019,
        "title": "Demand-responsive minibus pilot in the northern suburbs",
        "summary": md("""
            For three years, electric minibuses booked by app or phone served three low-density
            suburbs where regular evening buses ran nearly empty. The pilot showed how to fit an
            on-demand service into the regular network before the city took it over.
        """),
        "problem": md("""
            Regular bus lines in the northern suburbs carried four passengers per trip on
            average in the evening, at high cost. Residents without a car, often older people,
            were isolated after 8 pm.
        """),
        "description": md("""
            A member start-up supplied the booking platform; the transport authority supplied
            vehicles and drivers.

            - Six electric minibuses, bookable by app or phone in the evenings and at weekends.
            - Virtual stops every 200 m, pick-up within 15 minutes.
            - Regular tickets valid, no surcharge.

            The cluster coordinated the partners and commissioned an evaluation from the
            university.
        """),
        "resources": md("""
            EUR 2.3 million over three years, mainly from the transport authority and a federal
            programme.
        """),
        "evidence": md("""
            - 148,000 trips in three years.
            - 2.7 passengers per trip on average, against 1.4 on the evening lines it replaced.
            - 31% of riders were over 65.
        """),
        "difficulties": md("""
            Phone bookings, essential for older riders, cost far more than app bookings.
            Negotiations with the drivers' union delayed the start by five months.
        """),
        "transfer_potential": md("""
            The evaluation report is available in German and English. The city's permanent
            on-demand service builds on the pilot.
        """),
    },
    # ------------------------------------------------------------------ drafts
    {
        "cluster": "nordhafen-energy-network",
        "state": S.DRAFT,
        "days_ago": 12,
        "category": C.VALUE,
        "ecosystems": ["energy"],
        "tags": ["hydrogen", "training", "skills"],
        "start_year": 2022,
        "end_year": None,
        "title": "Two-day hydrogen safety course for SME technicians",
        "summary": md("""
            A hands-on course that prepares technicians from installation and maintenance SMEs
            to work safely on hydrogen systems, with a certificate the port operators accept.
        """),
        "problem": md("""
            Port operators only let certified staff work near hydrogen installations, and the
            only course on offer lasted two weeks in another region. Small installers could not
            spare their technicians for that long.
        """),
        "description": md("""
            Draft, to be completed after the spring session.

            - Day 1: properties of hydrogen, ATEX zones, leak detection.
            - Day 2: practical work on a member's electrolyser test bench.
            - Written and practical exam.
        """),
        "resources": "",
        "evidence": "",
        "difficulties": "",
        "transfer_potential": "",
    },
    {
        "cluster": "aura-digital-cities",
        "state": S.DRAFT,
        "days_ago": 3,
        "category": C.THEMATIC,
        "ecosystems": ["ict"],
        "tags": ["interoperability", "APIs", "open standards"],
        "start_year": 2021,
        "end_year": None,
        "title": "Interoperability test days for city APIs",
        "summary": md("""
            Twice a year, vendors bring their city-service APIs to a test day and check them
            against open standards with other vendors and the IT teams of two cities.
        """),
        "problem": md("""
            Cities buying digital services end up with platforms that cannot exchange data.
            Vendors claim to follow open standards, but nobody tests whether they do.
        """),
        "description": md("""
            Notes for the draft:

            - test cases based on the minimal interoperability mechanisms;
            - pairs of vendors test data exchange live;
            - each vendor gets a short report the cities can ask for.

            To do: add the results of the autumn test day.
        """),
        "resources": "One day of preparation per vendor; the cluster hosts.",
        "evidence": "",
        "difficulties": "",
        "transfer_potential": "",
    },
    # ------------------------------------------------------------------ submitted
    {
        "cluster": "scheldt-energy-valley",
        "state": S.SUBMITTED,
        "days_ago": 1,
        "category": C.THEMATIC,
        "ecosystems": ["energy", "ict"],
        "tags": ["forecasting", "smart grid", "open data"],
        "start_year": 2024,
        "end_year": 2024,
        "title": "Day-ahead load forecasting challenge with data from 300 buildings",
        "summary": md("""
            The cluster released a year of anonymised smart-meter data from 300 commercial
            buildings and challenged start-ups to forecast the next day's load. The three best
            teams now run paid pilots with the grid operator.
        """),
        "problem": md("""
            Grid operators around Antwerp need better day-ahead forecasts now that heat pumps
            and chargers are changing load patterns. Our AI start-ups had models but no
            realistic data to train them on; the operator had the data but could not publish
            it.
        """),
        "description": md("""
            The challenge ran for four months in 2024.

            - A year of 15-minute load data from 300 buildings, anonymised by the grid operator
              and released to registered teams under a research licence.
            - A leaderboard scored every day on a hidden test month.
            - Prizes: paid pilots of EUR 20,000 with the grid operator for the top three teams.

            Teams keep the rights to their models.
        """),
        "resources": md("""
            EUR 75,000 for prizes and organisation, paid by the grid operator; about 40 days of
            cluster staff time; a review of the anonymisation by the operator's privacy officer.
        """),
        "evidence": md("""
            - 27 teams registered and 19 submitted forecasts.
            - The best forecast error (MAPE) was 6.1%, against 9.8% for the operator's model.
            - Three pilots started in January 2025.
        """),
        "difficulties": md("""
            The privacy review took three months and nearly cancelled the challenge. Some teams
            over-fitted the leaderboard; a final evaluation on a second hidden month settled the
            ranking.
        """),
        "transfer_potential": md("""
            Grid operators everywhere face the same problem. The research licence and the
            anonymisation approach are the parts most worth reusing.
        """),
    },
    {
        "cluster": "vistula-smart-mobility",
        "state": S.SUBMITTED,
        "days_ago": 7,
        "category": C.MANAGEMENT,
        "ecosystems": ["mobility", "ict"],
        "tags": ["mentoring", "governance", "cluster strategy"],
        "start_year": 2021,
        "end_year": None,
        "title": "Advisory board of three mentor clusters for a young cluster",
        "summary": md("""
            Managers of three experienced clusters from Germany, the Netherlands and Finland sit
            on our advisory board and meet our board twice a year. Their advice shaped our first
            strategy and our range of services.
        """),
        "problem": md("""
            Founded in 2018, we had enthusiastic members but no experience of running a
            cluster: how to finance it, which services to offer, how to prepare for a label.
            Consultants were expensive and had rarely managed a cluster themselves.
        """),
        "description": md("""
            We invited three managers of labelled network clusters to form an advisory board.

            - Two meetings a year, one online and one in Kraków with visits to members.
            - Each meeting goes deep into one topic: financing, services, internationalisation
              or the label.
            - Advisers have no vote, but the board answers their recommendations in writing.

            In return our members host their delegations and share know-how on passenger
            information.
        """),
        "resources": md("""
            About EUR 4,500 a year for travel and accommodation, and five days a year of the
            manager's time for preparation.
        """),
        "evidence": md("""
            Eight meetings since 2021 produced 34 recommendations, 25 of them implemented.
            Member fees grew from 12% to 38% of our budget, and we started two joint projects
            with the advisers' clusters.
        """),
        "difficulties": md("""
            Advisers have little time, so meetings need short documents sent two weeks ahead.
            Some advice did not fit the Polish context, for instance on public co-financing
            rates.
        """),
        "transfer_potential": md("""
            Useful for any young cluster in the network. Our terms of reference for the board
            are available.
        """),
    },
    # ------------------------------------------------------------------ sent back
    {
        "cluster": "danube-urban-tech",
        "state": S.CHANGES_REQUESTED,
        "days_ago": 9,
        "feedback": (
            "Thank you, this is a topic many clusters ask about. Before we publish it, please: "
            "(1) add figures to the evidence, such as how many tenders used the clauses and how "
            "many bids came from SMEs; (2) turn the description into a short list of the "
            "clauses so that other clusters can reuse them; (3) say which department adopted "
            "them and since when."
        ),
        "category": C.THEMATIC,
        "ecosystems": ["energy"],
        "tags": ["public procurement", "building technology"],
        "start_year": 2020,
        "end_year": None,
        "title": "Innovation-friendly procurement clauses for building technology",
        "summary": md("""
            With the city's building department we drafted tender clauses that let SMEs offer
            innovative building technology: functional specifications, variants and lots.
        """),
        "problem": md("""
            Tenders for building technology in public buildings were written around specific
            products, leaving no room for innovative offers.
        """),
        "description": md("""
            We ran a working group with the building department and member companies. The
            result is a set of clauses that the department now uses in its tenders. They cover
            functional specifications, the admission of variants, the split into lots and the
            evaluation of life-cycle costs.
        """),
        "resources": "A working group of 12 members that met about ten times.",
        "evidence": "The clauses are used by the city.",
        "difficulties": "Legal uncertainty about variants.",
        "transfer_potential": "Other cities could use the same clauses.",
    },
    # ------------------------------------------------------------------ rejected
    {
        "cluster": "ria-digital-cities",
        "state": S.REJECTED,
        "days_ago": 40,
        "feedback": (
            "This describes a commercial discount offered by one member company rather than a "
            "practice other clusters could learn from or transfer. If your cluster has "
            "experience of running and financing its shared GPU infrastructure, that would make "
            "a welcome practice: please submit it."
        ),
        "category": C.VALUE,
        "ecosystems": ["ict"],
        "tags": ["traffic", "software licences"],
        "start_year": 2024,
        "end_year": None,
        "title": "Member discount on a commercial traffic-simulation licence",
        "summary": md("""
            Cluster members get 30% off the licence of a traffic-simulation package sold by one
            of our member companies.
        """),
        "problem": "Traffic-simulation software is expensive for small companies.",
        "description": md("""
            We negotiated a discount with a member:

            - 30% off the yearly licence;
            - a free onboarding webinar;
            - access to the vendor's user forum.
        """),
        "resources": "None for the cluster.",
        "evidence": "12 members bought a licence in 2024.",
        "difficulties": "",
        "transfer_potential": "Other clusters can negotiate similar discounts with their members.",
    },
]

# Members who follow a cluster (they hear when it publishes a practice).
FOLLOWS = [
    ("member@demo.smartclusters.eu", "levante-energy-cluster"),
    ("member@demo.smartclusters.eu", "scheldt-energy-valley"),
    ("jonas.weber@demo.smartclusters.eu", "confluence-mobilites"),
    ("claire.dubois@demo.smartclusters.eu", "delta-circular-cities"),
    ("ana.garcia@demo.smartclusters.eu", "oresund-urban-energy"),
]

# Members who told a cluster they want to transfer one of its published practices.
INTERESTS = [
    {
        "user": "member@demo.smartclusters.eu",
        "cluster": "levante-energy-cluster",
        "practice": "Legal and technical kit for founding a local energy community",
        "days_ago": 21,
        "message": (
            "We are a Lisbon start-up building energy-sharing analytics, and two neighbourhood "
            "associations in Almada want to found an energy community. Could we have a call "
            "about adapting your kit, especially the distribution-coefficient spreadsheet?"
        ),
    },
    {
        "user": "piotr.nowak@demo.smartclusters.eu",
        "cluster": "confluence-mobilites",
        "practice": "Shared data space for e-bus charging",
        "days_ago": 16,
        "message": (
            "Kraków's operator is doubling its electric bus fleet and our telematics already "
            "record charging sessions. We would like to learn how you agreed the usage policy "
            "and whether your data model would work with our fleet software."
        ),
    },
    {
        "user": "luca.bianchi@demo.smartclusters.eu",
        "cluster": "oresund-urban-energy",
        "practice": "Open monitoring data from 1,200 flats in two positive-energy districts",
        "days_ago": 4,
        "message": (
            "We monitor renovated social-housing blocks in Bologna and want to publish the data "
            "openly. Your consent wording and per-staircase aggregation are exactly what we "
            "need: could you share the templates?"
        ),
    },
]
