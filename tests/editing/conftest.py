import importlib

import pytest
from django.contrib.auth.models import Permission

from tests.factories import make_user, role


def editors():
    """The Editors group as migrations 0003_roles and 0005 make it (transactional tests flush
    migration data, so it is rebuilt here)."""
    group = role("Editors")
    extra = importlib.import_module("quiz.migrations.0005_editor_history_permissions")
    for dotted in extra.EDITOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


@pytest.fixture
def editor(db):
    return make_user("eddie", editors(), is_staff=True, first_name="Eddie")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def trainer(db):
    return make_user("tara", role("Trainers"))
