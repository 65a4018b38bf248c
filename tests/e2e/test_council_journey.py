"""A Kent officer, new to the service, prepares and submits Kent's expression of interest
in Chromium: every section through the browser, the contacts with the keyboard alone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import OutboundEmail, Role
from bids.models import Bid, BidState
from tests import factories

from .conftest import assert_accessible, follow, press, sign_in

pytestmark = pytest.mark.e2e


def press_tab_until(page, selector, limit=60):
    """Move focus with the Tab key alone until the element matching `selector` has it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_visible(page):
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
        }"""
    )


def type_into(page, selector, text):
    press_tab_until(page, selector)
    assert focus_is_visible(page)
    page.keyboard.type(text)


def complete_section(page):
    page.get_by_label("Yes, I’ve completed this section").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have completed")


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()


def test_kent_prepares_and_submits_its_bid(page):
    funding_round = factories.open_round(name="Children's trust pilots: second round")
    factories.user(Role.COUNCIL, "KEN", email="kent@council.example")
    sign_in(page, "kent@council.example")

    page.get_by_role("button", name="Start your bid").click()
    reference = f"CTP-{funding_round.code}-KEN"
    expect(page.get_by_role("heading", level=1)).to_have_text("Kent County Council: expression of interest")
    expect(page.locator(".govuk-task-list__status").first).to_have_text("Not yet started")
    expect(page.locator("#task-list-check-status")).to_have_text("Cannot start yet")
    assert_accessible(page)

    # Contacts, with the keyboard only.
    press_tab_until(page, "a.govuk-task-list__link")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Contacts"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacts/lead-officer$"))
    type_into(page, "#id_lead_name", "Jo Bloggs")
    page.keyboard.press("Tab")
    page.keyboard.type("Head of children's commissioning")
    page.keyboard.press("Tab")
    page.keyboard.type("jo.bloggs@kent.example")
    page.keyboard.press("Tab")
    page.keyboard.type("01622 694000")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacts/director$"))
    type_into(page, "#id_director_name", "Dana Director")
    page.keyboard.press("Tab")
    page.keyboard.type("Director of Social Services")
    page.keyboard.press("Tab")
    page.keyboard.type("Sessions House\nCounty Road\nMaidstone ME14 1XQ")
    press_tab_until(page, 'main button[value="continue"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacts/complete$"))
    press_tab_until(page, "#id_completed_1")
    page.keyboard.press("Space")
    assert page.is_checked("#id_completed_1")
    press_tab_until(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/bids/{reference}$"))
    expect(page.locator("#task-list-1-status")).to_have_text("Completed")

    # Focus and vision: the client groups question is revealed by its answer.
    page.get_by_role("link", name="Focus and vision").click()
    page.get_by_label("Services for specific client groups").check()
    page.get_by_label("Which client groups will the trust serve?").fill(
        "Disabled children and children with special educational needs"
    )
    save_and_continue(page)
    vision = page.get_by_label("What is your vision for the trust?")
    vision.fill("One team around every child, planned and paid for together.")
    expect(page.locator(".govuk-character-count__status").first).to_contain_text("words remaining")
    save_and_continue(page)
    complete_section(page)

    # Services in scope: youth offending is explained, not offered.
    page.get_by_role("link", name="Services in scope").click()
    expect(page.locator("#excluded-scopes")).to_contain_text("Youth offending services")
    expect(page.get_by_label("Youth offending services")).to_have_count(0)
    page.get_by_label("Services for disabled children").check()
    page.get_by_label("Speech and language therapy").check()
    save_and_continue(page)
    complete_section(page)

    # Partners: what is still needed updates as partners are added.
    page.get_by_role("link", name="Partners").click()
    expect(page.locator("#still-needed")).to_contain_text("Still needed: social services, education, health")
    for name, sector in [
        ("Kent Social Services", "Social services"),
        ("Kent Education Department", "Education"),
        ("West Kent Primary Care Trust", "Health"),
    ]:
        page.get_by_role("link", name=re.compile("Add (a|another) partner")).click()
        page.get_by_label("Name of the partner agency").fill(name)
        page.get_by_label(sector, exact=True).check()
        page.get_by_label("What will the partner do in the trust?").fill("Jointly commissions services")
        page.get_by_label("Named contact").fill("Pat Contact")
        save_and_continue(page)
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{name} added")
    expect(page.locator("#still-needed")).to_contain_text("all covered")
    page.get_by_role("link", name="Continue").click()
    complete_section(page)

    # Delivery.
    page.get_by_role("link", name="Delivery").click()
    page.get_by_label("Extended schools").check()
    page.get_by_label("Neighbourhood centres").check()
    save_and_continue(page)
    page.get_by_label("How many children and young people will the trust cover?").fill("312,000")
    save_and_continue(page)
    complete_section(page)

    # Governance and accountability.
    page.get_by_role("link", name="Governance and accountability").click()
    page.get_by_label("Joint partnership board").check()
    save_and_continue(page)
    page.get_by_label("How will elected members oversee the trust?").fill("The lead member chairs the board.")
    save_and_continue(page)
    page.get_by_label(re.compile("I confirm that Kent County Council remains accountable")).check()
    save_and_continue(page)
    complete_section(page)

    # Funding: a mistake first, shown as GOV.UK errors, then put right.
    page.get_by_role("link", name="Funding").click()
    page.get_by_label("Yes").check()
    page.get_by_label("How much more are you asking for?").fill("-5")
    save_and_continue(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The supplement cannot be a negative amount")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_supplement_requested"
    page.get_by_label("How much more are you asking for?").fill("40,000")
    page.get_by_label("Why does the trust need a supplement?").fill("Kent is the largest county council.")
    save_and_continue(page)
    complete_section(page)

    # Consultation plan.
    page.get_by_role("link", name="Consultation plan").click()
    page.get_by_label("How will you consult local communities?").fill("Public meetings in every district.")
    page.get_by_label("How will you consult partner agencies?").fill("Workshops with each partner.")
    page.get_by_label("How will you consult all staff involved in the trust?").fill(
        "Briefings and a staff survey."
    )
    save_and_continue(page)
    complete_section(page)

    # Supporting documents: a real PDF through the file input.
    page.get_by_role("link", name="Supporting documents").click()
    page.get_by_label("Upload a file").set_input_files(
        {
            "name": "Kent children's services plan.pdf",
            "mimeType": "application/pdf",
            "buffer": factories.pdf_bytes(),
        }
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("uploaded")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Kent_childrens_services_plan.pdf")
    page.get_by_role("link", name="Continue").click()
    complete_section(page)

    # Check your answers, then submit.
    expect(page.locator("#task-list-check-status")).to_have_text("Not yet started")
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting your expression of interest"
    )
    expect(page.locator("main")).to_contain_text("£40,000")
    assert_accessible(page)
    page.get_by_label(re.compile("I confirm that the information in this expression of interest")).check()
    page.get_by_role("button", name="Submit your expression of interest").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Expression of interest submitted")
    expect(page.locator(".govuk-panel__body")).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("What happens next")
    assert_accessible(page)

    bid = Bid.objects.get(reference=reference)
    assert bid.state == BidState.SUBMITTED
    assert bid.supplement_requested == 40000 and bid.population_covered == 312000
    assert bid.partners.count() == 3 and bid.documents.count() == 1
    email = OutboundEmail.objects.get(subject=f"Expression of interest received: {reference}")
    assert sorted(email.to) == ["jo.bloggs@kent.example", "kent@council.example"]
    assert any(message.subject == email.subject for message in mail.outbox)

    # The satisfaction question, then its answer on the lead's performance page.
    follow(page, "What did you think of this service?")
    press(page, "Send feedback")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select")
    assert_accessible(page)
    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_label("How could we improve this service?").fill("Say sooner which documents we need.")
    press(page, "Send feedback")
    expect(page.locator(".govuk-panel__title")).to_have_text("Thank you for your feedback")
    page.context.clear_cookies()
    factories.user(Role.LEAD, email="lead@doh.example")
    sign_in(page, "lead@doh.example")
    follow(page, "Reports")
    follow(page, "service performance")
    follow(page, funding_round.name)
    main = page.locator("main")
    expect(main).to_contain_text("Say sooner which documents we need.")
    expect(main.locator("#satisfaction-table-caption").locator("xpath=ancestor::table")).to_contain_text(
        "Satisfied"
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_lead_gives_kent_more_time(page):
    funding_round = factories.open_round()
    factories.user(Role.LEAD, email="lead@doh.example")
    sign_in(page, "lead@doh.example")
    page.get_by_role("link", name=re.compile("Deadline extensions")).first.click()
    page.get_by_role("button", name="Give more time").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the local authority to give more time to"
    )
    assert_accessible(page)
    page.get_by_label("Local authority").select_option(label="Kent County Council")
    closes = funding_round.closes_at
    page.get_by_label("Day").fill(str(closes.day))
    page.get_by_label("Month").fill(str(closes.month))
    page.get_by_label("Year").fill(str(closes.year + 1))
    page.get_by_label("Hour").fill("17")
    page.get_by_label("Minute").fill("00")
    page.get_by_label("Reason for the extension").fill("Flooding closed County Hall.")
    page.get_by_role("button", name="Give more time").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Kent County Council can now submit"
    )
    expect(page.locator("table")).to_contain_text("Flooding closed County Hall.")
    assert_accessible(page)
