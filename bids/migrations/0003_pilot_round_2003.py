"""The 2003 children's trust pilot round as announced.

From the articles: expressions of interest closed on 31 March 2003; shortlisted councils
were interviewed during May; each pilot receives £60,000, with up to £40,000 more for
large or complex trusts; pilots were to be operational at the end of 2003. Not stated,
so assumed: the round opened on 1 August 2002 (after the spending review white paper)
and decisions were due by 30 June 2003. No total budget or number of pilots was set.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

from bids.rounds import add_default_criteria, end_of_day, start_of_day


def load(apps, schema_editor):
    FundingRound = apps.get_model("bids", "FundingRound")
    Criterion = apps.get_model("bids", "Criterion")
    funding_round, _ = FundingRound.objects.update_or_create(
        slug="pilots-2003",
        defaults={
            "name": "Children's trust pilots 2003",
            "code": "2003",
            "description": (
                "Pilot children's trusts that unify, at local level, the agencies that provide "
                "services to children: local partners jointly plan, commission and deliver "
                "services. Every bid must involve social services, education and health."
            ),
            "opens_at": start_of_day(date(2002, 8, 1)),
            "closes_at": end_of_day(date(2003, 3, 31)),
            "interviews_start_on": date(2003, 5, 1),
            "interviews_end_on": date(2003, 5, 31),
            "decision_on": date(2003, 6, 30),
            "operational_on": date(2003, 12, 31),
            "base_award": Decimal("60000.00"),
            "max_supplement": Decimal("40000.00"),
        },
    )
    add_default_criteria(funding_round, Criterion)


def unload(apps, schema_editor):
    apps.get_model("bids", "FundingRound").objects.filter(slug="pilots-2003").delete()


class Migration(migrations.Migration):
    dependencies = [("bids", "0002_initial")]

    operations = [migrations.RunPython(load, unload)]
