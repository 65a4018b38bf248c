"""Fair and explainable assessment, in Chromium as a new programme lead would try it: the
calibration page shows a lenient and a harsh assessor; the ranking sorts by the
standardised score; decisions recorded as pending reach Kent only when released; a
rearranged interview's email is an invitation a mail program can accept."""

import re
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail

from accounts.models import Role
from tests import factories

from .conftest import assert_accessible, follow, heading, named, press, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def assessed():
    """Five bids scored as in tests/bids/test_calibration.py's worked example: Ann's totals
    run 25 points above her colleagues', Bob's and Cat's 16.7 below. Scores of v on every
    criterion make a weighted total of 25v."""
    funding_round = factories.open_round()
    lead = named(factories.user(Role.LEAD, email="lead@doh.example"), "Margaret Lowe")
    kent = named(factories.user(Role.COUNCIL, "KEN", email="kent@council.example"), "Karen Ellis")
    ann, bob, cat = (
        named(factories.user(Role.ASSESSOR, region=region), name)
        for region, name in (
            ("london", "Ann Lenient"),
            ("north_west", "Bob Harsh"),
            ("south_west", "Cat Harsh"),
        )
    )
    plan = {
        "KEN": ((ann, 4), (bob, 3)),
        "LDS": ((ann, 4), (bob, 3)),
        "BST": ((ann, 3), (cat, 2)),
        "NFK": ((bob, 2), (cat, 2)),
        "LIV": ((ann, 4), (cat, 3)),
    }
    bids = {}
    for code, marks in plan.items():
        bid = factories.under_assessment_bid(
            funding_round, code, [person for person, _ in marks], kent if code == "KEN" else None, lead
        )
        for person, value in marks:
            factories.submit_scores(bid, person, [value] * 5)
        bids[code] = bid
    return {"round": funding_round, "bids": bids, "lead": lead, "kent": kent}


def ranked(page, bids):
    text = page.locator("table.app-ranking").inner_text()
    return sorted(bids, key=lambda code: text.index(bids[code].authority.name))


def test_calibration_and_the_standardised_ranking(page, assessed):
    bids = assessed["bids"]
    sign_in(page, "lead@doh.example")
    assert heading(page) == "Programme pipeline"
    follow(page, re.compile("^Calibration"))
    assert heading(page) == "Calibration"
    main = page.locator("main").inner_text()
    assert "3 assessors flagged" in main
    assert re.search(r"Ann Lenient\s+4\s+93\.8%\s+4\s+\+25\.0%\s+More lenient", main)
    assert re.search(r"Bob Harsh\s+3\s+66\.7%\s+3\s+\N{MINUS SIGN}16\.7%\s+Harsher", main)
    assert page.get_by_role("img", name="Each assessor's leniency").is_visible()
    assert_accessible(page)

    follow(page, "Rank bids by standardised score")
    assert heading(page) == "Ranking"
    assert ranked(page, bids).index("NFK") < ranked(page, bids).index("BST")
    assert (
        page.locator("th[aria-sort=descending]").inner_text()
        == "Standardised score \N{BLACK DOWN-POINTING TRIANGLE}"
    )
    assert_accessible(page)
    follow(page, "Mean score")
    assert ranked(page, bids).index("BST") < ranked(page, bids).index("NFK")
    # Filtering on the standardised score: at least 60% keeps Norfolk and drops Bristol.
    page.get_by_label("Filter on").select_option(label="Standardised score")
    page.get_by_label("Score at least (%)").fill("60")
    press(page, "Apply filters")
    table = page.locator("table.app-ranking").inner_text()
    assert "Norfolk" in table and "Bristol" not in table
    page.get_by_label("Score at least (%)").fill("sixty")
    press(page, "Apply filters")
    assert (
        "Enter the score as a number from 0 to 100, like 60"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)

    # At 320 px nothing scrolls sideways: wide tables scroll in their own labelled region.
    page.set_viewport_size({"width": 320, "height": 800})
    slug = assessed["round"].slug
    for path in (
        "/",
        f"/programme/rounds/{slug}/ranking",
        f"/programme/rounds/{slug}/moderation",
        f"/programme/rounds/{slug}/calibration",
        "/programme/assessors",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert_accessible(page)


def calendar_part(message):
    """The text/calendar part of a sent email, parsed back from its bytes."""
    parsed = message_from_bytes(message.message().as_bytes())
    parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0]


def to_kent(outbox, start=0):
    return [message for message in outbox[start:] if "kent@council.example" in message.to]


def test_pending_decisions_are_released_to_kent_and_a_rearranged_interview_is_an_invitation(page, assessed):
    bid = assessed["bids"]["KEN"]
    funding_round = assessed["round"]
    sign_in(page, "lead@doh.example")

    # The lead records Kent's shortlisting as pending, drafting the feedback from two of the
    # assessors' comments and adding a sentence of her own.
    page.goto(f"/bids/{bid.reference}")
    follow(page, "Shortlist or do not shortlist")
    page.get_by_label("Shortlist", exact=True).check()
    page.get_by_label("Reason").fill("The strongest joint working in the round.")
    page.get_by_label("Later, with the round's other pending decisions").check()
    comments = page.locator("input[name=drawn_from]")
    comments.nth(0).check()
    comments.nth(1).check()
    press(page, "Draft feedback from the selected comments")
    feedback = page.get_by_label("Feedback for the council")
    drafted = feedback.input_value()
    assert "Comment on Joint working across social services, education and health" in drafted
    assert page.get_by_label("Reason").input_value() == "The strongest joint working in the round."
    assert_accessible(page)
    feedback.fill(drafted + "\n\nWe look forward to meeting you at interview.")
    sent = len(mail.outbox)
    press(page, "Save decision")
    assert "Pending: shortlist" in page.locator("main").inner_text()
    bid.refresh_from_db()
    assert bid.state == "under_assessment" and not to_kent(mail.outbox, sent)

    # The pending set, then its release in one go: Kent is emailed the feedback, once.
    page.goto(f"/programme/rounds/{funding_round.slug}/ranking")
    follow(page, "1 pending decision to release")
    assert heading(page) == "Pending decisions"
    assert_accessible(page)
    follow(page, "Release 1 decision")
    assert_accessible(page)
    press(page, "Release 1 decision")
    bid.refresh_from_db()
    assert bid.state == "shortlisted"
    released = to_kent(mail.outbox, sent)
    assert len(released) == 1
    assert "We look forward to meeting you at interview." in released[0].body
    assert "The strongest joint working in the round." not in released[0].body  # internal

    # The lead books Kent's interview, then moves it: Kent's email opens as an invitation.
    page.goto(f"/bids/{bid.reference}")
    follow(page, "Schedule an interview")
    day = funding_round.interviews_start_on + timedelta(days=2)
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))
    page.get_by_label("Hour", exact=True).fill("10")
    page.get_by_label("Minutes", exact=True).fill("30")
    page.get_by_label("Where will it be held?").fill(
        "Wellington House, 133-155 Waterloo Road, London SE1 8UG"
    )
    page.get_by_label("Margaret Lowe").check()
    press(page, "Book interview")
    booked = len(mail.outbox)
    follow(page, "Rearrange the interview")
    page.get_by_label("Hour", exact=True).fill("14")
    page.get_by_label("Minutes", exact=True).fill("00")
    page.get_by_label("Why is the interview being rearranged?").fill(
        "The panel's chair is in Leeds that morning."
    )
    assert_accessible(page)
    press(page, "Save and send update")
    [moved] = to_kent(mail.outbox, booked)
    part = calendar_part(moved)
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    calendar = part.get_payload(decode=True).decode()
    assert "METHOD:REQUEST" in calendar and "SEQUENCE:1" in calendar
    assert re.search(
        r"ATTENDEE;[^\n]*ROLE=REQ-PARTICIPANT[^\n]*RSVP=TRUE", re.sub(r"\r?\n[ \t]", "", calendar)
    )
    assert not re.search(r"ORGANIZER;[^\n]*ROLE=", calendar)
