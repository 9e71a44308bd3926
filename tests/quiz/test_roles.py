"""The roles that the migrations created are the roles quiz.roles defines."""

import pytest
from django.contrib.auth.models import Group

from quiz.roles import ROLES

pytestmark = pytest.mark.django_db


def test_the_migrated_groups_hold_exactly_the_roles_of_the_code():
    groups = {
        group.name: sorted(
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        )
        for group in Group.objects.filter(name__in=ROLES)
    }
    assert groups == {name: sorted(codenames) for name, codenames in ROLES.items()}
