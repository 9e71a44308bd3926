"""The Redis cache as the site uses it: a cache, never a dependency.

When Redis cannot be reached (restarting, a network blip, full), every read is a miss and
every write is skipped, with a warning in the log, instead of an error page. Sessions are
"cached_db", so they then come from the database alone; pages are rendered afresh.
docs/operations.md ("Several servers") says what that costs and the one thing it cannot do.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError)


def _or(fallback: Callable[..., Any]):
    """Run the cache operation; when Redis is unreachable, log it and answer `fallback(*args,
    **kwargs)` (a miss, or nothing done)."""

    def decorate(operation):
        @functools.wraps(operation)
        def forgiving(self, *args, **kwargs):
            try:
                return operation(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("Redis unreachable, cache %s skipped: %s", operation.__name__, error)
                return fallback(*args, **kwargs)

        return forgiving

    return decorate


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (Redis unreachable)")


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache, which treats an unreachable Redis as an empty cache."""

    add = _or(lambda *a, **k: False)(RedisCache.add)
    get = _or(_default)(RedisCache.get)
    set = _or(lambda *a, **k: None)(RedisCache.set)
    touch = _or(lambda *a, **k: False)(RedisCache.touch)
    delete = _or(lambda *a, **k: False)(RedisCache.delete)
    get_many = _or(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _or(lambda *a, **k: False)(RedisCache.has_key)
    incr = _or(_missing_key)(RedisCache.incr)  # as for a key that is not there
    set_many = _or(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _or(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _or(lambda *a, **k: False)(RedisCache.clear)
