"""Finding 9 (low): plain-text emails showed Children&#x27;s for an apostrophe, because the
text templates were rendered with HTML escaping."""

import pytest

from accounts.mail import queue_email
from accounts.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_plain_text_email_keeps_apostrophes_ampersands_and_angle_brackets(open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", actor=kent_user)
    reason = "We can't staff it & we're sorry <honestly>."
    email = queue_email(["lead@kent.example"], "bid_withdrawn", {"bid": bid, "reason": reason, "event": None})
    stored = OutboundEmail.objects.get(pk=email.pk)
    assert "Children's" in stored.body or "children's" in stored.body
    assert reason in stored.body
    assert "&#x27;" not in stored.body + stored.subject
    assert "&amp;" not in stored.body and "&lt;" not in stored.body
