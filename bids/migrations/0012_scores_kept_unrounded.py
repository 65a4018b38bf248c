"""Weighted totals kept to 4 places, unrounded, and worked out again from the scores: a total
kept to 2 places was already rounded once before the mean and the display rounded again."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models

HUNDRED = Decimal("100")
KEPT_PLACES = Decimal("0.0001")


def recompute_totals(apps, schema_editor):
    Assessment = apps.get_model("bids", "Assessment")
    Criterion = apps.get_model("bids", "Criterion")
    weights = dict(Criterion.objects.values_list("pk", "weight"))
    submitted = Assessment.objects.filter(state="submitted").prefetch_related("scores")
    for assessment in submitted.iterator(chunk_size=500):
        scores = [(weights[row.criterion_id], row.score) for row in assessment.scores.all()]
        if not scores or any(score is None for _, score in scores):
            continue
        total = sum(Decimal(score) / 4 * weight for weight, score in scores)
        weight_sum = sum(weight for weight, _ in scores)
        if weight_sum and weight_sum != HUNDRED:
            total = total * HUNDRED / weight_sum
        total = total.quantize(KEPT_PLACES, rounding=ROUND_HALF_UP)
        if total != assessment.weighted_total:
            Assessment.objects.filter(pk=assessment.pk).update(weighted_total=total)


class Migration(migrations.Migration):
    dependencies = [
        ("bids", "0011_staged_decisions_calibration_interview_scores"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessment",
            name="weighted_total",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                help_text="Percentage of the maximum, unrounded (exact to 4 places), set by bids/scoring.py "
                "when the scores are submitted. Rounded only when shown (core/scores.py).",
                max_digits=7,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="moderation",
            name="mean_at_moderation",
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=7, null=True),
        ),
        migrations.RunPython(recompute_totals, migrations.RunPython.noop),
    ]
