"""Editors see the history of the content they curate (the historical models' view permission)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "glossary.view_historicalterm",
    "glossary.view_historicalalias",
    "glossary.view_historicaldistinction",
    "glossary.view_historicalsource",
    "quiz.view_historicalscenario",
    "quiz.view_historicalchoice",
]


def _permissions(apps):
    # Permissions are normally made after all migrations; the group needs them now.
    for app_label in ("glossary", "quiz"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    for dotted in EDITOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0002_lifecycle_history"),
        ("quiz", "0004_lifecycle_history"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
