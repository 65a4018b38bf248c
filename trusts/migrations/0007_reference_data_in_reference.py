"""Pilot trusts now point at the reference app's authorities and scopes: same rows."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trusts", "0006_reference_data_tables"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="trust",
            name="authority",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="trusts", to="reference.localauthority"),
        ),
        migrations.AlterField(
            model_name="trust",
            name="service_scopes",
            field=models.ManyToManyField(blank=True, related_name="trusts", to="reference.servicescope"),
        ),
    ]
