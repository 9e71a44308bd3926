"""Django's Redis cache backend, with one Redis client per connection pool.

Django's backend makes a new `redis.Redis` for every cache call, which copies the client's
table of reply parsers each time: about 0.2 ms, as much as everything else a cached page or
a 304 costs (docs/performance.md, "Public page cache"). A `redis.Redis` may be shared by
threads (its connections come from the pool), so one per pool does the same work."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
