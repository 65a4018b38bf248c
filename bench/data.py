"""A large data set for the performance harness (bench/), written with PostgreSQL's COPY.

`seed_bench --bids N`: the 150 authorities bid once in each of as many rounds as N needs
(N = 10,000 makes 67 rounds and N = 100,000 makes 667: the oldest holds the remainder,
every later round all 150). The bench council (Kent) bids in every round, so its home page
lists one bid per round (667 at N = 100,000). Bids are spread across the workflow in the
same shares in every round; 40 assessors score each assessed bid three times; a fifth of
the bids are approved, each with its award taken on to acceptance, consultation and payment
or stopped on the way; each pilot sends its monitoring returns, prepared by the council's
officer and certified by its director; and every bid carries the history the workflow would
have recorded.

This module borrows the demo's words (demo/content.py). It does not go through the verbs
(bids/workflow.py, trusts/awards.py, monitoring/returns.py): their checks run per record and
would take hours. Instead it writes exactly the rows those verbs leave behind (states,
events, assignments, assessments, interviews, decisions, awards, instalments, trusts,
returns), so every page reads what it would read in production. Rows are written with COPY
(bench/copying.py), their keys given here; foreign keys are checked and indexes built once at
the end rather than row by row. It sends no email and stores no files: supporting documents
and consultation evidence exist as rows only.

`seed_bench --award-rows N` tops the awards up to N for the export measurements, with older
"archive" rounds of approved bids that carry only what award reports read (the bid, its
decision, its award, its instalments and the award's events).
"""

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from bids import scoring
from bids.models import (
    Assessment,
    Assignment,
    Bid,
    BidEvent,
    BidSection,
    BidState,
    ConflictOfInterest,
    Criterion,
    CriterionScore,
    DeadlineExtension,
    Decision,
    DeliverySetting,
    EventKind,
    Focus,
    FundingRound,
    GovernanceModel,
    Interview,
    Moderation,
    Partner,
    Recommendation,
    Section,
    Sector,
    SupportingDocument,
)
from bids.rounds import DEFAULT_CRITERIA, criterion_fields
from core.london import end_of_day, start_of_day
from core.money import money
from demo.content import CLIENT_GROUPS, FIRST_NAMES, SCORE_COMMENTS, SURNAMES, partner_rows
from monitoring.enums import Rag, ReturnState
from monitoring.models import Milestone, MonitoringReturn, ReturnEvent
from monitoring.schedule import due_dates
from reference.models import LocalAuthority, Region, ServiceScope
from trusts.enums import ACCEPTED_STATES, Audience, AwardState, InstalmentState, PaymentTrigger
from trusts.models import AwardEvent, ConsultationActivity, FundingAward, Instalment, Trust

from .copying import Tables, built_at_end

AUTHORITIES_PER_ROUND = 150
ASSESSORS = 40
ASSESSORS_PER_BID = 3
ROUND_SPACING = timedelta(days=122)  # a round every four months
ARCHIVE_SPACING = timedelta(days=10)
BENCH_COUNCIL = "KEN"  # the council whose pages the harness measures
BENCH_ROUND_PREFIX = "bench-round-"
ARCHIVE_ROUND_PREFIX = "archive-round-"

# Of every 100 bids, how many end in each state.
STATE_SHARES = [
    (BidState.APPROVED, 20),
    (BidState.REJECTED, 6),
    (BidState.INTERVIEWED, 4),
    (BidState.INTERVIEW_SCHEDULED, 4),
    (BidState.SHORTLISTED, 5),
    (BidState.NOT_SHORTLISTED, 25),
    (BidState.UNDER_ASSESSMENT, 15),
    (BidState.SUBMITTED, 8),
    (BidState.WITHDRAWN, 5),
    (BidState.DRAFT, 8),
]
# The states a bid passes through on its way to each, after submission.
PATHS = {
    BidState.DRAFT: [],
    BidState.SUBMITTED: [BidState.SUBMITTED],
    BidState.WITHDRAWN: [BidState.SUBMITTED, BidState.WITHDRAWN],
    BidState.UNDER_ASSESSMENT: [BidState.SUBMITTED, BidState.UNDER_ASSESSMENT],
    BidState.NOT_SHORTLISTED: [BidState.SUBMITTED, BidState.UNDER_ASSESSMENT, BidState.NOT_SHORTLISTED],
    BidState.SHORTLISTED: [BidState.SUBMITTED, BidState.UNDER_ASSESSMENT, BidState.SHORTLISTED],
    BidState.INTERVIEW_SCHEDULED: [
        BidState.SUBMITTED,
        BidState.UNDER_ASSESSMENT,
        BidState.SHORTLISTED,
        BidState.INTERVIEW_SCHEDULED,
    ],
    BidState.INTERVIEWED: [
        BidState.SUBMITTED,
        BidState.UNDER_ASSESSMENT,
        BidState.SHORTLISTED,
        BidState.INTERVIEW_SCHEDULED,
        BidState.INTERVIEWED,
    ],
    BidState.APPROVED: [
        BidState.SUBMITTED,
        BidState.UNDER_ASSESSMENT,
        BidState.SHORTLISTED,
        BidState.INTERVIEW_SCHEDULED,
        BidState.INTERVIEWED,
        BidState.APPROVED,
    ],
    BidState.REJECTED: [
        BidState.SUBMITTED,
        BidState.UNDER_ASSESSMENT,
        BidState.SHORTLISTED,
        BidState.INTERVIEW_SCHEDULED,
        BidState.INTERVIEWED,
        BidState.REJECTED,
    ],
}
ASSESSED = {state for state, path in PATHS.items() if BidState.UNDER_ASSESSMENT in path}
INTERVIEWED = {BidState.INTERVIEWED, BidState.APPROVED, BidState.REJECTED}
# Days after the round closes on which each step happened.
STEP_DAYS = {
    BidState.WITHDRAWN: 2,
    BidState.UNDER_ASSESSMENT: 4,
    BidState.NOT_SHORTLISTED: 21,
    BidState.SHORTLISTED: 21,
    BidState.INTERVIEW_SCHEDULED: 24,
    BidState.INTERVIEWED: 45,
    BidState.APPROVED: 60,
    BidState.REJECTED: 60,
}
REASONS = {
    BidState.WITHDRAWN: "The partnership board decided to wait for a later round.",
    BidState.NOT_SHORTLISTED: "Scored below the shortlisting line; joint working with health not yet established.",
    BidState.SHORTLISTED: "Scored above the shortlisting line at moderation.",
    BidState.APPROVED: "The panel was impressed by the commitment of all three core services.",
    BidState.REJECTED: "We encourage you to strengthen the role of health partners and bid again.",
}
# Where each award ends up, of every 20 (9 paid, 4 accepted, 3 condition met, 2 still
# offered, 1 declined, 1 withdrawn), interleaved so that a few awards already show most.
_P, _A, _M, _O = AwardState.PAID, AwardState.ACCEPTED, AwardState.CONDITIONS_MET, AwardState.OFFERED
AWARD_PLAN = [_P, _A, _P, _M, _P, _O, _P, _A, _P, AwardState.DECLINED]
AWARD_PLAN += [_P, _M, _P, _A, _P, _O, _P, AwardState.WITHDRAWN, _M, _A]
CONSULTATION_SUMMARY = {
    Audience.COMMUNITIES: "Public meetings in three neighbourhood centres and a survey of families.",
    Audience.AGENCIES: "A workshop with the primary care trust, schools and the voluntary sector council.",
    Audience.STAFF: "Briefings in every team with trade union representatives on the new joint teams.",
}


# What each pilot's returns say about its milestones, by how far into the pilot they are.
MILESTONES = [
    "Joint commissioning board set up and meeting monthly",
    "Pooled budget agreed with the primary care trust",
    "Integrated team co-located in the first neighbourhood centre",
]
RAG_CYCLE = [Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.GREEN, Rag.RED, Rag.GREEN, Rag.AMBER]
RAG_COMMENTS = {
    Rag.GREEN: "",
    Rag.AMBER: "Slipped by a month while the partners agreed the detail; a revised date is agreed.",
    Rag.RED: "The building work has stopped. We are looking at a second site and will report next time.",
}
# Where each pilot's latest return past its due date is left, in turn; the earlier ones
# were accepted. None: not started, so the lists show it overdue.
LATEST_RETURN = [
    ReturnState.ACCEPTED,
    ReturnState.SUBMITTED,
    ReturnState.ACCEPTED,
    ReturnState.CHANGES_REQUESTED,
    ReturnState.AWAITING_CERTIFICATION,
    ReturnState.ACCEPTED,
    ReturnState.DRAFT,
    None,
]
CHANGES_ASKED = (
    "Please break the spending down by partner agency, and say what the red milestone means for the "
    "families the integrated team was due to see."
)
RETURN_TEXT = {
    "partners_involvement": (
        "Social services, education and the primary care trust sit on the joint commissioning board "
        "and share its chair. The voluntary sector council runs the parents' forum."
    ),
    "risks_and_issues": (
        "Recruiting a joint team manager is taking longer than planned; an acting manager is in post."
    ),
}


class AlreadySeeded(Exception):
    pass


def plan_states(count, rng):
    """Exactly `count` target states in the shares above, shuffled."""
    states = []
    for state, share in STATE_SHARES:
        states += [state] * (count * share // 100)
    states += [BidState.NOT_SHORTLISTED] * (count - len(states))
    rng.shuffle(states)
    return states


@dataclass(slots=True)
class Planned:
    """One bid: who, which round, where it ends up, and what the later steps read of it."""

    funding_round: FundingRound
    authority: LocalAuthority
    target: str
    pk: int = 0
    created_at: object = None
    submitted_at: object = None
    supplement: Decimal = Decimal("0")
    justification: str = ""
    governance_model: str = ""


def add_instance(table, instance):
    """Queue an unsaved model instance's row and give it its primary key."""
    instance.pk = table.add(
        **{field.attname: getattr(instance, field.attname) for field in table.fields if not field.primary_key}
    )
    return instance


class BenchSeeder:
    def __init__(self, bids, stdout=None, now=None, seed=2003):
        self.count = bids
        self.stdout = stdout
        self.now = now or timezone.now()
        self.random = random.Random(seed)  # nosec B311
        self.document_hash = hashlib.sha256(b"bench").hexdigest()

    def say(self, message):
        if self.stdout:
            self.stdout.write(message)

    @transaction.atomic
    def run(self):
        if FundingRound.objects.filter(slug__startswith=BENCH_ROUND_PREFIX).exists():
            raise AlreadySeeded("This database already has bench data: recreate it to seed again.")
        self.authorities = list(LocalAuthority.objects.order_by("code"))
        self.scopes = [scope.pk for scope in ServiceScope.objects.filter(allowed=True)]
        self.seed_people()
        plan = self.plan()
        with built_at_end(LOADED), Tables() as self.tables:
            self.seed_rounds(plan)
            self.seed_bids(plan)
            approved = [p for rows in plan for p in rows if p.target == BidState.APPROVED]
            made = build_awards(
                approved, self.lead, self.admin, self.officers, self.random, self.tables, self.bid_extras
            )
            self.seed_returns(made)
        self.say(
            "Written: "
            + ", ".join(
                f"{rows:,} {model._meta.verbose_name_plural}" for model, rows in self.tables.written.items()
            )
        )

    # People --------------------------------------------------------------------------

    def seed_people(self):
        unusable = make_password(None)  # the harness signs people in without passwords
        regions = [region.value for region in Region]
        self.lead = User.objects.create(
            email="lead@bench.example",
            full_name="Margaret Lowe",
            role=Role.LEAD,
            region=Region.LONDON,
            job_title="Programme Lead, Children's Trusts",
            password=unusable,
        )
        self.admin = User.objects.create(
            email="admin@bench.example",
            full_name="Tom Price",
            role=Role.ADMIN,
            job_title="Programme Administrator",
            password=unusable,
        )
        self.assessors = User.objects.bulk_create(
            User(
                email=f"assessor{number:02d}@bench.example",
                full_name=f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {SURNAMES[(number * 5) % len(SURNAMES)]}",
                role=Role.ASSESSOR,
                region=regions[number % len(regions)],
                job_title="Assessor",
                password=unusable,
            )
            for number in range(1, ASSESSORS + 1)
        )
        officers = User.objects.bulk_create(
            User(
                email=f"bids.{authority.code.lower()}@council.example",
                full_name=f"{self.random.choice(FIRST_NAMES)} {self.random.choice(SURNAMES)}",
                role=Role.COUNCIL,
                local_authority=authority,
                job_title="Children's Services Planning Officer",
                is_bid_lead=True,
                password=unusable,
            )
            for authority in self.authorities
        )
        # Each council's director certifies its monitoring returns (never whoever prepared them).
        directors = User.objects.bulk_create(
            User(
                email=f"director.{authority.code.lower()}@council.example",
                full_name=f"{self.random.choice(FIRST_NAMES)} {self.random.choice(SURNAMES)}",
                role=Role.COUNCIL,
                local_authority=authority,
                job_title="Director of Children's Services",
                password=unusable,
            )
            for authority in self.authorities
        )
        self.officers = {officer.local_authority_id: officer for officer in officers}
        self.directors = {director.local_authority_id: director for director in directors}
        # Each assessor has declared a link with one authority, and never assesses its bids.
        conflicts = [
            ConflictOfInterest(
                assessor=assessor,
                authority=self.random.choice(self.authorities),
                reason="Worked in the council's children's services until recently.",
                declared_by=assessor,
                declared_at=self.now - timedelta(days=3000),
            )
            for assessor in self.assessors
        ]
        ConflictOfInterest.objects.bulk_create(conflicts)
        self.pools = {}
        for authority in self.authorities:
            conflicted = {c.assessor_id for c in conflicts if c.authority_id == authority.id}
            self.pools[authority.id] = [a for a in self.assessors if a.id not in conflicted]
        self.say(
            f"People: {len(self.assessors)} assessors, {len(officers) + len(directors)} council "
            "officers and directors, a lead, an admin"
        )

    # Rounds and who bids in them ------------------------------------------------------

    def plan(self):
        rounds = max(1, math.ceil(self.count / AUTHORITIES_PER_ROUND))
        # The oldest round holds the remainder, so the newest rounds are full.
        sizes = [AUTHORITIES_PER_ROUND] * rounds
        sizes[0] = self.count - AUTHORITIES_PER_ROUND * (rounds - 1)
        self.round_sizes = sizes
        bench_council = next(a for a in self.authorities if a.code == BENCH_COUNCIL)
        others = [a for a in self.authorities if a.code != BENCH_COUNCIL]
        states = plan_states(self.count, self.random)
        plan = []
        for index, size in enumerate(sizes):
            bidders = [bench_council] + self.random.sample(others, size - 1)
            plan.append([Planned(index, authority, states.pop()) for authority in bidders])
        # The bench council's bid in the newest round went all the way, so its pages show
        # a whole history: swap an approval into it.
        newest = plan[-1]
        if newest[0].target != BidState.APPROVED:
            donor = next(p for rows in plan for p in rows if p.target == BidState.APPROVED)
            donor.target, newest[0].target = newest[0].target, BidState.APPROVED
        return plan

    def seed_rounds(self, plan):
        tables = self.tables
        # Long enough ago that even the newest round's awards have been paid, and its pilots
        # have been running for two quarters and sent their first returns.
        newest_opens = self.now - timedelta(days=560)
        self.criteria = {}
        for index, planned in enumerate(plan):
            opens = newest_opens - ROUND_SPACING * (len(plan) - 1 - index)
            approved = sum(1 for p in planned if p.target == BidState.APPROVED)
            places = max(40, approved)
            r = add_instance(
                tables[FundingRound],
                round_row(index + 1, BENCH_ROUND_PREFIX, "Bench round", "B", opens, places),
            )
            self.criteria[r.id] = [
                add_instance(
                    tables[Criterion], Criterion(funding_round_id=r.id, **criterion_fields(default, position))
                )
                for position, default in enumerate(DEFAULT_CRITERIA, start=1)
            ]
            for p in planned:
                p.funding_round = r
            # A couple of councils in each round were given more time.
            for p in planned[1:3]:
                tables[DeadlineExtension].add(
                    funding_round_id=r.id,
                    authority_id=p.authority.id,
                    closes_at=r.closes_at + timedelta(days=7),
                    reason="A fire at the council offices delayed the partnership board's sign-off.",
                    granted_by_id=self.lead.id,
                    granted_at=r.closes_at - timedelta(days=3),
                )
        self.say(f"Rounds: {len(plan)} ({self.round_sizes[0]} bids in the oldest)")

    # Bids, from drafting to the decision ---------------------------------------------

    def seed_bids(self, plan):
        # What awards and trusts read of an approved bid: its partners and service scopes.
        self.bid_extras = {}
        for planned in plan:
            for p in planned:
                self.seed_bid(p)
                self.seed_drafting(p)
                if p.target in ASSESSED:
                    panel = self.seed_assessment(p)
                    self.seed_outcomes(p, panel)
        self.say(f"Bids: {sum(len(planned) for planned in plan):,}")

    def seed_bid(self, p):
        rng = self.random
        r, authority = p.funding_round, p.authority
        officer = self.officers[authority.id]
        p.created_at = r.opens_at + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
        if p.target != BidState.DRAFT:
            p.submitted_at = r.closes_at - timedelta(days=rng.randint(0, 14), hours=rng.randint(1, 9))
        population = rng.randrange(8000, 260000, 500)
        large = population > 120000
        p.supplement = Decimal(rng.choice([20000, 25000, 30000, 40000])) if large else Decimal("0")
        p.justification = (
            f"The trust covers {population:,} children across several districts." if large else ""
        )
        p.governance_model = rng.choice(
            [GovernanceModel.COUNCIL_LED, GovernanceModel.JOINT_BOARD, GovernanceModel.MIXED_MANAGEMENT]
        )
        focus = rng.choice([Focus.CLIENT_GROUPS, Focus.BROAD])
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        p.pk = self.tables[Bid].add(
            funding_round_id=r.id,
            authority_id=authority.id,
            reference=f"CTP-{r.code}-{authority.code}",
            state=p.target,
            lead_name=officer.full_name,
            lead_job_title=officer.job_title,
            lead_email=officer.email,
            lead_phone=f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
            director_name=f"{first} {last}",
            director_job_title="Director of Children's Services",
            postal_address=f"County Hall\n{authority.short_name}",
            focus=focus,
            client_groups=rng.choice(CLIENT_GROUPS) if focus == Focus.CLIENT_GROUPS else "",
            vision=(
                f"{authority.short_name}'s children's trust will bring social services, education "
                "and health together in one team with one budget, so that families tell their "
                "story once and get help early, close to home."
            ),
            delivery_settings=rng.sample(
                [DeliverySetting.NEIGHBOURHOOD_CENTRES.value, DeliverySetting.EXTENDED_SCHOOLS.value],
                k=rng.randint(1, 2),
            ),
            population_covered=population,
            governance_model=p.governance_model,
            member_oversight=MEMBER_OVERSIGHT,
            accountability_confirmed=True,
            large_or_complex=large,
            supplement_requested=p.supplement,
            supplement_justification=p.justification,
            consultation_communities="Public meetings in each neighbourhood centre and a survey of families.",
            consultation_agencies="A partnership workshop with every agency named in the bid.",
            consultation_staff="Staff briefings in every team, with trade union representatives.",
            declaration_confirmed=p.target != BidState.DRAFT,
            submitted_at=p.submitted_at,
            submitted_by_id=officer.id if p.submitted_at else None,
            created_by_id=officer.id,
            created_at=p.created_at,
            updated_by_id=officer.id,
            updated_at=p.submitted_at or p.created_at + timedelta(days=3),
        )

    def seed_drafting(self, p):
        """Sections, partners, scopes, documents and the council's part of the history."""
        rng, tables = self.random, self.tables
        officer = self.officers[p.authority.id]
        draft = p.target == BidState.DRAFT
        done = set(Section.values) if not draft else set(rng.sample(Section.values, k=rng.randint(2, 7)))
        saved = p.created_at + timedelta(days=1)
        for section in Section.values:
            complete = section in done
            tables[BidSection].add(
                bid_id=p.pk,
                section=section,
                completed=complete,
                version=1 if complete else 0,
                updated_by_id=officer.id if complete else None,
                updated_at=saved if complete else None,
                **({"started_at": saved, "completed_at": saved} if complete and SECTION_TIMINGS else {}),
            )
        partners = partner_rows(p.authority, rng, extra=(0, 3))
        for row in partners:
            tables[Partner].add(bid_id=p.pk, added_by_id=officer.id, added_at=p.created_at, **row)
        scopes = rng.sample(self.scopes, k=rng.randint(2, 5))
        for scope in scopes:
            tables[BID_SCOPES].add(bid_id=p.pk, servicescope_id=scope)
        if p.target == BidState.APPROVED:
            self.bid_extras[p.pk] = (partners, scopes)
        if not draft:
            tables[SupportingDocument].add(
                bid_id=p.pk,
                file=f"bid-documents/bench-{p.pk}",
                original_name=f"{p.authority.short_name} expression of interest.pdf",
                content_type="application/pdf",
                size=1200,
                sha256=self.document_hash,
                uploaded_by_id=officer.id,
                uploaded_at=p.created_at + timedelta(days=2),
            )
        events = tables[BidEvent]
        events.add(
            bid_id=p.pk,
            kind=EventKind.CREATED,
            actor_id=officer.id,
            to_state=BidState.DRAFT,
            shown_to_council=True,
            created_at=p.created_at,
        )
        for number, section in enumerate(sorted(done)[:4], start=1):
            events.add(
                bid_id=p.pk,
                kind=EventKind.EDITED,
                actor_id=officer.id,
                detail={"section": section, "version": 1, "changed": ["answers"]},
                shown_to_council=True,
                created_at=p.created_at + timedelta(hours=number),
            )
        if p.submitted_at:
            state_event(events, p, officer, BidState.DRAFT, BidState.SUBMITTED, p.submitted_at)
        if p.target == BidState.WITHDRAWN:
            when = p.funding_round.closes_at + timedelta(days=STEP_DAYS[BidState.WITHDRAWN])
            reason = REASONS[BidState.WITHDRAWN]
            state_event(events, p, officer, BidState.SUBMITTED, BidState.WITHDRAWN, when, reason)

    def panel_for(self, authority):
        """Three assessors without a conflict, from different regions where that works out."""
        pool = self.pools[authority.id]
        chosen = self.random.sample(pool, ASSESSORS_PER_BID)
        for _ in range(4):
            if len({a.region for a in chosen}) == ASSESSORS_PER_BID:
                break
            chosen = self.random.sample(pool, ASSESSORS_PER_BID)
        return chosen

    def seed_assessment(self, p):
        rng, tables, lead = self.random, self.tables, self.lead
        r = p.funding_round
        events = tables[BidEvent]
        criteria = self.criteria[r.id]
        begun = r.closes_at + timedelta(days=STEP_DAYS[BidState.UNDER_ASSESSMENT])
        panel = self.panel_for(p.authority)
        for number, assessor in enumerate(panel):
            assigned = begun - timedelta(hours=2 - number)
            tables[Assignment].add(
                bid_id=p.pk, assessor_id=assessor.id, assigned_by_id=lead.id, assigned_at=assigned
            )
            events.add(
                bid_id=p.pk,
                kind=EventKind.ASSESSOR_ASSIGNED,
                actor_id=lead.id,
                detail={"assessor": assessor.id, "assessor_name": assessor.full_name},
                created_at=assigned,
            )
        state_event(events, p, lead, BidState.SUBMITTED, BidState.UNDER_ASSESSMENT, begun)
        quality = {
            BidState.NOT_SHORTLISTED: rng.randint(1, 2),
            BidState.UNDER_ASSESSMENT: rng.randint(1, 3),
            BidState.REJECTED: 2,
        }.get(p.target, 3)
        disagree = rng.random() < 0.06
        totals = []
        for number, assessor in enumerate(panel):
            values = [min(4, quality + rng.choice([0, 0, 1])) for _ in criteria]
            if disagree and number < 2:
                values[0] = min(4, quality + 1) if number == 0 else max(0, quality - 1)
            # Bids still under assessment are part-way there: some scores are drafts.
            submit = p.target != BidState.UNDER_ASSESSMENT or number == 0 or rng.random() < 0.4
            if not submit:
                values = [v if rng.random() < 0.5 else None for v in values]
            when = begun + timedelta(days=8, hours=number)
            set_aside = submit and rng.random() < 0.005
            total = scoring.weighted_total(zip(criteria, values, strict=True)) if submit else None
            totals.append(total)
            assessment = tables[Assessment].add(
                bid_id=p.pk,
                assessor_id=assessor.id,
                state=Assessment.State.SUBMITTED if submit else Assessment.State.DRAFT,
                recommendation=(
                    Recommendation.SHORTLIST
                    if sum(v or 0 for v in values) >= 12
                    else Recommendation.DO_NOT_SHORTLIST
                ),
                summary="A well-evidenced bid with clear joint working."
                if quality >= 3
                else "Joint working with health is not yet clear.",
                weighted_total=total,
                submitted_at=when if submit else None,
                set_aside=set_aside,
                set_aside_reason="The assessor declared a conflict of interest after scoring."
                if set_aside
                else "",
                updated_at=when,
            )
            for criterion, value in zip(criteria, values, strict=True):
                tables[CriterionScore].add(
                    assessment_id=assessment,
                    criterion_id=criterion.id,
                    score=value,
                    comment=SCORE_COMMENTS[value] if value is not None else "",
                )
            if submit:
                events.add(
                    bid_id=p.pk,
                    kind=EventKind.SCORE_SUBMITTED,
                    actor_id=assessor.id,
                    detail={
                        "assessor": assessor.id,
                        "assessor_name": assessor.full_name,
                        "weighted_total": str(total),
                    },
                    created_at=when,
                )
        if disagree or rng.random() < 0.04:
            mean = scoring.mean([t for t in totals if t]) or Decimal("50")
            mean = mean.quantize(Decimal("0.0001"))
            score = min(Decimal("100"), mean + Decimal("5"))
            when = begun + timedelta(days=14)
            reason = "Assessors differed on joint working; the evidence on pooled budgets supports the higher score."
            tables[Moderation].add(
                bid_id=p.pk,
                score=score,
                mean_at_moderation=mean,
                reason=reason,
                moderated_by_id=lead.id,
                moderated_at=when,
            )
            events.add(
                bid_id=p.pk,
                kind=EventKind.MODERATED,
                actor_id=lead.id,
                reason=reason,
                detail={"score": str(score), "mean": str(mean), "previous": None},
                created_at=when,
            )
        return panel

    def seed_outcomes(self, p, panel):
        """Shortlisting, the interview and the decision, as far as the bid got."""
        rng, tables, lead = self.random, self.tables, self.lead
        r = p.funding_round
        path = PATHS[p.target]
        steps = path[path.index(BidState.UNDER_ASSESSMENT) + 1 :]
        previous = BidState.UNDER_ASSESSMENT
        for step in steps:
            when = r.closes_at + timedelta(days=STEP_DAYS[step], hours=2)
            state_event(tables[BidEvent], p, lead, previous, step, when, REASONS.get(step, ""))
            previous = step
        if BidState.INTERVIEW_SCHEDULED in steps:
            held = p.target in INTERVIEWED
            day = r.interviews_start_on + timedelta(days=rng.randint(1, 25))
            interview = tables[Interview].add(
                bid_id=p.pk,
                starts_at=start_of_day(day) + timedelta(hours=rng.choice([10, 11, 14])),
                location="Wellington House, 133-155 Waterloo Road, London SE1 8UG",
                state=Interview.State.HELD if held else Interview.State.SCHEDULED,
                notes="The panel explored governance and how health partners will pool budgets."
                if held
                else "",
                score=rng.randint(2, 4) if held else None,
                scheduled_by_id=lead.id,
                scheduled_at=r.closes_at + timedelta(days=STEP_DAYS[BidState.INTERVIEW_SCHEDULED]),
                recorded_by_id=lead.id if held else None,
                recorded_at=start_of_day(day) + timedelta(hours=17) if held else None,
            )
            for member in (lead, panel[0]):
                tables[INTERVIEW_PANEL].add(interview_id=interview, user_id=member.id)
        if p.target in (BidState.APPROVED, BidState.REJECTED):
            approved = p.target == BidState.APPROVED
            tables[Decision].add(
                bid_id=p.pk,
                outcome=Decision.Outcome.APPROVED if approved else Decision.Outcome.REJECTED,
                reasons="Strong joint working and a credible plan to be operational by the end of the year."
                if approved
                else "The governance arrangements did not show how the council stays accountable.",
                feedback=REASONS[p.target],
                decided_by_id=lead.id,
                decided_at=r.closes_at + timedelta(days=STEP_DAYS[p.target], hours=2),
            )

    # Monitoring returns ----------------------------------------------------------------

    def seed_returns(self, awards):
        """Each pilot's returns up to today: the earlier ones accepted, the latest past its due
        date left at a step of its own (or not started), and the current period's begun by some."""
        lead = self.lead
        today = timezone.localtime(self.now).date()
        made = 0
        for number, (award, p) in enumerate(awards):
            if award["state"] not in ACCEPTED_STATES:
                continue
            r = p.funding_round
            officer, director = self.officers[p.authority.id], self.directors[p.authority.id]
            dues = due_dates(r.operational_on, r.returns_every_months, r.pilot_months)
            past = [(period, due) for period, due in dues if due < today]
            current = next(((period, due) for period, due in dues if due >= today), None)
            for index, (period, due) in enumerate(past):
                target = ReturnState.ACCEPTED
                if index == len(past) - 1:
                    target = LATEST_RETURN[number % len(LATEST_RETURN)]
                if target is not None:
                    prepared = start_of_day(due - timedelta(days=9 + period % 3)) + timedelta(hours=10)
                    self.write_return(award, p, period, due, target, prepared, officer, director, lead)
                    made += 1
            # A third of the pilots have begun the return for the period they are in.
            opens_on = past[-1][1] if past else r.operational_on
            if current and number % 3 == 0 and opens_on <= today:
                prepared = self.now - timedelta(days=2)
                self.write_return(award, p, *current, ReturnState.DRAFT, prepared, officer, director, lead)
                made += 1
        self.say(f"Monitoring returns: {made:,}")

    def write_return(self, award, p, period, due, target, prepared, officer, director, lead):
        """One return, prepared by the council's officer, certified by its director and decided
        by the lead, as far as `target`, with its milestones and the door's events."""
        tables = self.tables
        sent = prepared + timedelta(days=1)
        certified = start_of_day(due - timedelta(days=4 + period % 3)) + timedelta(hours=15)
        decided = start_of_day(due + timedelta(days=6 + period % 4)) + timedelta(hours=11)
        planned = (award["total"] * period / 12).quantize(Decimal("1"))
        fields = {
            "spending_to_date": (planned * (85 + period % 15) / 100).quantize(Decimal("1")),
            "planned_spending_to_date": planned,
            "children_reached": 120 * period + p.pk % 97,
            "families_reached": 70 * period + p.pk % 53,
            "narrative": (
                f"In this quarter the trust reached {120 * period + p.pk % 97} children. Families tell "
                "us they repeat their story less often."
            ),
            **RETURN_TEXT,
        }
        steps = [("", ReturnState.DRAFT, "", officer, prepared)]
        if target != ReturnState.DRAFT:
            fields.update(prepared_by_id=officer.id, prepared_at=sent)
            steps.append((ReturnState.DRAFT, ReturnState.AWAITING_CERTIFICATION, "", officer, sent))
        if target in (ReturnState.SUBMITTED, ReturnState.ACCEPTED, ReturnState.CHANGES_REQUESTED):
            fields.update(certified_by_id=director.id, certified_at=certified, submitted_at=certified)
            steps.append((ReturnState.AWAITING_CERTIFICATION, ReturnState.SUBMITTED, "", director, certified))
        if target in (ReturnState.ACCEPTED, ReturnState.CHANGES_REQUESTED):
            fields.update(decided_by_id=lead.id, decided_at=decided)
            reason = CHANGES_ASKED if target == ReturnState.CHANGES_REQUESTED else ""
            fields["changes_reason"] = reason
            steps.append((ReturnState.SUBMITTED, target, reason, lead, decided))
        returned = tables[MonitoringReturn].add(
            award_id=award["pk"],
            period=period,
            due_on=due,
            state=target,
            started_by_id=officer.id,
            started_at=prepared,
            saved_by_id=officer.id,
            saved_at=prepared,
            **fields,
        )
        for position, name in enumerate(MILESTONES, start=1):
            status = RAG_CYCLE[(period + position + p.pk) % len(RAG_CYCLE)]
            tables[Milestone].add(
                monitoring_return_id=returned,
                position=position,
                name=name,
                status=status,
                comment=RAG_COMMENTS[status],
            )
        for from_state, to_state, reason, actor, when in steps:
            tables[ReturnEvent].add(
                monitoring_return_id=returned,
                actor_id=actor.id,
                from_state=from_state,
                to_state=to_state,
                reason=reason,
                created_at=when,
            )


BID_SCOPES = Bid.service_scopes.through
INTERVIEW_PANEL = Interview.panel.through
TRUST_SCOPES = Trust.service_scopes.through
SECTOR_LABELS = dict(Sector.choices)
SECTION_TIMINGS = {"started_at", "completed_at"} <= {f.attname for f in BidSection._meta.concrete_fields}
MEMBER_OVERSIGHT = "The lead member for children chairs the trust board, which reports to the council's cabinet each quarter."
# Every table the seeder writes with COPY, its foreign keys checked and indexes built at the end.
LOADED = [
    FundingRound,
    Criterion,
    DeadlineExtension,
    Bid,
    BidSection,
    Partner,
    BID_SCOPES,
    SupportingDocument,
    BidEvent,
    Assignment,
    Assessment,
    CriterionScore,
    Moderation,
    Interview,
    INTERVIEW_PANEL,
    Decision,
    FundingAward,
    Instalment,
    AwardEvent,
    ConsultationActivity,
    Trust,
    TRUST_SCOPES,
    MonitoringReturn,
    Milestone,
    ReturnEvent,
]


def build_awards(approved, lead, approver, officers, rng, tables, extras=None, plan=AWARD_PLAN):
    """Awards for approved bids (Planned), each taken to where the plan says, with its
    instalments and events, its trust once accepted, and the consultation that met its
    condition. Returns [(award, planned)], the award as a dict of what later steps read.

    approver: who approved the payments the lead asked for (an administrator, never the lead).
    extras: {bid pk: (partners, scope pks)} for the trusts; None for archive awards, which
    carry only their instalments and events (all that award reports read)."""
    made = []
    award_events = tables[AwardEvent]
    for number, p in enumerate(approved):
        r = p.funding_round
        target = plan[number % len(plan)]
        officer = officers[p.authority.id]
        offered = r.closes_at + timedelta(days=STEP_DAYS[BidState.APPROVED], hours=2)
        supplement = min(p.supplement, r.max_supplement)
        fields = {}
        history = [("", AwardState.OFFERED, "Bid approved", lead, offered)]
        responded = offered + timedelta(days=8 + number % 6)
        accepted = False
        if target == AwardState.DECLINED:
            fields.update(
                responded_at=responded,
                responded_by_id=officer.id,
                decline_reason="The council's cabinet decided to bid again in a later round.",
            )
            history.append(
                (AwardState.OFFERED, AwardState.DECLINED, fields["decline_reason"], officer, responded)
            )
        elif target != AwardState.OFFERED:
            fields.update(responded_at=responded, responded_by_id=officer.id)
            history.append((AwardState.OFFERED, AwardState.ACCEPTED, "", officer, responded))
            accepted = True
        held = responded
        audiences = []
        if target in (AwardState.CONDITIONS_MET, AwardState.PAID):
            audiences = list(Audience)
        elif target == AwardState.ACCEPTED:
            audiences = list(Audience)[: number % 3]
        consultation = []
        if extras is not None:
            for index, audience in enumerate(audiences):
                held += timedelta(days=9 + (number + index) % 7)
                people = [140, 18, 65][index] + (number * 7) % 40
                consultation.append((audience, held, people))
                history.append(
                    (
                        AwardState.ACCEPTED,
                        AwardState.ACCEPTED,
                        f"Consultation recorded: {audience.label.lower()}, {people:,} people reached",
                        officer,
                        held,
                    )
                )
        met = None
        if target in (AwardState.CONDITIONS_MET, AwardState.PAID):
            met = held + timedelta(days=5)
            fields.update(conditions_met_at=met, conditions_met_by_id=lead.id)
            history.append((AwardState.ACCEPTED, AwardState.CONDITIONS_MET, "", lead, met))
            if target == AwardState.PAID:
                paid = met + timedelta(days=14)
                count = 2 if supplement else 1
                paid_text = f"Paid in full: {money(r.base_award + supplement)} in {count} instalment{'s' if count > 1 else ''}"
                history.append((AwardState.CONDITIONS_MET, AwardState.PAID, paid_text, lead, paid))
        if target == AwardState.WITHDRAWN:
            gone = responded + timedelta(days=60)
            fields.update(
                withdrawn_at=gone,
                withdrawn_by_id=lead.id,
                withdrawn_reason="The partnership board was dissolved and the trust could not start.",
            )
            history.append(
                (AwardState.ACCEPTED, AwardState.WITHDRAWN, fields["withdrawn_reason"], lead, gone)
            )
        award = tables[FundingAward].add(
            bid_id=p.pk,
            base_amount=r.base_award,
            supplement_amount=supplement,
            supplement_justification=p.justification if supplement else "",
            state=target,
            offered_at=offered,
            offered_by_id=lead.id,
            **fields,
        )
        write_instalments(tables, award, number, target, r.base_award, supplement, met, lead, approver, p.pk)
        for from_state, to_state, reason, actor, when in history:
            award_events.add(
                award_id=award,
                actor_id=actor.id,
                from_state=from_state,
                to_state=to_state,
                reason=reason,
                created_at=when,
            )
        for audience, when, people in consultation:
            tables[ConsultationActivity].add(
                award_id=award,
                held_on=timezone.localtime(when).date(),
                audience=audience.value,
                people_reached=people,
                summary=CONSULTATION_SUMMARY[audience],
                recorded_by_id=officer.id,
                recorded_at=when,
            )
        if accepted and extras is not None:
            partners, scopes = extras[p.pk]
            trust = tables[Trust].add(
                award_id=award,
                authority_id=p.authority.id,
                name=f"{p.authority.short_name} Children's Trust",
                partners=[
                    {"name": row["name"], "sector": SECTOR_LABELS[row["sector"]], "role": row["role"]}
                    for row in partners
                ],
                governance_model=p.governance_model,
                governance_summary=MEMBER_OVERSIGHT,
                operational_on=r.operational_on,
                created_at=responded,
            )
            for scope in scopes:
                tables[TRUST_SCOPES].add(trust_id=trust, servicescope_id=scope)
        made.append(({"pk": award, "state": target, "total": r.base_award + supplement}, p))
    return made


def write_instalments(tables, award, number, state, base, supplement, met, lead, approver, bid_pk):
    """The award's schedule as the offer made it (trusts/schedules.py), moved on as the payments
    door would have: a paid award's instalments paid, each requested by the lead and approved
    by an administrator; an award with its condition met has its first payment requested,
    approved, or not yet asked for, in turn."""
    parts = [(base, PaymentTrigger.CONDITIONS_MET)]
    if supplement:
        parts.append((supplement, PaymentTrigger.FIRST_RETURN))
    for index, (amount, trigger) in enumerate(parts, start=1):
        fields = {"released_at": met if trigger == PaymentTrigger.CONDITIONS_MET else None}
        if state == AwardState.PAID:
            asked = met + timedelta(days=7 * index)
            fields = {
                "state": InstalmentState.PAID,
                "released_at": fields["released_at"] or asked,
                "requested_at": asked,
                "requested_by_id": lead.id,
                "approved_at": asked + timedelta(days=1),
                "approved_by_id": approver.id,
                "paid_on": timezone.localtime(asked + timedelta(days=3)).date(),
                "payment_reference": f"DOH-PAY-{bid_pk:07d}-{index}",
                "paid_recorded_at": asked + timedelta(days=4),
                "paid_recorded_by_id": lead.id,
            }
        elif state == AwardState.CONDITIONS_MET and index == 1 and number % 3 != 2:
            # Requested (awaiting approval), approved, or not yet asked for, in turn: the first
            # such award (the 4th of every 20) is awaiting approval, so every data set has one.
            fields.update(
                state=InstalmentState.REQUESTED, requested_at=met + timedelta(days=2), requested_by_id=lead.id
            )
            if number % 3 == 1:
                fields.update(
                    state=InstalmentState.APPROVED,
                    approved_at=met + timedelta(days=3),
                    approved_by_id=approver.id,
                )
        tables[Instalment].add(award_id=award, number=index, amount=amount, trigger=trigger, **fields)


def round_row(number, prefix, title, code_prefix, opens, places):
    closes = end_of_day(timezone.localtime(opens + timedelta(days=60)).date())
    interviews = timezone.localtime(closes).date() + timedelta(days=20)
    return FundingRound(
        name=f"{title} {number:03d}",
        slug=f"{prefix}{number:03d}",
        code=f"{code_prefix}{number:03d}",
        description="Pilot children's trusts, on the same terms as the 2003 pilots.",
        opens_at=start_of_day(timezone.localtime(opens).date()),
        closes_at=closes,
        interviews_start_on=interviews,
        interviews_end_on=interviews + timedelta(days=30),
        decision_on=interviews + timedelta(days=45),
        operational_on=interviews + timedelta(days=240),
        base_award=Decimal("60000.00"),
        max_supplement=Decimal("40000.00"),
        total_budget=Decimal("100000.00") * places,
        pilot_places=places,
        created_at=opens - timedelta(days=30),
        published_at=opens - timedelta(days=30),
    )


def state_event(events, p, actor, from_state, to_state, when, reason=""):
    events.add(
        bid_id=p.pk,
        kind=EventKind.STATE_CHANGED,
        actor_id=actor.id,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        shown_to_council=True,
        created_at=when,
    )


def analyse():
    """What autovacuum does a minute or so after a big load: planner statistics (without them
    PostgreSQL guesses, and pages timed straight after seeding would run on plans no running
    service has) and the visibility map (which lets counts read an index alone). Outside the
    seeding's transaction, as VACUUM must be. Inside a transaction someone else holds (a
    test's), the statistics alone: ANALYZE may run there, VACUUM may not."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


ARCHIVED = [FundingRound, Bid, Decision, FundingAward, Instalment, AwardEvent]


@transaction.atomic
def top_up_awards(total, stdout=None, seed=2004):
    """Add archive rounds of approved bids, older than every other round, until there are
    `total` awards. Returns how many awards were added."""
    rng = random.Random(seed)  # nosec B311
    have = FundingAward.objects.count()
    wanted = total - have
    if wanted <= 0:
        return 0
    lead = User.objects.filter(role=Role.LEAD).order_by("pk").first()
    if lead is None:
        raise AlreadySeeded("Run seed_bench --bids N first: the archive rounds need its people.")
    # Payments are approved by an administrator, never by the lead who asked for them.
    approver = User.objects.filter(role=Role.ADMIN).exclude(pk=lead.id).order_by("pk").first() or lead
    officers = {
        u.local_authority_id: u
        for u in User.objects.filter(role=Role.COUNCIL, is_bid_lead=True).order_by("-pk")
    }
    authorities = [a for a in LocalAuthority.objects.order_by("code") if a.id in officers]
    oldest = FundingRound.objects.order_by("opens_at").first()
    done = FundingRound.objects.filter(slug__startswith=ARCHIVE_ROUND_PREFIX).count()
    approved = []
    with built_at_end(ARCHIVED), Tables() as tables:
        left = wanted
        for index in range(math.ceil(wanted / len(authorities))):
            number = done + index + 1
            opens = oldest.opens_at - ARCHIVE_SPACING * (index + 1)
            r = add_instance(
                tables[FundingRound],
                round_row(number, ARCHIVE_ROUND_PREFIX, "Archive round", "A", opens, len(authorities)),
            )
            for authority in authorities[: min(left, len(authorities))]:
                approved.append(archive_bid(tables, r, authority, officers[authority.id], lead, rng))
            left -= min(left, len(authorities))
        # Archive awards are history: most paid, the rest stopped on the way.
        made = build_awards(approved, lead, approver, officers, rng, tables)
    if stdout:
        stdout.write(f"Archive: {index + 1} rounds, {len(made):,} approved bids with awards")
    return len(made)


def archive_bid(tables, r, authority, officer, lead, rng):
    """An approved bid of an archive round, with its decision: what award reports read."""
    large = rng.random() < 0.3
    p = Planned(r, authority, BidState.APPROVED)
    p.supplement = Decimal(rng.choice([20000, 30000, 40000])) if large else Decimal("0")
    p.justification = "A large trust across several districts." if large else ""
    p.pk = tables[Bid].add(
        funding_round_id=r.id,
        authority_id=authority.id,
        reference=f"CTP-{r.code}-{authority.code}",
        state=BidState.APPROVED,
        lead_name=officer.full_name,
        lead_email=officer.email,
        large_or_complex=large,
        supplement_requested=p.supplement,
        supplement_justification=p.justification,
        declaration_confirmed=True,
        submitted_at=r.closes_at - timedelta(days=3),
        submitted_by_id=officer.id,
        created_by_id=officer.id,
        created_at=r.opens_at + timedelta(days=5),
        updated_by_id=lead.id,
        updated_at=r.closes_at + timedelta(days=STEP_DAYS[BidState.APPROVED]),
    )
    tables[Decision].add(
        bid_id=p.pk,
        outcome=Decision.Outcome.APPROVED,
        reasons="Approved as a pilot.",
        feedback=REASONS[BidState.APPROVED],
        decided_by_id=lead.id,
        decided_at=r.closes_at + timedelta(days=STEP_DAYS[BidState.APPROVED], hours=2),
    )
    return p
