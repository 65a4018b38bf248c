"""Setting up a round in Chromium, as the issue's administrator would: copy the second round
into a third, open it today, move five points of weight (seeing the error at 95% first),
publish it, read each change in the round's History; then Kent sees the new round and
starts a bid. Every page is checked with axe and reflows at 320 pixels."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from bids.models import Bid, FundingRound
from tests import factories

from .conftest import assert_accessible, sign_in
from .test_people_journey import assert_reflows, follow, heading, press

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def checked(page):
    assert_accessible(page)
    assert_reflows(page)


def test_an_administrator_copies_a_round_into_a_third_and_kent_starts_a_bid_in_it(page):
    second = factories.open_round(name="Children's trust pilots: second round", code="R2")
    criteria = list(second.criteria.order_by("position"))
    factories.user(Role.ADMIN, email="admin@doh.example", full_name="Ada Admin")
    factories.user(Role.COUNCIL, "KEN", email="kent@council.example")

    sign_in(page, "admin@doh.example")
    assert heading(page) == "Funding rounds"
    checked(page)
    follow(page, "Set up a new round")
    page.get_by_label("Copy an earlier round").check()
    page.get_by_label("Round to copy").select_option(label=second.name)
    checked(page)
    press(page, "Continue")

    assert heading(page) == f"Copy {second.name}"
    # Money and guidance come from the copy; the name and codes are the new round's own.
    expect(page.get_by_label("Base award for each pilot")).to_have_value("60,000")
    page.get_by_label("Name", exact=True).fill("Children's trust pilots: third round")
    page.get_by_label("Reference code").fill("R3")
    today = timezone.localdate()
    # Dates out of order first: the page says what is wrong and keeps what was typed.
    fill_date(page, "Expressions of interest open", today)
    fill_date(page, "Expressions of interest close", today + timedelta(days=60))
    fill_date(page, "Interviews start", today + timedelta(days=30))
    press(page, "Continue")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Interviews must start after expressions of interest close")
    expect(page.get_by_label("Reference code")).to_have_value("R3")
    checked(page)
    fill_date(page, "Interviews start", today + timedelta(days=70))
    fill_date(page, "Interviews end", today + timedelta(days=80))
    fill_date(page, "Decision date", today + timedelta(days=90))
    fill_date(page, "Pilots operational by", today + timedelta(days=200))
    press(page, "Continue")

    third = FundingRound.objects.get(code="R3")
    assert heading(page) == third.name
    assert not third.is_published
    checked(page)

    # A weight five points down: 95% in all, refused.
    follow(page, "Change weights")
    first, second_criterion = criteria[0], criteria[1]
    first_field = page.get_by_label(first.name)
    first_field.fill(str(int(first.weight) - 5))
    press(page, "Save weights")
    expect(page.locator(".govuk-error-summary")).to_contain_text("95%")
    expect(first_field).to_have_value(str(int(first.weight) - 5))
    checked(page)
    page.get_by_label(second_criterion.name).fill(str(int(second_criterion.weight) + 5))
    press(page, "Save weights")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Weights saved")

    # The other set-up pages, as the administrator would look at them before publishing.
    follow(page, f"Change {first.name}")
    expect(page.get_by_label("What a 3 means")).to_have_value(first.level_3)
    checked(page)
    page.go_back()
    follow(page, "Change dates")
    checked(page)
    page.go_back()
    follow(page, "Preview the round as councils will see it")
    expect(page.locator("main")).to_contain_text("Children's trust pilots: third round")
    checked(page)
    page.go_back()

    press(page, "Publish round")
    third.refresh_from_db()
    assert third.is_published and third.is_open
    # The History: the copy, and each weight from what to what, by whom.
    history = page.locator("#history + .app-history")
    expect(history).to_contain_text(f"Copied from {second.name}")
    weight_change = history.locator(".app-history__entry", has_text=f"Criterion “{first.name}”").first
    expect(weight_change).to_contain_text(
        f"Weight changed from {int(first.weight)} → to {int(first.weight) - 5}"
    )
    expect(history).to_contain_text("Ada Admin")
    checked(page)
    follow(page, "Personal data")
    assert heading(page) == "Personal data: what the next run removes"
    checked(page)
    press(page, re.compile("^Sign out"))

    sign_in(page, "kent@council.example")
    expect(page.locator("main")).to_contain_text("Children's trust pilots: third round")
    card = page.locator(".govuk-summary-card", has_text="Children's trust pilots: third round")
    with page.expect_navigation():
        card.get_by_role("link", name=re.compile("^About this round")).click()
    assert heading(page) == "Children's trust pilots: third round"
    checked(page)
    page.go_back()
    with page.expect_navigation():
        card.get_by_role("button", name="Start your bid").click()
    assert Bid.objects.filter(funding_round=third, authority__code="KEN").exists()
