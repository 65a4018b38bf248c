"""Bids, conflicts and extensions now point at the reference app's authorities and scopes:
same tables, same rows, same columns."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bids", "0003_pilot_round_2003"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="bid",
            name="authority",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="bids", to="reference.localauthority"),
        ),
        migrations.AlterField(
            model_name="bid",
            name="service_scopes",
            field=models.ManyToManyField(blank=True, related_name="bids", to="reference.servicescope"),
        ),
        migrations.AlterField(
            model_name="conflictofinterest",
            name="authority",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reference.localauthority"),
        ),
        migrations.AlterField(
            model_name="deadlineextension",
            name="authority",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reference.localauthority"),
        ),
    ]
