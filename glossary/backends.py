"""Signing in: Django's ModelBackend, with the user that every signed-in request reads
fetched by a query compiled once per process (glossary.reusable) instead of built anew."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model

from .reusable import ReusableQuery

_user_by_pk = ReusableQuery(lambda pk: get_user_model()._default_manager.filter(pk=pk), pk=int)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        """As Django's: the user with this id, if they may still sign in (is_active)."""
        user = _user_by_pk.first(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
