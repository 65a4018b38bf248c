"""Carries existing awards forward: each takes its round's grant terms as its own and a
payment schedule (the base when the consultation condition is met, any supplement when the
first monitoring return is accepted). An award already paid was paid in one payment, so it
gets one paid instalment of its whole amount, with the payment's date and reference."""

from django.db import migrations

PAID = "paid"


def carry_forward(apps, schema_editor):
    FundingAward = apps.get_model("trusts", "FundingAward")
    Instalment = apps.get_model("trusts", "Instalment")
    for award in FundingAward.objects.select_related("bid__funding_round").iterator():
        award.terms = award.bid.funding_round.grant_terms
        award.save(update_fields=["terms"])
        if Instalment.objects.filter(award=award).exists():
            continue
        if award.state == PAID:
            Instalment.objects.create(
                award=award,
                number=1,
                amount=award.base_amount + award.supplement_amount,
                trigger="conditions_met",
                released_at=award.conditions_met_at,
                state="paid",
                requested_at=award.paid_at,
                requested_by_id=award.paid_by_id,
                approved_at=award.paid_at,
                approved_by_id=award.paid_by_id,
                paid_on=award.paid_on,
                payment_reference=award.payment_reference,
                paid_recorded_at=award.paid_at,
                paid_recorded_by_id=award.paid_by_id,
            )
            continue
        Instalment.objects.create(
            award=award,
            number=1,
            amount=award.base_amount,
            trigger="conditions_met",
            released_at=award.conditions_met_at,
        )
        if award.supplement_amount > 0:
            Instalment.objects.create(
                award=award, number=2, amount=award.supplement_amount, trigger="first_return"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("trusts", "0012_agreements_and_instalments"),
        ("bids", "0008_round_grant_terms_and_returns"),
    ]

    operations = [migrations.RunPython(carry_forward, migrations.RunPython.noop)]
