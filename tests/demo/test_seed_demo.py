import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import OutboundEmail, User
from bids import calibration
from bids.models import Bid, BidState, FundingRound
from demo.content import DEMO_PASSWORD

# The demo package's modules run on one worker, which seeds the demo once (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_demo_data_has_the_2003_round_as_it_happened(seeded):
    bids = Bid.objects.filter(funding_round__slug="pilots-2003")
    assert bids.count() == 45
    assert bids.values("authority").distinct().count() == 45
    states = set(bids.values_list("state", flat=True))
    assert states >= {
        BidState.APPROVED,
        BidState.REJECTED,
        BidState.NOT_SHORTLISTED,
        BidState.WITHDRAWN,
        BidState.UNDER_ASSESSMENT,
    }
    approved = bids.filter(state=BidState.APPROVED).first()
    assert list(approved.events.filter(kind="state_changed").values_list("to_state", flat=True)) == [
        "submitted",
        "under_assessment",
        "shortlisted",
        "interview_scheduled",
        "interviewed",
        "approved",
    ]
    assert not OutboundEmail.objects.exists()  # demo history emails nobody


def test_second_round_is_open_and_kent_and_leeds_have_not_bid(seeded):
    second = FundingRound.objects.get(slug="second-round")
    assert second.is_open()
    assert (timezone.localtime(second.closes_at).date() - timezone.localdate()).days == 28
    assert not second.bids.filter(authority__code__in=["KEN", "LDS"]).exists()


def test_demo_users_sign_in_with_the_published_password(seeded, client):
    for email in [
        "kent@council.example",
        "leeds@council.example",
        "assessor1@doh.example",
        "assessor2@doh.example",
        "lead@doh.example",
        "admin@doh.example",
    ]:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
        client.post("/sign-in", {"username": email, "password": DEMO_PASSWORD})
        if not email.endswith("@council.example"):
            # Officials give the code `manage.py demo_code` prints, as the README says.
            printed = io.StringIO()
            call_command("demo_code", email, stdout=printed)
            assert client.post("/two-factor/code", {"code": printed.getvalue().strip()}).status_code == 302
        assert client.get("/").status_code == 200
        client.post("/sign-out")


def test_seeding_twice_changes_nothing_and_keeps_what_users_entered(seeded):
    bid = Bid.objects.filter(funding_round__slug="second-round", state="draft").first()
    bid.vision = "Typed by a real user"
    bid.save()
    before = (Bid.objects.count(), User.objects.count(), FundingRound.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Bid.objects.count(), User.objects.count(), FundingRound.objects.count()) == before
    bid.refresh_from_db()
    assert bid.vision == "Typed by a real user"


def test_demo_data_is_refused_under_production_settings(settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_demo_2003_round_has_a_lenient_and_a_harsh_assessor(seeded):
    pilots = FundingRound.objects.get(slug="pilots-2003")
    names = dict(User.objects.values_list("pk", "full_name"))
    flags = {row.name: row.flag for row in calibration.assessors(pilots, names)}
    assert flags["Claire Dunn"] == "lenient" and flags["David Okafor"] == "harsh"
    assert list(flags.values()).count("") == len(flags) - 2
