"""Each 2003 council's ONS GSS code is the code of the same area, so every grant published
to 360Giving has a beneficiary location (../shared/domain.md):

- counties that lasted past 2011 keep their own E10 code, not the code of a later
  successor covering a different area (Buckinghamshire Council, Dorset Council, the new
  North Yorkshire and Somerset unitaries);
- Cumbria and Northamptonshire, abolished in 2021 and 2023, had E10 codes until then;
- Bournemouth and Poole had their own E06 codes until they merged in 2019.
"""

from django.db import migrations

SAME_AREA = {
    "BKM": "E10000002",  # Buckinghamshire County Council, not Buckinghamshire Council (E06000060)
    "DOR": "E10000009",  # Dorset County Council, not Dorset Council (E06000059)
    "NYK": "E10000023",  # North Yorkshire County Council, not North Yorkshire Council (E06000065)
    "SOM": "E10000027",  # Somerset County Council, not Somerset Council (E06000066)
    "CMA": "E10000006",  # Cumbria County Council
    "NTH": "E10000021",  # Northamptonshire County Council
    "BMH": "E06000028",  # Bournemouth Borough Council
    "POL": "E06000029",  # Borough of Poole
}


def same_area(apps, schema_editor):
    LocalAuthority = apps.get_model("reference", "LocalAuthority")
    for code, gss_code in SAME_AREA.items():
        LocalAuthority.objects.filter(code=code).update(gss_code=gss_code)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(same_area, migrations.RunPython.noop)]
