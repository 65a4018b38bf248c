"""A large data set for the performance harness (bench/), built in seconds.

`seed_bench --bids N`: the 150 authorities bid once in each of as many rounds as N needs
(N = 10,000 makes 67 rounds: the oldest holds the remainder, every later round all 150).
Bids are spread across the workflow in the same shares in every round; 40 assessors score
each assessed bid three times; a fifth of the bids (up to 2,000) are approved, each with
its award taken on to acceptance, consultation and payment or stopped on the way; and
every bid carries the history the workflow would have recorded.

This module borrows the demo's words (demo/content.py). It does not go through
bids/workflow.py: the workflow's checks run per bid and would take many minutes. Instead
it writes with bulk_create exactly the rows those verbs leave behind (states, events,
assignments, assessments, interviews, decisions, awards and trusts), so every page reads
what it would read in production. It sends no email and stores no files: supporting
documents and consultation evidence exist as rows only.

`seed_bench --award-rows N` tops the awards up to N for the export measurements, with
older "archive" rounds of approved bids that carry only what award reports read (the bid,
its decision, its award and the award's events).
"""

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
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
    SupportingDocument,
)
from bids.rounds import DEFAULT_CRITERIA, criterion_fields
from core.london import end_of_day, start_of_day
from core.money import money
from demo.content import CLIENT_GROUPS, FIRST_NAMES, SCORE_COMMENTS, SURNAMES, partner_rows
from reference.models import LocalAuthority, Region, ServiceScope
from trusts.enums import Audience, AwardState, InstalmentState, PaymentTrigger
from trusts.models import AwardEvent, ConsultationActivity, FundingAward, Instalment, Trust

AUTHORITIES_PER_ROUND = 150
ASSESSORS = 40
ASSESSORS_PER_BID = 3
MAX_AWARDS = 2000
ROUND_SPACING = timedelta(days=122)  # a round every four months
ARCHIVE_SPACING = timedelta(days=10)
BATCH = 2000
BENCH_COUNCIL = "KEN"  # the council whose pages the harness measures
BENCH_ROUND_PREFIX = "bench-round-"
ARCHIVE_ROUND_PREFIX = "archive-round-"

# Of every 100 bids, how many end in each state. Approved bids beyond MAX_AWARDS are rejected.
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


class AlreadySeeded(Exception):
    pass


def plan_states(count, rng):
    """Exactly `count` target states in the shares above, shuffled."""
    states = []
    for state, share in STATE_SHARES:
        states += [state] * (count * share // 100)
    states += [BidState.NOT_SHORTLISTED] * (count - len(states))
    approved = states.count(BidState.APPROVED)
    if approved > MAX_AWARDS:
        states = [s for s in states if s != BidState.APPROVED]
        states += [BidState.APPROVED] * MAX_AWARDS + [BidState.REJECTED] * (approved - MAX_AWARDS)
    rng.shuffle(states)
    return states


@dataclass
class Planned:
    """One bid before it is written: who, which round, where it ends up."""

    funding_round: FundingRound
    authority: LocalAuthority
    target: str
    bid: Bid = None


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
        self.scopes = list(ServiceScope.objects.filter(allowed=True))
        self.seed_people()
        plan = self.plan()
        self.seed_rounds(plan)
        self.seed_bids(plan)
        self.seed_drafting(plan)
        self.seed_assessment(plan)
        self.seed_outcomes(plan)
        self.seed_awards(plan)

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
                password=unusable,
            )
            for authority in self.authorities
        )
        self.officers = {officer.local_authority_id: officer for officer in officers}
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
        self.conflicted = {}
        for conflict in conflicts:
            self.conflicted.setdefault(conflict.authority_id, set()).add(conflict.assessor_id)
        self.say(
            f"People: {len(self.assessors)} assessors, {len(officers)} council officers, a lead, an admin"
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
        # Long enough ago that even the newest round's awards have been paid by now.
        newest_opens = self.now - timedelta(days=240)
        rounds = []
        for index, planned in enumerate(plan):
            opens = newest_opens - ROUND_SPACING * (len(plan) - 1 - index)
            approved = sum(1 for p in planned if p.target == BidState.APPROVED)
            places = max(40, approved)
            rounds.append(round_row(index + 1, BENCH_ROUND_PREFIX, "Bench round", "B", opens, places))
        rounds = FundingRound.objects.bulk_create(rounds)
        criteria = Criterion.objects.bulk_create(
            Criterion(funding_round=r, **criterion_fields(default, position))
            for r in rounds
            for position, default in enumerate(DEFAULT_CRITERIA, start=1)
        )
        self.criteria = {}
        for criterion in criteria:
            self.criteria.setdefault(criterion.funding_round_id, []).append(criterion)
        for planned, funding_round in zip(plan, rounds, strict=True):
            for p in planned:
                p.funding_round = funding_round
        # A couple of councils in each round were given more time.
        DeadlineExtension.objects.bulk_create(
            DeadlineExtension(
                funding_round=r,
                authority=p.authority,
                closes_at=r.closes_at + timedelta(days=7),
                reason="A fire at the council offices delayed the partnership board's sign-off.",
                granted_by=self.lead,
                granted_at=r.closes_at - timedelta(days=3),
            )
            for r, planned in zip(rounds, plan, strict=True)
            for p in planned[1:3]
        )
        self.say(
            f"Rounds: {len(rounds)} ({', '.join(str(s) for s in self.round_sizes[:1])} bids in the oldest)"
        )

    # Bids and what councils wrote -----------------------------------------------------

    def seed_bids(self, plan):
        rng = self.random
        rows = []
        for planned in plan:
            for p in planned:
                r, authority = p.funding_round, p.authority
                officer = self.officers[authority.pk]
                started = r.opens_at + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
                submitted = None
                if p.target != BidState.DRAFT:
                    submitted = r.closes_at - timedelta(days=rng.randint(0, 14), hours=rng.randint(1, 9))
                population = rng.randrange(8000, 260000, 500)
                large = population > 120000
                supplement = Decimal(rng.choice([20000, 25000, 30000, 40000])) if large else Decimal("0")
                focus = rng.choice([Focus.CLIENT_GROUPS, Focus.BROAD])
                first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                p.bid = Bid(
                    funding_round=r,
                    authority=authority,
                    reference=f"CTP-{r.code}-{authority.code}",
                    state=p.target,
                    lead_name=officer.full_name,
                    lead_job_title=officer.job_title,
                    lead_email=officer.email,
                    lead_phone=f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                    director_name=f"{first} {last}",
                    director_job_title="Director of Children's Services",
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
                    governance_model=rng.choice(
                        [
                            GovernanceModel.COUNCIL_LED,
                            GovernanceModel.JOINT_BOARD,
                            GovernanceModel.MIXED_MANAGEMENT,
                        ]
                    ),
                    member_oversight="The lead member for children chairs the trust board, which reports "
                    "to the council's cabinet each quarter.",
                    accountability_confirmed=True,
                    large_or_complex=large,
                    supplement_requested=supplement,
                    supplement_justification=(
                        f"The trust covers {population:,} children across several districts." if large else ""
                    ),
                    consultation_communities="Public meetings in each neighbourhood centre and a survey of families.",
                    consultation_agencies="A partnership workshop with every agency named in the bid.",
                    consultation_staff="Staff briefings in every team, with trade union representatives.",
                    declaration_confirmed=p.target != BidState.DRAFT,
                    submitted_at=submitted,
                    submitted_by=officer if submitted else None,
                    created_by=officer,
                    created_at=started,
                    updated_by=officer,
                    updated_at=submitted or started + timedelta(days=3),
                )
                rows.append(p.bid)
        Bid.objects.bulk_create(rows, batch_size=BATCH)
        self.say(f"Bids: {len(rows)}")

    def seed_drafting(self, plan):
        """Sections, partners, scopes, documents and the council's part of each history."""
        rng = self.random
        sections, partners, scopes, documents, events = [], [], [], [], []
        through = Bid.service_scopes.through
        for planned in plan:
            for p in planned:
                bid, authority = p.bid, p.authority
                officer = self.officers[authority.pk]
                draft = p.target == BidState.DRAFT
                done = (
                    set(Section.values) if not draft else set(rng.sample(Section.values, k=rng.randint(2, 7)))
                )
                for section in Section.values:
                    complete = section in done
                    sections.append(
                        BidSection(
                            bid=bid,
                            section=section,
                            completed=complete,
                            version=1 if complete else 0,
                            updated_by=officer if complete else None,
                            updated_at=bid.created_at + timedelta(days=1) if complete else None,
                        )
                    )
                for row in partner_rows(authority, rng, extra=(0, 3)):
                    partners.append(Partner(bid=bid, added_by=officer, added_at=bid.created_at, **row))
                for scope in rng.sample(self.scopes, k=rng.randint(2, 5)):
                    scopes.append(through(bid_id=bid.pk, servicescope_id=scope.pk))
                if not draft:
                    documents.append(
                        SupportingDocument(
                            bid=bid,
                            file=f"bid-documents/bench-{bid.pk}",
                            original_name=f"{authority.short_name} expression of interest.pdf",
                            content_type="application/pdf",
                            size=1200,
                            sha256=self.document_hash,
                            uploaded_by=officer,
                            uploaded_at=bid.created_at + timedelta(days=2),
                        )
                    )
                events.append(
                    BidEvent(
                        bid=bid,
                        kind=EventKind.CREATED,
                        actor=officer,
                        to_state=BidState.DRAFT,
                        shown_to_council=True,
                        created_at=bid.created_at,
                    )
                )
                for number, section in enumerate(sorted(done)[:4], start=1):
                    events.append(
                        BidEvent(
                            bid=bid,
                            kind=EventKind.EDITED,
                            actor=officer,
                            detail={"section": section, "version": 1, "changed": ["answers"]},
                            shown_to_council=True,
                            created_at=bid.created_at + timedelta(hours=number),
                        )
                    )
                if bid.submitted_at:
                    events.append(
                        state_event(bid, officer, BidState.DRAFT, BidState.SUBMITTED, bid.submitted_at)
                    )
                if p.target == BidState.WITHDRAWN:
                    when = bid.funding_round.closes_at + timedelta(days=STEP_DAYS[BidState.WITHDRAWN])
                    events.append(
                        state_event(
                            bid,
                            officer,
                            BidState.SUBMITTED,
                            BidState.WITHDRAWN,
                            when,
                            REASONS[BidState.WITHDRAWN],
                        )
                    )
        BidSection.objects.bulk_create(sections, batch_size=BATCH)
        Partner.objects.bulk_create(partners, batch_size=BATCH)
        through.objects.bulk_create(scopes, batch_size=BATCH)
        SupportingDocument.objects.bulk_create(documents, batch_size=BATCH)
        BidEvent.objects.bulk_create(events, batch_size=BATCH)
        self.say(f"Drafting: {len(sections)} sections, {len(partners)} partners, {len(events)} events")

    # Assessment ----------------------------------------------------------------------

    def panel_for(self, authority):
        """Three assessors without a conflict, from different regions where that works out."""
        conflicted = self.conflicted.get(authority.pk, set())
        pool = [a for a in self.assessors if a.pk not in conflicted]
        chosen = self.random.sample(pool, ASSESSORS_PER_BID)
        for _ in range(4):
            if len({a.region for a in chosen}) == ASSESSORS_PER_BID:
                break
            chosen = self.random.sample(pool, ASSESSORS_PER_BID)
        return chosen

    def seed_assessment(self, plan):
        rng = self.random
        assignments, assessments, scores, moderations, events = [], [], [], [], []
        self.panels = {}
        for planned in plan:
            for p in planned:
                if p.target not in ASSESSED:
                    continue
                bid, r = p.bid, p.funding_round
                criteria = self.criteria[r.pk]
                begun = r.closes_at + timedelta(days=STEP_DAYS[BidState.UNDER_ASSESSMENT])
                panel = self.panel_for(p.authority)
                self.panels[bid.pk] = panel
                for number, assessor in enumerate(panel):
                    assigned = begun - timedelta(hours=2 - number)
                    assignments.append(
                        Assignment(bid=bid, assessor=assessor, assigned_by=self.lead, assigned_at=assigned)
                    )
                    events.append(
                        BidEvent(
                            bid=bid,
                            kind=EventKind.ASSESSOR_ASSIGNED,
                            actor=self.lead,
                            detail={"assessor": assessor.pk, "assessor_name": assessor.full_name},
                            created_at=assigned,
                        )
                    )
                events.append(
                    state_event(bid, self.lead, BidState.SUBMITTED, BidState.UNDER_ASSESSMENT, begun)
                )
                quality = {
                    BidState.NOT_SHORTLISTED: rng.randint(1, 2),
                    BidState.UNDER_ASSESSMENT: rng.randint(1, 3),
                    BidState.REJECTED: 2,
                }.get(p.target, 3)
                disagree = rng.random() < 0.06
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
                    assessment = Assessment(
                        bid=bid,
                        assessor=assessor,
                        state=Assessment.State.SUBMITTED if submit else Assessment.State.DRAFT,
                        recommendation=(
                            Recommendation.SHORTLIST
                            if sum(v or 0 for v in values) >= 12
                            else Recommendation.DO_NOT_SHORTLIST
                        ),
                        summary="A well-evidenced bid with clear joint working."
                        if quality >= 3
                        else "Joint working with health is not yet clear.",
                        weighted_total=scoring.weighted_total(zip(criteria, values, strict=True))
                        if submit
                        else None,
                        submitted_at=when if submit else None,
                        set_aside=set_aside,
                        set_aside_reason="The assessor declared a conflict of interest after scoring."
                        if set_aside
                        else "",
                        updated_at=when,
                    )
                    assessments.append(assessment)
                    scores.append((assessment, criteria, values))
                    if submit:
                        events.append(
                            BidEvent(
                                bid=bid,
                                kind=EventKind.SCORE_SUBMITTED,
                                actor=assessor,
                                detail={
                                    "assessor": assessor.pk,
                                    "assessor_name": assessor.full_name,
                                    "weighted_total": str(assessment.weighted_total),
                                },
                                created_at=when,
                            )
                        )
                if disagree or rng.random() < 0.04:
                    counted = [a.weighted_total for a in assessments[-ASSESSORS_PER_BID:] if a.weighted_total]
                    mean = scoring.mean(counted) or Decimal("50")
                    score = min(Decimal("100"), mean + Decimal("5"))
                    when = begun + timedelta(days=14)
                    reason = "Assessors differed on joint working; the evidence on pooled budgets supports the higher score."
                    moderations.append(
                        Moderation(
                            bid=bid,
                            score=score,
                            mean_at_moderation=mean,
                            reason=reason,
                            moderated_by=self.lead,
                            moderated_at=when,
                        )
                    )
                    events.append(
                        BidEvent(
                            bid=bid,
                            kind=EventKind.MODERATED,
                            actor=self.lead,
                            reason=reason,
                            detail={"score": str(score), "mean": str(mean), "previous": None},
                            created_at=when,
                        )
                    )
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        criterion_scores = [
            CriterionScore(
                assessment=assessment,
                criterion=criterion,
                score=value,
                comment=SCORE_COMMENTS[value] if value is not None else "",
            )
            for assessment, criteria, values in scores
            for criterion, value in zip(criteria, values, strict=True)
        ]
        CriterionScore.objects.bulk_create(criterion_scores, batch_size=BATCH)
        Moderation.objects.bulk_create(moderations, batch_size=BATCH)
        BidEvent.objects.bulk_create(events, batch_size=BATCH)
        self.say(
            f"Assessment: {len(assessments)} assessments, {len(criterion_scores)} scores, "
            f"{len(moderations)} moderations"
        )

    # Shortlisting, interviews and decisions --------------------------------------------

    def seed_outcomes(self, plan):
        rng = self.random
        events, interviews, panels, decisions = [], [], [], []
        for planned in plan:
            for p in planned:
                path = PATHS[p.target]
                if BidState.UNDER_ASSESSMENT not in path:
                    continue
                bid, r = p.bid, p.funding_round
                steps = path[path.index(BidState.UNDER_ASSESSMENT) + 1 :]
                previous = BidState.UNDER_ASSESSMENT
                for step in steps:
                    when = r.closes_at + timedelta(days=STEP_DAYS[step], hours=2)
                    events.append(state_event(bid, self.lead, previous, step, when, REASONS.get(step, "")))
                    previous = step
                if BidState.INTERVIEW_SCHEDULED in steps:
                    held = p.target in INTERVIEWED
                    day = r.interviews_start_on + timedelta(days=rng.randint(1, 25))
                    interview = Interview(
                        bid=bid,
                        starts_at=start_of_day(day) + timedelta(hours=rng.choice([10, 11, 14])),
                        location="Wellington House, 133-155 Waterloo Road, London SE1 8UG",
                        state=Interview.State.HELD if held else Interview.State.SCHEDULED,
                        notes="The panel explored governance and how health partners will pool budgets."
                        if held
                        else "",
                        score=rng.randint(2, 4) if held else None,
                        scheduled_by=self.lead,
                        scheduled_at=r.closes_at + timedelta(days=STEP_DAYS[BidState.INTERVIEW_SCHEDULED]),
                        recorded_by=self.lead if held else None,
                        recorded_at=start_of_day(day) + timedelta(hours=17) if held else None,
                    )
                    interviews.append(interview)
                    panels.append((interview, [self.lead, self.panels[bid.pk][0]]))
                if p.target in (BidState.APPROVED, BidState.REJECTED):
                    approved = p.target == BidState.APPROVED
                    decisions.append(
                        Decision(
                            bid=bid,
                            outcome=Decision.Outcome.APPROVED if approved else Decision.Outcome.REJECTED,
                            reasons="Strong joint working and a credible plan to be operational by the end of the year."
                            if approved
                            else "The governance arrangements did not show how the council stays accountable.",
                            feedback=REASONS[p.target],
                            decided_by=self.lead,
                            decided_at=r.closes_at + timedelta(days=STEP_DAYS[p.target], hours=2),
                        )
                    )
        Interview.objects.bulk_create(interviews, batch_size=BATCH)
        through = Interview.panel.through
        through.objects.bulk_create(
            (
                through(interview_id=interview.pk, user_id=member.pk)
                for interview, members in panels
                for member in members
            ),
            batch_size=BATCH,
        )
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        BidEvent.objects.bulk_create(events, batch_size=BATCH)
        self.say(f"Outcomes: {len(interviews)} interviews, {len(decisions)} decisions, {len(events)} events")

    # Awards --------------------------------------------------------------------------

    def seed_awards(self, plan):
        approved = [p for planned in plan for p in planned if p.target == BidState.APPROVED]
        made = build_awards(
            [(p.bid, p.funding_round) for p in approved], self.lead, self.officers, self.random
        )
        self.say(f"Awards: {made}")


def build_awards(approved, lead, officers, rng, plan=AWARD_PLAN, history_only=False):
    """Awards for approved bids, each taken to where the plan says, with its events, its
    trust once accepted, and the consultation that met its condition. Returns the count.

    history_only: just the awards and their events, which is all award reports read."""
    awards, events, trusts, activities, taken = [], [], [], [], []
    for number, (bid, r) in enumerate(approved):
        target = plan[number % len(plan)]
        officer = officers[bid.authority_id]
        offered = r.closes_at + timedelta(days=STEP_DAYS[BidState.APPROVED], hours=2)
        supplement = min(bid.supplement_requested, r.max_supplement)
        award = FundingAward(
            bid=bid,
            base_amount=r.base_award,
            supplement_amount=supplement,
            supplement_justification=bid.supplement_justification if supplement else "",
            state=target,
            offered_at=offered,
            offered_by=lead,
        )
        history = [("", AwardState.OFFERED, "Bid approved", lead, offered)]
        responded = offered + timedelta(days=8 + number % 6)
        if target == AwardState.DECLINED:
            award.responded_at, award.responded_by = responded, officer
            award.decline_reason = "The council's cabinet decided to bid again in a later round."
            history.append(
                (AwardState.OFFERED, AwardState.DECLINED, award.decline_reason, officer, responded)
            )
        elif target != AwardState.OFFERED:
            award.responded_at, award.responded_by = responded, officer
            history.append((AwardState.OFFERED, AwardState.ACCEPTED, "", officer, responded))
            trusts.append(award)
        held = responded
        audiences = []
        if target in (AwardState.CONDITIONS_MET, AwardState.PAID):
            audiences = list(Audience)
        elif target == AwardState.ACCEPTED:
            audiences = list(Audience)[: number % 3]
        if not history_only:
            for index, audience in enumerate(audiences):
                held += timedelta(days=9 + (number + index) % 7)
                people = [140, 18, 65][index] + (number * 7) % 40
                activities.append(
                    ConsultationActivity(
                        award=award,
                        held_on=timezone.localtime(held).date(),
                        audience=audience.value,
                        people_reached=people,
                        summary=CONSULTATION_SUMMARY[audience],
                        recorded_by=officer,
                        recorded_at=held,
                    )
                )
                history.append(
                    (
                        AwardState.ACCEPTED,
                        AwardState.ACCEPTED,
                        f"Consultation recorded: {audience.label.lower()}, {people:,} people reached",
                        officer,
                        held,
                    )
                )
        if target in (AwardState.CONDITIONS_MET, AwardState.PAID):
            met = held + timedelta(days=5)
            award.conditions_met_at, award.conditions_met_by = met, lead
            history.append((AwardState.ACCEPTED, AwardState.CONDITIONS_MET, "", lead, met))
            if target == AwardState.PAID:
                paid = met + timedelta(days=14)
                count = 2 if supplement else 1
                paid_text = f"Paid in full: {money(r.base_award + supplement)} in {count} instalment{'s' if count > 1 else ''}"
                history.append((AwardState.CONDITIONS_MET, AwardState.PAID, paid_text, lead, paid))
        if target == AwardState.WITHDRAWN:
            gone = responded + timedelta(days=60)
            award.withdrawn_at, award.withdrawn_by = gone, lead
            award.withdrawn_reason = "The partnership board was dissolved and the trust could not start."
            history.append((AwardState.ACCEPTED, AwardState.WITHDRAWN, award.withdrawn_reason, lead, gone))
        awards.append(award)
        taken.append(history)
    FundingAward.objects.bulk_create(awards, batch_size=BATCH)
    build_instalments(awards, lead)
    for award, history in zip(awards, taken, strict=True):
        for from_state, to_state, reason, actor, when in history:
            events.append(
                AwardEvent(
                    award=award,
                    actor=actor,
                    from_state=from_state,
                    to_state=to_state,
                    reason=reason,
                    created_at=when,
                )
            )
    AwardEvent.objects.bulk_create(events, batch_size=BATCH)
    for activity in activities:
        activity.award_id = activity.award.pk
    ConsultationActivity.objects.bulk_create(activities, batch_size=BATCH)
    if trusts and not history_only:
        build_trusts(trusts)
    return len(awards)


def build_instalments(awards, lead):
    """Each award's schedule as the offer made it (trusts/schedules.py), moved on as the payments
    door would have: a paid award's instalments paid, each requested by the lead and approved
    by an administrator; an award with its condition met has its first payment requested,
    approved, or not yet asked for, in turn."""
    approver = User.objects.filter(role=Role.ADMIN).exclude(pk=lead.pk).order_by("pk").first() or lead
    rows = []
    for number, award in enumerate(awards):
        parts = [(award.base_amount, PaymentTrigger.CONDITIONS_MET)]
        if award.supplement_amount:
            parts.append((award.supplement_amount, PaymentTrigger.FIRST_RETURN))
        met = award.conditions_met_at
        for index, (amount, trigger) in enumerate(parts, start=1):
            # The state is given at construction: a protected FSMField refuses assignment.
            fields = {"released_at": met if trigger == PaymentTrigger.CONDITIONS_MET else None}
            if award.state == AwardState.PAID:
                asked = met + timedelta(days=7 * index)
                fields = {
                    "state": InstalmentState.PAID,
                    "released_at": fields["released_at"] or asked,
                    "requested_at": asked,
                    "requested_by": lead,
                    "approved_at": asked + timedelta(days=1),
                    "approved_by": approver,
                    "paid_on": timezone.localtime(asked + timedelta(days=3)).date(),
                    "payment_reference": f"DOH-PAY-{award.bid_id:07d}-{index}",
                    "paid_recorded_at": asked + timedelta(days=4),
                    "paid_recorded_by": lead,
                }
            elif award.state == AwardState.CONDITIONS_MET and index == 1 and number % 3:
                fields.update(
                    state=InstalmentState.REQUESTED, requested_at=met + timedelta(days=2), requested_by=lead
                )
                if number % 3 == 2:
                    fields.update(
                        state=InstalmentState.APPROVED,
                        approved_at=met + timedelta(days=3),
                        approved_by=approver,
                    )
            rows.append(Instalment(award=award, number=index, amount=amount, trigger=trigger, **fields))
    Instalment.objects.bulk_create(rows, batch_size=BATCH)


def build_trusts(accepted):
    """The pilot trust each accepted award created, as trusts/awards.py would have."""
    bids = {award.bid_id: award.bid for award in accepted}
    partners = {}
    for partner in Partner.objects.filter(bid_id__in=bids).order_by("pk"):
        partners.setdefault(partner.bid_id, []).append(
            {"name": partner.name, "sector": partner.get_sector_display(), "role": partner.role}
        )
    rows = []
    for award in accepted:
        bid = award.bid
        rows.append(
            Trust(
                award=award,
                authority_id=bid.authority_id,
                name=f"{bid.authority.short_name} Children's Trust",
                partners=partners.get(bid.pk, []),
                governance_model=bid.governance_model,
                governance_summary=bid.member_oversight,
                operational_on=bid.funding_round.operational_on,
                created_at=award.responded_at,
            )
        )
    Trust.objects.bulk_create(rows, batch_size=BATCH)
    scopes = {}
    through = Bid.service_scopes.through
    for row in through.objects.filter(bid_id__in=bids).values_list("bid_id", "servicescope_id"):
        scopes.setdefault(row[0], []).append(row[1])
    trust_through = Trust.service_scopes.through
    trust_through.objects.bulk_create(
        (
            trust_through(trust_id=trust.pk, servicescope_id=scope)
            for trust in rows
            for scope in scopes.get(trust.award.bid_id, [])
        ),
        batch_size=BATCH,
    )


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


def state_event(bid, actor, from_state, to_state, when, reason=""):
    return BidEvent(
        bid=bid,
        kind=EventKind.STATE_CHANGED,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        shown_to_council=True,
        created_at=when,
    )


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
    officers = {u.local_authority_id: u for u in User.objects.filter(role=Role.COUNCIL).order_by("-pk")}
    authorities = [a for a in LocalAuthority.objects.order_by("code") if a.pk in officers]
    oldest = FundingRound.objects.order_by("opens_at").first()
    done = FundingRound.objects.filter(slug__startswith=ARCHIVE_ROUND_PREFIX).count()
    rounds = []
    for index in range(math.ceil(wanted / len(authorities))):
        number = done + index + 1
        opens = oldest.opens_at - ARCHIVE_SPACING * (index + 1)
        rounds.append(round_row(number, ARCHIVE_ROUND_PREFIX, "Archive round", "A", opens, len(authorities)))
    rounds = FundingRound.objects.bulk_create(rounds)
    bids, decisions = [], []
    left = wanted
    for r in rounds:
        for authority in authorities[: min(left, len(authorities))]:
            officer = officers[authority.pk]
            large = rng.random() < 0.3
            bid = Bid(
                funding_round=r,
                authority=authority,
                reference=f"CTP-{r.code}-{authority.code}",
                state=BidState.APPROVED,
                lead_name=officer.full_name,
                lead_email=officer.email,
                large_or_complex=large,
                supplement_requested=Decimal(rng.choice([20000, 30000, 40000])) if large else Decimal("0"),
                supplement_justification="A large trust across several districts." if large else "",
                declaration_confirmed=True,
                submitted_at=r.closes_at - timedelta(days=3),
                submitted_by=officer,
                created_by=officer,
                created_at=r.opens_at + timedelta(days=5),
                updated_by=lead,
                updated_at=r.closes_at + timedelta(days=STEP_DAYS[BidState.APPROVED]),
            )
            bid.authority = authority
            bids.append((bid, r))
            decisions.append(
                Decision(
                    bid=bid,
                    outcome=Decision.Outcome.APPROVED,
                    reasons="Approved as a pilot.",
                    feedback=REASONS[BidState.APPROVED],
                    decided_by=lead,
                    decided_at=r.closes_at + timedelta(days=STEP_DAYS[BidState.APPROVED], hours=2),
                )
            )
        left -= min(left, len(authorities))
    Bid.objects.bulk_create([bid for bid, _ in bids], batch_size=BATCH)
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    # Archive awards are history: most paid, the rest stopped on the way.
    made = build_awards(bids, lead, officers, rng, history_only=True)
    if stdout:
        stdout.write(f"Archive: {len(rounds)} rounds, {made} approved bids with awards")
    return made
