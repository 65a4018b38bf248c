"""Builders for award tests: awards in each state, taken there through trusts/awards.py."""

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from accounts.models import Role
from tests import factories
from trusts import awards
from trusts.enums import Audience, AwardState


def consult(award, council, audiences=tuple(Audience), people=25):
    for audience in audiences:
        awards.record_consultation(
            award,
            council,
            held_on=timezone.localdate() - timedelta(days=3),
            audience=audience.value,
            people_reached=people,
            summary=f"Met {audience.label.lower()} to talk about the changes.",
        )


def award_in_state(state, *, lead, council, funding_round=None, authority_code=None, supplement=0):
    """An award taken through the real verbs to `state`."""

    authority_code = authority_code or council.local_authority.code
    award = factories.approved_bid_with_award(
        funding_round,
        authority_code,
        council,
        lead,
        supplement=Decimal(supplement),
        justification="Covers three primary care trusts." if supplement else "",
    )
    if state == AwardState.OFFERED:
        return award
    if state == AwardState.DECLINED:
        return awards.decline(award, council, "We cannot staff the trust this year.")
    award = awards.accept(award, council, **factories.SIGNATORY)
    if state == AwardState.ACCEPTED:
        return award
    if state == AwardState.WITHDRAWN:
        return awards.withdraw(award, lead, "The partnership board was dissolved.")
    consult(award, council)
    award = awards.mark_conditions_met(award, lead)
    if state == AwardState.CONDITIONS_MET:
        return award
    return factories.pay_in_full(award, lead)


@pytest.fixture
def award(lead, kent_user, open_round):
    return factories.approved_bid_with_award(open_round, "KEN", kent_user, lead)


@pytest.fixture
def other_council(db):
    """Another Kent officer, so tests can tell the actor from colleagues."""
    return factories.user(Role.COUNCIL, "KEN")


class _Tables(HTMLParser):
    """Each <table> on a page as rows of cell texts, keyed by the table's id."""

    def __init__(self):
        super().__init__()
        self.tables, self._stack, self._row, self._cell = {}, [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append(dict(attrs).get("id", f"table-{len(self.tables)}"))
            self.tables[self._stack[-1]] = []
        elif tag == "tr" and self._stack:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._stack[-1]].append(self._row)
            self._row = None
        elif tag == "table" and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html):
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def pounds(text):
    """'£60,000' or '£60,000.50' -> Decimal."""

    return Decimal(text.replace("£", "").replace(",", ""))
