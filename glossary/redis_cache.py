"""Django's Redis cache backend as the site uses it: one Redis client per connection pool,
and a cache, never a dependency.

Django's backend makes a new `redis.Redis` for every cache call, which copies the client's
table of reply parsers each time: about 0.2 ms, as much as everything else a cached page or
a 304 costs (docs/performance.md, "Public page cache"). A `redis.Redis` may be shared by
threads (its connections come from the pool), so one per pool does the same work. Reads,
which every request makes (the content version, the session), go further: each thread sends
its GET on a connection of its own, without the client's pool, retry and hook layers, which
cost twice the round trip itself.

When Redis cannot be reached (restarting, a network blip), every read is a miss and every
write is skipped, with a warning in the log, instead of an error page: sessions ("cached_db")
then come from the database alone, and public pages are drawn afresh (docs/operations.md,
"Several servers")."""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)


# How long a watched value is trusted without asking Redis: Redis says at once when it
# changes, but a connection that died without a word (a firewall dropping it) says nothing.
WATCH_MAX_AGE = 1.0
# How many values a watch keeps (the versions and the sessions read); all forgotten when full.
WATCHED_VALUES = 10_000


class _Watch:
    """A connection on which Redis tells this process when a key read on it changes (RESP3
    client-side caching, `CLIENT TRACKING`), and the values read on it. Any notice pending
    on the connection means "read again", all of them: only what changes seldom is read
    here (the content and accounts versions, sessions)."""

    def __init__(self, pool: Any) -> None:
        self.connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        self.connection.register_connect_callback(self._track)
        self.values: dict[Any, Any] = {}
        self.since = 0.0  # when the values were read

    def _track(self, connection: Any) -> None:
        # A new connection, also after a broken one: notices may have been missed.
        self.values.clear()
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()

    def get(self, key: Any) -> Any:
        if self.values and (
            time.monotonic() - self.since > WATCH_MAX_AGE or self.connection.can_read(0)
        ):
            self.values.clear()
            while self.connection.can_read(0):
                self.connection.read_response(push_request=True)
        if key not in self.values:
            if not self.values:
                self.since = time.monotonic()
            elif len(self.values) >= WATCHED_VALUES:
                self.values.clear()
            self.connection.send_command("GET", key)
            self.values[key] = self.connection.read_response()
        return self.values[key]

    def forget(self) -> None:
        self.values.clear()
        self.connection.disconnect()


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._own = threading.local()  # this thread's connection for reads, by pool
        self._watches = threading.local()  # this thread's _Watch, by pool

    def get(self, key: Any, default: Any) -> Any:
        connection = self._own_one(self._own, self._new_connection)
        value = self._twice(lambda: _read(connection, "GET", key), connection.disconnect)
        return default if value is None else self._serializer.loads(value)

    def get_watched(self, key: Any, default: Any) -> Any:
        """`get` for a key read on every request and seldom changed: the value is kept in
        this process until Redis says it changed (or WATCH_MAX_AGE has passed), so reading
        it again costs no round trip."""
        watch = self._own_one(self._watches, _Watch)
        value = self._twice(lambda: watch.get(key), watch.forget)
        return default if value is None else self._serializer.loads(value)

    def set_watched(self, key: Any, value: Any, timeout: Any) -> None:
        """`set`, returning once Redis has sent its notices of the change (`notices_sent`)."""
        self.set(key, value, timeout)
        self.notices_sent()

    def notices_sent(self) -> None:
        """Return once Redis has sent every process watching a key written before this call
        its notice: Redis sends them, and the write's reply, before it reads its next
        command, so a round trip after the write is enough. Another server then acts on the
        change for a request that this change's response led to."""
        self.get_client(write=True).ping()

    def _own_one(self, kept: threading.local, make: Callable[[Any], Any]) -> Any:
        """This thread's `make(pool)` for the pool reads use, made once per process (none is
        shared by a fork)."""
        index = self._get_connection_pool_index(write=False)
        mine = kept.__dict__.setdefault(os.getpid(), {})
        if index not in mine:
            mine[index] = make(self._get_connection_pool(write=False))
        return mine[index]

    @staticmethod
    def _new_connection(pool: Any) -> Any:
        return pool.connection_class(**pool.connection_kwargs)

    @staticmethod
    def _twice(read: Callable[[], Any], reset: Callable[[], None]) -> Any:
        """`read()` on this thread's own connection, without the client's pool, retry and
        hook layers (they cost twice the round trip itself). A connection that broke since
        its last use (Redis restarted) is `reset` and opened again once."""
        for attempt in (1, 2):
            try:
                return read()
            except (ConnectionError, TimeoutError):
                reset()
                if attempt == 2:
                    raise

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


def _read(connection: Any, *command: Any) -> Any:
    connection.send_command(*command)
    return connection.read_response()


def _or(fallback: Callable[..., Any]):
    """Run the cache operation; when Redis is unreachable, log it and answer
    `fallback(*args, **kwargs)` instead: a miss, or nothing done."""

    def decorate(operation):
        @functools.wraps(operation)
        def forgiving(self, *args, **kwargs):
            try:
                return operation(self, *args, **kwargs)
            except (ConnectionError, TimeoutError) as error:
                logger.warning("Redis unreachable, cache %s skipped: %s", operation.__name__, error)
                return fallback(*args, **kwargs)

        return forgiving

    return decorate


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (Redis unreachable)")


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    add = _or(_false)(redis.RedisCache.add)
    get = _or(_default)(redis.RedisCache.get)
    set = _or(_nothing)(redis.RedisCache.set)
    touch = _or(_false)(redis.RedisCache.touch)
    delete = _or(_false)(redis.RedisCache.delete)
    get_many = _or(lambda *args, **kwargs: {})(redis.RedisCache.get_many)
    has_key = _or(_false)(redis.RedisCache.has_key)
    incr = _or(_missing)(redis.RedisCache.incr)  # as for a key that is not there
    set_many = _or(lambda data, *args, **kwargs: list(data))(redis.RedisCache.set_many)
    delete_many = _or(_nothing)(redis.RedisCache.delete_many)
    clear = _or(_false)(redis.RedisCache.clear)

    @_or(_default)
    def get_watched(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._cache.get_watched(self.make_and_validate_key(key, version=version), default)

    @_or(_nothing)
    def notices_sent(self) -> None:
        self._cache.notices_sent()

    @_or(_nothing)
    def set_watched(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._cache.set_watched(key, value, self.get_backend_timeout(timeout))
