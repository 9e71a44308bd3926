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
from collections.abc import Callable
from typing import Any

from django.core.cache.backends import redis
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._own = threading.local()  # this thread's connection for reads, by pool

    def get(self, key: Any, default: Any) -> Any:
        value = self._read("GET", key)
        return default if value is None else self._serializer.loads(value)

    def _read(self, *command: Any) -> Any:
        """Send one read command on this thread's own connection and return the reply. A
        connection that broke since its last use (Redis restarted) is opened again once."""
        index = self._get_connection_pool_index(write=False)
        connections = self._own.__dict__.setdefault(os.getpid(), {})  # none shared by a fork
        connection = connections.get(index)
        if connection is None:
            pool = self._get_connection_pool(write=False)
            connection = connections[index] = pool.connection_class(**pool.connection_kwargs)
        for attempt in (1, 2):
            try:
                connection.send_command(*command)
                return connection.read_response()
            except (ConnectionError, TimeoutError):
                connection.disconnect()
                if attempt == 2:
                    raise

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


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
