"""Signing in: Django's ModelBackend, with the user that every signed-in request reads
fetched by a query compiled once per process (glossary.reusable) instead of built anew, and
their permissions, which the navigation asks for on every page, read by one such query
(Django's backend builds two)."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import IntegerField, Q, StringAgg, Value
from django.db.models.functions import Concat

from .reusable import ReusableQuery

# Between two permission names: neither an app label nor a codename holds a line break.
SEPARATOR = "\n"


def _permission_names(user: int):
    """Every permission of `user`, their own or through a group, as Django names them
    ("app_label.codename"), in one string; "" when they have none."""
    own = Permission.user_set.through.objects.filter(user=user).values("permission")
    grouped = Permission.group_set.through.objects.filter(
        group__in=Group.user_set.through.objects.filter(user=user).values("group")
    ).values("permission")
    return (
        Permission.objects.filter(Q(pk__in=own) | Q(pk__in=grouped))
        .order_by()
        # One group for all the rows, so that the query gives one string.
        .annotate(everything=Value(1, IntegerField()))
        .values("everything")
        .annotate(
            names=StringAgg(
                Concat("content_type__app_label", Value("."), "codename"),
                delimiter=Value(SEPARATOR),
                default=Value(""),
            )
        )
        .values_list("names", flat=True)
    )


_user_by_pk = ReusableQuery(lambda pk: get_user_model()._default_manager.filter(pk=pk), pk=int)
_permission_names_of = ReusableQuery(_permission_names, user=int)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        """As Django's: the user with this id, if they may still sign in (is_active)."""
        user = _user_by_pk.first(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """As Django's, kept on the user as Django's is, from one compiled query. A
        superuser has every permission, as Django's backend works out."""
        if obj is not None or user_obj.is_superuser or not user_obj.is_active:
            return super().get_all_permissions(user_obj, obj)
        if user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            names = _permission_names_of.first(user=user_obj.pk) or ""
            user_obj._perm_cache = set(filter(None, names.split(SEPARATOR)))
        return user_obj._perm_cache
