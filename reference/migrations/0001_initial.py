"""The reference app takes over local authorities and service scopes from trusts.

The tables (renamed by trusts/0006) and their rows stay as they are: this changes only
Django's idea of which app owns the models, and moves their content types across so
admin history and permissions keep pointing at them.
"""

from django.db import migrations, models

MOVED = ["localauthority", "servicescope"]


def move_content_types(apps, schema_editor, source="trusts", target="reference"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="reference", target="trusts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("trusts", "0006_reference_data_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LocalAuthority",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(help_text="Used in bid references: the register code, or our own where there is none.", max_length=4, unique=True)),
                        ("lae_code", models.CharField(blank=True, help_text="Local Authorities for England register code; empty for councils abolished before the register began.", max_length=3, verbose_name="GB-LAE code")),
                        ("gss_code", models.CharField(blank=True, max_length=9, verbose_name="ONS GSS code")),
                        ("name", models.CharField(max_length=120, unique=True)),
                        ("short_name", models.CharField(max_length=80)),
                        ("kind", models.CharField(choices=[("county", "County council"), ("unitary", "Unitary authority"), ("metropolitan", "Metropolitan district"), ("london_borough", "London borough"), ("sui_generis", "Sui generis authority")], max_length=16)),
                        ("region", models.CharField(choices=[("north_east", "North East"), ("north_west", "North West"), ("yorkshire_humber", "Yorkshire and the Humber"), ("east_midlands", "East Midlands"), ("west_midlands", "West Midlands"), ("east_of_england", "East of England"), ("london", "London"), ("south_east", "South East"), ("south_west", "South West")], max_length=20)),
                    ],
                    options={
                        "verbose_name_plural": "local authorities",
                        "ordering": ["name"],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("lae_code", ""), _negated=True), fields=("lae_code",), name="unique_lae_code")],
                    },
                ),
                migrations.CreateModel(
                    name="ServiceScope",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("slug", models.SlugField(unique=True)),
                        ("name", models.CharField(max_length=120)),
                        ("description", models.TextField(blank=True)),
                        ("allowed", models.BooleanField(default=True)),
                        ("excluded_reason", models.TextField(blank=True, help_text="Shown to councils when a scope cannot be chosen.")),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "ordering": ["position", "name"],
                        "constraints": [models.CheckConstraint(condition=models.Q(("allowed", True), models.Q(("excluded_reason", ""), _negated=True), _connector="OR"), name="excluded_scopes_give_a_reason")],
                    },
                ),
            ]
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
