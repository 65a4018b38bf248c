"""The deadline is 23:59:59 London time on closing day; the lead can give one authority more."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from bids import drafting, workflow
from bids.models import Bid, BidEvent, BidState, DeadlineExtension, EventKind, Section
from core.london import LONDON, end_of_day, start_of_day
from reference.models import LocalAuthority
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

BEFORE = datetime(2003, 3, 1, 10, 0, tzinfo=LONDON)
LAST_SECOND = datetime(2003, 3, 31, 23, 59, 59, tzinfo=LONDON)
FIRST_SECOND_AFTER = datetime(2003, 4, 1, 0, 0, 0, tzinfo=LONDON)


@pytest.fixture
def round_2003(db):
    return factories.open_round(
        slug="eoi-2003",
        opens_at=start_of_day(date(2003, 1, 6)),
        closes_at=end_of_day(date(2003, 3, 31)),
        interviews_start_on=date(2003, 5, 6),
        interviews_end_on=date(2003, 5, 30),
        decision_on=date(2003, 6, 30),
        operational_on=date(2003, 12, 31),
    )


@pytest.fixture
def kent_bid(round_2003, kent_user):
    with time_machine.travel(BEFORE, tick=False):
        return factories.draft_bid(round_2003, "KEN", kent_user, complete=True)


def submit(client, bid):
    return client.post(reverse("bids:check", args=[bid.reference]), {"declaration_confirmed": "on"})


def edit(client, bid, name="Changed Name"):
    url = reverse("bids:section-page", args=[bid.reference, "contacts", "lead-officer"])
    version = bid.sections.get(section="contacts").version
    data = {
        "version": version,
        "action": "later",
        "lead_name": name,
        "lead_job_title": "Officer",
        "lead_email": "jo@kent.example",
        "lead_phone": "01622 694000",
    }
    return client.post(url, data)


def test_31_march_2003_closes_at_2359_59_british_summer_time(round_2003):
    assert round_2003.closes_at == LAST_SECOND
    assert round_2003.closes_at.astimezone(UTC) == datetime(2003, 3, 31, 22, 59, 59, tzinfo=UTC)


def test_submitting_at_the_last_second_works(client_for, kent_user, kent_bid):
    with time_machine.travel(LAST_SECOND, tick=False):
        response = submit(client_for(kent_user), kent_bid)
    assert response.url == reverse("bids:submitted", args=[kent_bid.reference])
    assert Bid.objects.get(pk=kent_bid.pk).state == BidState.SUBMITTED


def test_submitting_a_second_later_is_refused_on_the_server(client_for, kent_user, kent_bid):
    client = client_for(kent_user)
    with time_machine.travel(FIRST_SECOND_AFTER, tick=False):
        response = submit(client, kent_bid)
        assert response.url == reverse("bids:bid", args=[kent_bid.reference])
        page = client.get(response.url).content.decode()
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.change_state(kent_bid, "submit", kent_user)
    assert Bid.objects.get(pk=kent_bid.pk).state == BidState.DRAFT
    assert "The deadline for" in page and "was 11:59pm on 31 March 2003" in page
    assert "Bids can no longer be submitted" in refused.value.problems[0]
    # The council can still read its draft.
    assert "What you said" in page and "Dana Director" in page
    assert "Check your answers and submit" not in page


def test_editing_at_the_last_second_works_and_a_second_later_is_refused(client_for, kent_user, kent_bid):
    client = client_for(kent_user)
    with time_machine.travel(LAST_SECOND, tick=False):
        assert edit(client, kent_bid, "Last Second").status_code == 302
    assert Bid.objects.get(pk=kent_bid.pk).lead_name == "Last Second"
    kent_bid.refresh_from_db()
    with time_machine.travel(FIRST_SECOND_AFTER, tick=False):
        response = edit(client, kent_bid, "Too Late")
        assert response.url == reverse("bids:bid", args=[kent_bid.reference])
        assert (
            client.get(reverse("bids:section-page", args=[kent_bid.reference, "focus", "vision"])).status_code
            == 302
        )
        with pytest.raises(drafting.DraftingError):
            drafting.save_section(
                kent_bid, Section.FOCUS, kent_user, loaded_version=0, changes={"vision": "x"}
            )
    assert Bid.objects.get(pk=kent_bid.pk).lead_name == "Last Second"


def test_the_task_list_shows_the_closing_time_and_days_left(client_for, kent_user, round_2003):
    with time_machine.travel(datetime(2003, 3, 3, 9, 0, tzinfo=LONDON), tick=False):
        bid = factories.draft_bid(round_2003, "KEN", kent_user)
        page = client_for(kent_user).get(reverse("bids:bid", args=[bid.reference])).content.decode()
    assert "11:59pm on 31 March 2003" in page and "28 days left" in page


# Extensions --------------------------------------------------------------------------


def extensions_url(funding_round):
    return reverse("bids:extensions", args=[funding_round.slug])


def grant(client, funding_round, authority_code="KEN", **overrides):
    data = {
        "authority": LocalAuthority.objects.get(code=authority_code).pk,
        "closes_at_day": "7",
        "closes_at_month": "4",
        "closes_at_year": "2003",
        "closes_at_hour": "17",
        "closes_at_minute": "00",
        "reason": "Flooding closed County Hall for a week.",
        **overrides,
    }
    return client.post(extensions_url(funding_round), data)


def test_an_extension_moves_the_deadline_for_one_authority_only(
    client_for, lead, kent_user, leeds_user, round_2003, kent_bid
):
    with time_machine.travel(BEFORE, tick=False):
        leeds_bid = factories.draft_bid(round_2003, "LDS", leeds_user, complete=True)
        response = grant(client_for(lead), round_2003)
    assert response.url == extensions_url(round_2003)
    extension = DeadlineExtension.objects.get()
    assert extension.closes_at == datetime(2003, 4, 7, 17, 0, 59, tzinfo=LONDON)
    assert extension.granted_by == lead and extension.reason == "Flooding closed County Hall for a week."
    assert BidEvent.objects.filter(bid=kent_bid, kind=EventKind.EXTENSION_GRANTED).exists()

    with time_machine.travel(datetime(2003, 4, 2, 12, 0, tzinfo=LONDON), tick=False):
        kent_page = client_for(kent_user).get(reverse("bids:bid", args=[kent_bid.reference])).content.decode()
        assert "5:00pm on 7 April 2003" in kent_page or "5pm on 7 April 2003" in kent_page
        assert "extended for Kent" in kent_page
        assert edit(client_for(kent_user), kent_bid).status_code == 302
        assert submit(client_for(leeds_user), leeds_bid).url == reverse(
            "bids:bid", args=[leeds_bid.reference]
        )
        assert submit(client_for(kent_user), kent_bid).url == reverse(
            "bids:submitted", args=[kent_bid.reference]
        )
    assert Bid.objects.get(pk=kent_bid.pk).state == BidState.SUBMITTED
    assert Bid.objects.get(pk=leeds_bid.pk).state == BidState.DRAFT


def test_an_extension_ends_at_the_end_of_its_minute(client_for, lead, kent_user, round_2003, kent_bid):
    with time_machine.travel(BEFORE, tick=False):
        grant(client_for(lead), round_2003)
    with time_machine.travel(datetime(2003, 4, 7, 17, 1, 0, tzinfo=LONDON), tick=False):
        assert submit(client_for(kent_user), kent_bid).url == reverse("bids:bid", args=[kent_bid.reference])
    with time_machine.travel(datetime(2003, 4, 7, 17, 0, 59, tzinfo=LONDON), tick=False):
        assert submit(client_for(kent_user), kent_bid).url == reverse(
            "bids:submitted", args=[kent_bid.reference]
        )


def test_the_extensions_page_lists_what_was_given(client_for, lead, round_2003):
    client = client_for(lead)
    with time_machine.travel(BEFORE, tick=False):
        grant(client, round_2003)
        grant(client, round_2003, closes_at_day="9", reason="Still flooded.")
        page = client.get(extensions_url(round_2003)).content.decode()
    assert DeadlineExtension.objects.count() == 1
    assert "Kent County Council" in page and "5pm on 9 April 2003" in page and "Still flooded." in page
    assert "Kent County Council can now submit until" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"authority": ""}, "authority", "Select the local authority to give more time to"),
        ({"authority": "999999"}, "authority", "Select the local authority to give more time to"),
        (
            {"closes_at_day": "", "closes_at_month": "", "closes_at_year": ""},
            "closes_at",
            "Enter the new closing date",
        ),
        ({"closes_at_month": ""}, "closes_at", "The new closing date must include a month"),
        (
            {"closes_at_day": "31", "closes_at_month": "2"},
            "closes_at",
            "The new closing date must be a real date, like 7 4 2003",
        ),
        ({"closes_at_year": "03"}, "closes_at", "The new closing date must be a real date, like 7 4 2003"),
        (
            {"closes_at_day": "seventh"},
            "closes_at",
            "The new closing date must be a real date, like 7 4 2003",
        ),
        ({"closes_at_hour": "", "closes_at_minute": ""}, "closes_at", "Enter the new closing time"),
        (
            {"closes_at_hour": "25"},
            "closes_at",
            "The new closing time must be a real time on the 24-hour clock, like 17 00",
        ),
        (
            {"closes_at_day": "31", "closes_at_month": "3", "closes_at_hour": "12"},
            "closes_at",
            "The new closing time must be after the round closes, at 11:59pm on 31 March 2003",
        ),
        ({"reason": ""}, "reason", "Enter the reason for the extension"),
        ({"reason": "x" * 1001}, "reason", "The reason must be 1,000 characters or fewer"),
    ],
)
def test_extension_messages(client_for, lead, round_2003, overrides, field, message):
    with time_machine.travel(BEFORE, tick=False):
        response = grant(client_for(lead), round_2003, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert f'<a href="#id_{field}">{message}</a>' in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_an_extension_that_has_already_passed_is_refused(client_for, lead, round_2003):
    with time_machine.travel(datetime(2003, 4, 10, tzinfo=LONDON), tick=False):
        response = grant(client_for(lead), round_2003)
    assert response.context["form"].errors["closes_at"] == ["The new closing time must be in the future"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ASSESSOR, Role.COUNCIL])
def test_only_the_programme_lead_gives_extensions(client_for, round_2003, role):
    person = factories.user(role)
    client = client_for(person)
    assert client.get(extensions_url(round_2003)).status_code == 403
    assert grant(client, round_2003).status_code == 403
    assert not DeadlineExtension.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, round_2003):
    response = client.get(extensions_url(round_2003))
    assert response.status_code == 302 and response.url.startswith("/sign-in")


def test_an_unknown_round_is_404(client_for, lead):
    assert client_for(lead).get("/programme/rounds/no-such-round/extensions").status_code == 404


def test_extensions_page_query_count_is_flat(client_for, lead, round_2003):
    client = client_for(lead)
    with time_machine.travel(BEFORE, tick=False):
        grant(client, round_2003, "KEN")
        assert queries_for(client, extensions_url(round_2003)) == 5
        for code in ["LDS", "BIR", "BST", "NFK"]:
            grant(client, round_2003, code)
        assert queries_for(client, extensions_url(round_2003)) == 5
