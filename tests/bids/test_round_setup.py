"""Administrators set up funding rounds on GOV.UK pages: from scratch or from a copy, with
rules that keep dates in order, money within the budget, weights at 100%, and what has
happened in the round (bids started or submitted, scores submitted) safe."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import OutboundEmail
from bids import setup
from bids.models import Criterion, FundingRound
from bids.rounds import DEFAULT_CRITERIA
from core.door import Refused
from core.london import end_of_day, start_of_day
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


def page_text(response):
    return response.content.decode()


def details(**changes):
    """A whole new-round form, filled in as an administrator would."""
    closes = timezone.localdate() + timedelta(days=60)
    posted = {
        "name": "Children's trust pilots 2027",
        "code": "2027",
        "ggis_reference": "G2-SCH-2027-01-0001",
        "description": "Pilots on the same terms as 2003.",
        **dated("opens_on", timezone.localdate()),
        **dated("closes_on", closes),
        **dated("interviews_start_on", closes + timedelta(days=20)),
        **dated("interviews_end_on", closes + timedelta(days=40)),
        **dated("decision_on", closes + timedelta(days=60)),
        **dated("operational_on", closes + timedelta(days=200)),
        "base_award": "60,000",
        "max_supplement": "40,000",
        "total_budget": "1,000,000",
        "pilot_places": "10",
        "pilot_months": "36",
        "min_assessors": "2",
        "leniency_threshold": "10",
        "assessor_guidance": "Score what the bid says.",
        "council_guidance": "Tell us about your partners.",
        "grant_terms": "1. Purpose. The grant is for the pilot.\n\n2. Recovery. Unspent grant is recovered.",
        "returns_every_months": "3",
        "reminder_working_days": "5",
    }
    posted.update(changes)
    return posted


def dated(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def errors(response):
    """The messages of the GOV.UK error summary."""
    text = page_text(response)
    assert response.status_code == 200 and "govuk-error-summary" in text, response.status_code
    summary = text.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li><a href="#[^"]*">(.*?)</a></li>', summary)


@pytest.fixture
def admin(client_for, admin_user):
    return client_for(admin_user)


def signed_in(person):
    """A browser of the person's own, apart from the administrator's."""
    browser = Client()
    browser.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return browser


# Making a round -------------------------------------------------------------------------------


def test_a_round_from_scratch_is_a_draft_with_the_default_criteria(admin, admin_user, kent_user, client_for):
    response = admin.post(reverse("bids:new-round"), details())
    funding_round = FundingRound.objects.get(code="2027")
    assert response.status_code == 302 and response.url == reverse("bids:set-up", args=[funding_round.slug])
    assert funding_round.slug == "childrens-trust-pilots-2027" and not funding_round.is_published
    assert funding_round.opens_at == start_of_day(timezone.localdate())
    assert funding_round.closes_at == end_of_day(timezone.localdate() + timedelta(days=60))
    assert funding_round.base_award == Decimal("60000") and funding_round.total_budget == Decimal("1000000")
    criteria = list(funding_round.criteria.all())
    assert [(c.name, c.weight) for c in criteria] == [(d.name, d.weight) for d in DEFAULT_CRITERIA]
    assert all(c.level_0 and c.level_4 for c in criteria)
    # A draft: councils neither see it nor can start a bid in it.
    kent = signed_in(kent_user)
    assert escape(funding_round.name) not in page_text(kent.get("/"))
    assert kent.get(reverse("bids:round", args=[funding_round.slug])).status_code == 404
    kent.post(reverse("bids:start", args=[funding_round.slug]))
    assert not funding_round.bids.exists()


def test_copying_a_round_takes_its_money_guidance_and_criteria_and_moves_its_dates_a_year_on(
    admin, open_round
):
    open_round.council_guidance = "Partners first."
    open_round.save()
    criterion = open_round.criteria.first()
    criterion.level_3 = "Strong joint working."
    criterion.save()
    assert admin.post(reverse("bids:start-round"), {"start": "copy", "copy_of": open_round.slug}).url == (
        reverse("bids:new-round") + f"?copy={open_round.slug}"
    )
    page = page_text(admin.get(reverse("bids:new-round") + f"?copy={open_round.slug}"))
    closes = timezone.localtime(open_round.closes_at).date()
    assert f'value="{closes.year + 1}"' in page and "Partners first." in page
    posted = details(council_guidance="Partners first.", max_supplement="40,000")
    admin.post(reverse("bids:new-round") + f"?copy={open_round.slug}", posted)
    copy = FundingRound.objects.get(code="2027")
    copied = copy.criteria.get(name=criterion.name)
    assert copied.level_3 == "Strong joint working." and copied.weight == criterion.weight
    assert copy.history.earliest().history_change_reason == f"Copied from {open_round.name}"


def test_choosing_to_copy_needs_a_round(admin):
    assert errors(admin.post(reverse("bids:start-round"), {"start": "copy"})) == ["Select the round to copy"]
    assert errors(admin.post(reverse("bids:start-round"), {})) == ["Select how you want to set up the round"]
    assert admin.get(reverse("bids:new-round") + "?copy=no-such-round").status_code == 404


def test_an_empty_form_says_what_is_missing_and_keeps_nothing(admin):
    messages = errors(admin.post(reverse("bids:new-round"), {}))
    assert messages == [
        "Enter the round&#x27;s name",
        "Enter a reference code",
        "Enter the date expressions of interest open",
        "Enter the closing date",
        "Enter the date interviews start",
        "Enter the date interviews end",
        "Enter the decision date",
        "Enter the date pilots are operational by",
        "Enter the base award",
        "Enter the maximum supplement, or 0 for none",
        "Enter how long each pilot runs, in months",
        "Enter how many assessors score each bid",
        "Enter the leniency that flags an assessor, in percentage points",
        "Enter the grant terms every offer in the round carries",
        "Enter how often monitoring returns are due, in months",
        "Enter how many working days before a return is due councils are reminded",
    ]
    assert not FundingRound.objects.filter(name="").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "20/27"}, "The reference code must be letters and numbers only, like 2004"),
        ({"code": "2003"}, "Another round already uses the reference code 2003"),
        (
            {"name": "children's trust pilots 2003"},
            "There is already a round called children&#x27;s trust pilots 2003",
        ),
        ({"ggis_reference": "scheme #4"}, "Enter the GGIS reference as GGIS shows it"),
        ({"base_award": "0"}, "The base award must be more than £0"),
        ({"total_budget": "50,000"}, "The total budget must be at least the base award, £60,000"),
        (
            {"total_budget": "80,000"},
            "The maximum supplement cannot be more than £20,000: the total budget of £80,000 less the base award",
        ),
        ({"pilot_places": "20"}, "The total budget of £1,000,000 pays the base award to at most 16 pilots"),
        ({"pilot_places": "0"}, "The number of pilots must be 1 or more"),
        ({"min_assessors": "0"}, "Each bid needs at least 1 assessor"),
    ],
)
def test_each_rule_about_names_and_money_says_what_to_fix(admin, changes, message):
    response = admin.post(reverse("bids:new-round"), details(**changes))
    assert any(found.startswith(message) for found in errors(response)), errors(response)
    assert not FundingRound.objects.filter(code="2027").exists()
    # What was typed stays on the page.
    for value in changes.values():
        assert value.replace("'", "&#x27;") in page_text(response)


def test_dates_must_run_in_order(admin):
    closes = timezone.localdate() + timedelta(days=60)
    response = admin.post(
        reverse("bids:new-round"),
        details(
            **dated("interviews_start_on", closes),
            **dated("interviews_end_on", closes - timedelta(days=1)),
            **dated("decision_on", closes - timedelta(days=2)),
            **dated("operational_on", closes - timedelta(days=3)),
        ),
    )
    pretty = f"{closes.day} {closes:%B %Y}"
    assert errors(response) == [
        f"Interviews must start after expressions of interest close on {pretty}",
        f"Interviews must end on or after the day they start, {pretty}",
        f"The decision date must be on or after the last interview day, {(closes - timedelta(days=1)).day} "
        f"{closes - timedelta(days=1):%B %Y}",
        f"Pilots cannot be operational before the decision date, {(closes - timedelta(days=2)).day} "
        f"{closes - timedelta(days=2):%B %Y}",
    ]


def test_a_new_round_cannot_close_in_the_past(admin):
    response = admin.post(
        reverse("bids:new-round"),
        details(**dated("opens_on", date(2020, 1, 1)), **dated("closes_on", date(2020, 3, 31))),
    )
    assert "The closing date must be in the future" in errors(response)


# Changing a round ------------------------------------------------------------------------------


def test_changing_a_section_saves_it_and_records_who_changed_what(admin, admin_user, open_round):
    url = reverse("bids:round-section", args=[open_round.slug, "funding"])
    assert "Base award for each pilot" in page_text(admin.get(url))
    response = admin.post(
        url,
        {
            "base_award": "65,000",
            "max_supplement": "35,000",
            "total_budget": "",
            "pilot_places": "",
            "pilot_months": "24",
        },
    )
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert open_round.base_award == Decimal("65000") and open_round.max_supplement == Decimal("35000")
    assert open_round.pilot_months == 24
    page = page_text(admin.get(reverse("bids:set-up", args=[open_round.slug])))
    history = page.split('id="history"', 1)[1]
    assert admin_user.full_name in history
    assert "£60,000" in history and "£65,000" in history and "Base award" in history


def test_an_unknown_section_is_not_found(admin, open_round):
    assert admin.get(reverse("bids:round-section", args=[open_round.slug, "secrets"])).status_code == 404


def test_once_a_bid_is_submitted_the_close_can_be_extended_and_everyone_is_told_but_not_brought_forward(
    admin, open_round, kent_user, leeds_user
):
    factories.submitted_bid(open_round, "KEN", kent_user)
    url = reverse("bids:round-section", args=[open_round.slug, "dates"])
    closes = timezone.localtime(open_round.closes_at).date()
    current = {
        **dated("opens_on", timezone.localtime(open_round.opens_at).date()),
        **dated("interviews_start_on", open_round.interviews_start_on),
        **dated("interviews_end_on", open_round.interviews_end_on),
        **dated("decision_on", open_round.decision_on),
        **dated("operational_on", open_round.operational_on),
    }
    earlier = admin.post(url, {**current, **dated("closes_on", closes - timedelta(days=1))})
    assert errors(earlier)[0].startswith(
        "The closing date cannot be brought forward: councils have submitted bids"
    )
    OutboundEmail.objects.all().delete()
    later = admin.post(url, {**current, **dated("closes_on", closes + timedelta(days=7))})
    assert later.status_code == 302
    open_round.refresh_from_db()
    assert open_round.closes_at == end_of_day(closes + timedelta(days=7))
    told = sorted(address for email in OutboundEmail.objects.all() for address in email.to)
    assert told == sorted([kent_user.email, leeds_user.email]) and all(
        len(e.to) == 1 for e in OutboundEmail.objects.all()
    )
    assert "has been extended" in OutboundEmail.objects.first().body


def test_once_bids_are_started_the_opening_date_and_code_are_fixed(admin, open_round, kent_user):
    factories.draft_bid(open_round, "KEN", kent_user)
    with pytest.raises(Refused, match="opening date cannot change"):
        setup.change_round(open_round, None, {"opens_at": open_round.opens_at - timedelta(days=1)})
    response = admin.post(
        reverse("bids:round-section", args=[open_round.slug, "about"]),
        {"name": open_round.name, "code": "NEW", "ggis_reference": "", "description": ""},
    )
    assert errors(response) == [
        "The reference code cannot change: bids in this round already carry it in their references"
    ]


def test_once_a_bid_is_approved_the_funding_is_fixed(admin, lead):
    award = factories.approved_bid_with_award(lead=lead)
    funding_round = award.bid.funding_round
    response = admin.post(
        reverse("bids:round-section", args=[funding_round.slug, "funding"]),
        {"base_award": "1", "max_supplement": "0", "total_budget": "", "pilot_places": ""},
    )
    assert errors(response)[0].startswith("The funding cannot change: 1 bid has been approved")


# Criteria and weights ---------------------------------------------------------------------------


def weights_of(funding_round, **by_position):
    criteria = list(funding_round.criteria.all())
    return {f"weight_{c.pk}": str(by_position.get(f"w{c.position}", c.weight)) for c in criteria}


def test_weights_must_add_up_to_100(admin, open_round):
    url = reverse("bids:weights", args=[open_round.slug])
    response = admin.post(url, weights_of(open_round, w3="15"))
    assert errors(response) == ["The weights must add up to 100%. They add up to 95%"]
    assert 'value="15"' in page_text(response)
    assert admin.post(url, weights_of(open_round, w1="25", w2="25")).status_code == 302
    assert sorted(open_round.criteria.values_list("weight", flat=True)) == [15, 15, 20, 25, 25]


def test_a_new_criterion_comes_with_the_others_weights_and_what_each_score_means(admin, open_round):
    others = weights_of(open_round, w1="20")
    posted = {
        "name": "Value for money",
        "guidance": "Costs against outcomes.",
        "weight": "10",
        **{f"level_{n}": f"Level {n}" for n in range(5)},
        **others,
    }
    response = admin.post(reverse("bids:add-criterion", args=[open_round.slug]), {**posted, "level_2": ""})
    assert errors(response) == ["Enter what a score of 2 means on this criterion"]
    assert admin.post(reverse("bids:add-criterion", args=[open_round.slug]), posted).status_code == 302
    new = open_round.criteria.get(name="Value for money")
    assert new.weight == 10 and new.position == 6 and new.level_2 == "Level 2"
    assert sum(open_round.criteria.values_list("weight", flat=True)) == 100


def test_removing_a_criterion_shares_its_weight_and_the_last_one_stays(admin, open_round):
    first, *rest = list(open_round.criteria.all())
    posted = {f"weight_{c.pk}": str(c.weight) for c in rest}
    response = admin.post(reverse("bids:remove-criterion", args=[open_round.slug, first.pk]), posted)
    assert errors(response) == ["The weights must add up to 100%. They add up to 70%"]
    posted[f"weight_{rest[0].pk}"] = "50"
    assert (
        admin.post(reverse("bids:remove-criterion", args=[open_round.slug, first.pk]), posted).status_code
        == 302
    )
    assert not Criterion.objects.filter(pk=first.pk).exists()
    only = factories.open_round()
    *others, last = list(only.criteria.all())
    Criterion.objects.filter(pk__in=[c.pk for c in others]).delete()
    with pytest.raises(Refused, match="at least one criterion"):
        setup.remove_criterion(last, None, {})


def test_criteria_lock_once_a_score_is_submitted_and_the_page_says_what_to_do(admin, open_round, assessor):
    bid = factories.under_assessment_bid(open_round, assessors=[assessor])
    factories.submit_scores(bid, assessor, [3, 3, 3, 3, 3])
    response = admin.get(reverse("bids:weights", args=[open_round.slug]), follow=True)
    page = page_text(response)
    assert "The criteria and weights are locked because 1 assessment has been submitted" in page
    assert "reopen the submitted scores" in page
    assert "Change weights" not in page
    criterion = open_round.criteria.first()
    before = criterion.weight
    admin.post(reverse("bids:weights", args=[open_round.slug]), weights_of(open_round))
    for url in [
        reverse("bids:criterion", args=[open_round.slug, criterion.pk]),
        reverse("bids:add-criterion", args=[open_round.slug]),
        reverse("bids:remove-criterion", args=[open_round.slug, criterion.pk]),
    ]:
        assert admin.post(url, {"name": "Changed"}).status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == before and criterion.name != "Changed"
    with pytest.raises(Refused, match="locked"):
        setup.set_weights(open_round, None, {c.pk: c.weight for c in open_round.criteria.all()})


# Publishing and previewing ---------------------------------------------------------------------


def test_publishing_needs_every_score_explained_then_councils_see_the_round(admin, kent_user, client_for):
    admin.post(reverse("bids:new-round"), details())
    funding_round = FundingRound.objects.get(code="2027")
    funding_round.criteria.filter(position=2).update(level_3="")
    page = page_text(admin.get(reverse("bids:set-up", args=[funding_round.slug])))
    assert "You cannot publish the round yet" in page and "Publish round" not in page
    admin.post(reverse("bids:publish-round", args=[funding_round.slug]))
    funding_round.refresh_from_db()
    assert not funding_round.is_published
    funding_round.criteria.filter(position=2).update(level_3="Clear scope")
    response = admin.post(reverse("bids:publish-round", args=[funding_round.slug]), follow=True)
    assert "is published. Councils can see it now." in page_text(response)
    funding_round.refresh_from_db()
    assert funding_round.is_published
    kent = signed_in(kent_user)
    assert escape(funding_round.name) in page_text(kent.get("/"))
    round_page = page_text(kent.get(reverse("bids:round", args=[funding_round.slug])))
    assert "Tell us about your partners." in round_page and "Start your bid" in round_page
    assert kent.post(reverse("bids:start", args=[funding_round.slug])).status_code == 302
    assert funding_round.bids.count() == 1


def test_a_published_round_that_opens_later_stays_hidden_until_it_opens(kent_user, client_for, admin_user):
    later = factories.open_round()
    later.opens_at = timezone.now() + timedelta(days=3)
    later.save()
    kent = signed_in(kent_user)
    assert escape(later.name) not in page_text(kent.get("/"))
    assert kent.get(reverse("bids:round", args=[later.slug])).status_code == 404


def test_the_preview_shows_the_round_as_a_council_will_without_the_start_button(admin):
    admin.post(reverse("bids:new-round"), details())
    funding_round = FundingRound.objects.get(code="2027")
    page = page_text(admin.get(reverse("bids:preview-round", args=[funding_round.slug])))
    assert "This is how councils will see the round" in page
    assert "Tell us about your partners." in page and "Start your bid" not in page
    assert "Joint working across social services, education and health" in page


def test_the_service_never_names_a_round_new(admin):
    admin.post(reverse("bids:new-round"), details(name="New"))
    assert FundingRound.objects.get(code="2027").slug == "new-2"


# The list of rounds -----------------------------------------------------------------------------


def test_the_rounds_list_costs_the_same_queries_however_many_rounds(admin):
    FundingRound.objects.all().delete()
    factories.open_round()
    assert queries_for(admin, "/") == 4
    for _ in range(2):
        factories.open_round()
    assert queries_for(admin, "/") == 4


def test_the_rounds_list_is_paginated(admin):
    for _ in range(21):
        factories.open_round()
    assert "Next" in page_text(admin.get("/"))
    assert admin.get("/?page=2").status_code == 200
