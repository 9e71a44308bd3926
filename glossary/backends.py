"""Signing in: Django's ModelBackend, with the user that every signed-in request reads
fetched by a query compiled once per process (glossary.reusable) instead of built anew, and
their permissions, which the navigation asks for on every page, read by one such query
(Django's backend builds two).

With Redis, each process also keeps the users it has read, with their permissions, for as
long as nothing about accounts has changed: the accounts version, a value in Redis that
every save or delete of a user, group or permission (and every change of who is in a group
or has a permission) replaces, and that each process watches without a round trip
(`glossary.redis_cache`, `get_watched`). A signed-in page then reads no user at all. A write
that sends no signal (`QuerySet.update`, raw SQL) is caught by USER_MAX_AGE instead."""

from __future__ import annotations

import copy
import secrets
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import IntegerField, Q, StringAgg, Value
from django.db.models.functions import Concat
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .reusable import ReusableQuery

# Between two permission names: neither an app label nor a codename holds a line break.
SEPARATOR = "\n"
ACCOUNTS_KEY = "accounts-version"
# How long a process trusts a user it has read when no change was announced: the longest a
# change made without signals goes unseen.
USER_MAX_AGE = 10.0
KNOWN_USERS = 4096  # users kept per process; all forgotten when full


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


@dataclass
class _Known:
    """A user as this process read them, under the accounts version current before."""

    version: str
    read: float  # time.monotonic() when read
    user: Any
    permissions: set[str] | None = None
    drawn: dict[Hashable, Any] = field(default_factory=dict)  # see `kept_with_user`


_known: dict[int, _Known] = {}


def kept_with_user[T](user: Any, key: Hashable, make: Callable[[], T]) -> T:
    """`make()`, for something drawn from `user` alone (their account links), kept for as
    long as this process keeps the user; made each time for a user it does not keep."""
    known = getattr(user, "_known", None)
    if known is None:
        return make()
    if key not in known.drawn:
        known.drawn[key] = make()
    return known.drawn[key]


def _accounts_version() -> str | None:
    """The current accounts version, when this process can be told of its changes (Redis,
    outside a transaction, whose reads may see what is not committed); otherwise None, and
    nothing is kept."""
    get_watched = getattr(cache, "get_watched", None)
    if get_watched is None or connection.in_atomic_block:
        return None
    version = get_watched(ACCOUNTS_KEY)
    if version is None and cache.add(ACCOUNTS_KEY, secrets.token_hex(8), timeout=None):
        version = get_watched(ACCOUNTS_KEY)
    return version


def _new_accounts_version() -> None:
    _known.clear()
    setter = getattr(cache, "set_watched", None)
    if setter is not None:
        setter(ACCOUNTS_KEY, secrets.token_hex(8), timeout=None)


def accounts_changed(**kwargs: Any) -> None:
    """A user, group or permission was saved or deleted, or who holds what changed: every
    process reads its users again. A signal receiver. Inside a transaction, when it commits
    (a process that read the change before then would keep what is not committed yet).
    A login's new `last_login` changes nothing anyone is allowed."""
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return
    _known.clear()
    if not any(callback is _new_accounts_version for _, callback, _ in connection.run_on_commit):
        # Robust: the change is committed whatever happens to the cache.
        transaction.on_commit(_new_accounts_version, robust=True)


def watch_accounts() -> None:
    """Connect `accounts_changed` to every write that changes who someone is. Called from
    GlossaryConfig.ready(), so that every process that writes (the admin, a command) does."""
    user_model = get_user_model()
    for model in (user_model, Group, Permission):
        uid = f"accounts-{model._meta.label_lower}"
        post_save.connect(accounts_changed, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(accounts_changed, sender=model, dispatch_uid=f"{uid}-deleted")
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            accounts_changed, sender=through, dispatch_uid=f"accounts-{through._meta.label_lower}"
        )
    post_migrate.connect(accounts_changed, dispatch_uid="accounts-migrated")


def _user(user_id: int) -> Any:
    """The user with this id, or None: read from the database, or with Redis as this process
    keeps them under the current accounts version (read again when it changed or
    USER_MAX_AGE passed)."""
    version = _accounts_version()
    if version is None:
        return _user_by_pk.first(pk=user_id)
    known = _known.get(user_id)
    if known is None or known.version != version or time.monotonic() - known.read > USER_MAX_AGE:
        user = _user_by_pk.first(pk=user_id)
        if user is None:
            return None
        if len(_known) >= KNOWN_USERS:
            _known.clear()
        known = _known[user_id] = _Known(version, time.monotonic(), user)
    # A copy: a request may set attributes on its user, which the next must not see.
    user = copy.copy(known.user)
    user._known = known
    return user


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        """As Django's: the user with this id, if they may still sign in (is_active)."""
        user = _user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """As Django's, kept on the user as Django's is, from one compiled query, and kept
        with the user this process knows. A superuser has every permission, as Django's
        backend works out."""
        if obj is not None or user_obj.is_superuser or not user_obj.is_active:
            return super().get_all_permissions(user_obj, obj)
        if user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            known = getattr(user_obj, "_known", None)
            if known is not None and known.permissions is not None:
                user_obj._perm_cache = known.permissions
            else:
                names = _permission_names_of.first(user=user_obj.pk) or ""
                user_obj._perm_cache = set(filter(None, names.split(SEPARATOR)))
                if known is not None:
                    known.permissions = user_obj._perm_cache
        return user_obj._perm_cache
