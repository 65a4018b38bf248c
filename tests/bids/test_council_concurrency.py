"""Two colleagues editing the same section: the second save is refused with what changed,
and nothing anyone saved is overwritten silently."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from bids import drafting
from bids.models import Bid, BidSection, Partner, Section, Sector
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def colleagues(open_round, kent_user):
    colleague = factories.user(Role.COUNCIL, "KEN")
    colleague.full_name = "Alex Colleague"
    colleague.save(update_fields=["full_name"])
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    return bid, signed_in(kent_user), signed_in(colleague), colleague


def lead_page(bid):
    return reverse("bids:section-page", args=[bid.reference, "contacts", "lead-officer"])


def loaded_version(client, url):
    return client.get(url).context["form"]["version"].value()


LEAD = {
    "lead_name": "Jo Bloggs",
    "lead_job_title": "Head of commissioning",
    "lead_email": "jo@kent.example",
    "lead_phone": "01622 694000",
}


def test_the_second_save_is_refused_with_what_changed(colleagues):
    bid, mine, theirs, colleague = colleagues
    my_version = loaded_version(mine, lead_page(bid))
    their_version = loaded_version(theirs, lead_page(bid))
    first = theirs.post(lead_page(bid), {**LEAD, "version": their_version, "action": "continue"})
    assert first.status_code == 302

    mine_typed = {**LEAD, "lead_name": "Sam Smith", "lead_phone": "01622 111111"}
    second = mine.post(lead_page(bid), {**mine_typed, "version": my_version, "action": "continue"})
    assert second.status_code == 200
    html = second.content.decode()
    assert "<title>Error: " in html
    assert "Alex Colleague saved this section after you opened it" in html
    assert 'id="what-changed"' in html
    differences = second.context["conflict"]["differences"]
    assert [(d.label, d.theirs, d.yours) for d in differences] == [
        ("Lead officer's name", "Jo Bloggs", "Sam Smith"),
        ("Lead officer's telephone number", "01622 694000", "01622 111111"),
    ]
    assert second.context["conflict"]["by"] == colleague
    # What I typed is still in the form, ready to save again on purpose.
    assert 'value="Sam Smith"' in html and 'value="01622 111111"' in html
    assert second.context["form"]["version"].value() == "1"
    # The colleague's answers are intact.
    saved = Bid.objects.get(pk=bid.pk)
    assert saved.lead_name == "Jo Bloggs" and saved.lead_phone == "01622 694000"
    row = BidSection.objects.get(bid=bid, section="contacts")
    assert row.version == 1 and row.updated_by == colleague

    # Having seen the changes, saving again replaces them deliberately.
    again = mine.post(lead_page(bid), {**mine_typed, "version": "1", "action": "continue"})
    assert again.status_code == 302
    assert Bid.objects.get(pk=bid.pk).lead_name == "Sam Smith"
    assert BidSection.objects.get(bid=bid, section="contacts").version == 2


def test_saving_the_same_answers_as_a_colleague_is_not_a_conflict(colleagues):
    bid, mine, theirs, _ = colleagues
    my_version = loaded_version(mine, lead_page(bid))
    theirs.post(lead_page(bid), {**LEAD, "version": "0", "action": "continue"})
    assert mine.post(lead_page(bid), {**LEAD, "version": my_version, "action": "continue"}).status_code == 302


def test_colleagues_on_different_pages_of_a_section_do_not_undo_each_other(colleagues):
    bid, mine, theirs, _ = colleagues
    director_page = reverse("bids:section-page", args=[bid.reference, "contacts", "director"])
    my_version = loaded_version(mine, director_page)
    theirs.post(lead_page(bid), {**LEAD, "version": "0", "action": "continue"})
    response = mine.post(
        director_page,
        {
            "director_name": "Dana Director",
            "director_job_title": "DCS",
            "postal_address": "Sessions House, Maidstone ME14 1XQ",
            "version": my_version,
            "action": "continue",
        },
    )
    assert response.status_code == 302
    saved = Bid.objects.get(pk=bid.pk)
    assert saved.lead_name == "Jo Bloggs" and saved.director_name == "Dana Director"


def test_a_tampered_version_is_treated_as_out_of_date(colleagues):
    bid, mine, theirs, _ = colleagues
    theirs.post(lead_page(bid), {**LEAD, "version": "0", "action": "continue"})
    response = mine.post(
        lead_page(bid), {**LEAD, "lead_name": "Someone else", "version": "abc", "action": "continue"}
    )
    assert response.status_code == 200 and response.context["conflict"]
    assert Bid.objects.get(pk=bid.pk).lead_name == "Jo Bloggs"


def test_two_colleagues_changing_the_same_partner(colleagues):
    bid, mine, theirs, colleague = colleagues
    partner = factories.partner(bid, Sector.HEALTH, name="Kent PCT")
    url = reverse("bids:partner-change", args=[bid.reference, partner.pk])
    my_version = loaded_version(mine, url)
    base = {
        "name": "Kent PCT",
        "sector": "health",
        "role": "Commissions child health",
        "contact_name": "Pat Contact",
        "contact_email": "",
    }
    assert theirs.post(url, {**base, "contact_name": "Chris Nurse", "version": my_version}).status_code == 302
    response = mine.post(url, {**base, "contact_name": "Robin Doctor", "version": my_version})
    assert response.status_code == 200
    assert [(d.label, d.theirs, d.yours) for d in response.context["conflict"]["differences"]] == [
        ("Named contact", "Chris Nurse", "Robin Doctor")
    ]
    assert Partner.objects.get(pk=partner.pk).contact_name == "Chris Nurse"


def test_adding_partners_at_the_same_time_keeps_both(colleagues):
    bid, mine, theirs, _ = colleagues
    add = reverse("bids:partner-add", args=[bid.reference])
    data = {"sector": "health", "role": "Health", "contact_name": "Pat", "version": "0"}
    assert theirs.post(add, {**data, "name": "First PCT"}).status_code == 302
    assert mine.post(add, {**data, "name": "Second PCT"}).status_code == 302
    assert sorted(bid.partners.values_list("name", flat=True)) == ["First PCT", "Second PCT"]


def test_save_section_refuses_a_stale_version_directly(open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    drafting.save_section(bid, Section.FOCUS, kent_user, loaded_version=0, changes={"vision": "Ours"})
    with pytest.raises(drafting.SectionConflict) as conflict:
        drafting.save_section(bid, Section.FOCUS, kent_user, loaded_version=0, changes={"vision": "Mine"})
    assert conflict.value.differences[0].theirs == "Ours"
    assert Bid.objects.get(pk=bid.pk).vision == "Ours"
