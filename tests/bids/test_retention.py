"""Personal data is kept no longer than the rules say (bids/retention.py,
accounts/retention.py): what the nightly run removes, what it keeps whole, and the
administrators' page that shows the next run before it happens."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import retention as accounts_retention
from accounts.models import OutboundEmail, Role, User
from bids import retention
from bids.models import Bid, BidEvent, BidSection, CriterionScore, EventKind, FundingRound, Section
from bids.tasks import remove_expired_personal_data
from tests import factories
from tests.queries import queries_for
from trusts.models import FundingAward

pytestmark = pytest.mark.django_db

PAGE = reverse("bids:personal-data")


def decided(funding_round, days_ago):
    """Move the round's decision date `days_ago` days into the past."""
    FundingRound.objects.filter(pk=funding_round.pk).update(
        decision_on=timezone.localdate() - timedelta(days=days_ago)
    )
    funding_round.refresh_from_db()
    return funding_round


def unused_for(user, days):
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(days=days))
    user.refresh_from_db()
    return user


@pytest.fixture
def scored_bid(open_round, assessor, lead):
    """A bid that was scored, then not funded, with a partner named in it."""
    bid = factories.under_assessment_bid(open_round, assessors=[assessor], lead=lead)
    factories.submit_scores(bid, assessor, [3, 2, 4, 3, 2])
    bid.refresh_from_db()
    return bid


def contacts_of(bid):
    bid.refresh_from_db()
    return [getattr(bid, name) for name in retention.CONTACT_FIELDS]


# Bids' contacts ------------------------------------------------------------------------


def test_a_bid_not_funded_loses_its_contacts_a_year_after_the_decision_and_keeps_the_rest(
    scored_bid, settings
):
    settings.RETENTION_UNSUCCESSFUL_DAYS = 365
    partner = scored_bid.partners.first()
    vision, scores = (
        scored_bid.vision,
        list(CriterionScore.objects.filter(assessment__bid=scored_bid).values_list("score", "comment")),
    )
    decided(scored_bid.funding_round, 365)
    assert retention.run() == (0, 0)  # on the last day of the period, still kept
    assert all(contacts_of(scored_bid))

    decided(scored_bid.funding_round, 366)
    assert retention.run() == (1, 0)

    assert contacts_of(scored_bid) == [""] * len(retention.CONTACT_FIELDS)
    partner.refresh_from_db()
    assert (partner.contact_name, partner.contact_email) == ("", "")
    assert partner.name and partner.role  # the agency itself stays
    # The saved versions of the sections held the same details: scrubbed too.
    for section in (Section.CONTACTS, Section.PARTNERS):
        snapshot = BidSection.objects.get(bid=scored_bid, section=section).snapshot
        assert scored_bid.created_by.email not in str(snapshot)
        assert "Dana Director" not in str(snapshot)
    # Everything else is whole.
    scored_bid.refresh_from_db()
    assert scored_bid.vision == vision and scored_bid.state == "under_assessment"
    assert (
        list(CriterionScore.objects.filter(assessment__bid=scored_bid).values_list("score", "comment"))
        == scores
    )
    event = scored_bid.events.get(kind=EventKind.PERSONAL_DATA_REMOVED)
    assert event.shown_to_council and event.actor is None
    assert scored_bid.personal_data_removed_at is not None


def test_a_funded_bid_keeps_its_contacts_for_the_longer_period_and_its_award_stays(settings, lead):
    settings.RETENTION_UNSUCCESSFUL_DAYS = 365
    settings.RETENTION_FUNDED_DAYS = 7 * 365
    award = factories.approved_bid_with_award(
        lead=lead, supplement=Decimal("15000"), justification="Three districts and two health trusts."
    )
    bid = award.bid
    decided(bid.funding_round, 366)
    assert retention.run() == (0, 0)
    assert all(contacts_of(bid))

    decided(bid.funding_round, 7 * 365 + 1)
    assert retention.run() == (1, 0)
    assert not any(contacts_of(bid))
    award = FundingAward.objects.get(pk=award.pk)
    assert (award.base_amount, award.supplement_amount) == (Decimal("60000"), Decimal("15000"))


def test_the_periods_are_settings(scored_bid, settings):
    decided(scored_bid.funding_round, 40)
    assert retention.run() == (0, 0)
    settings.RETENTION_UNSUCCESSFUL_DAYS = 30
    assert retention.run() == (1, 0)


def test_a_round_not_yet_decided_keeps_everything(scored_bid):
    decided(scored_bid.funding_round, -30)  # the decision is a month away
    assert retention.run() == (0, 0)


def test_a_second_run_removes_nothing_more_and_records_once(scored_bid):
    decided(scored_bid.funding_round, 400)
    assert retention.run() == (1, 0)
    assert retention.run() == (0, 0)
    assert BidEvent.objects.filter(bid=scored_bid, kind=EventKind.PERSONAL_DATA_REMOVED).count() == 1


def test_the_bid_page_says_the_contacts_were_removed(scored_bid, client_for, lead):
    decided(scored_bid.funding_round, 400)
    retention.run()
    text = client_for(lead).get(reverse("bids:bid", args=[scored_bid.reference])).content.decode()
    assert "contact details were removed on" in text
    assert "Contact details removed" in text  # the history line


# Accounts ------------------------------------------------------------------------------


def test_an_account_unused_for_the_period_is_anonymised_in_itself_and_its_history(
    settings, scored_bid, assessor
):
    settings.RETENTION_ACCOUNT_DAYS = 730
    old_email, old_name = assessor.email, assessor.full_name
    assessor.job_title = "Inspector"
    assessor._change_reason = "New job title"
    assessor.save()
    TOTPDevice.objects.create(user=assessor, name="Phone", confirmed=True)
    unused_for(assessor, 730)
    assert retention.run() == (0, 0)

    unused_for(assessor, 731)
    assert retention.run() == (0, 1)

    assessor.refresh_from_db()
    assert assessor.full_name == accounts_retention.FORMER
    assert assessor.email == f"removed-{assessor.pk}@anonymised.invalid"
    assert assessor.job_title == "" and not assessor.is_active and not assessor.has_usable_password()
    assert assessor.anonymised_at is not None
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    history = list(User.history.filter(id=assessor.pk).values_list("email", "full_name", "job_title"))
    assert len(history) >= 2
    assert not [row for row in history if old_email in row or old_name in row or "Inspector" in row]
    # What they did stays, under the new name.
    assert scored_bid.assessments.get().assessor == assessor


def test_recent_users_superusers_and_recent_invitations_are_kept(settings):
    settings.RETENTION_ACCOUNT_DAYS = 730
    recent = unused_for(factories.user(Role.LEAD), 10)
    root = User.objects.create_superuser("root@doh.example", factories.PASSWORD, full_name="Root")
    unused_for(root, 1000)
    invited = factories.user(Role.COUNCIL, "LDS")  # never signed in, invited today
    User.objects.filter(pk=invited.pk).update(last_login=None)
    never = factories.user(Role.COUNCIL, "LDS")
    User.objects.filter(pk=never.pk).update(last_login=None, date_joined=timezone.now() - timedelta(days=800))

    assert list(accounts_retention.accounts_due()) == [never]
    assert retention.run() == (0, 1)
    for person in (recent, root, invited):
        person.refresh_from_db()
        assert person.anonymised_at is None and person.is_active


def test_sent_emails_older_than_the_period_are_deleted_unsent_and_recent_ones_stay(settings):
    settings.RETENTION_ACCOUNT_DAYS = 730
    long_ago = timezone.now() - timedelta(days=731)
    old = OutboundEmail.objects.create(to=["a@example.com"], subject="Old", body="x", sent_at=long_ago)
    unsent = OutboundEmail.objects.create(
        to=["b@example.com"], subject="Waiting", body="x", created_at=long_ago
    )
    recent = OutboundEmail.objects.create(
        to=["c@example.com"], subject="New", body="x", sent_at=timezone.now()
    )
    retention.run()
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) >= {unsent.pk, recent.pk}
    assert not OutboundEmail.objects.filter(pk=old.pk).exists()


def test_the_nightly_task_runs_the_rules(scored_bid):
    decided(scored_bid.funding_round, 400)
    assert remove_expired_personal_data.delay().get() == {"bids": 1, "accounts": 0}
    assert not any(contacts_of(scored_bid))


# The administrators' page and the privacy notice -------------------------------------------


def test_the_page_shows_what_the_next_run_removes_and_then_nothing(
    client_for, admin_user, scored_bid, settings
):
    settings.RETENTION_ACCOUNT_DAYS = 730
    decided(scored_bid.funding_round, 400)
    idle = unused_for(factories.user(Role.ASSESSOR, full_name="Ida Idle"), 800)
    client = client_for(admin_user)
    text = client.get(PAGE).content.decode()
    assert scored_bid.reference in text and "1 bid<" in text
    assert "Ida Idle" in text and idle.email in text and "1 account<" in text

    retention.run()
    text = client.get(PAGE).content.decode()
    assert scored_bid.reference not in text and "Ida Idle" not in text
    assert Bid.objects.get(pk=scored_bid.pk).vision  # the bid is still there


def test_the_page_is_paginated_and_its_queries_do_not_grow(client_for, admin_user, lead, settings):
    funding_round = factories.open_round()
    factories.submitted_bid(funding_round, "KEN")
    decided(funding_round, 400)
    client = client_for(admin_user)
    first = queries_for(client, PAGE)
    for code in ("LDS", "MAN", "BIR"):
        factories.submitted_bid(funding_round, code)
    assert queries_for(client, PAGE) == first

    settings.RETENTION_ACCOUNT_DAYS = 1
    for _ in range(26):
        factories.user(Role.ASSESSOR)
    User.objects.exclude(pk=admin_user.pk).update(last_login=timezone.now() - timedelta(days=5))
    due = accounts_retention.accounts_due().count()
    assert due > 25
    response = client.get(PAGE)
    assert response.context["accounts"].paginator.num_pages == -(-due // 25)
    assert 'href="?accounts=2#accounts"' in response.content.decode()


def test_the_privacy_notice_states_the_configured_periods(client, settings):
    settings.RETENTION_UNSUCCESSFUL_DAYS = 200
    settings.RETENTION_FUNDED_DAYS = 3000
    settings.RETENTION_ACCOUNT_DAYS = 500
    text = client.get(reverse("privacy")).content.decode()
    assert "200 days after the round" in text and "3000 days after it" in text
    assert "not signed in for 500 days" in text
