"""Every role signs in through the browser and lands on an accessible page of its own."""

import pytest

from accounts.models import Role
from tests import factories

from .conftest import (
    assert_accessible,
    give_second_factor,
    sign_in,
    sign_in_with_keyboard,
    sign_out_with_keyboard,
    tab_to,
)

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
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # An official's first sign-in sets up the authenticator app: the key for typing in
    # sits behind "I cannot scan the QR code", opened from the keyboard.
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"
    assert_accessible(page)
    tab_to(page, "I cannot scan the QR code", "summary")
    page.keyboard.press("Enter")
    assert page.locator("#key").is_visible()
    give_second_factor(page, person.email, keyboard=True)
    assert page.get_by_role("heading", level=1).inner_text() == "Programme pipeline"

    # Next time: password, then the code the app shows, on the sign-in page signing out leads to.
    sign_out_with_keyboard(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    sign_in_with_keyboard(page, person.email)
    assert page.get_by_role("heading", level=1).inner_text() == "Programme pipeline"


def test_an_idle_official_is_warned_may_stay_then_is_signed_out_and_signs_in_again(page, settings):
    # Minutes shrunk to seconds: the warning 3 seconds before a 6-second limit.
    settings.OFFICIAL_IDLE_MINUTES = 0.1
    settings.IDLE_WARNING_MINUTES = 0.05
    person = factories.user(Role.LEAD)
    sign_in(page, person.email)
    assert page.get_by_role("heading", level=1).inner_text() == "Programme pipeline"

    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    dialog.wait_for(state="visible")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    assert_accessible(page)
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")

    # Ignored the second time: the page reloads when the time is up, and says why.
    dialog.wait_for(state="visible")
    page.wait_for_url("**/sign-in?next=/", timeout=20_000)
    assert "You were signed out because you had not done anything" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    give_second_factor(page, person.email)
    assert page.get_by_role("heading", level=1).inner_text() == "Programme pipeline"
