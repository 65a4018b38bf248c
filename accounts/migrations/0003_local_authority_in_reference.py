"""A council user's authority is now reference.LocalAuthority: same table, same rows.

A real change, not only state: SQLite keeps a foreign key's table name in the referencing
table, so it is rebuilt pointing at the renamed table; PostgreSQL re-creates the constraint."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="local_authority",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="users", to="reference.localauthority"),
        ),
    ]
