"""The Trainers and Editors groups and what each may do."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Trainers": [
        "quiz.view_assignment",
        "quiz.add_assignment",
        "quiz.change_assignment",
        "quiz.view_attempt",
        "quiz.view_response",
        "quiz.view_quiz",
        "quiz.view_scenario",
    ],
    "Editors": [
        f"{app}.{action}_{model}"
        for app, models in {
            "glossary": ["term", "alias", "distinction", "source"],
            "quiz": ["scenario", "choice", "quiz", "quizscenario"],
        }.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_label in ("glossary", "quiz"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("glossary", "0001_initial"),
        ("quiz", "0002_assignment"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
