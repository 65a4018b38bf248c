"""The catalogue of services a children's trust may cover, from the Department's
announcements: disabled children, special educational needs, child protection, children
at risk, speech and language therapy and mental health services, and any area where
social care, health and education need to work together. Youth offending teams were
explicitly left out of the trusts."""

from django.db import migrations

SCOPES = [
    ("disabled-children", "Services for disabled children", "", True, ""),
    ("special-educational-needs", "Special educational needs", "Assessment, provision and support for children with special educational needs.", True, ""),
    ("child-protection", "Child protection", "", True, ""),
    ("children-at-risk", "Services for children at risk", "Family support and early help for children at risk of harm or poor outcomes.", True, ""),
    ("speech-language-therapy", "Speech and language therapy", "", True, ""),
    ("mental-health", "Child and adolescent mental health services", "", True, ""),
    ("looked-after-children", "Services for looked-after children", "Care, health and education of children in the care of the council.", True, ""),
    ("family-support", "Family and parenting support", "", True, ""),
    (
        "youth-offending",
        "Youth offending services",
        "",
        False,
        "Youth offending teams will not be involved in children's trusts, so youth offending "
        "services cannot be part of a trust's scope.",
    ),
]


def load(apps, schema_editor):
    ServiceScope = apps.get_model("trusts", "ServiceScope")
    for position, (slug, name, description, allowed, reason) in enumerate(SCOPES, start=1):
        ServiceScope.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "allowed": allowed,
                "excluded_reason": reason,
                "position": position,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("trusts", "ServiceScope").objects.filter(slug__in=[s[0] for s in SCOPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("trusts", "0002_local_authorities")]

    operations = [migrations.RunPython(load, unload)]
