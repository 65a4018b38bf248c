"""How long each section of a bid takes: its first save and the first time it was completed.
Sections saved before this are left empty and out of the timings."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bids", "0012_scores_kept_unrounded"),
    ]

    operations = [
        migrations.AddField(
            model_name="bidsection",
            name="completed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="bidsection",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
