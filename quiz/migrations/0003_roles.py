"""The Trainers and Editors groups and what each may do (quiz.roles holds the current lists)."""

from django.db import migrations

from quiz.roles import grant

# Frozen: the roles as this migration created them.
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
    grant(apps, ROLES)


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
