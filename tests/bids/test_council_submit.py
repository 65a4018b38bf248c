"""Check your answers, submit, the acknowledgement, what the council sees afterwards,
withdrawing and starting again from a copy."""

from datetime import datetime, time

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from accounts.models import OutboundEmail
from bids import workflow
from bids.models import Bid, BidSection, BidState, Decision, Interview, Partner, Section, Sector
from core.london import LONDON
from tests import factories

pytestmark = pytest.mark.django_db

SECTION_URLS = [
    ("section-page", ["contacts", "lead-officer"]),
    ("section-page", ["contacts", "director"]),
    ("section-page", ["focus", "trust-focus"]),
    ("section-page", ["focus", "vision"]),
    ("section-page", ["scopes", "services"]),
    ("section-page", ["delivery", "settings"]),
    ("section-page", ["delivery", "population"]),
    ("section-page", ["governance", "model"]),
    ("section-page", ["governance", "oversight"]),
    ("section-page", ["governance", "accountability"]),
    ("section-page", ["funding", "amount"]),
    ("section-page", ["consultation", "plan"]),
    ("section-complete", ["contacts"]),
    ("partners", []),
    ("partner-add", []),
    ("documents", []),
    ("check", []),
]


def url(name, bid, *args):
    return reverse(f"bids:{name}", args=[bid.reference, *args])


@pytest.fixture
def ready(open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user, complete=True)
    Bid.objects.filter(pk=bid.pk).update(lead_email="lead.officer@kent.example", declaration_confirmed=False)
    return Bid.objects.get(pk=bid.pk)


def test_the_check_page_shows_every_answer_with_change_links(client_for, kent_user, ready):
    page = client_for(kent_user).get(url("check", ready)).content.decode()
    for section in Section:
        assert f">{section.label}</h2>" in page
    assert "Dana Director" in page and "Social services partner" in page and "plan.pdf" in page
    assert f'href="{url("section-page", ready, "contacts", "director")}?return=check"' in page
    assert "Before you can submit" not in page
    assert "Submit your expression of interest" in page


def test_submitting_needs_the_declaration(client_for, kent_user, ready):
    response = client_for(kent_user).post(url("check", ready), {})
    assert response.status_code == 200
    assert "Confirm the declaration to submit your expression of interest" in response.content.decode()
    assert Bid.objects.get(pk=ready.pk).state == BidState.DRAFT


def test_an_incomplete_bid_cannot_be_submitted_and_the_page_says_why(client_for, kent_user, open_round):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    factories.partner(bid, Sector.HEALTH)
    response = client_for(kent_user).post(url("check", bid), {"declaration_confirmed": "on"})
    page = response.content.decode()
    assert "<title>Error: " in page
    assert (
        f'<a href="{url("section-page", bid, "contacts", "lead-officer")}">Complete the section ‘Contacts’</a>'
        in page
    )
    assert "Add a partner from social services and education" in page
    assert Bid.objects.get(pk=bid.pk).state == BidState.DRAFT


def test_the_task_list_says_check_and_submit_cannot_start_yet(client_for, kent_user, open_round):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    page = client_for(kent_user).get(url("bid", bid)).content.decode()
    assert "Cannot start yet" in page and 'href="' + url("check", bid) + '"' not in page
    BidSection.objects.filter(bid=bid).update(completed=True)
    page = client_for(kent_user).get(url("bid", bid)).content.decode()
    assert "Cannot start yet" not in page and url("check", bid) in page


def test_submitting_sends_the_acknowledgement(
    client_for, kent_user, ready, django_capture_on_commit_callbacks
):
    client = client_for(kent_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("check", ready), {"declaration_confirmed": "on"})
    assert response.url == url("submitted", ready)
    bid = Bid.objects.get(pk=ready.pk)
    assert bid.state == BidState.SUBMITTED and bid.submitted_by == kent_user and bid.declaration_confirmed
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(["lead.officer@kent.example", kent_user.email])
    assert message.subject == f"Expression of interest received: {bid.reference}"
    assert bid.reference in message.body and "What happens next" in message.body
    assert OutboundEmail.objects.get().sent_at is not None
    confirmation = client.get(response.url).content.decode()
    assert "govuk-panel--confirmation" in confirmation
    assert f"<strong>{bid.reference}</strong>" in confirmation
    assert "What happens next" in confirmation
    assert "lead.officer@kent.example" in confirmation


def test_the_confirmation_page_is_only_for_submitted_bids(client_for, kent_user, ready):
    assert client_for(kent_user).get(url("submitted", ready)).url == url("bid", ready)


def test_a_submitted_bid_is_read_only(client_for, kent_user, ready):
    client = client_for(kent_user)
    client.post(url("check", ready), {"declaration_confirmed": "on"})
    bid = Bid.objects.get(pk=ready.pk)
    before = {f.name: getattr(bid, f.name) for f in Bid._meta.concrete_fields}
    versions = dict(BidSection.objects.filter(bid=bid).values_list("section", "version"))
    partner = bid.partners.first()
    document = bid.documents.first()
    posts = [
        *(url(name, bid, *args) for name, args in SECTION_URLS),
        url("partner-change", bid, partner.pk),
        url("partner-remove", bid, partner.pk),
        url("document-remove", bid, document.pk),
        url("section-complete", bid, "partners"),
    ]
    for target in posts:
        response = client.post(
            target,
            {"version": "99", "lead_name": "Hacked", "vision": "Hacked", "completed": "no", "name": "Hacked"},
        )
        assert response.status_code == 302 and response.url == url("bid", bid), target
        assert client.get(target).url == url("bid", bid), target
    after = Bid.objects.get(pk=bid.pk)
    assert {f.name: getattr(after, f.name) for f in Bid._meta.concrete_fields} == before
    assert dict(BidSection.objects.filter(bid=bid).values_list("section", "version")) == versions
    assert Partner.objects.filter(pk=partner.pk).exists() and bid.documents.filter(pk=document.pk).exists()
    page = client.get(url("bid", bid)).content.decode()
    assert "is submitted, so it can no longer be changed" in page
    assert "What you said" in page and "Check your answers and submit" not in page
    assert "Change<span" not in page


# Withdrawing and starting again ------------------------------------------------------


def test_withdrawing_needs_a_reason(client_for, kent_user, ready):
    workflow.change_state(ready, "submit", kent_user)
    client = client_for(kent_user)
    assert "Why are you withdrawing this bid?" in client.get(url("withdraw", ready)).content.decode()
    response = client.post(url("withdraw", ready), {"reason": "  "})
    assert response.context["form"].errors["reason"] == ["Enter the reason you are withdrawing the bid"]
    response = client.post(url("withdraw", ready), {"reason": "x" * 1001})
    assert response.context["form"].errors["reason"] == ["The reason must be 1,000 characters or fewer"]
    assert Bid.objects.get(pk=ready.pk).state == BidState.SUBMITTED


def test_withdrawing_with_a_reason(client_for, kent_user, ready, django_capture_on_commit_callbacks):
    workflow.change_state(ready, "submit", kent_user)
    client = client_for(kent_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("withdraw", ready), {"reason": "Our partners pulled out."})
    assert response.url == url("bid", ready)
    bid = Bid.objects.get(pk=ready.pk)
    assert bid.state == BidState.WITHDRAWN
    event = bid.events.get(to_state=BidState.WITHDRAWN)
    assert event.reason == "Our partners pulled out." and event.actor == kent_user
    assert mail.outbox[-1].subject == f"Bid withdrawn: {bid.reference}"
    page = client.get(url("bid", bid)).content.decode()
    assert "Bid withdrawn" in page and "Our partners pulled out." in page
    assert "Start again from a copy" in page
    assert client.get(url("withdraw", bid)).url == url("bid", bid)


def test_a_draft_can_be_withdrawn_too(client_for, kent_user, open_round):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    client_for(kent_user).post(url("withdraw", bid), {"reason": "Not this year."})
    assert Bid.objects.get(pk=bid.pk).state == BidState.WITHDRAWN


def test_starting_again_from_a_copy(client_for, kent_user, ready):
    workflow.change_state(ready, "submit", kent_user)
    workflow.change_state(ready, "withdraw", kent_user, reason="Rewriting our governance.")
    client = client_for(kent_user)
    response = client.post(url("copy", ready))
    copy = Bid.objects.exclude(pk=ready.pk).get()
    assert response.url == url("bid", copy)
    assert copy.reference == f"{ready.reference}-2" and copy.state == BidState.DRAFT
    assert copy.copied_from_id == ready.pk
    assert copy.director_name == "Dana Director" and copy.partners.count() == 3
    assert not copy.documents.exists()
    assert not copy.sections.get(section="documents").completed
    assert copy.sections.get(section="contacts").completed
    page = client.get(response.url).content.decode()
    assert "from a copy of" in page and "Not yet started" in page  # documents
    # A second press leads to the same draft.
    assert client.post(url("copy", ready)).url == url("bid", copy)
    assert Bid.objects.count() == 2


def test_only_withdrawn_bids_are_copied(client_for, kent_user, ready):
    client_for(kent_user).post(url("copy", ready))
    assert Bid.objects.count() == 1


def test_copy_needs_post(client_for, kent_user, ready):
    assert client_for(kent_user).get(url("copy", ready)).status_code == 405


def test_a_decided_bid_cannot_be_withdrawn_and_shows_its_feedback(client_for, lead):
    award = factories.approved_bid_with_award()
    bid = award.bid
    council = bid.submitted_by
    client = client_for(council)
    assert client.get(url("withdraw", bid)).url == url("bid", bid)
    client.post(url("withdraw", bid), {"reason": "Changed our minds"})
    assert Bid.objects.get(pk=bid.pk).state == BidState.APPROVED
    page = client.get(url("bid", bid)).content.decode()
    assert "Feedback from the programme team" in page
    assert Decision.objects.get(bid=bid).feedback in page
    assert Decision.objects.get(bid=bid).reasons not in page  # internal
    assert "Bid approved" in page and "Interview held" in page and "Shortlisted" in page
    assert "Withdraw this bid" not in page
    try:
        award_url = reverse("trusts:award", kwargs={"pk": award.pk})
    except NoReverseMatch:
        assert "View your award offer" not in page
    else:
        assert f'href="{award_url}">View your award offer' in page


# What the council reads after submission ---------------------------------------------


def test_the_timeline_uses_words_for_the_council_not_officials_notes(client_for, kent_user, ready, lead):
    workflow.change_state(ready, "submit", kent_user)
    workflow.change_state(ready, "begin_assessment", lead)
    workflow.change_state(ready, "not_shortlist", lead, reason="Weak on health involvement; scored 41%.")
    page = client_for(kent_user).get(url("bid", ready)).content.decode()
    assert "Not shortlisted" in page and "has not been shortlisted for interview" in page
    assert "Being assessed" in page
    assert "Weak on health involvement" not in page and "41%" not in page
    assert lead.full_name not in page
    assert f"by {kent_user.full_name}" in page
    titles = [line for line in page.splitlines() if "app-timeline__title" in line]
    assert "Not shortlisted" in titles[0] and "Bid started" in titles[-1]


def test_a_returned_bid_shows_the_programme_teams_reason(client_for, kent_user, ready, lead):
    workflow.change_state(ready, "submit", kent_user)
    workflow.change_state(
        ready, "return_to_council", lead, reason="Please attach your health partner's letter."
    )
    page = client_for(kent_user).get(url("bid", ready)).content.decode()
    assert "The programme team returned your bid for changes" in page
    assert "Please attach your health partner&#x27;s letter." in page


def test_an_interview_booking_shows_when_and_where(client_for, kent_user, ready, lead):
    workflow.change_state(ready, "submit", kent_user)
    workflow.change_state(ready, "begin_assessment", lead)
    workflow.change_state(ready, "shortlist", lead, reason="Internal: top quartile")
    starts = datetime.combine(ready.funding_round.interviews_start_on, time(14, 30), tzinfo=LONDON)

    with workflow.transition(ready, "schedule_interview", lead) as change:
        interview = Interview.objects.create(
            bid=change.record, starts_at=starts, location="Wellington House, London", scheduled_by=lead
        )
        interview.panel.set([lead])
    page = client_for(kent_user).get(url("bid", ready)).content.decode()
    assert "Interview booked" in page and "Your interview" in page
    assert "2:30pm on" in page and "Wellington House, London" in page
    assert "top quartile" not in page


def test_other_roles_see_the_officials_page_not_the_councils(client_for, ready, lead):
    page = client_for(lead).get(url("bid", ready)).content.decode()
    assert "Prepare your bid" not in page
