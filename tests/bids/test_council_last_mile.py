"""The last mile of the council's pages: an offer waiting is announced on its home page; every
Change link opens the page of the question it names; each "Have you completed this section?"
page has a title of its own; the task list speaks the Design System's words; figures read
the same for everyone; and a partner a colleague removed gets a page that says so."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import Role
from bids import drafting
from bids.models import Partner, Section, Sector
from bids.questions import QUESTION_LIST
from bids.views import sections
from monitoring import returns
from tests import factories
from tests.monitoring.builders import ANSWERS, MILESTONES, pilot
from tests.queries import queries_for
from trusts import awards

pytestmark = pytest.mark.django_db

CHANGE_LINK = re.compile(
    r'<a class="govuk-link" href="(?P<href>[^"]+)">Change<span class="govuk-visually-hidden"> (?P<words>[^<]+)</span>'
)


def text(response):
    return unescape(response.content.decode())


def change_links(response):
    """(href, what it changes) for every Change link on the page."""
    return [
        (unescape(match["href"]), unescape(match["words"]))
        for match in CHANGE_LINK.finditer(response.content.decode())
    ]


@pytest.fixture
def kent(client_for, kent_user):
    """Kent's officer, signed in."""
    return client_for(kent_user)


@pytest.fixture
def complete_bid(open_round, kent_user):
    return factories.draft_bid(open_round, "KEN", kent_user, complete=True)


# An offer waiting on the council's home page --------------------------------------------


def offer_banner(page):
    start = page.find('<div class="govuk-notification-banner"')
    if start < 0:
        return ""
    return page[start : page.index('<span class="govuk-caption-xl">', start)]


def test_a_council_with_an_offer_waiting_sees_a_banner_that_leads_to_it(kent, kent_user, open_round):
    award = factories.approved_bid_with_award(open_round, "KEN", kent_user)
    banner = offer_banner(text(kent.get("/")))
    assert 'role="region" aria-labelledby="offer-banner-title"' in banner
    assert '<h2 class="govuk-notification-banner__title" id="offer-banner-title">Important</h2>' in banner
    assert f"Kent County Council has been offered £60,000 for {award.bid.reference}." in banner
    assert f'href="{reverse("trusts:award", kwargs={"pk": award.pk})}"' in banner
    assert "Accept or decline the offer" in banner


def test_the_banner_goes_once_the_offer_is_answered(kent, kent_user, open_round):
    award = factories.approved_bid_with_award(open_round, "KEN", kent_user)
    awards.accept(award, kent_user, **factories.SIGNATORY)
    assert offer_banner(text(kent.get("/"))) == ""


def test_no_banner_without_an_offer_nor_for_another_councils(client_for, kent_user, leeds_user, open_round):
    factories.approved_bid_with_award(open_round, "LDS", leeds_user)
    factories.draft_bid(factories.open_round(), "KEN", kent_user)
    assert offer_banner(text(client_for(kent_user).get("/"))) == ""
    assert "Leeds City Council has been offered" in offer_banner(text(client_for(leeds_user).get("/")))


def test_the_home_page_costs_the_same_queries_with_offers_waiting(kent, kent_user):
    # The offers waiting come in one query whatever their number, so the literal is the
    # council home page's own (tests/bids/test_home_pages.py).
    factories.draft_bid(factories.open_round(), "KEN", kent_user)
    assert queries_for(kent, "/") == 9
    for _ in range(2):
        factories.approved_bid_with_award(factories.open_round(), "KEN", kent_user)
    page = text(kent.get("/"))
    assert page.count("Kent County Council has been offered") == 2
    assert queries_for(kent, "/") == 9


# Change links ---------------------------------------------------------------------------


def test_every_change_link_on_the_check_page_opens_the_page_of_the_question_it_names(kent, complete_bid):
    check = kent.get(reverse("bids:check", args=[complete_bid.reference]))
    links = change_links(check)
    questions = {question.label[:1].lower() + question.label[1:]: question for question in QUESTION_LIST}
    partners = {partner.name: partner for partner in complete_bid.partners.all()}
    opened = set()
    for href, words in links:
        response = kent.get(href)
        assert response.status_code == 200, (href, words)
        page = text(response)
        if words in questions:
            question = questions[words]
            form = response.context["form"]
            assert question.name in form.fields, (href, words)
            assert f'name="{question.name}"' in page, (href, words)
            label = form.fields[question.name].label
            assert label is None or str(label) in page, (href, words)
            opened.add(question.name)
        elif words in partners:
            assert f"Change {words}" in page and f'value="{words}"' in page
            opened.add(words)
        else:
            assert words in {"partners", "supporting documents"}, words
            assert f">{words.capitalize()}</h1>" in page
    asked = {question.name for question in QUESTION_LIST if question.page and question.name in opened}
    # Every question the bid shows with an answer has its link (follow-ups not asked are hidden).
    assert {
        "lead_email",
        "postal_address",
        "vision",
        "population_covered",
        "accountability_confirmed",
    } <= asked
    assert set(partners) <= opened


def test_change_links_name_a_partner_as_it_was_given(kent, open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user, complete=True)
    factories.partner(bid, Sector.VOLUNTARY, kent_user, name="NSPCC Kent")
    words = [words for _, words in change_links(kent.get(reverse("bids:check", args=[bid.reference])))]
    assert "NSPCC Kent" in words and "lead officer's name" in words


def test_a_problem_that_names_a_question_links_to_its_page(kent, complete_bid):
    type(complete_bid).objects.filter(pk=complete_bid.pk).update(accountability_confirmed=False)
    page = text(kent.get(reverse("bids:check", args=[complete_bid.reference])))
    accountability = reverse(
        "bids:section-page", args=[complete_bid.reference, "governance", "accountability"]
    )
    assert f'<a class="govuk-link" href="{accountability}">Confirm that the council stays accountable' in page


def test_the_section_pages_change_links_open_their_questions_too(kent, complete_bid):
    url = reverse("bids:section-complete", args=[complete_bid.reference, "governance"])
    links = {words: href for href, words in change_links(kent.get(url))}
    assert links == {
        "governance model": reverse(
            "bids:section-page", args=[complete_bid.reference, "governance", "model"]
        ),
        "how elected members oversee the trust": reverse(
            "bids:section-page", args=[complete_bid.reference, "governance", "oversight"]
        ),
        "council remains accountable": reverse(
            "bids:section-page", args=[complete_bid.reference, "governance", "accountability"]
        ),
    }


# "Have you completed this section?" titles ---------------------------------------------


def test_each_have_you_completed_page_has_a_title_of_its_own(kent, complete_bid):
    titles = {}
    for section in Section:
        response = kent.get(reverse("bids:section-complete", args=[complete_bid.reference, section.value]))
        titles[section] = re.search(r"<title>(.*?)</title>", text(response), re.S)[1].strip()
    assert titles[Section.GOVERNANCE] == (
        "Have you completed the governance and accountability section? – Children's trust pilot bids"
    )
    assert len(set(titles.values())) == len(Section)
    for section, title in titles.items():
        assert section.label.lower() in title


def test_the_title_says_error_when_the_question_is_not_answered(kent, complete_bid):
    url = reverse("bids:section-complete", args=[complete_bid.reference, "contacts"])
    page = text(kent.post(url, {"version": "0"}))
    assert "<title>Error: Have you completed the contacts section?" in page
    assert "Select whether you’ve completed this section" in page


# The task list's statuses --------------------------------------------------------------


def status_of(page, number):
    match = re.search(
        rf'<div class="govuk-task-list__status[^"]*" id="task-list-{number}-status">(.*?)</div>', page, re.S
    )
    return match[0], match[1].strip()


def test_the_task_list_uses_the_design_systems_statuses(kent, open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    bid_url = reverse("bids:bid", args=[bid.reference])
    page = text(kent.get(bid_url))
    assert status_of(page, 1)[1] == '<strong class="govuk-tag govuk-tag--blue">Not yet started</strong>'
    whole, status = status_of(page, "check")
    assert status == "Cannot start yet" and "govuk-task-list__status--cannot-start-yet" in whole
    assert reverse("bids:check", args=[bid.reference]) not in page

    drafting.save_section(
        bid, Section.CONTACTS, kent_user, loaded_version=0, changes={"lead_name": "Jo Bloggs"}, scopes=None
    )
    assert status_of(text(kent.get(bid_url)), 1)[1] == (
        '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>'
    )

    factories.complete_bid(bid, kent_user)
    page = text(kent.get(bid_url))
    for number in range(1, len(Section) + 1):
        assert status_of(page, number)[1] == "Completed"  # plain text, no tag
    assert status_of(page, "check")[1] == '<strong class="govuk-tag govuk-tag--blue">Not yet started</strong>'
    assert f'href="{reverse("bids:check", args=[bid.reference])}"' in page


# Figures read the same for everyone ----------------------------------------------------


def test_the_children_covered_read_the_same_for_the_council_and_the_lead(
    client_for, kent_user, lead, open_round
):
    bid = factories.draft_bid(open_round, "KEN", kent_user, complete=True)
    council = client_for(kent_user)
    population = reverse("bids:section-page", args=[bid.reference, "delivery", "population"])
    council.post(population + "?return=check", {"version": "0", "population_covered": "162,000"})
    assert "162,000" in text(council.get(reverse("bids:check", args=[bid.reference])))
    drafting.submit(type(bid).objects.get(pk=bid.pk), kent_user)
    for person in (kent_user, lead):
        page = text(client_for(person).get(reverse("bids:bid", args=[bid.reference])))
        assert "162,000" in page and "162000" not in page, person


def input_value(page, name):
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)


def test_a_saved_figure_comes_back_in_its_input_as_the_council_typed_it(kent, kent_user, open_round):
    bid = factories.draft_bid(open_round, "KEN", kent_user, complete=True)
    population = reverse("bids:section-page", args=[bid.reference, "delivery", "population"])
    kent.post(population, {"version": "0", "population_covered": "162,000"})
    assert input_value(text(kent.get(population)), "population_covered") == "162,000"


def test_a_saved_supplement_comes_back_grouped(kent, kent_user, open_round):
    bid = factories.draft_bid(open_round, "KEN", kent_user, complete=True)
    type(bid).objects.filter(pk=bid.pk).update(large_or_complex=True, supplement_requested=40000)
    amount = reverse("bids:section-page", args=[bid.reference, "funding", "amount"])
    page = text(kent.get(amount))
    assert input_value(page, "supplement_requested") == "40,000"


def test_a_saved_returns_figures_come_back_grouped_and_a_typed_one_unchanged(
    kent, kent_user, lead, open_round
):
    award = pilot(kent_user, lead, open_round)
    answers = {**ANSWERS, "children_reached": 162000, "spending_to_date": Decimal("60000.50")}
    returns.save(award, 1, kent_user, answers=answers, milestones=MILESTONES)
    url = reverse("monitoring:return-form", kwargs={"pk": award.pk, "period": 1})
    page = text(kent.get(url))
    assert input_value(page, "children_reached") == "162,000"
    assert input_value(page, "spending_to_date") == "60,000.50"
    refused = text(kent.post(url, {"children_reached": "1620OO", "spending_to_date": "60000"}))
    assert input_value(refused, "children_reached") == "1620OO"
    assert input_value(refused, "spending_to_date") == "60000"


def test_a_returns_figures_read_the_same_for_the_council_and_the_lead(
    client_for, kent_user, lead, open_round, django_capture_on_commit_callbacks
):
    award = pilot(kent_user, lead, open_round)
    director = factories.user(
        Role.COUNCIL,
        "KEN",
        email="kent.director@example.com",
        full_name="Dana Director",
        job_title="Director of Children's Services",
    )
    answers = {**ANSWERS, "children_reached": 162000, "families_reached": 48500}
    monitoring_return = returns.save(award, 1, kent_user, answers=answers, milestones=MILESTONES)
    monitoring_return = returns.send_for_certification(monitoring_return, kent_user)
    returns.certify(monitoring_return, director)
    url = reverse("monitoring:return", kwargs={"pk": monitoring_return.pk})
    for person in (kent_user, lead):
        page = text(client_for(person).get(url))
        assert "162,000" in page and "48,500" in page, person
        assert "162000" not in page and "48500" not in page, person


# A partner a colleague removed ---------------------------------------------------------


@pytest.fixture
def removed_partner(open_round, kent_user):
    """A partner Kent's officer opened to change, which a colleague then removed."""
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    partner = factories.partner(bid, Sector.HEALTH, kent_user, name="Kent Primary Care Trust")
    colleague = factories.user(Role.COUNCIL, "KEN", email="kent.colleague@example.com")
    drafting.remove_partner(bid, partner.pk, colleague)
    return bid, partner.pk


def assert_says_removed(response, bid, *, nothing_saved):
    page = text(response)
    assert response.status_code == 404
    assert "<title>This partner has been removed – " in page
    assert '<h1 class="govuk-heading-l">This partner has been removed</h1>' in page
    assert (
        f'<a class="govuk-link" href="{reverse("bids:partners", args=[bid.reference])}">Go back to the partners list</a>'
        in page
    )
    assert "Page not found" not in page and "Kent Primary Care Trust" not in page
    assert ("Nothing you typed was saved" in page) == nothing_saved


def test_opening_a_removed_partner_says_it_was_removed(kent, removed_partner):
    bid, pk = removed_partner
    assert_says_removed(
        kent.get(reverse("bids:partner-change", args=[bid.reference, pk])), bid, nothing_saved=False
    )
    assert_says_removed(
        kent.get(reverse("bids:partner-remove", args=[bid.reference, pk])), bid, nothing_saved=False
    )


def test_saving_a_removed_partner_says_so_and_saves_nothing(kent, removed_partner):
    bid, pk = removed_partner
    typed = {
        "version": "1",
        "name": "Kent Primary Care Trust <b>renamed</b>",
        "sector": "health",
        "role": "Commissions health visiting",
        "contact_name": "Pat Contact",
        "contact_email": "pat@nhs.example",
        "action": "continue",
    }
    response = kent.post(reverse("bids:partner-change", args=[bid.reference, pk]), typed)
    assert_says_removed(response, bid, nothing_saved=True)
    assert "renamed" not in text(response)
    assert not Partner.objects.filter(bid=bid).exists()


def test_a_partner_removed_while_the_save_was_on_its_way_says_so_too(
    kent, open_round, kent_user, monkeypatch
):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    partner = factories.partner(bid, Sector.HEALTH, kent_user, name="Kent Primary Care Trust")

    def removed_meanwhile(*args, **kwargs):
        raise Partner.DoesNotExist

    monkeypatch.setattr(sections.drafting, "change_partner", removed_meanwhile)
    response = kent.post(
        reverse("bids:partner-change", args=[bid.reference, partner.pk]),
        {"version": "1", "name": "Kent PCT", "sector": "health", "role": "Health", "contact_name": "Pat"},
    )
    assert_says_removed(response, bid, nothing_saved=True)
