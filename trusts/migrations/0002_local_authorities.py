"""The 150 English councils with social services responsibilities as they stood in 2003.

Read from trusts/data/local_authorities_2003.csv: 34 county councils, 46 unitary
authorities, 36 metropolitan districts, 32 London boroughs, and the Council of the Isles
of Scilly and the City of London. Register (GB-LAE) codes are from the Local Authorities
for England register; GSS codes are the current ONS codes where the council still exists.
A later correction to the file needs a new migration, not an edit to this one.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[2] / "reference" / "data" / "local_authorities_2003.csv"


def load(apps, schema_editor):
    LocalAuthority = apps.get_model("trusts", "LocalAuthority")
    with DATA.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            LocalAuthority.objects.update_or_create(code=row["code"], defaults=row)


def unload(apps, schema_editor):
    apps.get_model("trusts", "LocalAuthority").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("trusts", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
