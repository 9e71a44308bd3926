"""The content version read once per process and kept until Redis says it changed
(glossary/redis_cache.py, `get_watched`): two caches here stand for two servers."""

import time

import pytest
import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

from glossary import redis_cache
from glossary.redis_cache import RedisCache
from tests.helpers import LIVE_REDIS, needs_redis

pytestmark = needs_redis


@pytest.fixture
def servers():
    here, there = RedisCache(LIVE_REDIS, {}), RedisCache(LIVE_REDIS, {})
    here.clear()
    yield here, there
    here.clear()
    here.close()
    there.close()


def _gets() -> int:
    stats = redis.Redis.from_url(LIVE_REDIS).info("commandstats")
    return stats.get("cmdstat_get", {}).get("calls", 0)


def test_a_watched_value_is_read_from_redis_once(servers):
    here, there = servers
    there.set("version", "v1")
    assert here.get_watched("version") == "v1"
    before = _gets()
    assert [here.get_watched("version") for _ in range(50)] == ["v1"] * 50
    assert _gets() == before


def test_a_change_on_another_server_is_seen_by_the_next_read(servers):
    here, there = servers
    for n in range(200):
        there.set_watched("version", f"v{n}")
        assert here.get_watched("version") == f"v{n}"


def test_a_plain_write_is_seen_as_soon_as_redis_says_so(servers):
    here, there = servers
    there.set("version", "old")
    assert here.get_watched("version") == "old"
    there.set("version", "new")
    deadline = time.monotonic() + redis_cache.WATCH_MAX_AGE
    while here.get_watched("version") != "new" and time.monotonic() < deadline:
        time.sleep(0.001)
    assert here.get_watched("version") == "new"


def test_a_missing_value_and_a_flushed_cache_are_read_again(servers):
    here, there = servers
    assert here.get_watched("version", "none yet") == "none yet"
    there.add("version", "v1")
    assert here.get_watched("version") == "v1"
    there.clear()
    there._cache.get_client(write=True).ping()  # Redis has sent its notices
    assert here.get_watched("version") is None


def test_a_connection_dropped_by_redis_misses_no_change(servers):
    here, there = servers
    there.set("version", "v1")
    assert here.get_watched("version") == "v1"
    # What a restart of Redis does: the connection is dropped, and notices sent meanwhile
    # are lost; the value is read again on a new connection.
    redis.Redis.from_url(LIVE_REDIS).client_kill_filter(_type="normal", skipme=True)
    there.set("version", "v2")
    assert here.get_watched("version") == "v2"
    there.set_watched("version", "v3")
    assert here.get_watched("version") == "v3"  # watched again on the new connection


def test_a_value_is_read_again_when_no_notice_can_come(servers, monkeypatch):
    """A connection that died without a word tells of no change: after WATCH_MAX_AGE the
    value is read again anyway."""
    here, there = servers
    there.set("version", "v1")
    assert here.get_watched("version") == "v1"
    watch = here._cache._own_one(here._cache._watches, redis_cache._Watch)
    watch.connection.send_command("CLIENT", "TRACKING", "OFF")
    watch.connection.read_response()
    there.set_watched("version", "v2")
    assert here.get_watched("version") == "v1"  # no notice came
    later = time.monotonic() + redis_cache.WATCH_MAX_AGE + 0.01
    monkeypatch.setattr(redis_cache.time, "monotonic", lambda: later)
    assert here.get_watched("version") == "v2"


def test_an_unreachable_redis_is_a_miss_and_a_skipped_write():
    nowhere = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    assert nowhere.get_watched("version", "default") == "default"
    assert nowhere.set_watched("version", "v1", DEFAULT_TIMEOUT) is None
