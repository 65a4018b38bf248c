"""A monitoring return in Chromium, as the people involved would do it: Kent's officer fills in
return 1 and sends it for certification; Kent's director certifies and submits it; the
programme lead asks for a change; Kent's officer makes it and sends it again, the director
certifies it again, and the lead accepts it. Every page is checked with axe and reflows at
320 pixels."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import OutboundEmail, Role
from monitoring.enums import ReturnState
from monitoring.models import MonitoringReturn
from tests import factories
from tests.monitoring.builders import pilot

from .conftest import assert_accessible, sign_in
from .test_people_journey import assert_reflows, follow, heading, press

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DECLARATION = "I certify that this return is accurate and that I have authority to commit the council"


def checked(page):
    assert_accessible(page)
    assert_reflows(page)


def switch_to(page, email):
    page.context.clear_cookies()
    sign_in(page, email)


def banner(page):
    return page.locator(".govuk-notification-banner")


def link_in_email(to, subject):
    email = OutboundEmail.objects.filter(to__contains=[to], subject__contains=subject).latest("pk")
    return re.search(r"https?://\S+?(/returns/\d+)", email.body).group(1)


def send_for_certification(page):
    press(page, "Save and continue")
    assert heading(page) == "Check your answers before sending the return for certification"
    checked(page)
    press(page, "Send for certification")
    expect(banner(page)).to_contain_text("Return 1 has been sent for certification")
    checked(page)


def certify(page):
    follow(page, "Certify and submit", role="button")
    page.get_by_label(DECLARATION).check()
    press(page, "Certify and submit")
    expect(banner(page)).to_contain_text("Return 1 is certified and submitted to the Department of Health")


def test_kent_sends_a_return_its_director_certifies_and_the_lead_accepts_after_a_change(page):
    lead = factories.user(Role.LEAD, email="lead@doh.example", full_name="Margaret Lowe")
    kent = factories.user(Role.COUNCIL, "KEN", email="kent@council.example", full_name="Karen Ellis")
    factories.user(
        Role.COUNCIL,
        "KEN",
        email="kent.director@council.example",
        full_name="Graham Badman",
        job_title="Director of Children's Services",
    )
    award = pilot(kent, lead)

    # Kent's officer starts return 1 from the award's returns.
    sign_in(page, "kent@council.example")
    page.goto(f"/awards/{award.pk}/returns")
    assert heading(page) == "Monitoring returns"
    expect(page.locator("#returns")).to_contain_text("Not started")
    checked(page)
    follow(page, "Start return 1")
    assert heading(page) == "Monitoring return 1"
    checked(page)

    # An empty return says what is missing, accessibly.
    press(page, "Save and continue")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Add at least one milestone")
    expect(summary).to_contain_text("Enter the spending to date")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Name of milestone 1").fill("Joint commissioning board meets monthly")
    page.get_by_role("group", name="Status of milestone 1").get_by_label("Green").check()
    page.get_by_label("Name of milestone 2").fill("Pooled budget agreed")
    page.get_by_role("group", name="Status of milestone 2").get_by_label("Amber").check()
    page.get_by_label("Comment on milestone 2").fill("The health partner's finance sign-off is late.")
    page.get_by_label("Spent so far").fill("12,500")
    page.get_by_label("Planned to have spent by now").fill("15,000")
    page.get_by_label("Children reached").fill("340")
    page.get_by_label("Families reached").fill("210")
    page.get_by_label("How have your partners been involved in this period?").fill(
        "The primary care trust and schools sit on the joint commissioning board."
    )
    page.get_by_label("What are the main risks and issues, and what are you doing about them?").fill(
        "Recruiting a joint team manager has taken longer than planned."
    )
    page.get_by_label("What progress has the trust made in this period?").fill(
        "The joint team is in place in two localities."
    )
    send_for_certification(page)
    expect(page.locator("#awaiting")).to_contain_text(
        "Another officer of Kent County Council must now certify"
    )
    assert page.get_by_role("button", name="Certify and submit").count() == 0  # not for the preparer

    # Kent's director follows the email's link and certifies.
    switch_to(page, "kent.director@council.example")
    page.goto(link_in_email("kent.director@council.example", "Monitoring return to certify"))
    assert heading(page) == "Monitoring return 1"
    checked(page)
    follow(page, "Certify and submit", role="button")  # a link drawn as a button
    assert heading(page) == "Certify and submit the return"
    checked(page)
    press(page, "Certify and submit")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that this return is accurate and that you have authority to commit the council"
    )
    assert_accessible(page)
    page.get_by_label(DECLARATION).check()
    press(page, "Certify and submit")
    expect(banner(page)).to_contain_text("Return 1 is certified and submitted to the Department of Health")
    checked(page)

    # The lead finds it in the programme's list and asks for a change.
    switch_to(page, "lead@doh.example")
    follow(page, "Monitoring returns")
    assert heading(page) == "Monitoring returns"
    expect(page.locator("#returns")).to_contain_text("Submitted")
    checked(page)
    follow(page, re.compile("^Kent County Council"))
    checked(page)
    follow(page, "Ask for changes", role="button")
    assert heading(page) == "Ask for changes to the return"
    checked(page)
    page.get_by_label("What needs to change?").fill("Break the spending down by partner agency.")
    press(page, "Ask for changes")
    expect(banner(page)).to_contain_text("has been sent back to Kent County Council for changes")
    assert MonitoringReturn.objects.get().state == ReturnState.CHANGES_REQUESTED

    # Kent's officer reads why, makes the change and sends it again.
    switch_to(page, "kent@council.example")
    page.goto(f"/awards/{award.pk}/returns")
    expect(page.locator("#returns")).to_contain_text("Changes requested")
    follow(page, "Continue return 1")
    expect(page.locator("#changes-asked-for")).to_contain_text("Break the spending down by partner agency.")
    checked(page)
    page.get_by_label("What progress has the trust made in this period?").fill(
        "The joint team is in place in two localities. Spending by partner: health £5,000, "
        "education £4,500, social services £3,000."
    )
    send_for_certification(page)

    # The director certifies it again.
    switch_to(page, "kent.director@council.example")
    page.goto(link_in_email("kent.director@council.example", "Monitoring return to certify"))
    certify(page)

    # The lead accepts it; Kent sees that it is accepted.
    switch_to(page, "lead@doh.example")
    page.goto(link_in_email("lead@doh.example", "Monitoring return submitted"))
    follow(page, "Accept the return", role="button")
    assert heading(page) == "Accept the return"
    checked(page)
    press(page, "Accept the return")
    expect(banner(page)).to_contain_text("Return 1 from Kent County Council accepted.")
    expect(banner(page)).to_contain_text("It is the award's first accepted return.")
    checked(page)

    switch_to(page, "kent@council.example")
    page.goto(f"/awards/{award.pk}/returns")
    expect(page.locator("#returns")).to_contain_text("Accepted")
    follow(page, "View return 1")
    expect(page.locator("#accepted")).to_contain_text("Accepted by Margaret Lowe of the Department of Health")
    checked(page)
    assert MonitoringReturn.objects.get().state == ReturnState.ACCEPTED
