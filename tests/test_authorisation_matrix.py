"""Every URL of the service, asked by every kind of person, by GET and by POST.

The URLs come from Django's resolver, walked through every include, so a new view cannot
escape: a URL name with no row in tests/authorisation_expectations.py fails here, naming
it, and so does a row whose URL has gone. The actors and their sessions are made once for
the module (tests/conftest.py, module_rows); each test builds the part of the world its
URL needs (Kent's bid at the right stage, its award, an export...), then asks as each
actor; every request runs in a savepoint that is rolled back, so a POST that works
(removing a partner, signing out) changes nothing the next actor, or the next test, sees.
A POST has an empty body (the test client does not check CSRF) unless the row gives a
minimal one. All mismatches are collected and shown as one table.
"""

from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from bids import assignment, documents, interviews, staging, workflow
from bids.models import ConflictOfInterest, Interview
from monitoring.enums import ReturnState
from trusts import awards, payments
from trusts.enums import Audience
from trusts.exports import jobs
from trusts.models import Instalment, ReportExport

from . import factories
from .authorisation_expectations import (
    ACTORS,
    ADMIN_GROUP,
    ADMIN_LOGIN,
    ADMIN_SITE,
    REDIRECT,
    ROWS,
    SIGN_IN,
)
from .conftest import second_factor_given
from .monitoring.builders import operational, return_in_state

EXPECTATIONS = "tests/authorisation_expectations.py"


# The URL patterns ------------------------------------------------------------------------


def served_urls(resolver=None, namespace="", route="", keywords=()):
    """{name: (route, keyword names)} for every pattern under the resolver, recursively.
    Patterns without a name are listed under their route, so they fail for want of a row."""
    resolver = resolver or get_resolver()
    found = {}
    for pattern in resolver.url_patterns:
        here = route + str(pattern.pattern)
        names = (*keywords, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            found.update(served_urls(pattern, inner, here, names))
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.setdefault(name or f"(unnamed) {here}", (here, names))
    return found


SERVED = served_urls()
IN_ADMIN = {
    name for name in SERVED if name.startswith("admin:") or name.startswith("(unnamed) django-admin/")
}
CASES = sorted((set(SERVED) - IN_ADMIN) | set(ROWS)) + ([ADMIN_GROUP] if IN_ADMIN else [])


# The world -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def actors(module_rows):
    """({actor: user pk}, {actor: session cookies}): every actor of the table, signed in
    completely (second factor given, as tests/conftest.py's force_login does), made once for
    the module. Every request runs in a savepoint that is rolled back, so no test's requests
    (signing out, a session touched) reach the next test's."""
    with module_rows():
        lead = factories.lead_user()
        people = {
            "other": factories.user(Role.COUNCIL, "LDS", is_bid_lead=True),
            "own": factories.user(Role.COUNCIL, "KEN", is_bid_lead=True),
            "unassigned": factories.user(Role.ASSESSOR, region="north_west"),
            "conflicted": factories.user(Role.ASSESSOR, region="south_west"),
            "assigned": factories.user(Role.ASSESSOR, region="london"),
            "lead": lead,
            "admin": factories.user(Role.ADMIN),
            # Not an actor of the table: the one who may use the Django admin.
            "superuser": factories.user(Role.ADMIN, is_superuser=True, is_staff=True),
        }
        sessions = {"anonymous": None}
        for actor, person in people.items():
            client = Client()
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
            second_factor_given(client)
            sessions[actor] = {key: morsel.value for key, morsel in client.cookies.items()}
    return {actor: person.pk for actor, person in people.items()}, sessions


class World:
    """The actors, and scenes built on demand: Kent's objects at the stage a URL needs.

    The conflicted assessor was assigned to Kent's bids (and sits on the interview panel)
    before the conflict was recorded, the state the defences must hold against: bids_for()
    and the rules, not a missing assignment, keep them out.

    Both council officers lead their council's bid, so the colleague pages are asked of a
    bid lead of the right authority and of the wrong one.

    The actors come from the module's `actors`, read afresh for each test.
    """

    def __init__(self, actors):
        pks, self.sessions = actors
        self.client = Client()
        found = User.objects.in_bulk(pks.values())
        self.people = {actor: found[pk] for actor, pk in pks.items()}
        self.lead = self.people["lead"]
        self.council = self.people["own"]
        self.assessors = [self.people["assigned"], self.people["conflicted"]]

    def scene(self, name):
        """The URL keyword values this scene offers (a keyword's value, or an object's pk).
        Each scene has a round of its own, as Kent may have only one live bid in a round."""
        self.round = factories.open_round()
        invitee = factories.user(Role.COUNCIL, "KEN")
        common = {
            "round_slug": self.round.slug,
            "section": "contacts",
            "page": "lead-officer",
            "assessor_pk": self.people["assigned"].pk,
            "uidb64": urlsafe_base64_encode(force_bytes(invitee.pk)),
            "token": default_token_generator.make_token(invitee),
        }
        values = getattr(self, f"scene_{name}")()
        self.record_conflict()
        return {**common, **values}

    def record_conflict(self):
        ConflictOfInterest.objects.get_or_create(
            assessor=self.people["conflicted"],
            authority=factories.authority("KEN"),
            defaults={"reason": "Former employer", "declared_by": self.people["conflicted"]},
        )

    def uploaded(self, bid):
        upload = SimpleUploadedFile("plan.pdf", factories.pdf_bytes(), "application/pdf")
        return documents.add_document(bid, upload, self.council)

    def bid_keys(self, bid):
        return {"reference": bid.reference}

    # Scenes, one method each: scene_<name> returns its keyword values.

    def scene_none(self):
        return {}

    def scene_round(self):
        """The scene's round, one of its criteria and a section of its details."""
        return {"pk": self.round.criteria.first().pk, "round_section": "funding"}

    def scene_person(self):
        """Someone with an authenticator app, whose second factor an administrator may reset."""
        person = factories.user(Role.ASSESSOR)
        TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
        return {"pk": person.pk}

    def scene_invited(self):
        """A Kent officer invited but who has not yet chosen a password."""
        person = factories.user(Role.COUNCIL, "KEN")
        person.set_unusable_password()
        person.save()
        return {"pk": person.pk}

    def scene_colleague(self):
        """Another officer of Kent: a colleague of Kent's bid lead."""
        return {"pk": factories.user(Role.COUNCIL, "KEN").pk}

    def scene_deactivated(self):
        """A Kent officer who has been deactivated."""
        return {"pk": factories.user(Role.COUNCIL, "KEN", is_active=False).pk}

    def scene_draft(self):
        bid = factories.draft_bid(self.round, "KEN", self.council, complete=True)
        for assessor in self.assessors:
            factories.assign(bid, assessor, self.lead)
        return {
            **self.bid_keys(bid),
            "partner": bid.partners.order_by("pk").first().pk,
            "document": self.uploaded(bid).pk,
        }

    def submitted(self):
        """Kent's bid submitted with a real document, both assessors assigned."""
        bid = factories.draft_bid(self.round, "KEN", self.council, complete=True)
        self.document = self.uploaded(bid)
        bid = workflow.change_state(bid, "submit", self.council)
        for assessor in self.assessors:
            factories.assign(bid, assessor, self.lead)
        return bid

    def under_assessment(self):
        return workflow.change_state(self.submitted(), "begin_assessment", self.lead)

    def shortlisted(self):
        return workflow.change_state(
            self.under_assessment(), "shortlist", self.lead, reason="Above the line."
        )

    def scene_submitted(self):
        return self.bid_keys(self.submitted())

    def scene_withdrawn(self):
        bid = self.submitted()
        workflow.change_state(bid, "withdraw", self.council, reason="The partnership board has not agreed.")
        return self.bid_keys(bid)

    def scene_under_assessment(self):
        return {**self.bid_keys(self.under_assessment()), "document": self.document.pk}

    def scene_excluded(self):
        """Kent's bid under assessment, with an assessor (none of the actors) excluded from it."""
        bid = self.under_assessment()
        excluded = factories.user(Role.ASSESSOR, region="east_midlands")
        assignment.exclude(bid, excluded, self.lead, "Advised the council on its bid.")
        return {**self.bid_keys(bid), "excluded_assessor": excluded.pk}

    def scene_pending(self):
        """Kent's bid under assessment, with the lead's decision to shortlist it pending."""
        bid = self.under_assessment()
        staging.stage(bid, self.lead, outcome="shortlist", reasons="Above the line.", feedback="Strong.")
        return self.bid_keys(bid)

    def scene_scored(self):
        bid = self.under_assessment()
        assessment = factories.submit_scores(bid, self.people["assigned"], [3, 3, 3, 3, 3])
        return {**self.bid_keys(bid), "assessment_pk": assessment.pk}

    def scene_shortlisted(self):
        return self.bid_keys(self.shortlisted())

    def interview_booked(self):
        bid = self.shortlisted()
        interviews.schedule(
            bid,
            self.lead,
            starts_at=factories.interview_time(self.round),
            duration_minutes=60,
            location="Wellington House, 133-155 Waterloo Road, London SE1 8UG",
            video_link="",
            panel=[self.lead, self.people["assigned"]],
        )
        # On the panel before the conflict was recorded (see the class's docstring).
        bid.interviews.get(state=Interview.State.SCHEDULED).panel.add(self.people["conflicted"])
        return bid

    def scene_interview_booked(self):
        return self.bid_keys(self.interview_booked())

    def scene_interview_started(self):
        """Kent's interview, begun a minute ago: the panel may record it and give their scores."""
        bid = self.interview_booked()
        Interview.objects.filter(bid=bid).update(starts_at=timezone.now() - timedelta(minutes=1))
        return self.bid_keys(bid)

    def scene_interviewed(self):
        bid = self.interview_booked()
        over = factories.interview_over(bid)
        interviews.record(bid, self.lead, notes="Strong answers on governance.", score=3, now=over)
        return self.bid_keys(bid)

    def offered(self):
        award = factories.approved_bid_with_award(self.round, "KEN", self.council, self.lead)
        for assessor in self.assessors:
            factories.assign(award.bid, assessor, self.lead)
        return award

    def award_keys(self, award):
        return {"reference": award.bid.reference, "pk": award.pk, "number": 1}

    def scene_offered(self):
        return self.award_keys(self.offered())

    def accepted(self):
        return awards.accept(self.offered(), self.council, **factories.SIGNATORY)

    def consult(self, award, audiences):
        activities = []
        for audience in audiences:
            evidence = SimpleUploadedFile("minutes.pdf", factories.pdf_bytes("Minutes"), "application/pdf")
            activities.append(
                awards.record_consultation(
                    award,
                    self.council,
                    held_on=timezone.localdate(),
                    audience=audience,
                    people_reached=25,
                    summary="Met to talk about the changes.",
                    evidence=evidence,
                    evidence_name="minutes.pdf",
                    evidence_type="application/pdf",
                )
            )
        return activities

    def scene_accepted(self):
        award = self.accepted()
        (activity,) = self.consult(award, [Audience.COMMUNITIES])
        return {**self.award_keys(award), "activity_pk": activity.pk, "trust": award.trust.pk}

    def scene_conditions_met(self):
        award = self.accepted()
        self.consult(award, list(Audience))
        return self.award_keys(awards.mark_conditions_met(award, self.lead))

    # Payments: Kent's first instalment, released when the condition was met; the lead
    # requests it and the administrator, another official, approves it.

    def scene_payment_released(self):
        return self.scene_conditions_met()

    def scene_payment_requested(self):
        keys = self.scene_conditions_met()
        payments.request(Instalment.objects.get(award_id=keys["pk"], number=1), self.lead)
        return keys

    def scene_payment_approved(self):
        keys = self.scene_payment_requested()
        payments.approve(Instalment.objects.get(award_id=keys["pk"], number=1), self.people["admin"])
        return keys

    # Monitoring returns: Kent's pilot, its trust operational 60 days ago, so return 1 has
    # begun. A colleague of Kent's prepares each return, so Kent's officer may certify it.

    def scene_pilot(self):
        return {"pk": operational(self.accepted()).pk, "period": 1}

    def return_keys(self, state):
        award = operational(self.accepted())
        colleague = factories.user(Role.COUNCIL, "KEN")
        monitoring_return = return_in_state(
            state, award, preparer=colleague, certifier=self.council, lead=self.lead
        )
        return {"pk": monitoring_return.pk, "award": award.pk, "period": monitoring_return.period}

    def scene_return_draft(self):
        return self.return_keys(ReturnState.DRAFT)

    def scene_return_awaiting(self):
        return self.return_keys(ReturnState.AWAITING_CERTIFICATION)

    def scene_return_submitted(self):
        return self.return_keys(ReturnState.SUBMITTED)

    def scene_export(self):
        export = ReportExport.objects.create(format="csv", funding_round=self.round, requested_by=self.lead)
        jobs.run_export(export.pk)
        return {"pk": export.pk}

    # Asking --------------------------------------------------------------------------------

    def answer(self, actor, method, url, body=None):
        """What the URL answers, in the table's terms; a crash is a 500 with its reason.
        Each request starts with the actor's session cookie and no other: the world's one
        client (its middleware loaded once) has its cookies replaced before each."""
        client = self.client
        client.cookies = SimpleCookie(self.sessions[actor] or {})
        with transaction.atomic():
            try:
                response = client.post(url, body or {}) if method == "POST" else client.get(url)
            except Exception as error:  # a view that crashes is reported, not raised
                outcome = f"500 {type(error).__name__}: {error}"[:120]
            else:
                outcome = classify(response)
                if response.streaming:
                    # Reading to the end closes the file the way the test client expects.
                    b"".join(response.streaming_content)
            transaction.set_rollback(True)
        return outcome


def classify(response):
    if response.status_code != 302:
        return response.status_code
    destination = response["Location"].split("?")[0]
    if destination == reverse("accounts:sign-in"):
        return SIGN_IN
    if destination == reverse("admin:login"):
        return ADMIN_LOGIN
    return REDIRECT


def mismatch_table(rows):
    header = ("url", "scene", "actor", "method", "expected", "got")
    widths = [max(len(str(cells[i])) for cells in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))
        for cells in [header, *rows]
    ]
    return "\n".join(lines)


def ask_everyone(world, cases):
    """cases: (url, scene, actor, method, expected, body). Returns the mismatches as table rows."""
    mismatches = []
    for url, scene, actor, method, expected, body in cases:
        got = world.answer(actor, method, url, body)
        if got != expected:
            shown = f"{method} {body}" if body else method
            mismatches.append((url, scene, actor, shown, expected, got))
    return mismatches


def admin_cases():
    unknown = [name for name in SERVED if name.endswith("_changelist") and name not in ADMIN_SITE]
    stale = [name for name in ADMIN_SITE if name not in SERVED]
    assert not unknown, f"Admin pages with no entry in ADMIN_SITE in {EXPECTATIONS}: {', '.join(unknown)}"
    assert not stale, f"ADMIN_SITE in {EXPECTATIONS} names pages that no longer exist: {', '.join(stale)}"
    for name, admin_answers in ADMIN_SITE.items():
        url = reverse(name)
        for actor in (*ACTORS, "superuser"):
            for method, admin_answer in zip(("GET", "POST"), admin_answers, strict=True):
                expected = admin_answer if actor == "superuser" else ADMIN_LOGIN
                yield url, "none", actor, method, expected, {}


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASES)
def test_every_url_answers_each_actor_as_the_table_says(name, actors):
    world = World(actors)
    if name == ADMIN_GROUP:
        cases = list(admin_cases())
    else:
        if name not in ROWS:
            where = name if name.startswith("(unnamed)") else f"{name} (/{SERVED[name][0]})"
            pytest.fail(f"{where} has no row in {EXPECTATIONS}: add what each actor gets", pytrace=False)
        if name not in SERVED:
            pytest.fail(f"{EXPECTATIONS} has a row for {name}, which no URL pattern is named", pytrace=False)
        cases = []
        for row in ROWS[name] if isinstance(ROWS[name], list) else [ROWS[name]]:
            scene = world.scene(row.scene)
            keywords = SERVED[name][1]
            missing = [kw for kw in keywords if row.kwargs.get(kw, kw) not in scene]
            assert not missing, f"Scene {row.scene!r} has no value for {name}'s {', '.join(missing)}"
            url = reverse(name, kwargs={kw: scene[row.kwargs.get(kw, kw)] for kw in keywords})
            cases += [
                (url, row.scene, actor, method, answers[i], body)
                for i, actor in enumerate(ACTORS)
                for method, answers, body in (("GET", row.get, {}), ("POST", row.post, row.data))
            ]
    mismatches = ask_everyone(world, cases)
    assert not mismatches, f"{len(mismatches)} of {len(cases)} answers differ:\n" + mismatch_table(mismatches)
