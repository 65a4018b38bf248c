"""trusts no longer owns local authorities and service scopes; the reference app does.

State only: the tables were handed over in trusts/0006 and every field pointing at them
has followed (accounts/0003, bids/0004, trusts/0007).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("trusts", "0007_reference_data_in_reference"),
        ("accounts", "0003_local_authority_in_reference"),
        ("bids", "0004_reference_data_in_reference"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="LocalAuthority"),
                migrations.DeleteModel(name="ServiceScope"),
            ]
        )
    ]
