"""Draft bids whose contacts section was completed before the section asked for a postal
address go back to "In progress", so the council is asked for it before it submits."""

from django.db import migrations


def reopen(apps, schema_editor):
    BidSection = apps.get_model("bids", "BidSection")
    BidSection.objects.filter(
        section="contacts", completed=True, bid__state="draft", bid__postal_address=""
    ).update(completed=False)


class Migration(migrations.Migration):
    dependencies = [("bids", "0009_bid_postal_address")]

    operations = [migrations.RunPython(reopen, migrations.RunPython.noop)]
