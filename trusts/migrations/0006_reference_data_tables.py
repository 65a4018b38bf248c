"""Local authorities and service scopes move to the reference app (the bottom layer).

Step one of four: their tables are renamed to the reference app's names, rows untouched,
once every table that points at them exists. reference/0001 then takes over the models,
the fields that point at them follow (accounts/0003, bids/0004, trusts/0007: on SQLite
those tables are rebuilt, as SQLite keeps the referenced table's name in each one), and
trusts/0008 lets go of them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("trusts", "0005_export_progressed_at"),
        ("accounts", "0002_initial"),
        ("bids", "0003_pilot_round_2003"),
    ]

    operations = [
        migrations.AlterModelTable("localauthority", "reference_localauthority"),
        migrations.AlterModelTable("servicescope", "reference_servicescope"),
    ]
