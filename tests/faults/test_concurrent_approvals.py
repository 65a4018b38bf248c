"""Twenty programme leads approve twenty bids at the same moment in a round with room for ten:
exactly ten awards are offered, the other ten are refused with the reason, and the round's
budget is never exceeded. Real threads against PostgreSQL, so the row lock on the round
(trusts/awards.py, offer) is what keeps the count right."""

import threading
import traceback
from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import OutboundEmail
from bids import workflow
from bids.models import Bid, BidState, Decision
from reference.models import LocalAuthority
from tests import factories
from trusts import approvals, awards
from trusts.models import FundingAward

BIDS = 20

# Two rounds with room for ten pilots: one where the pilot places run out first, one where
# the budget does (£50,000 is left after ten awards of £60,000, too little for an eleventh).
LIMITS = {
    "pilot places": {
        "round": {"pilot_places": 10, "total_budget": Decimal("1500000")},
        "supplement": Decimal("40000"),
        "refusal": "All 10 pilot places in {round} have been awarded",
    },
    "budget": {
        "round": {"pilot_places": BIDS, "total_budget": Decimal("650000")},
        "supplement": Decimal("0"),
        "refusal": "This award of £60,000 would take {round} past its budget: £50,000 of £650,000 is left",
    },
}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("binding", LIMITS)
def test_twenty_approvals_at_once_in_a_round_with_room_for_ten(postgres, binding):
    case = LIMITS[binding]
    funding_round = factories.open_round(**case["round"])
    lead = factories.lead_user()
    codes = LocalAuthority.objects.order_by("code").values_list("code", flat=True)[:BIDS]
    bids = [factories.interviewed_bid(funding_round, code, lead=lead) for code in codes]
    assert len(bids) == BIDS and {bid.state for bid in bids} == {BidState.INTERVIEWED}
    last_email = OutboundEmail.objects.order_by("pk").last().pk

    barrier = threading.Barrier(BIDS)
    offered, refused, errors = {}, {}, {}

    def approve(pk):
        try:
            # Each thread opens its own connection before the barrier, so they all reach
            # the approval itself at the same moment.
            bid = Bid.objects.get(pk=pk)
            barrier.wait(timeout=30)
            award = approvals.approve(
                bid,
                lead,
                base_amount=Decimal("60000"),
                supplement_amount=case["supplement"],
                justification="Covers three districts." if case["supplement"] else "",
                reasons="Strong joint working.",
                feedback="The panel was impressed by your partnership.",
                expected_state=BidState.INTERVIEWED,
            )
            offered[pk] = award.pk
        except workflow.WorkflowError as error:
            refused[pk] = error.problems
        except Exception:  # a deadlock or a broken barrier: the test must say so
            errors[pk] = traceback.format_exc()
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(bid.pk,)) for bid in bids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an approval never finished"

    # The round's limits held: ten awards, within the budget.
    spent, places_taken = awards.committed(funding_round)
    assert places_taken == 10 <= funding_round.pilot_places
    assert spent == 10 * (Decimal("60000") + case["supplement"]) <= funding_round.total_budget

    # Each lead was told: ten approvals went through, ten were refused with the reason.
    assert errors == {}
    assert len(offered) == 10 and len(refused) == 10
    refusal = case["refusal"].format(round=funding_round.name)
    assert all(problems == [refusal] for problems in refused.values()), refused

    # And the database agrees with what they were told: ten approved bids with an award and a
    # decision each, ten still interviewed with neither.
    made = FundingAward.objects.filter(bid__funding_round=funding_round)
    assert sorted(made.values_list("pk", flat=True)) == sorted(offered.values())
    assert set(made.values_list("bid_id", flat=True)) == set(offered)
    in_round = Bid.objects.filter(funding_round=funding_round)
    assert set(in_round.filter(state=BidState.APPROVED).values_list("pk", flat=True)) == set(offered)
    assert set(in_round.filter(state=BidState.INTERVIEWED).values_list("pk", flat=True)) == set(refused)
    decided = Decision.objects.filter(bid__funding_round=funding_round).values_list("bid_id", flat=True)
    assert set(decided) == set(offered)
    # Only the ten councils given an award hear from us: that it is approved, and the offer.
    references = sorted(Bid.objects.filter(pk__in=offered).values_list("reference", flat=True))
    subjects = OutboundEmail.objects.filter(pk__gt=last_email).values_list("subject", flat=True)
    assert sorted(subject.rsplit(": ", 1)[1] for subject in subjects) == sorted(references * 2)
