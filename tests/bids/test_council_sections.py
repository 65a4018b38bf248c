"""Each section's question pages: what they save, who and when, and every message they give."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bids.models import Bid, BidEvent, BidSection, EventKind, Partner, Sector
from reference.models import ServiceScope
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bid(open_round, kent_user):
    return factories.draft_bid(open_round, "KEN", kent_user)


@pytest.fixture
def client(client_for, kent_user):
    return client_for(kent_user)


def page(bid, section, slug):
    return reverse("bids:section-page", args=[bid.reference, section, slug])


def version(bid, section):
    return BidSection.objects.get(bid=bid, section=section).version


def save(client, bid, section, slug, data, action="continue", query=""):
    posted = {"version": str(version(bid, section)), "action": action, **data}
    return client.post(page(bid, section, slug) + query, posted)


def errors(response):
    form = response.context["form"]
    return [error for name in form.fields if name in form.errors for error in form.errors[name]]


def fresh(bid):
    return Bid.objects.get(pk=bid.pk)


LEAD = {
    "lead_name": "Jo Bloggs",
    "lead_job_title": "Head of children's commissioning",
    "lead_email": "jo.bloggs@kent.example",
    "lead_phone": "01622 694000",
}
DIRECTOR = {
    "director_name": "Dana Director",
    "director_job_title": "DCS",
    "postal_address": "Sessions House\nCounty Road\nMaidstone ME14 1XQ",
}


# Contacts ----------------------------------------------------------------------------


def test_lead_officer_page_asks_for_every_answer(client, bid):
    response = save(client, bid, "contacts", "lead-officer", {})
    assert errors(response) == [
        "Enter the lead officer's full name",
        "Enter the lead officer's job title",
        "Enter the lead officer's email address",
        "Enter the lead officer's telephone number",
    ]
    assert response.content.decode().count('class="govuk-error-message"') == 4
    assert "<title>Error: Lead officer" in response.content.decode()


def test_lead_officer_formats_are_checked_and_typing_is_kept(client, bid):
    response = save(
        client,
        bid,
        "contacts",
        "lead-officer",
        {**LEAD, "lead_name": "N" * 151, "lead_email": "not-an-email", "lead_phone": "call me"},
    )
    assert errors(response) == [
        "The lead officer's name must be 150 characters or fewer",
        "Enter the lead officer's email address in the correct format, like name@example.com",
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
    ]
    page_html = response.content.decode()
    assert 'value="not-an-email"' in page_html and 'value="call me"' in page_html
    assert "maxlength" not in page_html
    assert fresh(bid).lead_email == ""


def test_saving_the_lead_officer_records_who_and_when_and_moves_on(client, bid, kent_user):
    response = save(client, bid, "contacts", "lead-officer", LEAD)
    assert response.url == page(bid, "contacts", "director")
    saved = fresh(bid)
    assert saved.lead_name == "Jo Bloggs" and saved.lead_phone == "01622 694000"
    assert saved.updated_by == kent_user
    row = BidSection.objects.get(bid=bid, section="contacts")
    assert row.version == 1 and row.updated_by == kent_user and row.updated_at is not None
    assert row.snapshot["lead_email"] == "jo.bloggs@kent.example"
    event = BidEvent.objects.get(bid=bid, kind=EventKind.EDITED)
    assert event.actor == kent_user and event.shown_to_council
    assert event.detail == {
        "section": "contacts",
        "version": 1,
        "changed": ["lead_email", "lead_job_title", "lead_name", "lead_phone"],
    }


def test_save_and_come_back_later_keeps_partial_answers(client, bid):
    response = save(client, bid, "contacts", "lead-officer", {"lead_name": "Jo Bloggs"}, action="later")
    assert response.url == reverse("bids:bid", args=[bid.reference])
    assert fresh(bid).lead_name == "Jo Bloggs"
    follow = client.get(response.url).content.decode()
    assert "Your answers have been saved" in follow
    assert "In progress" in follow


def test_save_and_come_back_later_still_refuses_a_malformed_answer(client, bid):
    response = save(client, bid, "contacts", "lead-officer", {"lead_email": "jo@"}, action="later")
    assert response.status_code == 200
    assert errors(response) == [
        "Enter the lead officer's email address in the correct format, like name@example.com"
    ]


def test_director_page(client, bid):
    assert errors(save(client, bid, "contacts", "director", {})) == [
        "Enter the responsible director's full name",
        "Enter the responsible director's job title",
        "Enter the postal address for letters",
    ]
    assert errors(
        save(client, bid, "contacts", "director", {**DIRECTOR, "postal_address": "County Hall"})
    ) == ["Enter the postal address with its postcode, like ME14 1XQ"]
    response = save(client, bid, "contacts", "director", DIRECTOR)
    assert response.url == reverse("bids:section-complete", args=[bid.reference, "contacts"])


# Focus and vision --------------------------------------------------------------------


def test_focus_messages(client, bid):
    assert errors(save(client, bid, "focus", "trust-focus", {})) == [
        "Select whether the trust will focus on specific client groups or broad commissioning"
    ]
    assert errors(save(client, bid, "focus", "trust-focus", {"focus": "everything"})) == [
        "Select whether the trust will focus on specific client groups or broad commissioning"
    ]
    assert errors(save(client, bid, "focus", "trust-focus", {"focus": "client_groups"})) == [
        "Enter the client groups the trust will serve"
    ]
    response = save(
        client, bid, "focus", "trust-focus", {"focus": "client_groups", "client_groups": "word " * 251}
    )
    assert errors(response) == ["The client groups must be 250 words or fewer"]


def test_broad_commissioning_drops_client_groups(client, bid):
    save(
        client, bid, "focus", "trust-focus", {"focus": "client_groups", "client_groups": "Disabled children"}
    )
    assert fresh(bid).client_groups == "Disabled children"
    save(client, bid, "focus", "trust-focus", {"focus": "broad", "client_groups": "Disabled children"})
    assert fresh(bid).focus == "broad" and fresh(bid).client_groups == ""


def test_vision_word_limit_is_shown_and_enforced(client, bid):
    html = client.get(page(bid, "focus", "vision")).content.decode()
    assert 'data-maxwords="500"' in html and "You can enter up to 500 words" in html
    assert errors(save(client, bid, "focus", "vision", {})) == ["Enter your vision for the trust"]
    too_long = " ".join(["child"] * 501)
    response = save(client, bid, "focus", "vision", {"vision": too_long})
    assert errors(response) == ["Your vision must be 500 words or fewer"]
    assert too_long in response.content.decode()
    assert save(client, bid, "focus", "vision", {"vision": " ".join(["child"] * 500)}).status_code == 302


# Services in scope -------------------------------------------------------------------


def test_excluded_scopes_are_explained_not_offered(client, bid):
    excluded = ServiceScope.objects.get(slug="youth-offending")
    html = client.get(page(bid, "scopes", "services")).content.decode()
    assert f'value="{excluded.pk}"' not in html
    assert "Services a trust cannot include" in html and "Youth offending services" in html
    assert "Youth offending teams will not be involved in children&#x27;s trusts" in html


def test_a_tampered_excluded_scope_is_refused_by_name(client, bid):
    allowed = ServiceScope.objects.filter(allowed=True).first()
    excluded = ServiceScope.objects.get(slug="youth-offending")
    response = save(client, bid, "scopes", "services", {"service_scopes": [allowed.pk, excluded.pk]})
    assert errors(response) == [
        "Youth offending services cannot be part of a children's trust. Youth offending teams will not "
        "be involved in children's trusts, so youth offending services cannot be part of a trust's scope."
    ]
    assert not fresh(bid).service_scopes.exists()
    assert errors(save(client, bid, "scopes", "services", {"service_scopes": ["99999"]})) == [
        "Select services from the list"
    ]


def test_scopes_need_a_service_or_a_description(client, bid):
    assert errors(save(client, bid, "scopes", "services", {})) == [
        "Select the services the trust will cover, or describe other services"
    ]
    assert save(client, bid, "scopes", "services", {"other_scope": "Play services"}).status_code == 302
    chosen = list(ServiceScope.objects.filter(allowed=True)[:2])
    save(client, bid, "scopes", "services", {"service_scopes": [s.pk for s in chosen]})
    assert set(fresh(bid).service_scopes.all()) == set(chosen)
    assert BidSection.objects.get(bid=bid, section="scopes").snapshot["service_scopes"] == "\n".join(
        s.name for s in chosen
    )


# Partners ----------------------------------------------------------------------------


def partner_data(**overrides):
    return {
        "version": "0",
        "name": "West Kent Primary Care Trust",
        "sector": "health",
        "role": "Commissions child health services",
        "contact_name": "Sam Nurse",
        "contact_email": "sam@pct.example",
        **overrides,
    }


def test_partner_messages(client, bid):
    url = reverse("bids:partner-add", args=[bid.reference])
    response = client.post(url, {"version": "0"})
    assert errors(response) == [
        "Enter the name of the partner agency",
        "Select the partner's sector",
        "Describe the partner's role in the trust",
        "Enter the name of the partner's contact",
    ]
    response = client.post(url, partner_data(contact_email="sam@", sector="police", role="word " * 151))
    assert errors(response) == [
        "Select the partner's sector",
        "The partner's role must be 150 words or fewer",
        "Enter the contact's email address in the correct format, like name@example.com",
    ]
    assert not Partner.objects.exists()


def test_adding_partners_updates_what_is_still_needed(client, bid, kent_user):
    partners_url = reverse("bids:partners", args=[bid.reference])
    assert "Still needed: social services, education, health" in client.get(partners_url).content.decode()
    response = client.post(reverse("bids:partner-add", args=[bid.reference]), partner_data())
    assert response.url == partners_url
    partner = Partner.objects.get(bid=bid)
    assert partner.added_by == kent_user and partner.sector == "health"
    html = client.get(partners_url).content.decode()
    assert "Still needed: social services, education</strong>" in html
    assert "West Kent Primary Care Trust" in html
    add_page = client.get(reverse("bids:partner-add", args=[bid.reference])).content.decode()
    assert "Still needed: social services, education." in add_page
    assert BidSection.objects.get(bid=bid, section="partners").version == 1


def test_partners_section_cannot_be_completed_until_core_sectors_are_covered(client, bid):
    complete_url = reverse("bids:section-complete", args=[bid.reference, "partners"])
    factories.partner(bid, Sector.EDUCATION)
    factories.partner(bid, Sector.VOLUNTARY)
    response = client.post(complete_url, {"version": "0", "completed": "yes"})
    assert errors(response) == [
        "Add a partner from social services and health: every trust must bring together social services, "
        "education and health"
    ]
    assert not BidSection.objects.get(bid=bid, section="partners").completed
    factories.partner(bid, Sector.SOCIAL_SERVICES)
    assert (
        "Add a partner from health: every trust"
        in errors(client.post(complete_url, {"version": "0", "completed": "yes"}))[0]
    )
    factories.partner(bid, Sector.HEALTH)
    assert client.post(complete_url, {"version": "0", "completed": "yes"}).status_code == 302
    assert BidSection.objects.get(bid=bid, section="partners").completed


def test_changing_and_removing_a_partner(client, bid):
    partner = factories.partner(bid, Sector.HEALTH)
    change_url = reverse("bids:partner-change", args=[bid.reference, partner.pk])
    assert 'value="Health partner"' in client.get(change_url).content.decode()
    client.post(change_url, partner_data(name="Kent and Medway NHS", version="0"))
    partner.refresh_from_db()
    assert partner.name == "Kent and Medway NHS"
    remove_url = reverse("bids:partner-remove", args=[bid.reference, partner.pk])
    assert "Are you sure you want to remove Kent and Medway NHS?" in client.get(remove_url).content.decode()
    client.post(remove_url)
    assert not Partner.objects.filter(pk=partner.pk).exists()


def test_removing_a_core_partner_reopens_the_completed_section(client, bid):
    for sector in (Sector.SOCIAL_SERVICES, Sector.EDUCATION, Sector.HEALTH):
        factories.partner(bid, sector)
    BidSection.objects.filter(bid=bid, section="partners").update(completed=True)
    health = bid.partners.get(sector="health")
    client.post(reverse("bids:partner-remove", args=[bid.reference, health.pk]))
    assert not BidSection.objects.get(bid=bid, section="partners").completed


# Delivery ----------------------------------------------------------------------------


def test_delivery_settings_messages(client, bid):
    assert errors(save(client, bid, "delivery", "settings", {})) == [
        "Select where the trust will deliver services"
    ]
    assert errors(save(client, bid, "delivery", "settings", {"delivery_settings": ["other"]})) == [
        "Describe the other settings"
    ]
    assert errors(save(client, bid, "delivery", "settings", {"delivery_settings": ["prisons"]})) == [
        "Select where the trust will deliver services from the list"
    ]
    save(
        client,
        bid,
        "delivery",
        "settings",
        {"delivery_settings": ["extended_schools", "other"], "delivery_other": "GP surgeries"},
    )
    assert fresh(bid).delivery_settings == ["extended_schools", "other"]
    assert fresh(bid).delivery_other == "GP surgeries"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the number of children and young people the trust will cover"),
        ("lots", "Enter the number of children and young people as a whole number, like 45000"),
        ("12.5", "Enter the number of children and young people as a whole number, like 45000"),
        ("-5", "The number of children and young people must be 1 or more"),
        ("0", "The number of children and young people must be 1 or more"),
        ("2,000,001", "The number of children and young people must be 2,000,000 or fewer"),
        ("9" * 30, "Enter the number of children and young people as a whole number, like 45000"),
    ],
)
def test_population_messages(client, bid, typed, message):
    assert errors(save(client, bid, "delivery", "population", {"population_covered": typed})) == [message]
    assert fresh(bid).population_covered is None


def test_population_accepts_commas(client, bid):
    save(client, bid, "delivery", "population", {"population_covered": "312,000"})
    assert fresh(bid).population_covered == 312000
    assert 'value="312,000"' in client.get(page(bid, "delivery", "population")).content.decode()


# Governance --------------------------------------------------------------------------


def test_governance_messages(client, bid):
    assert errors(save(client, bid, "governance", "model", {})) == ["Select how the trust will be governed"]
    assert errors(save(client, bid, "governance", "model", {"governance_model": "other"})) == [
        "Describe the governance model"
    ]
    assert errors(save(client, bid, "governance", "oversight", {})) == [
        "Describe how elected members will oversee the trust"
    ]
    assert errors(save(client, bid, "governance", "oversight", {"member_oversight": "word " * 301})) == [
        "How elected members oversee the trust must be 300 words or fewer"
    ]
    assert errors(save(client, bid, "governance", "accountability", {})) == [
        "Confirm that the council remains accountable for the services it delegates"
    ]
    assert save(client, bid, "governance", "accountability", {}, action="later").status_code == 302
    html = client.get(page(bid, "governance", "accountability")).content.decode()
    assert "I confirm that Kent County Council remains accountable" in html
    save(client, bid, "governance", "accountability", {"accountability_confirmed": "on"})
    assert fresh(bid).accountability_confirmed


# Funding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the supplement you are asking for"),
        ("-100", "The supplement cannot be a negative amount"),
        ("12.345", "Enter the supplement in pounds and pence, with no more than 2 decimal places"),
        ("40000.01", "The supplement must be £40,000 or less"),
        ("1000000", "The supplement must be £40,000 or less"),
        ("forty thousand", "Enter the supplement as an amount in pounds, like 25000 or 25000.50"),
        ("1e4", "Enter the supplement as an amount in pounds, like 25000 or 25000.50"),
        ("0", "The supplement must be more than £0. If you are not asking for one, answer no"),
    ],
)
def test_supplement_messages(client, bid, typed, message):
    response = save(
        client,
        bid,
        "funding",
        "amount",
        {
            "large_or_complex": "yes",
            "supplement_requested": typed,
            "supplement_justification": "Large county",
        },
    )
    assert errors(response) == [message]
    assert f'value="{typed}"' in response.content.decode() or typed == ""
    assert fresh(bid).supplement_requested == Decimal("0")


@pytest.mark.parametrize(
    ("typed", "saved"), [("40,000", "40000"), ("£25,000.50", "25000.50"), ("39999.9", "39999.90")]
)
def test_supplement_amounts_are_normalised(client, bid, typed, saved):
    response = save(
        client,
        bid,
        "funding",
        "amount",
        {
            "large_or_complex": "yes",
            "supplement_requested": typed,
            "supplement_justification": "Large county",
        },
    )
    assert response.status_code == 302
    assert fresh(bid).supplement_requested == Decimal(saved)


def test_funding_messages_and_base_award(client, bid):
    html = client.get(page(bid, "funding", "amount")).content.decode()
    assert "base award of £60,000" in html and "up to £40,000" in html
    assert errors(save(client, bid, "funding", "amount", {})) == [
        "Select yes if the trust is large or complex"
    ]
    response = save(
        client, bid, "funding", "amount", {"large_or_complex": "yes", "supplement_requested": "30000"}
    )
    assert errors(response) == ["Explain why the trust needs a supplement"]


def test_a_trust_that_is_not_large_asks_for_no_supplement_whatever_is_posted(client, bid):
    save(
        client,
        bid,
        "funding",
        "amount",
        {"large_or_complex": "no", "supplement_requested": "-99999", "supplement_justification": "sneaky"},
    )
    saved = fresh(bid)
    assert saved.large_or_complex is False
    assert saved.supplement_requested == Decimal("0") and saved.supplement_justification == ""


# Consultation ------------------------------------------------------------------------


def test_consultation_messages(client, bid):
    assert errors(save(client, bid, "consultation", "plan", {})) == [
        "Describe how you will consult local communities",
        "Describe how you will consult partner agencies",
        "Describe how you will consult all staff involved in the trust",
    ]
    response = save(
        client,
        bid,
        "consultation",
        "plan",
        {"consultation_communities": "a", "consultation_agencies": "word " * 301, "consultation_staff": "c"},
    )
    assert errors(response) == ["How you will consult partner agencies must be 300 words or fewer"]


# Have you completed this section? ----------------------------------------------------


def complete(client, bid, section, answer):
    url = reverse("bids:section-complete", args=[bid.reference, section])
    return client.post(url, {"version": "0", **({"completed": answer} if answer else {})})


def test_the_completion_question(client, bid):
    assert errors(complete(client, bid, "contacts", None)) == ["Select whether you’ve completed this section"]
    assert errors(complete(client, bid, "contacts", "yes")) == [
        "Enter the lead officer's full name",
        "Enter the lead officer's job title",
        "Enter the lead officer's email address",
        "Enter the lead officer's telephone number",
        "Enter the responsible director's full name",
        "Enter the responsible director's job title",
        "Enter the postal address for letters",
    ]
    save(client, bid, "contacts", "lead-officer", LEAD)
    save(client, bid, "contacts", "director", DIRECTOR)
    response = complete(client, bid, "contacts", "yes")
    assert response.url == reverse("bids:bid", args=[bid.reference])
    assert BidSection.objects.get(bid=bid, section="contacts").completed
    assert "Completed" in client.get(response.url).content.decode()
    complete(client, bid, "contacts", "no")
    assert not BidSection.objects.get(bid=bid, section="contacts").completed


def test_blanking_an_answer_reopens_a_completed_section(client, bid):
    save(client, bid, "contacts", "lead-officer", LEAD)
    save(client, bid, "contacts", "director", DIRECTOR)
    complete(client, bid, "contacts", "yes")
    save(client, bid, "contacts", "lead-officer", {**LEAD, "lead_phone": ""}, action="later")
    assert not BidSection.objects.get(bid=bid, section="contacts").completed


def test_change_links_return_to_the_check_page(client, bid):
    response = save(client, bid, "contacts", "lead-officer", LEAD, query="?return=check")
    assert response.url == reverse("bids:check", args=[bid.reference])
    html = client.get(page(bid, "contacts", "lead-officer") + "?return=check").content.decode()
    assert f'href="{reverse("bids:check", args=[bid.reference])}" class="govuk-back-link"' in html


def test_an_unknown_page_is_404(client, bid):
    assert client.get(page(bid, "contacts", "nonsense")).status_code == 404
