"""People in Chromium: Kent's bid lead invites a colleague, who chooses a password from the
invitation email, signs in and sees Kent's bids only; an administrator changes someone's
role with the local-authority autocomplete (and, without JavaScript, with the plain select)
and reads the change in the person's History. Every page is accessible and reflows at
320 pixels without scrolling sideways."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import OutboundEmail, Role, User
from tests import factories

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "a-long-kentish-passphrase"  # nosec B105


def heading(page):
    return page.get_by_role("heading", level=1).inner_text()


def follow(page, name, role="link"):
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()


def press(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def assert_reflows(page):
    """At 320 CSS pixels wide (WCAG 1.4.10) nothing makes the page scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} is {width}px wide at 320px"
    finally:
        page.set_viewport_size(size)


def test_kents_bid_lead_invites_a_colleague_who_signs_in_to_kents_bids_only(page):
    funding_round = factories.open_round(name="Children's trust pilots: second round")
    bid_lead = factories.user(
        Role.COUNCIL, "KEN", email="kent@council.example", full_name="Karen Ellis", is_bid_lead=True
    )
    kent_bid = factories.draft_bid(funding_round, "KEN", bid_lead)
    leeds_bid = factories.draft_bid(funding_round, "LDS")

    sign_in(page, "kent@council.example")
    follow(page, "Your colleagues")
    assert heading(page) == "Your colleagues"
    expect(page.locator("#colleagues")).to_contain_text("Karen Ellis (you)")
    assert_accessible(page)
    assert_reflows(page)

    follow(page, "Invite a colleague", role="button")  # a link drawn as a button
    assert heading(page) == "Invite a colleague"
    press(page, "Send invitation")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's full name")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Jo Bloggs")
    page.get_by_label("Email address").fill("Jo.Bloggs@kent.example")
    page.get_by_label("Job title (optional)").fill("Commissioning officer")
    press(page, "Send invitation")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Invitation sent to jo.bloggs@kent.example"
    )
    expect(page.locator("#colleagues")).to_contain_text("Jo Bloggs")
    assert_accessible(page)
    assert_reflows(page)

    jo = User.objects.get(email="jo.bloggs@kent.example")
    assert (jo.role, jo.local_authority.code) == (Role.COUNCIL, "KEN")
    email = OutboundEmail.objects.get(to=["jo.bloggs@kent.example"])
    link = re.search(r"https?://\S+?(/set-password/\S+)", email.body).group(1)

    press(page, re.compile("^Sign out"))
    page.goto(link)
    assert heading(page) == "Choose your password"
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    press(page, "Continue")
    assert heading(page) == "Your password has been set"

    sign_in(page, "jo.bloggs@kent.example", NEW_PASSWORD)
    assert heading(page) == "Your bids"
    main = page.locator("main").inner_text()
    assert kent_bid.reference in main and leeds_bid.reference not in main
    assert "Your colleagues" not in page.locator("nav").inner_text()  # Jo does not lead the bid
    assert_accessible(page)
    assert page.goto(f"/bids/{leeds_bid.reference}").status == 404


def test_an_administrator_changes_a_role_and_reads_it_in_the_history(page, browser, live_server):
    factories.user(Role.ADMIN, email="admin@doh.example", full_name="Adam Ministrator")
    person = factories.user(Role.ASSESSOR, full_name="Alex Morgan", email="alex.morgan@doh.example")
    for n in range(3):
        factories.user(Role.COUNCIL, "LDS", full_name=f"Leeds Officer {n}")

    sign_in(page, "admin@doh.example")
    follow(page, "Users")
    assert heading(page) == "Users"
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_label("Search by name, email address or local authority").fill("MORGAN")
    press(page, "Search")
    expect(page.locator("#people caption")).to_contain_text("1 person matching your search")
    follow(page, "Alex Morgan")
    assert heading(page) == "Alex Morgan"
    assert_accessible(page)
    assert_reflows(page)

    follow(page, re.compile("^Change role"))
    assert heading(page) == "Change role"
    assert_accessible(page)
    page.get_by_label("Council user").check()
    # The autocomplete stands in for the select of 150 authorities.
    authority = page.locator("input#id_local_authority")
    expect(authority).to_be_visible()
    expect(page.locator("select#id_local_authority-select")).to_be_hidden()
    authority.fill("leeds")
    page.get_by_role("option", name="Leeds City Council").click()
    page.get_by_label("Bid lead for their council").check()
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_label("Why are you making this change?").fill("Moved to Leeds children's services.")
    press(page, "Save role")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Alex Morgan is now council user, Leeds City Council (bid lead)."
    )
    history = page.locator(".app-history__entry").first
    expect(history).to_contain_text("Adam Ministrator")
    expect(history).to_contain_text("Reason: Moved to Leeds children's services.")
    expect(history.locator(".govuk-summary-list__row", has_text="Role")).to_contain_text(
        re.compile(r"changed from Assessor\s*→\s*to Council user")
    )
    expect(history.locator(".govuk-summary-list__row", has_text="Local authority")).to_contain_text(
        re.compile(r"changed from Not set\s*→\s*to Leeds City Council")
    )
    assert_accessible(page)
    assert_reflows(page)

    # Without JavaScript the plain select does the same job.
    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        plain.add_cookies(page.context.cookies())
        no_script = plain.new_page()
        no_script.goto(f"/users/{person.pk}/role")
        select = no_script.locator("select#id_local_authority")
        expect(select).to_be_visible()
        select.select_option(label="Kent County Council")
        no_script.get_by_label("Why are you making this change?").fill("Moved again, to Kent.")
        press(no_script, "Save role")
        expect(no_script.locator(".app-history__entry").first).to_contain_text(
            re.compile(r"changed from Leeds City Council\s*→\s*to Kent County Council")
        )
    finally:
        plain.close()
    person.refresh_from_db()
    assert (person.role, person.local_authority.code, person.is_bid_lead) == (Role.COUNCIL, "KEN", True)
