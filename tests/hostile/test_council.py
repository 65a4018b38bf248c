"""Hostile input on the council's pages: every question page, partners, documents, the
"completed?" question, submitting, withdrawing and starting a bid.

Kent's officer posts; Leeds has a full bid in the same round that nothing Kent sends may
touch, and whose ids (its reference, its partners, its documents) are among the values
drawn.
"""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from bids import documents, eligibility, workflow
from bids.form_fields import PHONE
from bids.forms.council import WITHDRAW_REASON_LIMIT
from bids.forms.sections.delivery import MAX_POPULATION
from bids.forms.task_list import QUESTION_PAGES, completion_problems
from bids.models import (
    Bid,
    BidState,
    DeliverySetting,
    EventKind,
    Focus,
    GovernanceModel,
    Partner,
    Section,
    Sector,
    SupportingDocument,
)
from reference.models import ServiceScope
from tests import factories

from .inputs import (
    EACH_PAGE,
    HOSTILE,
    NUL,
    a_file,
    assert_escaped,
    assert_handled,
    assert_no_nul,
    field,
    form,
    hostile_text,
    last_text,
    page_text,
    posting,
    rolled_back,
)

pytestmark = pytest.mark.django_db

NOT_THERE = [0, 999_999_999, 2**63 - 1, 2**70]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


@pytest.fixture
def leeds_bid(open_round, leeds_user):
    return factories.draft_bid(open_round, "LDS", leeds_user, complete=True)


@pytest.fixture
def kent_bid(open_round, kent_user):
    return factories.draft_bid(open_round, "KEN", kent_user)


@pytest.fixture
def kent(client_for, kent_user):
    return client_for(kent_user)


def record_of(bid):
    """Everything a council could change about a bid, to prove it did not change."""
    bid = Bid.objects.get(pk=bid.pk)
    return {
        "bid": model_to_dict(bid, exclude=["service_scopes"]),
        "scopes": sorted(bid.service_scopes.values_list("pk", flat=True)),
        "partners": [model_to_dict(partner) for partner in bid.partners.order_by("pk")],
        "documents": [model_to_dict(document) for document in bid.documents.order_by("pk")],
        "sections": list(bid.sections.order_by("section").values("section", "completed", "version")),
        "events": bid.events.count(),
    }


def assert_bid_keeps_the_rules(bid):
    """What a stored draft may hold, whatever was posted to get it there."""
    bid = Bid.objects.select_related("funding_round").get(pk=bid.pk)
    limit = bid.funding_round.max_supplement
    assert Decimal("0") <= bid.supplement_requested <= limit, bid.supplement_requested
    if bid.large_or_complex is not True:
        assert bid.supplement_requested == 0 and bid.supplement_justification == ""
    assert not bid.service_scopes.filter(allowed=False).exists(), "an excluded service scope was stored"
    assert bid.population_covered is None or 1 <= bid.population_covered <= MAX_POPULATION
    assert bid.focus in {"", *Focus.values}
    if bid.focus != Focus.CLIENT_GROUPS:
        assert bid.client_groups == "" or bid.focus == ""
    assert bid.governance_model in {"", *GovernanceModel.values}
    assert isinstance(bid.delivery_settings, list)
    assert set(bid.delivery_settings) <= set(DeliverySetting.values)
    if DeliverySetting.OTHER not in bid.delivery_settings:
        assert bid.delivery_other == ""
    for name in ("lead_name", "lead_job_title", "director_name", "director_job_title"):
        assert len(getattr(bid, name)) <= 150
    assert len(bid.lead_phone) <= 30 and (bid.lead_phone == "" or PHONE.match(bid.lead_phone))
    assert bid.lead_email == "" or (len(bid.lead_email) <= 254 and EMAIL.match(bid.lead_email))
    text = [
        getattr(bid, f.name)
        for f in Bid._meta.concrete_fields
        if f.get_internal_type() in ("CharField", "TextField")
    ]
    assert_no_nul(*text)
    assert bid.state == BidState.DRAFT


def assert_pages_still_show(client, bid):
    """What was stored can be shown back: the task list and check-your-answers pages."""
    for name in ("bids:bid", "bids:check"):
        response = client.get(reverse(name, args=[bid.reference]))
        assert response.status_code == 200
        assert_escaped(page_text(response))


# Question pages ------------------------------------------------------------------------


def plausible(bid, scopes):
    """Values close to what a person would enter, per field of every question page."""
    allowed = [str(pk) for pk in scopes.filter(allowed=True).values_list("pk", flat=True)]
    excluded = [str(pk) for pk in scopes.filter(allowed=False).values_list("pk", flat=True)]
    limit = bid.funding_round.max_supplement
    return {
        "lead_name": ["Jo Bloggs", "N" * 150, "N" * 151],
        "lead_job_title": ["Head of commissioning"],
        "lead_email": ["jo@kent.example", "jo@", f"{'a' * 250}@kent.example", "JO@KENT.EXAMPLE "],
        "lead_phone": ["01622 694000", "+44 808 157 0192", "0" * 30, "(01622) 694-000", "01622 ²94000"],
        "director_name": ["Dana Director"],
        "director_job_title": ["Director of Social Services"],
        "postal_address": ["Sessions House\nMaidstone ME14 1XQ", "County Hall, Leeds LS1 1UR"],
        "focus": [*Focus.values, "everything"],
        "client_groups": ["Disabled children", "word " * 251],
        "vision": ["One team for every child.", "word " * 501],
        "service_scopes": [*allowed, *excluded, "0", "999999999", "-1", "1.0", "²"],
        "other_scope": ["Youth offending teams"],
        "delivery_settings": [*DeliverySetting.values, "schools"],
        "delivery_other": ["Mobile units"],
        "population_covered": [
            "45,000",
            "45 000",
            "1",
            "0",
            "-1",
            str(MAX_POPULATION),
            str(MAX_POPULATION + 1),
            "2,000,001",
        ],
        "governance_model": [*GovernanceModel.values],
        "governance_other": ["A shadow board"],
        "member_oversight": ["The lead member chairs the board."],
        "accountability_confirmed": ["on", "true", "yes", "false", "0"],
        "large_or_complex": ["yes", "no", "maybe"],
        "supplement_requested": [
            str(limit),
            f"£{limit:,}",
            str(limit + Decimal("0.01")),
            str(limit * 10),
            "25000.50",
            "25000.505",
            "0",
            "0.00",
            "-25000",
            "1e4",
            "٢٥٠٠٠",
        ],
        "supplement_justification": ["Three primary care trusts."],
        "consultation_communities": ["Public meetings."],
        "consultation_agencies": ["Workshops."],
        "consultation_staff": ["Briefings."],
    }


QUESTION_FORMS = [
    pytest.param(section, page, id=f"{section.value}-{page.slug}")
    for section, pages in QUESTION_PAGES.items()
    for page in pages.pages
]


@pytest.mark.parametrize(("section", "page"), QUESTION_FORMS)
@EACH_PAGE
@given(data=st.data())
def test_question_pages_take_anything_and_store_only_what_the_rules_allow(
    data, section, page, kent, kent_bid, leeds_bid
):
    values = plausible(kent_bid, ServiceScope.objects.all())
    fields = {name: field(*values[name]) for name in page.questions()}
    row = kent_bid.sections.get(section=section)
    posted = data.draw(
        form(
            version=field(str(row.version), "0", "-1", "9" * 25), action=field("continue", "later"), **fields
        )
    )
    reference = data.draw(st.sampled_from([kent_bid.reference] * 4 + [leeds_bid.reference]))
    urlencoded = data.draw(st.booleans())
    leeds_before = record_of(leeds_bid)
    with rolled_back():
        url = reverse("bids:section-page", args=[reference, section.value, page.slug])
        response = posting(kent, url, posted, urlencoded)
        outcome = assert_handled(response, refusals=(404,) if reference == leeds_bid.reference else ())
        if reference == leeds_bid.reference:
            assert outcome == "refused"
        assert record_of(leeds_bid) == leeds_before, "Kent's post changed Leeds's bid"
        assert_bid_keeps_the_rules(kent_bid)
        if outcome == "success":
            if last_text(posted.get("action")) != "later":
                # "Save and continue" only moves on when every question on the page is answered.
                saved = Bid.objects.select_related("funding_round", "authority").get(pk=kent_bid.pk)
                assert not page.problems(saved), page.problems(saved)
            assert_pages_still_show(kent, kent_bid)


def test_an_excluded_scope_posted_by_id_is_refused_by_name(kent, kent_bid):
    """The example the property above relies on: it can tell a refusal from a silent drop."""
    excluded = ServiceScope.objects.filter(allowed=False).first()
    url = reverse("bids:section-page", args=[kent_bid.reference, "scopes", "services"])
    response = kent.post(url, {"version": "0", "service_scopes": [str(excluded.pk)]})
    assert assert_handled(response) == "invalid"
    assert excluded.name in page_text(response)
    assert not kent_bid.service_scopes.exists()


# "Have you completed this section?" -----------------------------------------------------


@pytest.fixture
def complete_kent_bid(kent_user):
    return factories.draft_bid(factories.open_round(), "KEN", kent_user, complete=True)


@HOSTILE
@given(data=st.data())
def test_a_section_is_only_marked_complete_when_its_answers_are(
    data, kent, kent_bid, complete_kent_bid, leeds_bid
):
    bid = data.draw(st.sampled_from([kent_bid, complete_kent_bid, leeds_bid]))
    section = data.draw(st.sampled_from(list(Section)))
    posted = data.draw(form(completed=field("yes", "no"), version=field("0", "1")))
    leeds_before = record_of(leeds_bid)
    with rolled_back():
        url = reverse("bids:section-complete", args=[bid.reference, section.value])
        response = posting(kent, url, posted)
        assert_handled(response, refusals=(404,) if bid == leeds_bid else ())
        assert record_of(leeds_bid) == leeds_before
        fresh = Bid.objects.select_related("funding_round", "authority").get(pk=bid.pk)
        if bid != leeds_bid:
            for row in fresh.sections.filter(completed=True):
                problems = completion_problems(fresh, row.section)
                assert not problems, f"{row.section} is marked complete but {problems}"


# Partners ------------------------------------------------------------------------------


@pytest.fixture
def kent_partner(kent_bid, kent_user):
    return factories.partner(kent_bid, Sector.HEALTH, kent_user)


@HOSTILE
@given(data=st.data())
def test_partners_keep_their_rules_and_stay_on_their_own_bid(data, kent, kent_bid, kent_partner, leeds_bid):
    leeds_partner = leeds_bid.partners.first()
    pk = data.draw(
        st.one_of(
            st.none(), st.sampled_from([kent_partner.pk, kent_partner.pk, leeds_partner.pk, *NOT_THERE])
        )
    )
    posted = data.draw(
        form(
            name=field("Kent Primary Care Trust", "N" * 201),
            sector=field(*Sector.values, "military"),
            role=field("Commissions health visiting", "word " * 151),
            contact_name=field("Pat Contact", "C" * 151),
            contact_email=field("", "pat@nhs.example", "pat@", f"{'p' * 250}@nhs.example"),
            version=field("0", "1", "-5"),
            action=field("continue", "later"),
        )
    )
    leeds_before = record_of(leeds_bid)
    with rolled_back():
        if pk is None:
            url = reverse("bids:partner-add", args=[kent_bid.reference])
        else:
            url = reverse("bids:partner-change", args=[kent_bid.reference, pk])
        response = posting(kent, url, posted, data.draw(st.booleans()))
        refused = pk is not None and pk != kent_partner.pk
        outcome = assert_handled(response, refusals=(404,) if refused else ())
        if refused:
            assert outcome == "refused"
        assert record_of(leeds_bid) == leeds_before, "Kent's partner change landed on Leeds's bid"
        for partner in Partner.objects.filter(bid=kent_bid):
            assert partner.sector in Sector.values
            assert 0 < len(partner.name) <= 200 and partner.name.strip()
            assert 0 < len(partner.contact_name) <= 150 and partner.contact_name.strip()
            assert partner.role.strip() and len(partner.role.split()) <= 150
            assert partner.contact_email == "" or EMAIL.match(partner.contact_email)
            assert_no_nul(partner.name, partner.role, partner.contact_name, partner.contact_email)
        if outcome == "success":
            assert_pages_still_show(kent, kent_bid)


@HOSTILE
@given(pk=st.sampled_from(["kent", "leeds", *NOT_THERE]), junk=form(confirm=field()))
def test_removing_a_partner_never_reaches_another_authoritys(
    pk, junk, kent, kent_bid, kent_partner, leeds_bid
):
    leeds_partner = leeds_bid.partners.first()
    target = {"kent": kent_partner.pk, "leeds": leeds_partner.pk}.get(pk, pk)
    leeds_before = record_of(leeds_bid)
    with rolled_back():
        response = posting(kent, reverse("bids:partner-remove", args=[kent_bid.reference, target]), junk)
        assert_handled(response, refusals=() if pk == "kent" else (404,))
        assert record_of(leeds_bid) == leeds_before
        assert Partner.objects.filter(pk=kent_partner.pk).exists() == (pk != "kent")


# Supporting documents -----------------------------------------------------------------

UPLOADS = st.one_of(
    a_file,
    st.builds(
        SimpleUploadedFile,
        st.one_of(
            st.sampled_from(
                ["plan.pdf", "PLAN.PDF", "plan.docx", "budget.xlsx", "notes.odt", ".pdf", "..pdf"]
            ),
            hostile_text.map(lambda text: f"{text[:300]}.pdf"),
        ),
        st.sampled_from(
            [
                factories.pdf_bytes(),
                factories.docx_bytes(),
                factories.xlsx_bytes(),
                factories.odt_bytes(),
                b"%PDF-",
                b"PK\x03\x04junk",
                b"",
            ]
        ),
    ),
)


@HOSTILE
@given(data=st.data())
def test_uploads_store_only_clean_names_of_allowed_kinds(data, kent, kent_bid, leeds_bid):
    posted = data.draw(form(file=field(also=st.one_of(UPLOADS, st.lists(UPLOADS, max_size=3)))))
    leeds_before = record_of(leeds_bid)
    with rolled_back():
        response = posting(kent, reverse("bids:documents", args=[kent_bid.reference]), posted)
        outcome = assert_handled(response)
        assert record_of(leeds_bid) == leeds_before
        stored = list(SupportingDocument.objects.filter(bid=kent_bid))
        assert len(stored) <= documents.MAX_FILES
        for document in stored:
            assert document.content_type in {kind.content_type for kind in documents.KINDS.values()}
            assert 0 < len(document.original_name) <= documents.MAX_NAME_LENGTH
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in document.original_name)
            assert documents.extension_of(document.original_name) in documents.KINDS
        if outcome == "success":
            assert len(stored) == 1
            assert_pages_still_show(kent, kent_bid)


@HOSTILE
@given(which=st.sampled_from(["kent", "leeds", *NOT_THERE]), junk=form(confirm=field()))
def test_removing_a_document_never_reaches_another_authoritys(
    which, junk, kent, kent_bid, kent_user, leeds_bid
):
    mine = SupportingDocument.objects.create(
        bid=kent_bid,
        file="bid-documents/x",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=kent_user,
    )
    theirs = leeds_bid.documents.first()
    target = {"kent": mine.pk, "leeds": theirs.pk}.get(which, which)
    leeds_before = record_of(leeds_bid)
    with rolled_back():
        response = posting(kent, reverse("bids:document-remove", args=[kent_bid.reference, target]), junk)
        assert_handled(response, refusals=() if which == "kent" else (404,))
        assert record_of(leeds_bid) == leeds_before


# Check your answers and submit, withdraw, start ----------------------------------------


@HOSTILE
@given(data=st.data())
def test_only_a_complete_declared_bid_is_submitted(data, kent, kent_bid, complete_kent_bid, leeds_bid):
    bid = data.draw(st.sampled_from([kent_bid, complete_kent_bid, leeds_bid]))
    posted = data.draw(form(declaration_confirmed=field("on", "true", "false", "")))
    leeds_before = record_of(leeds_bid)
    with rolled_back():
        response = posting(kent, reverse("bids:check", args=[bid.reference]), posted)
        outcome = assert_handled(response, refusals=(404,) if bid == leeds_bid else ())
        assert record_of(leeds_bid) == leeds_before
        fresh = Bid.objects.get(pk=bid.pk)
        if fresh.state == BidState.SUBMITTED:
            assert bid == complete_kent_bid and outcome == "success"
            assert fresh.declaration_confirmed and fresh.submitted_at is not None
            assert not eligibility.submission_problems(fresh)
        else:
            assert fresh.state == BidState.DRAFT


@pytest.fixture
def submitted_kent_bid(kent_user):
    return factories.submitted_bid(factories.open_round(), "KEN", kent_user)


@HOSTILE
@given(data=st.data())
def test_a_withdrawal_always_records_a_reason_within_the_limit(data, kent, submitted_kent_bid, leeds_bid):
    bid = data.draw(st.sampled_from([submitted_kent_bid] * 3 + [leeds_bid]))
    posted = data.draw(
        form(
            reason=field(
                "We cannot staff the trust.",
                "x" * WITHDRAW_REASON_LIMIT,
                "x" * (WITHDRAW_REASON_LIMIT + 1),
                " ",
            )
        )
    )
    leeds_before = record_of(leeds_bid)
    with rolled_back():
        response = posting(
            kent, reverse("bids:withdraw", args=[bid.reference]), posted, data.draw(st.booleans())
        )
        outcome = assert_handled(response, refusals=(404,) if bid == leeds_bid else ())
        assert record_of(leeds_bid) == leeds_before
        fresh = Bid.objects.get(pk=bid.pk)
        if fresh.state == BidState.WITHDRAWN:
            assert outcome == "success"
            event = fresh.events.get(kind=EventKind.STATE_CHANGED, to_state=BidState.WITHDRAWN)
            assert event.reason.strip() and len(event.reason) <= WITHDRAW_REASON_LIMIT
            assert_no_nul(event.reason)
            page = kent.get(reverse("bids:bid", args=[bid.reference]))
            assert page.status_code == 200
            assert_escaped(page_text(page))
        else:
            assert fresh.state == bid.state


@HOSTILE
@given(data=st.data())
def test_starting_a_bid_makes_at_most_one_live_bid_for_the_officers_own_authority(
    data, kent, kent_user, open_round, leeds_bid
):
    slug = data.draw(st.sampled_from([open_round.slug, "pilots-2003", "no-such-round", "9" * 40]))
    posted = data.draw(
        form(authority=field("LDS", str(leeds_bid.authority_id)), funding_round=field(str(open_round.pk)))
    )
    with rolled_back():
        response = posting(kent, reverse("bids:start", args=[slug]), posted)
        assert_handled(response, refusals=(404,) if slug not in (open_round.slug, "pilots-2003") else ())
        live = Bid.objects.exclude(state=BidState.WITHDRAWN)
        assert live.filter(funding_round=open_round, authority__code="KEN").count() <= 1
        assert live.filter(funding_round=open_round, authority__code="LDS").count() == 1
        assert not Bid.objects.filter(created_by=kent_user).exclude(funding_round=open_round).exists()


@pytest.fixture
def withdrawn_kent_bid(kent_user):
    bid = factories.draft_bid(factories.open_round(), "KEN", kent_user)
    return workflow.change_state(bid, "withdraw", kent_user, reason="Starting again.")


@HOSTILE
@given(data=st.data())
def test_copying_starts_one_draft_only_from_the_councils_own_withdrawn_bid(
    data, kent, withdrawn_kent_bid, submitted_kent_bid, leeds_bid
):
    bid = data.draw(st.sampled_from([withdrawn_kent_bid, withdrawn_kent_bid, submitted_kent_bid, leeds_bid]))
    posted = data.draw(form(reference=field(leeds_bid.reference), authority=field("LDS")))
    before = set(Bid.objects.values_list("pk", flat=True))
    with rolled_back():
        response = posting(kent, reverse("bids:copy", args=[bid.reference]), posted)
        assert_handled(response, refusals=(404,) if bid == leeds_bid else ())
        new = list(Bid.objects.exclude(pk__in=before))
        assert len(new) <= 1
        for copy in new:
            assert bid == withdrawn_kent_bid
            assert copy.authority_id == bid.authority_id and copy.copied_from_id == bid.pk
            assert copy.state == BidState.DRAFT and not copy.documents.exists()


# Ids in addresses ------------------------------------------------------------------------


@HOSTILE
@given(
    reference=st.one_of(
        st.sampled_from(["CTP-T0-KEN", "CTP-2003-ZZZ", NUL, f"CTP{NUL}", "%00", "..", "x" * 500]),
        hostile_text.filter(lambda text: text and "/" not in text),
    ),
    name=st.sampled_from(["bids:bid", "bids:check", "bids:withdraw", "bids:partners", "bids:documents"]),
)
def test_a_bid_reference_that_is_not_one_of_ours_is_page_not_found(reference, name, kent):
    with rolled_back():
        response = kent.post(reverse(name, args=[reference]), {"reason": "x"})
        assert response.status_code in (404, 405), response.status_code


# Bodies no browser would send --------------------------------------------------------------

BODIES = st.one_of(
    st.tuples(st.just("application/x-www-form-urlencoded"), st.binary(max_size=200)),
    st.tuples(st.just("multipart/form-data; boundary=BoUnDaRy"), st.binary(max_size=200)),
    st.tuples(st.just("multipart/form-data"), st.just(b"--x\r\nContent-Disposition: form-data\r\n\r\n")),
    st.tuples(st.just("application/json"), st.just(b'{"vision": "One team"}')),
    st.tuples(st.just("application/x-www-form-urlencoded"), st.just("&".join(["f=1"] * 1001).encode())),
    st.tuples(st.just("text/plain; charset=utf-16"), st.binary(max_size=50)),
)


@HOSTILE
@given(body=BODIES)
def test_a_body_no_browser_would_send_is_a_bad_request_or_a_form_with_errors(body, kent, kent_bid):
    content_type, raw = body
    with rolled_back():
        url = reverse("bids:section-page", args=[kent_bid.reference, "focus", "vision"])
        response = kent.generic("POST", url, raw, content_type=content_type)
        assert_handled(response, refusals=(400,))
        assert_bid_keeps_the_rules(kent_bid)
