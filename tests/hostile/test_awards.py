"""Hostile input on the award pages (accept, decline, consultation, conditions met,
payment, withdrawal), the reports page and the awards list's filters.

Kent's officer answers Kent's award; Leeds has an award too, whose id is drawn, and which
nothing Kent or the lead sends to Kent's award may change.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bids import documents
from tests import factories
from tests.trusts.conftest import award_in_state, consult
from trusts import payments
from trusts.enums import Audience, AwardState, ExportFormat, InstalmentState
from trusts.forms import MAX_PEOPLE, MAX_REASON_WORDS
from trusts.models import AwardEvent, ConsultationActivity, FundingAward, Instalment, ReportExport

from .inputs import (
    HOSTILE,
    NOT_THERE_IDS,
    NUMBERISH,
    a_file,
    assert_escaped,
    assert_handled,
    assert_no_nul,
    client_as,
    field,
    form,
    hostile_text,
    last_text,
    page_text,
    posting,
    rolled_back,
)

pytestmark = pytest.mark.django_db


def url(name, pk):
    return reverse(f"trusts:{name}", kwargs={"pk": pk})


@pytest.fixture
def leeds_award(lead, leeds_user):
    return factories.approved_bid_with_award(factories.open_round(), "LDS", leeds_user, lead)


@pytest.fixture
def kent(kent_user):
    return client_as(kent_user)


@pytest.fixture
def lead_client(lead):
    return client_as(lead)


def record_of(award):
    award = FundingAward.objects.get(pk=award.pk)
    return {
        "award": model_to_dict(award),
        "state": award.state,
        "events": list(award.events.values_list("pk", flat=True)),
        "activities": list(award.consultation_activities.values()),
    }


def award_ids(award, other):
    return st.sampled_from([award.pk] * 4 + [other.pk, *NOT_THERE_IDS])


def assert_award_page_shows(client, award):
    response = client.get(url("award", award.pk))
    assert response.status_code == 200
    assert_escaped(page_text(response))


def words(text):
    return len(text.split())


SEEN = ["", *AwardState.values, "bogus"]


# The council's answer ------------------------------------------------------------------


@pytest.fixture
def offered(lead, kent_user):
    return award_in_state(
        AwardState.OFFERED, lead=lead, council=kent_user, funding_round=factories.open_round()
    )


@HOSTILE
@given(data=st.data())
def test_an_award_is_accepted_only_by_its_own_council_confirming(data, kent, kent_user, offered, leeds_award):
    pk = data.draw(award_ids(offered, leeds_award))
    posted = data.draw(form(confirm=field("on", "true", "false", ""), expected_state=field(*SEEN)))
    leeds_before = record_of(leeds_award)
    with rolled_back():
        outcome = assert_handled(
            posting(kent, url("accept", pk), posted), refusals=(404,) if pk != offered.pk else ()
        )
        assert record_of(leeds_award) == leeds_before
        award = FundingAward.objects.get(pk=offered.pk)
        assert award.state in (AwardState.OFFERED, AwardState.ACCEPTED)
        if award.state == AwardState.ACCEPTED:
            assert pk == offered.pk and outcome == "success"
            assert award.responded_by == kent_user and award.trust.authority == offered.bid.authority
            assert_award_page_shows(kent, award)


@HOSTILE
@given(data=st.data())
def test_a_declined_award_records_why(data, kent, offered, leeds_award):
    pk = data.draw(award_ids(offered, leeds_award))
    posted = data.draw(
        form(
            reason=field("We cannot staff the trust.", "word " * (MAX_REASON_WORDS + 1)),
            expected_state=field(*SEEN),
        )
    )
    leeds_before = record_of(leeds_award)
    with rolled_back():
        outcome = assert_handled(
            posting(kent, url("decline", pk), posted), refusals=(404,) if pk != offered.pk else ()
        )
        assert record_of(leeds_award) == leeds_before
        award = FundingAward.objects.get(pk=offered.pk)
        assert (award.state == AwardState.DECLINED) == (outcome == "success" and pk == offered.pk)
        if award.state == AwardState.DECLINED:
            assert award.decline_reason.strip() and words(award.decline_reason) <= MAX_REASON_WORDS
            assert_no_nul(award.decline_reason)
            assert_award_page_shows(kent, award)


# Consultation -------------------------------------------------------------------------------


@pytest.fixture
def accepted(lead, kent_user):
    return award_in_state(
        AwardState.ACCEPTED, lead=lead, council=kent_user, funding_round=factories.open_round()
    )


EVIDENCE = st.one_of(
    a_file,
    st.builds(
        SimpleUploadedFile,
        st.one_of(
            st.sampled_from(["notes.pdf", "survey.xlsx", "minutes.docx"]),
            hostile_text.map(lambda t: f"{t[:200]}.pdf"),
        ),
        st.sampled_from(
            [factories.pdf_bytes(), factories.xlsx_bytes(), factories.docx_bytes(), b"MZ\x90\x00", b""]
        ),
    ),
)


def date_parts(name, day):
    return {
        f"{name}_day": field(str(day.day), "31", "0", "32", *NUMBERISH),
        f"{name}_month": field(str(day.month), "2", "13", *NUMBERISH),
        f"{name}_year": field(str(day.year), str(day.year + 1), "03", "20030", *NUMBERISH),
    }


@HOSTILE
@given(data=st.data())
def test_consultation_is_recorded_only_with_a_real_past_date_and_a_sensible_count(
    data, kent, accepted, leeds_award
):
    pk = data.draw(award_ids(accepted, leeds_award))
    posted = data.draw(
        form(
            **date_parts("held_on", timezone.localdate() - timedelta(days=2)),
            audience=field(*Audience.values, "everyone"),
            people_reached=field(
                "40", "1,000", "0", str(MAX_PEOPLE), str(MAX_PEOPLE + 1), "0" * 5000 + "4", *NUMBERISH
            ),
            summary=field("We told staff about the changes.", "word " * 301),
            evidence=field(also=EVIDENCE),
        )
    )
    leeds_before = record_of(leeds_award)
    with rolled_back():
        response = posting(kent, url("record-consultation", pk), posted)
        outcome = assert_handled(response, refusals=(404,) if pk != accepted.pk else ())
        assert record_of(leeds_award) == leeds_before
        activities = list(ConsultationActivity.objects.filter(award=accepted))
        assert len(activities) == (1 if outcome == "success" else 0)
        for activity in activities:
            assert activity.held_on <= timezone.localdate()
            assert activity.audience in Audience.values
            assert 1 <= activity.people_reached <= MAX_PEOPLE
            assert activity.summary.strip() and words(activity.summary) <= 300
            assert_no_nul(activity.summary, activity.evidence_name)
            if activity.evidence:
                assert activity.evidence_content_type in {
                    kind.content_type for kind in documents.KINDS.values()
                }
                assert 0 < len(activity.evidence_name) <= documents.MAX_NAME_LENGTH
                assert not any(ord(ch) < 32 for ch in activity.evidence_name)
        if outcome == "success":
            assert_award_page_shows(kent, accepted)


# The programme lead's steps ------------------------------------------------------------------


@pytest.fixture
def consulted(lead, kent_user):
    award = award_in_state(
        AwardState.ACCEPTED, lead=lead, council=kent_user, funding_round=factories.open_round()
    )
    consult(award, kent_user)
    return award


@HOSTILE
@given(data=st.data())
def test_conditions_are_met_only_once_every_audience_was_consulted(
    data, lead_client, consulted, accepted, leeds_award
):
    award = data.draw(st.sampled_from([consulted, consulted, accepted]))
    posted = data.draw(
        form(note=field("Checked the minutes.", "", "word " * 301), expected_state=field(*SEEN))
    )
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("conditions-met", award.pk), posted))
        for each in (consulted, accepted):
            fresh = FundingAward.objects.get(pk=each.pk)
            if fresh.state == AwardState.CONDITIONS_MET:
                assert each == consulted and award == consulted and outcome == "success"
                assert {a.audience for a in fresh.consultation_activities.all()} == set(Audience.values)
                event = fresh.events.latest("pk")
                assert words(event.reason) <= 300
                assert_no_nul(event.reason)
            else:
                assert fresh.state == AwardState.ACCEPTED
        assert FundingAward.objects.get(pk=leeds_award.pk).state == AwardState.OFFERED


@pytest.fixture
def approved_payment(lead, kent_user):
    """Kent's only instalment, requested by the lead and approved by an administrator."""
    award = award_in_state(
        AwardState.CONDITIONS_MET, lead=lead, council=kent_user, funding_round=factories.open_round()
    )
    instalment = award.instalments.get()
    payments.request(instalment, lead)
    return payments.approve(instalment, factories.approver(lead))


@HOSTILE
@given(data=st.data())
def test_a_payment_has_a_reference_and_a_date_between_its_approval_and_today(
    data, lead_client, approved_payment
):
    posted = data.draw(
        form(
            reference=field("DH-PAY-2003-0142", "R" * 60, "R" * 61, "  "),
            **date_parts("paid_on", timezone.localdate()),
            expected_state=field(*SEEN),
        )
    )
    address = reverse("trusts:record-paid", kwargs={"pk": approved_payment.award_id, "number": 1})
    with rolled_back():
        outcome = assert_handled(posting(lead_client, address, posted))
        instalment = Instalment.objects.get(pk=approved_payment.pk)
        assert (instalment.state == InstalmentState.PAID) == (outcome == "success")
        award = FundingAward.objects.get(pk=approved_payment.award_id)
        assert (award.state == AwardState.PAID) == (outcome == "success")  # its only instalment
        if instalment.state == InstalmentState.PAID:
            reference = instalment.payment_reference
            assert reference.strip() == reference and reference and len(reference) <= 60
            approved_on = timezone.localtime(instalment.approved_at).date()
            assert approved_on <= instalment.paid_on <= timezone.localdate()
            assert_no_nul(reference)
            assert_award_page_shows(lead_client, award)


@HOSTILE
@given(data=st.data())
def test_an_offer_is_withdrawn_only_with_a_reason(data, lead_client, offered, accepted, leeds_award):
    award = data.draw(st.sampled_from([offered, accepted]))
    posted = data.draw(
        form(reason=field("The partnership board was dissolved.", "word " * 301), expected_state=field(*SEEN))
    )
    leeds_before = record_of(leeds_award)
    with rolled_back():
        outcome = assert_handled(posting(lead_client, url("withdraw", award.pk), posted))
        assert record_of(leeds_award) == leeds_before
        fresh = FundingAward.objects.get(pk=award.pk)
        assert (fresh.state == AwardState.WITHDRAWN) == (outcome == "success")
        if fresh.state == AwardState.WITHDRAWN:
            assert fresh.withdrawn_reason.strip() and words(fresh.withdrawn_reason) <= MAX_REASON_WORDS
            assert AwardEvent.objects.filter(award=fresh, to_state=AwardState.WITHDRAWN).count() == 1


# Reports and the awards list ------------------------------------------------------------------


@HOSTILE
@given(data=st.data())
def test_reports_are_sent_or_queued_only_for_a_real_format_and_round(data, lead, admin_user, offered):
    who = data.draw(st.sampled_from([lead, admin_user]))
    posted = data.draw(
        form(
            format=field(*ExportFormat.values, "exe", "../../etc/passwd"),
            funding_round=field(
                offered.bid.funding_round.slug,
                "pilots-2003",
                "no-such-round",
                str(offered.bid.funding_round.pk),
            ),
        )
    )
    client = client_as(who)
    with rolled_back():
        response = posting(client, reverse("trusts:reports"), posted)
        if response.status_code == 200 and response.has_header("Content-Disposition"):
            assert last_text(posted.get("format")) in ExportFormat.values
            assert response["Content-Disposition"].startswith("attachment")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert body
        else:
            assert_handled(response)
        for export in ReportExport.objects.all():
            assert export.format in ExportFormat.values and export.requested_by == who


@HOSTILE
@given(
    query=form(
        funding_round=field("pilots-2003", "no-such-round", "1"),
        state=field(*AwardState.values, "bogus"),
        page=field("1", "2", "last", "-1", *NUMBERISH),
    )
)
def test_the_awards_list_takes_any_query_string(query, lead_client, offered):
    plain = {
        k: [v for v in (vs if isinstance(vs, list) else [vs]) if isinstance(v, str)]
        for k, vs in query.items()
    }
    with rolled_back():
        response = lead_client.get(reverse("trusts:awards"), plain)
        assert response.status_code == 200
        assert_escaped(page_text(response))
