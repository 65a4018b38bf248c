"""Two officials act on the same payment request at the same moment: two approvals, or an
approval racing a send-back. Exactly one wins and the other is told why; the instalment is
never approved twice nor both approved and sent back, and the award is never overpaid. Real
threads against PostgreSQL, so the row locks on the award and the instalment
(trusts/payments.py, PaymentLifeCycle.lock) are what keep it right."""

import threading
import traceback

import pytest
from django.db import connection

from accounts.models import Role
from tests import factories
from tests.trusts.conftest import award_in_state
from trusts import payments
from trusts.enums import AwardState, InstalmentState
from trusts.models import AwardEvent, Instalment

STEPS = {
    "two approvals": ("approve", "approve"),
    "approval and send-back": ("approve", "send_back"),
}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("race", STEPS)
def test_two_officials_at_once_one_wins(postgres, race):
    lead = factories.lead_user()
    council = factories.user(Role.COUNCIL, "KEN")
    award = award_in_state(AwardState.CONDITIONS_MET, lead=lead, council=council)
    instalment = Instalment.objects.get(award=award, number=1)
    payments.request(instalment, lead)
    officials = [factories.user(Role.ADMIN), factories.user(Role.LEAD)]
    events_before = AwardEvent.objects.filter(award=award).count()

    barrier = threading.Barrier(2)
    done, refused, errors = {}, {}, {}

    def act(index, step):
        try:
            seen = Instalment.objects.get(pk=instalment.pk)
            barrier.wait(timeout=30)
            if step == "approve":
                payments.approve(seen, officials[index], expected_state=InstalmentState.REQUESTED)
            else:
                payments.send_back(
                    seen,
                    officials[index],
                    "The evidence is unsigned.",
                    expected_state=InstalmentState.REQUESTED,
                )
            done[index] = step
        except payments.PaymentError as error:
            refused[index] = error.problems
        except Exception:  # a deadlock or a broken barrier: the test must say so
            errors[index] = traceback.format_exc()
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(index, step)) for index, step in enumerate(STEPS[race])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a step never finished"

    assert errors == {}
    assert len(done) == 1 and len(refused) == 1, (done, refused)
    (winner, step), (loser, problems) = next(iter(done.items())), next(iter(refused.items()))
    assert {winner, loser} == {0, 1}
    assert len(problems) == 1 and "has changed since you opened it" in problems[0]
    final = Instalment.objects.get(pk=instalment.pk)
    if step == "approve":
        assert (final.state, final.approved_by) == (InstalmentState.APPROVED, officials[winner])
    else:
        assert (final.state, final.requested_by) == (InstalmentState.SCHEDULED, None)
    # One step, one audit event: the loser left nothing behind.
    assert AwardEvent.objects.filter(award=award).count() == events_before + 1
