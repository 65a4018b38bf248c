"""An exclusion's round is its bid's: the column kept a copy of it that nothing read."""


from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bids", "0015_list_indexes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="assignmentexclusion",
            name="funding_round",
        ),
    ]
