"""Sessions as the site keeps them with Redis: Django's `cached_db` (every session is a row
of `django_session` and a copy in Redis), with the copy read as the content version is
(`glossary.redis_cache`, `get_watched`): each process keeps what it read until Redis says
the session changed, so a signed-in page reads its session without a round trip. A session
saved or deleted (a login, a logout) returns once Redis has told every other process."""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def load(self):
        get_watched = getattr(self._cache, "get_watched", None)
        if get_watched is None:
            return super().load()
        # Django's load, reading through get_watched, which gives a dict of this request's
        # own: what the request changes in it no other request sees.
        try:
            data = get_watched(self.cache_key)
        except Exception:
            # As Django's: a key the cache refuses resets the session.
            data = None
        if data is None:
            stored = self._get_session_from_db()
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def save(self, must_create=False):
        super().save(must_create)
        self._notices_sent()

    def delete(self, session_key=None):
        super().delete(session_key)
        self._notices_sent()

    def _notices_sent(self) -> None:
        notices_sent = getattr(self._cache, "notices_sent", None)
        if notices_sent is not None:
            notices_sent()
