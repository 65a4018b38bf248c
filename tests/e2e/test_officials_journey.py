"""The officials' journey in Chromium, as new users would try it: an assessor declares a
conflict and scores; the programme lead moderates, shortlists from the ranking page,
books and records the interview and approves with a £100,000 award; Kent's officer then
sees each step on the bid page, and nothing that is for officials only."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from bids import scoring
from bids.models import Bid, BidState, Interview
from tests import factories
from trusts.models import FundingAward

from .conftest import assert_accessible, follow, heading, named, press, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_out(page):
    press(page, "Sign out")


def council_sees(council_page, bid):
    """Kent's own view of its bid, in a browser of its own, at this step."""
    council_page.goto(f"/bids/{bid.reference}")
    return council_page.locator("main").inner_text()


@pytest.fixture
def programme():
    funding_round = factories.open_round()
    kent = named(factories.user(Role.COUNCIL, "KEN", email="kent@council.example"), "Karen Ellis")
    assessor1 = named(
        factories.user(Role.ASSESSOR, email="assessor1@doh.example", region="london"), "Aisha Rahman"
    )
    assessor2 = named(factories.user(Role.ASSESSOR, region="north_west"), "Ben Hughes")
    lead = named(factories.user(Role.LEAD, email="lead@doh.example"), "Margaret Lowe")
    kent_bid = factories.under_assessment_bid(funding_round, "KEN", [assessor1, assessor2], kent, lead)
    leeds_bid = factories.under_assessment_bid(funding_round, "LDS", [assessor1, assessor2], lead=lead)
    factories.submit_scores(kent_bid, assessor2, [2, 3, 2, 3, 3])
    return {
        "round": funding_round,
        "kent": kent,
        "assessor1": assessor1,
        "assessor2": assessor2,
        "lead": lead,
        "bid": kent_bid,
        "leeds_bid": leeds_bid,
    }


@pytest.fixture
def council_page(browser, live_server, page, programme):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    council = context.new_page()
    council.errors = []
    council.on("pageerror", lambda error: council.errors.append(str(error)))
    sign_in(council, "kent@council.example")
    yield council
    context.close()


def test_from_scoring_to_a_100000_award(page, council_page, programme):
    bid, funding_round = programme["bid"], programme["round"]
    assert "Being assessed" in council_sees(council_page, bid)

    # The assessor declares a conflict with Leeds, then scores Kent's bid.
    sign_in(page, "assessor1@doh.example")
    assert heading(page) == "Bids to assess"
    assert "Leeds City Council" in page.content()
    follow(page, "Conflicts of interest")
    assert_accessible(page)
    page.get_by_label("Which local authority do you have a conflict of interest with?").select_option(
        label="Leeds City Council"
    )
    page.get_by_label("Why is there a conflict of interest?").fill(
        "My husband is Leeds's director of education."
    )
    press(page, "Declare conflict of interest")
    assert "Conflict of interest with Leeds City Council recorded" in page.content()
    follow(page, "Bids to assess")
    assert "Leeds City Council" not in page.locator("main").inner_text()

    follow(page, re.compile("^Score"))
    assert heading(page) == "Score Kent County Council's bid"
    press(page, "Submit scores")  # nothing chosen yet
    assert page.title().startswith("Error: ")
    assert "Select a score for ‘Joint working across social services, education and health’" in page.content()
    assert_accessible(page)
    for criterion, value in zip(scoring.criteria_for(bid), [4, 3, 3, 3, 4], strict=True):
        page.locator(f"#id_score_{criterion.pk}_{value + 1}").check()
        page.locator(f"#id_comment_{criterion.pk}").fill(f"Clear evidence on {criterion.name.lower()}.")
    page.get_by_label("Shortlist", exact=True).check()
    page.get_by_label("Summary of your assessment").fill("A strong, well-evidenced partnership.")
    assert_accessible(page)
    press(page, "Submit scores")
    assert f"Your scores for {bid.reference} have been submitted" in page.content()
    sign_out(page)

    # The lead moderates the disagreement.
    sign_in(page, "lead@doh.example")
    assert heading(page) == "Programme pipeline"
    page.goto(f"/bids/{bid.reference}")
    follow(page, "Moderate scores")
    assert "Assessors differ by 2 or more" in page.content()
    assert_accessible(page)
    page.get_by_label("Moderated score").fill("84")
    page.get_by_label("Why are you moderating the score?").fill("Agreed at the moderation meeting.")
    press(page, "Save moderated score")
    assert f"Moderated score for {bid.reference} saved" in page.content()

    # ... shortlists it from the ranking page ...
    follow(page, "Ranking")
    assert heading(page) == "Ranking"
    assert_accessible(page)
    page.get_by_label("Status").select_option("under_assessment")
    press(page, "Apply filters")
    page.get_by_label("Select Kent County Council").check()
    page.get_by_role("group", name="What do you want to do with the selected bids?").get_by_label(
        "Shortlist", exact=True
    ).check()
    page.get_by_label("Reason").fill("Highest moderated score in the round.")
    press(page, "Apply to selected bids")
    assert f"Shortlisted 1 bid: {bid.reference}" in page.content()
    assert Bid.objects.get(pk=bid.pk).state == BidState.SHORTLISTED
    assert "Your bid has been shortlisted" in council_sees(council_page, bid)

    # ... books the interview ...
    page.goto(f"/bids/{bid.reference}")
    follow(page, "Schedule an interview")
    press(page, "Book interview")
    assert page.title().startswith("Error: ")
    assert "Enter the date of the interview" in page.content()
    assert_accessible(page)
    day = funding_round.interviews_start_on + timedelta(days=2)
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))
    page.get_by_label("Hour", exact=True).fill("10")
    page.get_by_label("Minutes", exact=True).fill("30")
    page.get_by_label("1 hour 30 minutes").check()
    page.get_by_label("Where will it be held?").fill(
        "Wellington House, 133-155 Waterloo Road, London SE1 8UG"
    )
    page.get_by_label("Margaret Lowe").check()
    page.get_by_label("Aisha Rahman").check()
    assert_accessible(page)
    press(page, "Book interview")
    assert "Interview booked for 10:30am on" in page.content()
    seen = council_sees(council_page, bid)
    assert (
        "Your interview" in seen
        and "Wellington House" in seen
        and f"10:30am on {day.day} {day:%B %Y}" in seen
    )
    assert "Aisha Rahman" not in seen and "Margaret Lowe" not in seen
    assert_accessible(council_page)

    # ... records it, once it has begun (a journey cannot wait weeks: its start moves back) ...
    Interview.objects.filter(bid=bid).update(starts_at=timezone.now() - timedelta(minutes=1))
    follow(page, "Record the interview")
    page.get_by_label("3", exact=True).check()
    page.get_by_label("The panel's notes").fill("Convincing on pooled budgets and member oversight.")
    press(page, "Save interview record")
    assert f"{bid.reference} is now interviewed" in page.content()
    assert "Interview held" in council_sees(council_page, bid)

    # ... is told on the approval page that the council must be checked first, records a
    # Spotlight check (a wrong answer first) ...
    follow(page, "Approve and offer an award")
    assert "Record a passed due diligence check on Kent County Council" in page.content()
    follow(page, "Record a check on Kent County Council")
    press(page, "Record the check")
    assert "Select which check you made" in page.content()
    assert_accessible(page)
    page.get_by_label("Spotlight check").check()
    page.get_by_label("Passed", exact=True).check()
    checked = timezone.localdate()
    page.get_by_label("Day", exact=True).fill(str(checked.day))
    page.get_by_label("Month", exact=True).fill(str(checked.month))
    page.get_by_label("Year", exact=True).fill(str(checked.year))
    page.get_by_label("Notes (optional)").fill("Spotlight report SPT-2003-0117: no issues.")
    press(page, "Record the check")
    assert "Spotlight check on Kent County Council recorded: passed" in page.content()
    assert_accessible(page)

    # ... and approves it with £60,000 plus a £40,000 supplement.
    follow(page, "approve the bid and offer an award")
    assert page.get_by_label("Base award").input_value() == "60,000"
    page.get_by_label("Supplement for a large or complex trust").fill("40,000")
    press(page, "Approve and offer the award")
    assert "Explain why this large or complex trust needs a supplement" in page.content()
    assert_accessible(page)
    page.get_by_label("Why does this trust need a supplement?").fill("Kent is large: twelve districts.")
    page.get_by_label("Reasons for the decision").fill("The strongest joint working of the round.")
    page.get_by_label("Feedback for the council").fill("The panel was impressed by your partnership.")
    assert_accessible(page)
    press(page, "Approve and offer the award")
    assert f"{bid.reference} approved with an award of £100,000" in page.content()
    award = FundingAward.objects.get(bid=bid)
    assert award.base_amount + award.supplement_amount == 100000

    # Kent sees the outcome and every step on the way, and nothing for officials only.
    text = council_sees(council_page, bid)
    assert_accessible(council_page)
    assert "Approved" in text
    assert "The panel was impressed by your partnership." in text
    for step in ["Being assessed", "Shortlisted", "Interview booked", "Interview held", "Bid approved"]:
        assert step in text, step
    assert text.index("Bid approved") < text.index("Interview held") < text.index("Shortlisted")
    for secret in [
        "Aisha Rahman",
        "Ben Hughes",
        "Agreed at the moderation meeting",
        "Convincing on pooled budgets",
        "The strongest joint working of the round",
        "Highest moderated score",
        "84.0%",
    ]:
        assert secret not in text, secret
