"""Editors see the history of the content they curate (the historical models' view permission)."""

from django.db import migrations

from quiz.roles import grant, permissions

# Frozen: the permissions this migration added.
EDITOR_PERMISSIONS = [
    "glossary.view_historicalterm",
    "glossary.view_historicalalias",
    "glossary.view_historicaldistinction",
    "glossary.view_historicalsource",
    "quiz.view_historicalscenario",
    "quiz.view_historicalchoice",
]


def add(apps, schema_editor):
    grant(apps, {"Editors": EDITOR_PERMISSIONS})


def remove(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(*permissions(apps, EDITOR_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0002_lifecycle_history"),
        ("quiz", "0004_lifecycle_history"),
    ]

    operations = [migrations.RunPython(add, remove)]
