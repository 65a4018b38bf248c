"""Every value that once broke a form, posted again. The properties in this folder found
them; these keep them found on every run, whatever hypothesis happens to draw."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from bids.models import Bid, BidSection
from tests import factories
from tests.trusts.conftest import award_in_state
from trusts import payments
from trusts.enums import AwardState
from trusts.models import FundingAward

from .inputs import NUL, assert_handled, client_as, page_text

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000  # more digits than int() will read
LONG = "9" * 25  # more than datetime or a database id can hold


def refused_with(response, message):
    assert assert_handled(response) == "invalid"
    assert message in page_text(response)


@pytest.fixture
def kent(kent_user):
    return client_as(kent_user)


@pytest.fixture
def lead_client(lead):
    return client_as(lead)


@pytest.fixture
def kent_bid(open_round, kent_user):
    return factories.draft_bid(open_round, "KEN", kent_user)


def question(client, bid, section, page, answers):
    version = BidSection.objects.get(bid=bid, section=section).version
    url = reverse("bids:section-page", args=[bid.reference, section, page])
    return client.post(url, {"version": str(version), **answers})


@pytest.mark.parametrize("typed", ["²", "-²", "½", "4⁵000"])
def test_a_population_in_digits_int_cannot_read(kent, kent_bid, typed):
    response = question(kent, kent_bid, "delivery", "population", {"population_covered": typed})
    refused_with(response, "as a whole number, like 45000")


def test_a_population_in_digits_int_can_read_is_still_taken(kent, kent_bid):
    """Only digits int() cannot read are refused: Eastern Arabic digits were read, and still are."""
    response = question(kent, kent_bid, "delivery", "population", {"population_covered": "٤٥٠٠٠"})
    assert assert_handled(response) == "success"
    assert Bid.objects.get(pk=kent_bid.pk).population_covered == 45000


@pytest.mark.parametrize("typed", ["²", LONG, HUGE])
def test_a_service_scope_id_that_is_not_an_id(kent, kent_bid, typed):
    response = question(kent, kent_bid, "scopes", "services", {"service_scopes": [typed]})
    refused_with(response, "Select services from the list")


def test_control_characters_are_taken_out_of_what_is_saved(kent, kent_bid):
    vision = f"One{NUL} team\x0bfor every\x01 child"
    response = question(kent, kent_bid, "focus", "vision", {"vision": vision, "action": "later"})
    assert assert_handled(response) == "success"
    assert Bid.objects.get(pk=kent_bid.pk).vision == "One team\nfor every child"


def test_a_nul_in_a_bid_reference_is_page_not_found(kent):
    assert kent.get(f"/bids/CTP{NUL}").status_code == 404
    assert kent.post(f"/bids/{NUL}/withdraw", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"closes_at_hour": "²", "closes_at_minute": "00"}, "a real time on the 24-hour clock"),
        ({"closes_at_hour": HUGE, "closes_at_minute": "00"}, "a real time on the 24-hour clock"),
        ({"closes_at_day": LONG}, "must be a real date"),
        ({"closes_at_month": LONG}, "must be a real date"),
    ],
)
def test_an_extension_date_or_time_no_clock_has(lead_client, open_round, parts, message):
    later = open_round.closes_at.date() + timedelta(days=7)
    posted = {
        "authority": str(factories.authority("KEN").pk),
        "reason": "Flooding.",
        "closes_at_day": str(later.day),
        "closes_at_month": str(later.month),
        "closes_at_year": str(later.year),
        "closes_at_hour": "17",
        "closes_at_minute": "00",
        **parts,
    }
    refused_with(lead_client.post(reverse("bids:extensions", args=[open_round.slug]), posted), message)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"starts_at_year": "²"}, "must be a real date"),
        ({"starts_at_day": LONG}, "must be a real date"),
        ({"starts_at_minute": HUGE}, "from 0 to 59"),
        ({"starts_at_hour": "²"}, "from 0 to 23"),
    ],
)
def test_an_interview_date_or_time_no_clock_has(lead_client, open_round, kent_user, lead, parts, message):
    bid = factories.shortlisted_bid(open_round, "KEN", [], kent_user, lead)
    day = open_round.interviews_start_on + timedelta(days=3)
    posted = {
        "expected_state": bid.state,
        "starts_at_day": str(day.day),
        "starts_at_month": str(day.month),
        "starts_at_year": str(day.year),
        "starts_at_hour": "10",
        "starts_at_minute": "30",
        "duration_minutes": "60",
        "location": "Wellington House",
        "panel": [str(lead.pk)],
        **parts,
    }
    refused_with(lead_client.post(reverse("bids:schedule-interview", args=[bid.reference]), posted), message)


@pytest.mark.parametrize("typed", ["²", HUGE])
def test_a_ranking_bid_id_that_is_not_an_id(lead_client, open_round, typed):
    factories.under_assessment_bid(open_round, "KEN")
    posted = {"decision": "shortlist", "reason": "Above the line.", "bids": [typed]}
    refused_with(lead_client.post(reverse("bids:ranking", args=[open_round.slug]), posted), "Select bids")


@pytest.fixture
def accepted(lead, kent_user, open_round):
    return award_in_state(AwardState.ACCEPTED, lead=lead, council=kent_user, funding_round=open_round)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"people_reached": "²"}, "must be a whole number"),
        ({"people_reached": HUGE}, "or fewer"),
        ({"held_on_day": LONG}, "must be a real date"),
        ({"held_on_month": HUGE}, "must be a real date"),
        ({"held_on_year": "²⁰⁰³"}, "must be a real date"),
    ],
)
def test_consultation_numbers_and_dates_int_cannot_read(kent, accepted, changes, message):
    held = timezone.localdate() - timedelta(days=2)
    posted = {
        "held_on_day": str(held.day),
        "held_on_month": str(held.month),
        "held_on_year": str(held.year),
        "audience": "staff",
        "people_reached": "40",
        "summary": "Briefed every team.",
        **changes,
    }
    refused_with(kent.post(reverse("trusts:record-consultation", args=[accepted.pk]), posted), message)


def test_a_tampered_hidden_state_is_named_in_the_error_summary(kent, lead, kent_user, open_round):
    offered = award_in_state(AwardState.OFFERED, lead=lead, council=kent_user, funding_round=open_round)
    response = kent.post(
        reverse("trusts:accept", args=[offered.pk]), {"confirm": "on", "expected_state": "bogus"}
    )
    refused_with(response, "Select a valid choice")
    assert FundingAward.objects.get(pk=offered.pk).state == AwardState.OFFERED


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("withdraw", "Enter the reason you are withdrawing the offer"),
        ("record-paid", "Enter the payment reference"),
    ],
)
def test_an_empty_post_to_an_award_page_is_told_what_is_missing(
    lead_client, lead, kent_user, open_round, name, message
):
    state = AwardState.ACCEPTED if name == "withdraw" else AwardState.CONDITIONS_MET
    award = award_in_state(state, lead=lead, council=kent_user, funding_round=open_round)
    args = [award.pk]
    if name == "record-paid":  # an approved instalment, the one step that needs a reference
        payments.request(award.instalments.get(), lead)
        payments.approve(award.instalments.get(), factories.approver(lead))
        args.append(1)
    refused_with(lead_client.post(reverse(f"trusts:{name}", args=args), {}), message)


def test_an_empty_post_to_invite_a_user_is_told_what_is_missing(admin_user):
    refused_with(
        client_as(admin_user).post(reverse("accounts:invite-user"), {}), "Enter the person&#x27;s full name"
    )


@pytest.mark.parametrize("typed", ["abc", " ", "1.0", LONG])
def test_the_django_admin_shows_a_user_again_after_a_council_id_that_is_not_one(typed):
    superuser = factories.user(Role.ADMIN, is_superuser=True, is_staff=True)
    person = factories.user(Role.ASSESSOR)
    posted = {
        "email": person.email,
        "full_name": person.full_name,
        "role": "council",
        "local_authority": typed,
    }
    response = client_as(superuser).post(reverse("admin:accounts_user_change", args=[person.pk]), posted)
    assert response.status_code == 200 and 'class="errornote"' in page_text(response)


# Ids past the largest a database id can be: PostgreSQL finds nothing, SQLite cannot compare them.

PAST_THE_LARGEST_ID = str(2**70)


def test_a_section_version_past_any_real_one_counts_as_out_of_date(kent, kent_bid):
    url = reverse("bids:section-page", args=[kent_bid.reference, "focus", "vision"])
    response = kent.post(url, {"version": str(2**63), "vision": "One team for every child."})
    assert assert_handled(response) == "success"
    assert Bid.objects.get(pk=kent_bid.pk).vision == "One team for every child."


def test_a_service_scope_id_past_the_largest(kent, kent_bid):
    response = question(kent, kent_bid, "scopes", "services", {"service_scopes": [PAST_THE_LARGEST_ID]})
    refused_with(response, "Select services from the list")


def test_an_interview_panel_member_id_past_the_largest(lead_client, open_round, kent_user, lead):
    bid = factories.shortlisted_bid(open_round, "KEN", [], kent_user, lead)
    response = lead_client.post(
        reverse("bids:schedule-interview", args=[bid.reference]), {"panel": [PAST_THE_LARGEST_ID]}
    )
    refused_with(response, "Select panel members from the list")


def test_unassigning_an_assessor_id_past_the_largest_is_page_not_found(lead_client, open_round, assessor):
    bid = factories.under_assessment_bid(open_round, "KEN", [assessor])
    address = reverse("bids:unassign", kwargs={"reference": bid.reference, "assessor_pk": 2**70})
    assert lead_client.post(address, {"expected_state": bid.state}).status_code == 404
