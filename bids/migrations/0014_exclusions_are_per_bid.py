"""An exclusion is always from one bid. Exclusions from a whole round were allowed by the
table but never offered by any page, so there are none to carry forward; any such row is
removed before the bid becomes required."""

import django.db.models.deletion
from django.db import migrations, models


def remove_round_exclusions(apps, schema_editor):
    apps.get_model("bids", "AssignmentExclusion").objects.filter(bid__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bids", "0013_section_timings"),
    ]

    operations = [
        migrations.RunPython(remove_round_exclusions, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="assignmentexclusion", name="one_exclusion_per_bid"),
        migrations.RemoveConstraint(
            model_name="assignmentexclusion", name="one_round_exclusion_per_assessor"
        ),
        migrations.AlterField(
            model_name="assignmentexclusion",
            name="bid",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="exclusions", to="bids.bid"
            ),
        ),
        migrations.AddConstraint(
            model_name="assignmentexclusion",
            constraint=models.UniqueConstraint(fields=("bid", "assessor"), name="one_exclusion_per_bid"),
        ),
    ]
