"""Demo data so a newcomer can try every role on a fresh `make run`.

The 2003 pilot round as it happened (45 bids from 45 authorities, taken through the
real workflow with its history), and a second round open now in which Kent and Leeds
have not yet bid. Idempotent: each part is skipped if it is already there, so a second
run changes nothing and keeps what users entered.
"""

import hashlib
import random
from base64 import b32decode
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import OFFICIAL_ROLES, OutboundEmail, Role, User
from accounts.two_factor import APP_DEVICE
from bids import assignment, moderation, scoring, workflow
from bids.drafting import start_bid
from bids.models import (
    BidSection,
    BidState,
    ConflictOfInterest,
    Decision,
    DeliverySetting,
    Focus,
    FundingRound,
    GovernanceModel,
    Interview,
    Partner,
    Recommendation,
    SupportingDocument,
)
from bids.rounds import add_default_criteria
from core.london import LONDON, end_of_day, start_of_day
from reference.models import LocalAuthority, ServiceScope
from trusts import awards, diligence
from trusts.enums import CheckKind, CheckResult

from .awards import seed_awards, seed_reviews, seed_supplements
from .content import (
    CLIENT_GROUPS,
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
    DEMO_USERS,
    DISAGREEMENTS,
    FIRST_NAMES,
    HARSH_ASSESSOR,
    LENIENT_ASSESSOR,
    MODERATED,
    OTHER_ASSESSORS,
    PATHS,
    PILOT_OUTCOMES,
    SCORE_COMMENTS,
    SECOND_ROUND_ASSESSOR_GUIDANCE,
    SECOND_ROUND_COUNCIL_GUIDANCE,
    SURNAMES,
    minimal_pdf,
    partner_rows,
)
from .insights import seed_insights
from .monitoring import seed_monitoring


def london(day, hour=10, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


class DemoSeeder:
    def __init__(self, stdout=None, now=None):
        self.stdout = stdout
        self.now = now or timezone.now()
        # Seeded, so every machine gets the same demo data.
        self.random = random.Random(2003)  # nosec B311

    def say(self, message):
        if self.stdout:
            self.stdout.write(message)

    @transaction.atomic
    def run(self):
        first_email = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.seed_users()
        self.seed_pilot_round()
        self.seed_open_round()
        seed_awards(self)
        seed_monitoring(self)
        seed_supplements(self)
        seed_reviews(self)
        seed_insights(self)
        # Demo history is not news: nobody is emailed about it.
        OutboundEmail.objects.filter(pk__gt=first_email).delete()

    # People --------------------------------------------------------------------------

    def seed_users(self):
        created = 0
        for email, name, role, code, region, title in DEMO_USERS:
            authority = LocalAuthority.objects.get(code=code) if code else None
            user, made = User.objects.get_or_create(
                email=email,
                defaults={
                    "full_name": name,
                    "role": role,
                    "local_authority": authority,
                    "region": region,
                    "job_title": title,
                    # Kent's officer leads its bid: they invite and remove Kent's colleagues.
                    "is_bid_lead": email == "kent@council.example",
                },
            )
            if made:
                user.set_password(DEMO_PASSWORD)
                user.save()
                created += 1
            if role in OFFICIAL_ROLES and not TOTPDevice.objects.filter(user=user).exists():
                TOTPDevice.objects.create(
                    user=user, name=APP_DEVICE, confirmed=True, key=b32decode(DEMO_TOTP_KEY).hex()
                )
        for email, name, region in OTHER_ASSESSORS:
            _, made = User.objects.get_or_create(
                email=email,
                defaults={
                    "full_name": name,
                    "role": Role.ASSESSOR,
                    "region": region,
                    "job_title": "Assessor",
                },
            )
            created += made
        self.lead = User.objects.get(email="lead@doh.example")
        self.assessors = list(User.objects.filter(role=Role.ASSESSOR).order_by("email"))
        self.say(f"Users: {created} created")

    def council_officer(self, authority):
        """Each bidding authority has an officer; only Kent's and Leeds's can sign in."""
        user = User.objects.filter(local_authority=authority, role=Role.COUNCIL).first()
        if user:
            return user
        first, last = self.random.choice(FIRST_NAMES), self.random.choice(SURNAMES)
        return User.objects.create_user(
            f"bids.{authority.code.lower()}@council.example",
            full_name=f"{first} {last}",
            role=Role.COUNCIL,
            local_authority=authority,
            job_title="Children's Services Planning Officer",
        )

    # The 2003 round -------------------------------------------------------------------

    def seed_pilot_round(self):
        funding_round = FundingRound.objects.get(slug="pilots-2003")
        if funding_round.bids.exists():
            self.say("2003 pilot round: already has bids, left as it is")
            return
        self.pilot_round = funding_round
        scopes = list(ServiceScope.objects.filter(allowed=True))
        # Officials' declared conflicts, so the rules have something to bite on.
        self.declare_conflict(self.assessors[0], "HCK", "Worked in Hackney's children's services until 2001.")
        self.declare_conflict(
            self.assessors[1], "MAN", "Spouse is a senior manager at Manchester City Council."
        )
        count = 0
        for target, codes in PILOT_OUTCOMES.items():
            for code in codes:
                authority = LocalAuthority.objects.get(code=code)
                self.seed_pilot_bid(funding_round, authority, target, scopes)
                count += 1
        self.say(f"2003 pilot round: {count} bids")

    def declare_conflict(self, assessor, code, reason):
        ConflictOfInterest.objects.get_or_create(
            assessor=assessor,
            authority=LocalAuthority.objects.get(code=code),
            defaults={
                "reason": reason,
                "declared_by": assessor,
                "declared_at": london(self.pilot_round.closes_at.date()),
            },
        )

    def fill_bid(self, bid, officer, scopes, when):
        rng = self.random
        authority = bid.authority
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        bid.lead_name = officer.full_name
        bid.lead_job_title = officer.job_title or "Children's Services Planning Officer"
        bid.lead_email = officer.email
        bid.lead_phone = f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
        bid.director_name = f"{first} {last}"
        bid.director_job_title = rng.choice(
            ["Director of Social Services", "Director of Education", "Director of Children's Services"]
        )
        # An invented office address with a postcode of the right shape.
        bid.postal_address = (
            f"Children's Services Directorate\n{authority.short_name} Civic Offices\n{authority.short_name}\n"
            f"{authority.code[:2]}{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        bid.focus = rng.choice([Focus.CLIENT_GROUPS, Focus.BROAD])
        bid.client_groups = rng.choice(CLIENT_GROUPS) if bid.focus == Focus.CLIENT_GROUPS else ""
        bid.vision = (
            f"{authority.short_name}'s children's trust will bring social services, education and health "
            "together in one team with one budget, so that families tell their story once and get help early, "
            "close to home."
        )
        bid.delivery_settings = rng.sample(
            [DeliverySetting.NEIGHBOURHOOD_CENTRES.value, DeliverySetting.EXTENDED_SCHOOLS.value],
            k=rng.randint(1, 2),
        )
        bid.population_covered = rng.randrange(8000, 260000, 500)
        bid.governance_model = rng.choice(
            [GovernanceModel.COUNCIL_LED, GovernanceModel.JOINT_BOARD, GovernanceModel.MIXED_MANAGEMENT]
        )
        bid.member_oversight = "The lead member for children chairs the trust board, which reports to the council's cabinet each quarter."
        bid.accountability_confirmed = True
        bid.large_or_complex = bid.population_covered > 120000
        if bid.large_or_complex:
            bid.supplement_requested = Decimal(rng.choice([20000, 25000, 30000, 40000]))
            bid.supplement_justification = f"The trust covers {bid.population_covered:,} children across several districts and three primary care trusts."
        bid.consultation_communities = (
            "Public meetings in each neighbourhood centre and a survey of families who use the services."
        )
        bid.consultation_agencies = (
            "A partnership workshop with every agency named in the bid, followed by written comments."
        )
        bid.consultation_staff = "Staff briefings in every team, with trade union representatives, before any change to working practices."
        bid.declaration_confirmed = True
        bid.updated_by = officer
        bid.updated_at = when
        bid.save()
        bid.service_scopes.set(rng.sample(scopes, k=rng.randint(2, 5)))
        for row in partner_rows(authority, rng, extra=(1, 3)):
            Partner.objects.create(bid=bid, added_by=officer, added_at=when, **row)
        content = minimal_pdf(f"{authority.name}: children's trust expression of interest")
        document = SupportingDocument(
            bid=bid,
            original_name=f"{authority.short_name} expression of interest.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=officer,
            uploaded_at=when,
        )
        document.file.save("document", ContentFile(content), save=False)
        document.save()
        BidSection.objects.filter(bid=bid).update(
            completed=True, version=1, updated_by=officer, updated_at=when
        )

    def seed_pilot_bid(self, funding_round, authority, target, scopes):
        rng = self.random
        officer = self.council_officer(authority)
        started = london(funding_round.closes_at.date() - timedelta(days=rng.randint(20, 60)), 9)
        submitted = london(
            funding_round.closes_at.date() - timedelta(days=rng.randint(0, 14)), rng.randint(9, 17)
        )
        bid, _ = start_bid(funding_round, authority, officer)
        bid.events.update(created_at=started)
        type(bid).objects.filter(pk=bid.pk).update(created_at=started)
        # Kept in hand too: fill_bid saves the whole bid, started in 2003 as its event says.
        bid.created_at = started
        self.fill_bid(bid, officer, scopes, started)
        workflow.change_state(bid, "submit", officer, now=submitted)
        panel_assessors = self.assign(bid, london(funding_round.closes_at.date() + timedelta(days=3)))
        steps = PATHS[target]
        for number, action in enumerate(steps, start=1):
            when = self.when_for(funding_round, action, number)
            actor = officer if action == "withdraw" else self.lead
            reason, work = self.step_details(bid, action, when, panel_assessors)
            if action in ("shortlist", "not_shortlist") and authority.code in MODERATED:
                self.moderate(bid, when - timedelta(days=2))
            if action == "approve":
                self.check_authority(bid, when)
            with workflow.transition(bid, action, actor, reason=reason, now=when) as change:
                if work is not None:
                    work(change.record)
            bid.refresh_from_db()
            if action == "begin_assessment":
                # Assessors score once assessment has begun; bids still under assessment
                # are part-way there, so moderation has something to wait for.
                self.score(bid, panel_assessors, when + timedelta(days=10), target)

    def check_authority(self, bid, deciding):
        """The due diligence an offer needs: a Spotlight check and the council's financial
        standing, both passed in the fortnight before the decision."""
        for days, kind, note in (
            (14, CheckKind.SPOTLIGHT, "Spotlight found no issues with the authority."),
            (10, CheckKind.FINANCIAL, "Latest audited accounts and the auditor's annual letter reviewed."),
        ):
            when = deciding - timedelta(days=days)
            diligence.record_check(
                bid,
                self.lead,
                kind=kind,
                result=CheckResult.PASSED,
                checked_on=when.astimezone(LONDON).date(),
                note=note,
                now=when,
            )

    def when_for(self, funding_round, action, number):
        close = funding_round.closes_at.date()
        offsets = {
            "withdraw": -2,
            "begin_assessment": 4,
            "not_shortlist": 21,
            "shortlist": 21,
            "schedule_interview": 24,
            "record_interview": 40,
            "approve": 80,
            "reject": 80,
        }
        day = close + timedelta(days=offsets[action])
        if action == "record_interview":
            day = funding_round.interviews_start_on + timedelta(days=self.random.randint(1, 25))
        return london(day, 11 if action != "withdraw" else 15)

    def assign(self, bid, when):
        """Two assessors from different regions, neither conflicted."""
        conflicted = set(
            ConflictOfInterest.objects.filter(authority=bid.authority).values_list("assessor_id", flat=True)
        )
        pool = [a for a in self.assessors if a.pk not in conflicted]
        self.random.shuffle(pool)
        chosen = []
        for assessor in pool:
            if all(assessor.region != other.region for other in chosen):
                chosen.append(assessor)
            if len(chosen) == 2:
                break
        for assessor in chosen:
            assignment.assign(bid, assessor, self.lead, now=when)
        return chosen

    def score(self, bid, assessors, when, target):
        """Each assessor's scores, entered and submitted through bids/scoring.py.

        A few bids get assessors who disagree by 2 on a criterion, so the moderation page
        has flags to show; bids still under assessment have one assessor's scores in and
        the other's in draft.
        """
        criteria = scoring.criteria_for(bid)
        # Stronger bids went further, as they would have.
        quality = {
            BidState.NOT_SHORTLISTED: self.random.randint(1, 2),
            BidState.UNDER_ASSESSMENT: self.random.randint(1, 3),
            BidState.REJECTED: 2,
        }.get(target, 3)
        disagree = bid.authority.code in DISAGREEMENTS
        bias = {LENIENT_ASSESSOR: 1, HARSH_ASSESSOR: -1}
        for number, assessor in enumerate(assessors):
            values = [min(4, quality + self.random.choice([0, 0, 1])) for _ in criteria]
            if disagree:
                values[0] = min(4, quality + 1) if number == 0 else quality - 1
            values = [max(0, min(4, value + bias.get(assessor.email, 0))) for value in values]
            submit = target != BidState.UNDER_ASSESSMENT or disagree or number == 0
            scoring.save(
                bid,
                assessor,
                scores={
                    criterion.pk: (value, SCORE_COMMENTS[value])
                    for criterion, value in zip(criteria, values, strict=True)
                },
                recommendation=Recommendation.SHORTLIST
                if sum(values) >= 12
                else Recommendation.DO_NOT_SHORTLIST,
                summary="A well-evidenced bid with clear joint working."
                if quality >= 3
                else "Joint working with health is not yet clear.",
                submit=submit,
                now=when + timedelta(hours=number),
            )

    def moderate(self, bid, when):
        mean = scoring.effective_score(bid) or Decimal("50")
        moderation.moderate(
            bid,
            self.lead,
            min(Decimal("100"), mean + Decimal("5")),
            "Assessors differed on joint working; the evidence on pooled budgets supports the higher score.",
            now=when,
        )

    def step_details(self, bid, action, when, panel_assessors):
        funding_round = bid.funding_round
        if action == "withdraw":
            return "The partnership board decided to wait for a later round.", None
        if action == "not_shortlist":
            return "Scored below the shortlisting line; joint working with health not yet established.", None
        if action == "shortlist":
            return "Scored above the shortlisting line at moderation.", None
        if action == "schedule_interview":
            day = funding_round.interviews_start_on + timedelta(days=self.random.randint(1, 25))

            def book(locked):
                interview = Interview.objects.create(
                    bid=locked,
                    starts_at=london(day, self.random.choice([10, 11, 14])),
                    location="Wellington House, 133-155 Waterloo Road, London SE1 8UG",
                    scheduled_by=self.lead,
                    scheduled_at=when,
                )
                interview.panel.set([self.lead, *panel_assessors[:1]])

            return "", book
        if action == "record_interview":

            def record(locked):
                interview = locked.interviews.get(state=Interview.State.SCHEDULED)
                interview.state = Interview.State.HELD
                interview.notes = "The panel explored governance and how health partners will pool budgets."
                interview.score = self.random.randint(2, 4)
                interview.recorded_by = self.lead
                interview.recorded_at = when
                interview.save()

            return "", record
        if action in ("approve", "reject"):
            outcome = Decision.Outcome.APPROVED if action == "approve" else Decision.Outcome.REJECTED
            reasons = (
                "Strong joint working and a credible plan to be operational by the end of the year."
                if action == "approve"
                else "The governance arrangements did not show how the council stays accountable."
            )
            feedback = (
                "The panel was impressed by the commitment of all three core services."
                if action == "approve"
                else "We encourage you to strengthen the role of health partners and bid again."
            )

            def decide(locked):
                Decision.objects.create(
                    bid=locked,
                    outcome=outcome,
                    reasons=reasons,
                    feedback=feedback,
                    decided_by=self.lead,
                    decided_at=when,
                )
                if outcome == Decision.Outcome.APPROVED:
                    supplement = min(locked.supplement_requested, funding_round.max_supplement)
                    awards.offer(
                        locked,
                        funding_round.base_award,
                        supplement,
                        locked.supplement_justification if supplement else "",
                        self.lead,
                        now=when,
                    )

            # The council's timeline shows the event's reason, so it carries the feedback;
            # the internal reasons stay on the Decision.
            return feedback, decide
        return "", None

    # The open round ------------------------------------------------------------------

    def seed_open_round(self):
        if FundingRound.objects.filter(slug="second-round").exists():
            self.say("Second round: already set up, left as it is")
            return
        today = timezone.localtime(self.now).date()
        closes = today + timedelta(days=28)
        funding_round = FundingRound.objects.create(
            name="Children's trust pilots: second round",
            slug="second-round",
            code="R2",
            description="A second round of pilot children's trusts, on the same terms as the 2003 pilots.",
            opens_at=start_of_day(today - timedelta(days=14)),
            closes_at=end_of_day(closes),
            interviews_start_on=closes + timedelta(days=21),
            interviews_end_on=closes + timedelta(days=51),
            decision_on=closes + timedelta(days=70),
            operational_on=closes + timedelta(days=240),
            base_award=Decimal("60000.00"),
            max_supplement=Decimal("40000.00"),
            total_budget=Decimal("1000000.00"),
            pilot_places=12,
            ggis_reference="G2-SCH-2026-11-0412",
            council_guidance=SECOND_ROUND_COUNCIL_GUIDANCE,
            assessor_guidance=SECOND_ROUND_ASSESSOR_GUIDANCE,
            published_at=start_of_day(today - timedelta(days=21)),
        )
        add_default_criteria(funding_round, funding_round.criteria.model)
        scopes = list(ServiceScope.objects.filter(allowed=True))
        # A few councils are already under way, so officials have something in the new round.
        for code, submit in [("BIR", True), ("NET", True), ("SOM", False), ("WAR", False)]:
            authority = LocalAuthority.objects.get(code=code)
            officer = self.council_officer(authority)
            bid, _ = start_bid(funding_round, authority, officer)
            self.fill_bid(bid, officer, scopes, self.now)
            if submit:
                workflow.change_state(bid, "submit", officer, now=self.now)
            else:
                BidSection.objects.filter(bid=bid, section__in=["consultation", "documents"]).update(
                    completed=False
                )
            if code == "BIR":
                # Work waiting for the two assessors who can sign in: Birmingham's bid is
                # assigned to them and under assessment, not yet scored. Newcastle's
                # waits for the lead's eligibility check.
                for email in ("assessor1@doh.example", "assessor2@doh.example"):
                    assignment.assign(bid, User.objects.get(email=email), self.lead, now=self.now)
                workflow.change_state(bid, "begin_assessment", self.lead, now=self.now)
        self.say(f"Second round: open until {timezone.localtime(funding_round.closes_at):%-d %B %Y}")
