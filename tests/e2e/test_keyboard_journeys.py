"""The three journeys again, in Chromium, with the keyboard alone: no mouse, no filling
fields by script. Focus moves only with Tab, Shift+Tab and the arrow keys, and must be
visible after every move; links and buttons are pressed with Enter or Space; every page
on the way passes axe-core. Only the first page of each journey is opened by address.

A council prepares and submits its bid; an assessor scores it and the programme lead takes
it from moderation to a £100,000 award; an administrator exports the awards and downloads
the files.
"""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Role
from bids import scoring
from bids.models import Bid, BidState, Interview, Section, Sector
from tests import factories
from trusts.enums import ExportState
from trusts.exports import formats, jobs
from trusts.models import FundingAward, ReportExport
from trusts.views import reports as reports_view

from .conftest import (
    assert_accessible,
    assert_focus_visible,
    choose,
    named,
    press_on,
    sign_in_with_keyboard,
    sign_out_with_keyboard,
    tab_to,
    tick,
    type_into,
)

pytestmark = pytest.mark.e2e


def arrive(page, heading):
    """The page pressed into is the one expected, and it passes axe-core."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def success(page, text):
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def save_and_continue(page, heading):
    press_on(page, "Save and continue", "button")
    arrive(page, heading)


def complete_the_section(page, section):
    """On "Have you completed this section?": Yes, then Save and continue, back to the task list."""
    arrive(page, section)
    choose(page, "Yes, I’ve completed this section", "completed")
    press_on(page, "Save and continue", "button")
    success(page, f"You have completed ‘{section}’")
    assert_accessible(page)


def open_task(page, section, first_page):
    tab_to(page, section, "a.govuk-task-list__link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    arrive(page, first_page)


# 1. The council ---------------------------------------------------------------------------


def test_a_council_prepares_and_submits_its_bid_by_keyboard(page):
    funding_round = factories.open_round(name="Children's trust pilots: second round")
    factories.user(Role.COUNCIL, "KEN", email="kent@council.example")
    reference = f"CTP-{funding_round.code}-KEN"

    page.goto("/sign-in")
    arrive(page, "Sign in")
    sign_in_with_keyboard(page, "kent@council.example")
    arrive(page, "Your bids")
    press_on(page, re.compile("^Start your bid"), "button")
    title = "Kent County Council: expression of interest"
    arrive(page, title)

    # A colleague adds two partners and completes three sections meanwhile, with the same
    # kinds of control as the sections done here; the third partner is added by keyboard.
    bid = Bid.objects.get(reference=reference)
    factories.partner(bid, Sector.EDUCATION, name="Kent Education Department")
    factories.partner(bid, Sector.HEALTH, name="West Kent Primary Care Trust")
    Bid.objects.filter(pk=bid.pk).update(
        delivery_settings=["extended_schools"],
        population_covered=312000,
        governance_model="joint_board",
        member_oversight="The lead member chairs the board.",
        accountability_confirmed=True,
        consultation_communities="Public meetings in every district.",
        consultation_agencies="Workshops with each partner.",
        consultation_staff="Briefings and a survey.",
    )
    bid.sections.filter(section__in=[Section.DELIVERY, Section.GOVERNANCE, Section.CONSULTATION]).update(
        completed=True
    )

    # Contacts: text inputs.
    open_task(page, "Contacts", "Lead officer")
    type_into(page, "Full name", "Jo Bloggs")
    type_into(page, "Job title", "Head of children's commissioning")
    type_into(page, "Email address", "jo.bloggs@kent.example")
    type_into(page, "Telephone number", "01622 694000")
    save_and_continue(page, "Director responsible")
    type_into(page, "Full name", "Dana Director")
    type_into(page, "Job title", "Director of Social Services")
    type_into(page, "Postal address for letters", "Sessions House\nCounty Road\nMaidstone ME14 1XQ")
    save_and_continue(page, "Contacts")
    complete_the_section(page, "Contacts")

    # Focus and vision: radios whose answer reveals a textarea, then a counted textarea.
    open_task(page, "Focus and vision", "Focus of the trust")
    choose(page, "Services for specific client groups", "focus")
    # The revealed question follows the chosen radio in the tab order.
    type_into(page, "Which client groups will the trust serve?", "Disabled children")
    save_and_continue(page, "Vision")
    type_into(page, "What is your vision for the trust?", "One team around every child.")
    expect(page.locator(".govuk-character-count__status").first).to_contain_text("words remaining")
    save_and_continue(page, "Focus and vision")
    complete_the_section(page, "Focus and vision")

    # Services in scope: checkboxes.
    open_task(page, "Services in scope", "Services the trust will cover")
    tick(page, "Services for disabled children")
    tick(page, "Speech and language therapy")
    save_and_continue(page, "Services in scope")
    complete_the_section(page, "Services in scope")

    # Partners: a link styled as a button, then radios and a textarea.
    open_task(page, "Partners", "Partners")
    expect(page.locator("#still-needed")).to_contain_text("Still needed: social services")
    press_on(page, "Add another partner", "a")
    arrive(page, "Add a partner")
    type_into(page, "Name of the partner agency", "Kent Social Services")
    choose(page, "Social services", "sector")
    type_into(page, "What will the partner do in the trust?", "Jointly commissions services")
    type_into(page, "Named contact", "Pat Contact")
    save_and_continue(page, "Partners")
    success(page, "Kent Social Services added")
    expect(page.locator("#still-needed")).to_contain_text("all covered")
    press_on(page, "Continue", "a")
    complete_the_section(page, "Partners")

    # Funding: a mistake first; the error summary's link takes focus to the field.
    open_task(page, "Funding", "Funding you are asking for")
    choose(page, "Yes", "large_or_complex")
    type_into(page, "How much more are you asking for?", "-5")
    press_on(page, "Save and continue", "button")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    # GOV.UK Frontend puts focus on the error summary, so the first Tab reaches its link.
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    tab_to(page, "The supplement cannot be a negative amount", "a")
    page.keyboard.press("Enter")
    expect(page.locator("#id_supplement_requested")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("40,000")
    type_into(page, "Why does the trust need a supplement?", "Kent is the largest county council.")
    save_and_continue(page, "Funding")
    complete_the_section(page, "Funding")

    # Supporting documents: the file input is reached by keyboard; the operating system's
    # file chooser it opens is outside the page, so the file is set on the focused input.
    open_task(page, "Supporting documents", "Supporting documents")
    tab_to(page, "Upload a file", "input[type=file]")
    page.locator("input[type=file]:focus").set_input_files(
        {"name": "Kent plan.pdf", "mimeType": "application/pdf", "buffer": factories.pdf_bytes()}
    )
    press_on(page, "Upload file", "button")
    success(page, "uploaded")
    assert_accessible(page)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Kent_plan.pdf")
    press_on(page, "Continue", "a")
    complete_the_section(page, "Supporting documents")

    # Check your answers, the declaration and the submit.
    expect(page.locator("#task-list-check-status")).to_have_text("Not yet started")
    tab_to(page, "Check your answers and submit", "a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    arrive(page, "Check your answers before submitting your expression of interest")
    expect(page.locator("main")).to_contain_text("£40,000")
    tick(page, re.compile("^I confirm that the information in this expression of interest"))
    press_on(page, "Submit your expression of interest", "button")
    expect(page.locator(".govuk-panel__title")).to_have_text("Expression of interest submitted")
    expect(page.locator(".govuk-panel__body")).to_contain_text(reference)
    assert_accessible(page)

    bid.refresh_from_db()
    assert bid.state == BidState.SUBMITTED
    assert bid.lead_name == "Jo Bloggs" and bid.focus == "client_groups"
    assert bid.supplement_requested == 40000
    assert bid.client_groups == "Disabled children" and bid.service_scopes.count() == 2
    assert bid.partners.count() == 3 and bid.documents.count() == 1


# 2. The officials -------------------------------------------------------------------------


def test_officials_take_a_bid_from_scoring_to_a_100000_award_by_keyboard(page):
    funding_round = factories.open_round()
    kent = factories.user(Role.COUNCIL, "KEN", email="kent@council.example")
    assessor1 = named(
        factories.user(Role.ASSESSOR, email="assessor1@doh.example", region="london"), "Aisha Rahman"
    )
    assessor2 = named(factories.user(Role.ASSESSOR, region="north_west"), "Ben Hughes")
    lead = named(factories.user(Role.LEAD, email="lead@doh.example"), "Margaret Lowe")
    bid = factories.under_assessment_bid(funding_round, "KEN", [assessor1, assessor2], kent, lead)
    factories.submit_scores(bid, assessor2, [2, 3, 2, 3, 3])

    # The assessor scores Kent's bid: radios 0 to 4 and a comment for each criterion.
    page.goto("/sign-in")
    arrive(page, "Sign in")
    sign_in_with_keyboard(page, "assessor1@doh.example")
    arrive(page, "Bids to assess")
    press_on(page, "Score Kent County Council's bid", "a")
    arrive(page, "Score Kent County Council's bid")
    for criterion, value in zip(scoring.criteria_for(bid), [4, 3, 3, 3, 4], strict=True):
        choose(page, str(value), f"score_{criterion.pk}")
        type_into(page, f"Comment on {criterion.name}", "Clear evidence.")
    choose(page, "Shortlist", "recommendation")
    type_into(page, "Summary of your assessment", "A strong, well-evidenced partnership.")
    press_on(page, "Submit scores", "button")
    success(page, f"Your scores for {bid.reference} have been submitted")
    assert_accessible(page)
    sign_out_with_keyboard(page)
    arrive(page, "Sign in")

    # The lead finds the bid from the ranking and moderates the assessors' disagreement.
    sign_in_with_keyboard(page, "lead@doh.example")
    arrive(page, "Programme pipeline")
    press_on(page, re.compile("^Ranking and shortlisting"), "a")
    arrive(page, "Ranking")
    press_on(page, "Kent County Council", "a")
    arrive(page, "Kent County Council")
    press_on(page, "Moderate scores", "a")
    arrive(page, "Moderate scores: Kent County Council")
    expect(page.locator("main")).to_contain_text("Assessors differ by 2 or more")
    type_into(page, "Moderated score", "84")
    type_into(page, "Why are you moderating the score?", "Agreed at the moderation meeting.")
    press_on(page, "Save moderated score", "button")
    success(page, f"Moderated score for {bid.reference} saved")
    assert_accessible(page)

    # ... shortlists it on the ranking page, filtered with a select ...
    press_on(page, "Ranking", "a.govuk-service-navigation__link", backwards=True)
    arrive(page, "Ranking")
    tab_to(page, "Status", "select")
    page.keyboard.type("U")  # type-ahead: the one status starting with U
    expect(page.get_by_label("Status")).to_have_value("under_assessment")
    press_on(page, "Apply filters", "button")
    arrive(page, "Ranking")
    tick(page, "Select Kent County Council")
    choose(page, "Shortlist", "decision")
    type_into(page, "Reason", "Highest moderated score in the round.")
    press_on(page, "Apply to selected bids", "button")
    success(page, f"Shortlisted 1 bid: {bid.reference}")
    assert_accessible(page)
    assert Bid.objects.get(pk=bid.pk).state == BidState.SHORTLISTED

    # ... books the interview, putting a first mistake right from the error summary ...
    press_on(page, "Clear filters", "a")  # Kent is no longer under assessment
    arrive(page, "Ranking")
    press_on(page, "Kent County Council", "a")
    arrive(page, "Kent County Council")
    press_on(page, "Schedule an interview", "a")
    arrive(page, "Schedule an interview: Kent County Council")
    press_on(page, "Book interview", "button")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    tab_to(page, "Enter the date of the interview", ".govuk-error-summary a")
    page.keyboard.press("Enter")
    expect(page.locator("#id_starts_at")).to_be_focused()
    day = funding_round.interviews_start_on + timedelta(days=2)
    page.keyboard.type(str(day.day))
    type_into(page, "Month", str(day.month))
    type_into(page, "Year", str(day.year))
    type_into(page, "Hour", "10")
    type_into(page, "Minutes", "30")
    choose(page, "1 hour 30 minutes", "duration_minutes")
    type_into(
        page,
        re.compile("^Where will it be held"),
        "Wellington House, 133-155 Waterloo Road, London SE1 8UG",
    )
    tick(page, "Margaret Lowe")
    tick(page, "Aisha Rahman")
    press_on(page, "Book interview", "button")
    success(page, "Interview booked for 10:30am on")
    assert_accessible(page)

    # ... records it, once it has begun (a journey cannot wait weeks: its start moves back) ...
    Interview.objects.filter(bid=bid).update(starts_at=timezone.now() - timedelta(minutes=1))
    press_on(page, "Record the interview", "a")
    arrive(page, "Record the interview: Kent County Council")
    choose(page, "3", "score")
    type_into(page, "The panel's notes", "Convincing on pooled budgets and member oversight.")
    press_on(page, "Save interview record", "button")
    success(page, f"{bid.reference} is now interviewed")
    assert_accessible(page)

    # ... checks the council (due diligence, needed before any offer) ...
    press_on(page, "Record due diligence checks", "a")
    arrive(page, "Due diligence: Kent County Council")
    choose(page, "Spotlight check", "kind")
    choose(page, "Passed", "result")
    checked = timezone.localdate()
    type_into(page, "Day", str(checked.day))
    type_into(page, "Month", str(checked.month))
    type_into(page, "Year", str(checked.year))
    press_on(page, "Record the check", "button")
    success(page, "Spotlight check on Kent County Council recorded: passed")
    assert_accessible(page)

    # ... and approves it: £60,000 and a £40,000 supplement, with its justification.
    press_on(page, "approve the bid and offer an award", "a")
    arrive(page, "Approve Kent County Council's bid")
    base = tab_to(page, "Base award", "input")
    assert base["value"] == "60,000"
    type_into(page, "Supplement for a large or complex trust", "40,000", replace=True)
    type_into(page, "Why does this trust need a supplement?", "Kent is large: twelve districts.")
    type_into(page, "Reasons for the decision", "The strongest joint working of the round.")
    type_into(page, "Feedback for the council", "The panel was impressed by your partnership.")
    press_on(page, "Approve and offer the award", "button")
    success(page, f"{bid.reference} approved with an award of £100,000")
    assert_accessible(page)

    award = FundingAward.objects.get(bid=bid)
    assert (award.base_amount, award.supplement_amount) == (60000, 40000)
    assert award.supplement_justification == "Kent is large: twelve districts."
    assert Bid.objects.get(pk=bid.pk).state == BidState.APPROVED


# 3. The administrator ---------------------------------------------------------------------


def test_an_administrator_exports_the_awards_by_keyboard(page, monkeypatch):
    funding_round = factories.open_round()
    lead = factories.user(Role.LEAD)
    factories.user(Role.ADMIN, email="admin@doh.example")
    award = factories.approved_bid_with_award(
        funding_round, "KEN", lead=lead, supplement=Decimal("40000"), justification="Twelve districts."
    )

    page.goto("/sign-in")
    arrive(page, "Sign in")
    sign_in_with_keyboard(page, "admin@doh.example")
    arrive(page, "Funding rounds")
    press_on(page, "Reports", "a.govuk-service-navigation__link")
    arrive(page, "Reports")

    # A report too big to send at once is queued for a worker. While it waits, the keyboard
    # user is on its Refresh link; when the worker finishes, the page's poller swaps in the
    # download link, and focus must go with it rather than drop to the top of the page.
    queued = []
    monkeypatch.setattr(formats, "BACKGROUND_THRESHOLD", 0)
    monkeypatch.setattr(reports_view, "queue_export", queued.append)
    choose(page, "Awards (Excel)", "format")
    press_on(page, "Export", "button")
    success(page, "We are building your Awards (Excel) of 1 awards")
    expect(page.locator("[data-export-state]")).to_have_text("Queued")
    assert_accessible(page)
    tab_to(page, "Refresh to see progress", "a")
    monkeypatch.undo()
    jobs.run_export(queued.pop())  # the worker
    expect(page.locator("[data-export-state]")).to_have_text("Ready")
    download_link = page.locator("[data-export-action] a")
    expect(download_link).to_have_text(re.compile("^Download Awards \\(Excel\\)"))
    expect(download_link).to_be_focused()
    assert_focus_visible(page, "the download link appeared")
    assert_accessible(page)
    with page.expect_download() as built:
        page.keyboard.press("Enter")
    assert built.value.suggested_filename.startswith("awards-all-rounds-")
    sheet = load_workbook(io.BytesIO(built.value.path().read_bytes())).active
    assert sheet["A2"].value == award.bid.reference and sheet["B2"].value == "Kent County Council"
    assert ReportExport.objects.get().state == ExportState.DONE

    # A small report downloads straight away when Export is pressed.
    choose(page, "Awards (CSV)", "format", backwards=True)
    tab_to(page, "Export", "button")
    with page.expect_download() as sent:
        page.keyboard.press("Enter")
    assert sent.value.suggested_filename.startswith("awards-all-rounds-")
    assert sent.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(sent.value.path().read_bytes().decode("utf-8-sig"))))
    assert rows[0][:2] == ["Reference", "Local authority"]
    assert rows[1][:2] == [award.bid.reference, "Kent County Council"]
    assert rows[1][6:9] == ["60000.00", "40000.00", "100000.00"]
    assert_accessible(page)
