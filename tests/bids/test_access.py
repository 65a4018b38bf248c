import pytest
from django.urls import reverse

from bids.models import BidEvent, ConflictOfInterest, EventKind
from tests import factories

pytestmark = pytest.mark.django_db


def bid_url(bid):
    return reverse("bids:bid", kwargs={"reference": bid.reference})


def test_council_reaching_another_authoritys_bid_gets_404(client_for, open_round, kent_user, leeds_user):
    leeds_bid = factories.draft_bid(open_round, "LDS", leeds_user)
    response = client_for(kent_user).get(bid_url(leeds_bid))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_assessor_sees_only_assigned_bids_without_a_conflict(client_for, open_round, assessor):
    bid = factories.submitted_bid(open_round, "KEN")
    client = client_for(assessor)
    assert client.get(bid_url(bid)).status_code == 404
    factories.assign(bid, assessor)
    assert client.get(bid_url(bid)).status_code == 200

    ConflictOfInterest.objects.create(
        assessor=assessor, authority=bid.authority, reason="Former employer", declared_by=assessor
    )
    assert client.get(bid_url(bid)).status_code == 404


def test_council_timeline_hides_internal_events(client_for, open_round, kent_user, lead):
    bid = factories.submitted_bid(open_round, "KEN", kent_user)
    BidEvent.objects.create(bid=bid, kind=EventKind.ASSESSOR_ASSIGNED, actor=lead, reason="Internal note xyz")
    assert "Internal note xyz" not in client_for(kent_user).get(bid_url(bid)).content.decode()
    assert "Internal note xyz" in client_for(lead).get(bid_url(bid)).content.decode()
