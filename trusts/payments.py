"""Payments in arrears: each award's schedule of instalments, and the one door through which
an instalment is requested, approved and recorded as paid."""

from .enums import PaymentTrigger
from .models import Instalment


def default_schedule(award):
    """The schedule an offer starts with: the base award once the consultation condition is
    met, and any supplement once the first monitoring return is accepted."""
    rows = [
        Instalment(award=award, number=1, amount=award.base_amount, trigger=PaymentTrigger.CONDITIONS_MET)
    ]
    if award.supplement_amount > 0:
        rows.append(
            Instalment(
                award=award, number=2, amount=award.supplement_amount, trigger=PaymentTrigger.FIRST_RETURN
            )
        )
    return Instalment.objects.bulk_create(rows)
