"""The site's roles: the Trainers and Editors groups and what each may do.

This module is the one list of the roles. The data migrations that created the groups
(0003_roles, 0005_editor_history_permissions) keep frozen copies of the lists as they were
then and apply them with `grant`; a test checks that a migrated database holds exactly
`ROLES`. Tests build the groups from here too, because transactional tests flush what the
migrations created.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.contrib.auth.management import create_permissions
from django.urls import reverse

TRAINERS = "Trainers"
EDITORS = "Editors"

CONTENT_MODELS = {
    "glossary": ["term", "alias", "distinction", "source"],
    "quiz": ["scenario", "choice", "quiz", "quizscenario"],
}
# The history of content that has it (django-simple-history's historical models).
HISTORY_MODELS = {
    "glossary": ["historicalterm", "historicalalias", "historicaldistinction", "historicalsource"],
    "quiz": ["historicalscenario", "historicalchoice"],
}

ROLES: dict[str, list[str]] = {
    TRAINERS: [
        "quiz.view_assignment",
        "quiz.add_assignment",
        "quiz.change_assignment",
        "quiz.view_attempt",
        "quiz.view_response",
        "quiz.view_quiz",
        "quiz.view_scenario",
    ],
    EDITORS: [
        *(
            f"{app}.{action}_{model}"
            for app, models in CONTENT_MODELS.items()
            for model in models
            for action in ("add", "change", "delete", "view")
        ),
        *(f"{app}.view_{model}" for app, models in HISTORY_MODELS.items() for model in models),
    ],
}


def permissions(apps: Any, dotted_names: Iterable[str]) -> Iterator[Any]:
    """The Permission rows named "app_label.codename", created first if they do not exist
    yet (Django creates permissions after all migrations have run). `apps` is a migration's
    app registry or `django.apps.apps`."""
    for app_label in ("glossary", "quiz"):
        app_config = apps.get_app_config(app_label)
        # An app of a migration's registry has no models module, and create_permissions
        # skips such apps.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    permission_model = apps.get_model("auth", "Permission")
    for dotted in dotted_names:
        app_label, codename = dotted.split(".")
        yield permission_model.objects.get(content_type__app_label=app_label, codename=codename)


def grant(apps: Any, roles: Mapping[str, Iterable[str]]) -> None:
    """Give each named group (created if need be) these permissions, on top of any it has."""
    group_model = apps.get_model("auth", "Group")
    for name, dotted_names in roles.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(*permissions(apps, dotted_names))


# Who someone is on the site, decided here and nowhere else: the trainers' pages, the
# navigation and where a login lands all ask these.
TRAINER_PERMISSION = "quiz.view_assignment"


def is_editor(user) -> bool:
    """Editors (and administrators) work in the admin, which lets in staff only."""
    return user.is_active and user.is_staff


def is_trainer(user) -> bool:
    """Trainers may read the assignments and their reports."""
    return user.is_active and user.has_perm(TRAINER_PERMISSION)


def landing_page(user) -> str:
    """Where someone lands after logging in without a `next` of their own: where their work
    is. Editors (and staff who also train) the admin, trainers the trainers' index, everyone
    else their own learning page."""
    if is_editor(user):
        return reverse("admin:index")
    if is_trainer(user):
        return reverse("trainer:index")
    return reverse("learner:me")
