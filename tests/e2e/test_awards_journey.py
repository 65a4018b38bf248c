"""An award from offer to payment, and the reports on it, as the people involved would do it:
the lead requests the payment, another official approves it and records it paid.

The lead's approval is driven through bids.workflow.change_state (the officials' approval
pages are another area's); everything after it happens in Chromium.
"""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role, User
from demo.content import minimal_pdf
from tests import factories
from trusts.enums import AwardState, ExportState
from trusts.exports import formats, jobs
from trusts.models import FundingAward, ReportExport

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def person(email, role, code=None):
    return User.objects.create_user(
        email,
        factories.PASSWORD,
        full_name={"lead": "Margaret Lowe", "admin": "Tom Price", "council": "Karen Ellis"}[role],
        role=role,
        local_authority=factories.authority(code) if code else None,
        is_staff=role == Role.ADMIN,
    )


def assert_reflows(page, selector):
    """At 320 CSS pixels wide (WCAG 1.4.10) neither this part of the page nor the page as a whole
    needs sideways scrolling."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        right = page.locator(selector).evaluate("element => element.getBoundingClientRect().right")
        assert right <= 320, f"{selector} on {page.url} reaches {right}px at 320px"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} scrolls sideways at 320px: {width}px wide"
    finally:
        page.set_viewport_size(size)


def switch_to(page, email):
    page.context.clear_cookies()
    sign_in(page, email)


def pdf_text(path):
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


def record_activity(page, audience, held_on, people, summary, evidence=None):
    page.get_by_role("button", name="Record a consultation activity").click()
    page.get_by_label("Day").fill(str(held_on.day))
    page.get_by_label("Month").fill(str(held_on.month))
    page.get_by_label("Year").fill(str(held_on.year))
    page.get_by_label(audience).check()
    page.get_by_label("How many people did it reach?").fill(str(people))
    page.get_by_label("What happened?").fill(summary)
    if evidence:
        page.get_by_label("Upload evidence (optional)").set_input_files(evidence)
    page.get_by_role("button", name="Save the activity").click()
    page.wait_for_load_state()
    assert (
        f"Consultation with {audience.lower()} recorded"
        in page.locator(".govuk-notification-banner").inner_text()
    )


def test_award_from_offer_to_payment_then_exported(page, tmp_path):
    lead = person("lead@doh.example", Role.LEAD)
    kent = person("kent@council.example", Role.COUNCIL, "KEN")
    person("admin@doh.example", Role.ADMIN)
    funding_round = factories.open_round()
    award = factories.approved_bid_with_award(funding_round, "KEN", kent, lead)  # the lead approves
    award_url = f"/awards/{award.pk}"

    # Kent reads the offer, downloads the letter and accepts.
    sign_in(page, "kent@council.example")
    page.goto(award_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Funding award: Kent County Council"
    assert_accessible(page)
    with page.expect_download() as letter:
        page.get_by_role("link", name="Download the award letter (PDF)").click()
    assert letter.value.suggested_filename == f"award-letter-{award.bid.reference}.pdf"
    text = pdf_text(letter.value.path())
    assert "Kent County Council" in text and "£60,000" in text and "Margaret Lowe" in text

    # Accepting is signing the grant agreement, as someone with authority to commit Kent.
    page.get_by_role("button", name="Accept the award").click()
    terms = page.get_by_role("region", name="Terms of the grant").inner_text()
    assert "Recovery. The Department may withhold payments" in terms
    page.get_by_role("button", name="Accept and sign").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the full name of the person signing for the council" in summary
    assert "Confirm that you have authority to commit Kent County Council" in summary
    assert_accessible(page)
    page.get_by_label("Full name of the person signing for the council").fill("Graham Badman")
    page.get_by_label("Their job title").fill("Director of Children's Services")
    page.get_by_label("I confirm that I have authority to commit Kent County Council").check()
    page.get_by_role("button", name="Accept and sign").click()
    assert "Kent Children's Trust is set up" in page.locator(".govuk-notification-banner").inner_text()
    with page.expect_download() as signed:
        page.get_by_role("link", name="Download the signed grant agreement (PDF)").click()
    assert signed.value.suggested_filename == f"grant-agreement-{award.bid.reference}.pdf"
    agreement = pdf_text(signed.value.path())
    assert "Graham Badman, Director of Children's Services, confirmed that they have authority" in agreement

    # The consultation form explains its errors, accessibly.
    page.get_by_role("button", name="Record a consultation activity").click()
    page.get_by_role("button", name="Save the activity").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    for message in [
        "Enter the date the activity was held",
        "Select who was consulted",
        "Enter the number of people the activity reached",
        "Enter a summary of the activity",
    ]:
        assert message in summary
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.locator(".govuk-error-summary a", has_text="Enter the date the activity was held").click()
    assert page.evaluate("document.activeElement.id") == "id_held_on"
    page.get_by_role("link", name="Back").click()

    # Kent records consultation with all three groups, with evidence for one.
    evidence = tmp_path / "Public meeting notes.pdf"
    evidence.write_bytes(minimal_pdf("Public meeting notes"))
    day = timezone.localdate() - timedelta(days=10)
    record_activity(page, "Local communities", day, 120, "Public meetings in three centres.", evidence)
    record_activity(page, "Partner agencies", day + timedelta(days=2), 14, "Workshop with partners.")
    record_activity(page, "Staff involved in the trust", day + timedelta(days=4), 60, "Team briefings.")
    assert "3 of 3 groups consulted" in page.content()
    with page.expect_download() as kept:
        page.get_by_role("link", name="Download Public_meeting_notes.pdf").click()
    assert kept.value.suggested_filename == "Public_meeting_notes.pdf"

    # The lead confirms the condition, which releases the first payment, and requests it.
    switch_to(page, "lead@doh.example")
    page.goto(award_url)
    page.get_by_role("button", name="Confirm the consultation condition is met").click()
    page.get_by_role("button", name="Confirm the condition is met").click()
    assert "The consultation condition is met" in page.locator(".govuk-notification-banner").inner_text()
    schedule = page.locator("#payment-schedule")
    assert "When the consultation condition is met" in schedule.inner_text()
    assert_accessible(page)
    schedule.get_by_role("link", name="Request instalment 1").click()
    assert_accessible(page)
    page.get_by_role("button", name="Request the payment").click()
    assert "Another official must now approve it" in page.locator(".govuk-notification-banner").inner_text()
    # The lead cannot approve their own request: the page says so, and offers no approval.
    assert "You requested this payment, so someone else must approve it" in schedule.inner_text()
    assert schedule.get_by_role("link", name="Approve instalment 1").count() == 0
    page.goto(f"{award_url}/payments/1/approve")
    assert (
        "You requested this payment, so someone else must approve it"
        in page.locator(".govuk-notification-banner").inner_text()
    )

    # The administrator, another official, approves it and records the payment made.
    switch_to(page, "admin@doh.example")
    page.get_by_role("link", name="Payments").click()
    page.get_by_label("Status").select_option("requested")
    page.get_by_role("button", name="Apply filters").click()
    assert "Requested by Margaret Lowe" in page.locator("#payments").inner_text()
    assert_accessible(page)
    page.goto(award_url)
    page.locator("#payment-schedule").get_by_role("link", name="Approve instalment 1").click()
    assert "Margaret Lowe" in page.locator(".govuk-summary-list").inner_text()
    page.get_by_role("button", name="Approve the payment").click()
    assert "Payment of £60,000 approved" in page.locator(".govuk-notification-banner").inner_text()
    page.locator("#payment-schedule").get_by_role("link", name="Record payment instalment 1").click()
    page.get_by_role("button", name="Record the payment").click()
    assert "Enter the payment reference" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Payment reference").fill("DH-PAY-2003-0142")
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record the payment").click()
    assert "Payment of £60,000 to Kent County Council recorded" in page.content()
    assert FundingAward.objects.get(pk=award.pk).state == AwardState.PAID
    assert_accessible(page)

    # Kent sees it paid, and not who asked for or approved it, on a page that reflows at 320px.
    switch_to(page, "kent@council.example")
    page.goto(award_url)
    paid_row = page.locator("#instalment-1").inner_text()
    assert "Paid" in paid_row and "DH-PAY-2003-0142" in paid_row
    assert "Margaret Lowe" not in page.locator("#payment-schedule").inner_text()
    assert_accessible(page)
    assert_reflows(page, "#payment-schedule")

    # The annual review amends the award: a £15,000 supplement, payable as a new instalment.
    switch_to(page, "lead@doh.example")
    page.goto(award_url)
    page.get_by_role("button", name="Record the annual review").click()
    page.get_by_label("Amend the award").check()
    page.get_by_label("Supplement for a large or complex trust").fill("15,000")
    page.get_by_role("button", name="Record the review").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the reasons for the review" in summary
    assert "Explain why this large or complex trust needs a supplement" in summary
    assert page.get_by_label("Supplement for a large or complex trust").input_value() == "15,000"
    assert_accessible(page)
    page.get_by_label("Why does this trust need a supplement?").fill("Two more districts joined.")
    page.get_by_label("Reasons for the decision").fill("Returns show the trust reaching more families.")
    page.get_by_role("button", name="Record the review").click()
    assert "the award to Kent County Council is now £75,000" in page.content()
    assert "£60,000 to £75,000" in page.locator("#reviews ~ .govuk-summary-card").first.inner_text()
    assert_accessible(page)

    # The budget page's figures are the exports' figures (below).
    page.goto(f"/rounds/{funding_round.slug}/budget")
    figures = {
        name: page.locator(f'[data-figure="{name}"]').inner_text()
        for name in ("awarded", "accepted", "scheduled", "approved", "paid")
    }
    assert figures == {
        "awarded": "£75,000",
        "accepted": "£75,000",
        "scheduled": "£15,000",
        "approved": "£0",
        "paid": "£60,000",
    }
    assert page.get_by_role("img", name="Awarded, accepted and paid by region").is_visible()
    assert_accessible(page)

    # The administrator exports the awards and opens each file.
    switch_to(page, "admin@doh.example")
    page.get_by_role("link", name="Reports").click()
    assert_accessible(page)

    # The button ignores a second press within a second (GOV.UK's prevent-double-click): the
    # page's clock is moved on past that second after each export rather than waited for.
    page.clock.install()

    def export(label):
        page.get_by_label(label).check()
        with page.expect_download() as download:
            page.get_by_role("button", name="Export").click()
        page.clock.fast_forward(1100)
        return download.value

    awards_csv = export("Awards (CSV)")
    rows = list(csv.reader(io.StringIO(awards_csv.path().read_bytes().decode("utf-8-sig"))))
    assert rows[1][:2] == [award.bid.reference, "Kent County Council"] and rows[1][5] == "Conditions met"

    workbook = load_workbook(io.BytesIO(export("Awards (Excel)").path().read_bytes()))
    assert workbook.active["B2"].value == "Kent County Council"

    grants = json.loads(export("360Giving grants (JSON)").path().read_bytes())["grants"]
    assert grants[0]["recipientOrganization"][0]["id"] == "GB-LAE-KEN"
    assert grants[0]["amountAwarded"] == 75000 and grants[0]["amountDisbursed"] == 60000

    summary_pdf = export("Programme summary (PDF)")
    assert summary_pdf.suggested_filename.startswith("programme-summary-all-rounds-")
    # Region, pilots, awarded, accepted, scheduled, approved, paid.
    assert "South East 1 £75,000 £75,000 £15,000 £0 £60,000" in pdf_text(summary_pdf.path())


def test_a_large_export_shows_its_progress_then_its_download_link(page, live_server, monkeypatch):
    lead = person("lead@doh.example", Role.LEAD)
    for code in ["BST", "BIR", "CMD"]:
        factories.approved_bid_with_award(factories.open_round(), code, lead=lead)
    export = ReportExport.objects.create(
        format="csv", requested_by=lead, state=ExportState.RUNNING, rows_total=3, rows_written=1
    )
    sign_in(page, "lead@doh.example")
    page.get_by_role("link", name="Awards").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Funding awards"
    page.get_by_label("Status").select_option("offered")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#awards caption")).to_have_text("3 awards matching your filters")
    assert_accessible(page)
    page.goto("/reports")
    row = page.locator("tr", has=page.locator("[data-export-state]"))
    assert row.locator("progress").get_attribute("value") == "33"
    assert "1 of 3 awards written" in row.inner_text()
    assert_accessible(page)

    jobs.run_export(export.pk)  # the worker finishes; the page's poller notices
    link = row.get_by_role("link", name="Download")
    link.wait_for(timeout=8000)
    assert row.locator("[data-export-state]").inner_text() == "Ready"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("awards-all-rounds-")
    assert len(download.value.path().read_bytes().splitlines()) == 4

    # Asking for a report bigger than a page builds it in the background and lists it.
    monkeypatch.setattr(formats, "BACKGROUND_THRESHOLD", 2)
    page.get_by_label("Awards (Excel)").check()
    page.get_by_role("button", name="Export").click()
    assert (
        "We are building your Awards (Excel) of 3 awards"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert ReportExport.objects.filter(format="xlsx", state=ExportState.DONE).exists()
