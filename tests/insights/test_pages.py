"""The programme team's performance pages: what they show, their charts and tables, the
comments paged newest first, a flat query count however many bids, and the CSV downloads.
Who may see them is the authorisation matrix's ("insights:performance" and the rest)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from bids.models import BidEvent, BidSection, EventKind, Section
from insights.enums import Satisfaction
from insights.models import SatisfactionAnswer
from insights.queries import COMMENTS_PER_PAGE
from insights.satisfaction import record_answer
from tests import factories
from tests.queries import queries_for
from tests.trusts.conftest import tables

pytestmark = pytest.mark.django_db

CODES = ["KEN", "LDS", "MAN", "BIR", "NET", "SOM", "HCK", "BST", "CMD", "DUR", "NFK"]


def build(funding_round, codes, answer=Satisfaction.SATISFIED, comment="Clearer guidance on partners."):
    """A submitted bid for each authority, its sections timed and its submission answered."""
    start = timezone.now() - timedelta(days=5)
    for number, code in enumerate(codes):
        bid = factories.submitted_bid(funding_round, code)
        type(bid).objects.filter(pk=bid.pk).update(created_at=start)
        BidEvent.objects.filter(bid=bid, kind=EventKind.STATE_CHANGED, to_state="submitted").update(
            created_at=start + timedelta(days=2, hours=4 * number)
        )
        BidSection.objects.filter(bid=bid).update(started_at=start, completed_at=start + timedelta(hours=3))
        record_answer(bid, bid.submitted_by, answer, comment)


def performance_url(funding_round):
    return reverse("insights:performance", args=[funding_round.slug])


def test_the_page_shows_each_figure_with_a_chart_and_a_table(client_for, lead):
    funding_round = factories.open_round()
    build(funding_round, ["KEN", "LDS"])
    factories.draft_bid(funding_round, "MAN")
    page = client_for(lead).get(performance_url(funding_round)).content.decode()
    found = tables(page)
    assert found["completion-table"][1:] == [
        ["Started", "3"],
        ["Submitted", "2"],
        ["Completion rate", "66.7%"],
    ]
    assert found["times-table"][1] == ["Contacts", "2", "3 hours", "3 hours", "3 hours"]
    assert found["times-table"][-1] == ["Whole bid", "2", "2 days 1 hour", "2 days 2 hours", "2 days 3 hours"]
    assert ["Contacts", "1"] in found["stops-table"]
    assert found["satisfaction-table"][1:] == [
        ["Very satisfied", "0", "0.0%"],
        ["Satisfied", "2", "100.0%"],
        ["Neither satisfied nor dissatisfied", "0", "0.0%"],
        ["Dissatisfied", "0", "0.0%"],
        ["Very dissatisfied", "0", "0.0%"],
        ["Satisfied or very satisfied", "2", "100.0%"],
    ]
    # Four charts, each an image with its own title and description, in the service's font.
    charts = re.findall(
        r'<svg [^>]*class="app-chart__svg" role="img" aria-labelledby="(\w+)-chart-title \1-chart-desc"', page
    )
    assert charts == ["completion", "times", "stops", "satisfaction"]
    for key in charts:
        assert f'<title id="{key}-chart-title">' in page and f'<desc id="{key}-chart-desc">' in page
    assert "100.0% satisfied or very satisfied, of 2 answers" in page
    assert "Clearer guidance on partners." in page
    # Nothing names a council.
    assert "Kent" not in page and "Leeds" not in page and "Manchester" not in page


def test_a_round_without_figures_says_no_data_yet(client_for, admin_user):
    page = client_for(admin_user).get(performance_url(factories.open_round())).content.decode()
    assert page.count("No data yet") >= 10
    assert 'id="stops-none"' in page and 'id="satisfaction-none"' in page and 'id="comments-none"' in page
    assert 'class="app-chart__svg"' in page  # started and submitted, both 0
    assert tables(page)["times-table"][1] == ["Contacts", "0", "No data yet"]


def test_comments_are_paged_newest_first(client_for, lead):
    funding_round = factories.open_round()
    build(funding_round, CODES[:3], comment="")
    bids = list(funding_round.bids.order_by("pk"))
    SatisfactionAnswer.objects.all().delete()
    now = timezone.now()
    for number in range(COMMENTS_PER_PAGE + 1):
        SatisfactionAnswer.objects.create(
            bid=bids[number % 3],
            funding_round=funding_round,
            submitted_at=now - timedelta(days=number),
            satisfaction=Satisfaction.NEITHER,
            improvement=f"Suggestion {number}",
            given_at=now - timedelta(days=number),
        )
    client = client_for(lead)
    first = client.get(performance_url(funding_round)).content.decode()
    shown = re.findall(r"Suggestion (\d+)", first)
    assert shown == [str(number) for number in range(COMMENTS_PER_PAGE)]
    assert "showing 1 to 20" in first and "?page=2#comments" in first
    second = client.get(performance_url(funding_round) + "?page=2").content.decode()
    assert re.findall(r"Suggestion (\d+)", second) == [str(COMMENTS_PER_PAGE)]


def test_the_page_takes_the_same_queries_at_one_bid_and_at_many(client_for, lead):
    funding_round = factories.open_round()
    build(funding_round, CODES[:1])
    client = client_for(lead)
    url = performance_url(funding_round)
    # The session and the user; the round; started and submitted, the whole bid's times,
    # the sections' times, where drafts stop, the satisfaction counts; the comments' count
    # and their page.
    assert queries_for(client, url) == 10
    build(funding_round, CODES[1:])
    factories.draft_bid(funding_round, "LUT")
    assert queries_for(client, url) == 10


def test_the_round_chooser_takes_the_same_queries_at_one_round_and_at_many(client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("insights:rounds")
    build(factories.open_round(), CODES[:1])
    assert queries_for(client, url) == 4
    for _ in range(3):
        build(factories.open_round(), CODES[:2])
    page = client.get(url).content.decode()
    assert queries_for(client, url) == 4
    pilots = factories.pilot_round()
    assert f'href="{performance_url(pilots)}"' in page


def test_the_reports_page_links_to_service_performance(client_for, lead):
    page = client_for(lead).get(reverse("trusts:reports")).content.decode()
    assert f'href="{reverse("insights:rounds")}"' in page


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_figures_download_as_csv(client_for, lead):
    funding_round = factories.open_round()
    build(funding_round, ["KEN", "LDS"])
    response = client_for(lead).get(reverse("insights:performance-csv", args=[funding_round.slug]))
    assert f'filename="service-performance-{funding_round.slug}.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Measure", "Section", "Value", "Unit", "In words"]
    assert ["Bids started", "", "2", "bids", ""] in rows
    assert ["Completion rate", "", "100.00", "%", ""] in rows
    assert ["Time to complete a section: median", Section.CONTACTS.label, "3.00", "hours", "3 hours"] in rows
    assert ["Time to complete a section: median", Section.FUNDING.label, "3.00", "hours", "3 hours"] in rows
    assert ["Answered: Satisfied", "", "2", "answers", ""] in rows
    assert ["Satisfied or very satisfied", "", "100.00", "%", ""] in rows


def test_the_answers_download_as_csv_safe_from_formulas_and_without_names(client_for, admin_user):
    funding_round = factories.open_round()
    build(funding_round, ["KEN"], answer=Satisfaction.DISSATISFIED, comment='=HYPERLINK("http://x")')
    response = client_for(admin_user).get(reverse("insights:satisfaction-csv", args=[funding_round.slug]))
    rows = read_csv(response)
    assert rows[0] == [
        "Given (London time)",
        "Overall, how did you feel about using this service?",
        "How could we improve this service?",
    ]
    (row,) = rows[1:]
    assert row[1:] == ["Dissatisfied", '\'=HYPERLINK("http://x")']
    assert "Kent" not in str(rows) and "KEN" not in str(rows)


def test_a_round_that_does_not_exist_is_404(client_for, lead):
    assert client_for(lead).get(reverse("insights:performance", args=["no-such-round"])).status_code == 404


def test_councils_and_assessors_are_refused_and_signed_out_visitors_sign_in(
    client, client_for, kent_user, assessor
):
    funding_round = factories.open_round()
    urls = [
        reverse("insights:rounds"),
        performance_url(funding_round),
        reverse("insights:performance-csv", args=[funding_round.slug]),
        reverse("insights:satisfaction-csv", args=[funding_round.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in"))
    for person in (kent_user, assessor, factories.user(Role.COUNCIL, "LDS")):
        signed_in = client_for(person)
        assert [signed_in.get(url).status_code for url in urls] == [403] * len(urls)
