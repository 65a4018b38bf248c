"""Every role signs in through the browser and lands on an accessible page of its own."""

import pytest

from accounts.models import Role
from tests import factories

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.COUNCIL, "Your bids"),
        (Role.ASSESSOR, "Bids to assess"),
        (Role.LEAD, "Programme pipeline"),
        (Role.ADMIN, "Funding rounds"),
    ],
)
def test_each_role_signs_in_to_an_accessible_home_page(page, role, heading):
    factories.open_round()
    person = factories.user(role, "KEN" if role == Role.COUNCIL else None)
    page.goto("/sign-in")
    assert_accessible(page)
    sign_in(page, person.email)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.title().endswith("– Children's trust pilot bids")
    assert_accessible(page)


def test_sign_in_errors_are_summarised_and_accessible(page):
    page.goto("/sign-in")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter your email address" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_sign_in_with_the_keyboard_only(page):
    person = factories.user(Role.LEAD)
    page.goto("/sign-in")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.className").startswith("govuk-skip-link")
    page.get_by_label("Email address").focus()
    page.keyboard.type(person.email)
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Programme pipeline"
