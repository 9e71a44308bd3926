"""With REDIS_URL set and Redis not answering, the site still works (docs/operations.md,
"Several servers"): the cache misses, sessions come from the database."""

import threading

import pytest
import redis
from django.core.cache import caches
from django.test import Client, override_settings

from glossary.redis_cache import RedisCache
from tests.factories import UserFactory
from tests.helpers import LIVE_REDIS, needs_redis

pytestmark = pytest.mark.django_db

# Nothing listens on port 1; the site's own timeouts, so a refused connection fails at once.
NOWHERE = {
    "default": {
        "BACKEND": "glossary.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
LIVE = {**NOWHERE, "default": {**NOWHERE["default"], "LOCATION": LIVE_REDIS}}


@override_settings(CACHES=NOWHERE, SESSION_ENGINE="glossary.sessions")
def test_pages_and_logins_work_while_redis_is_unreachable(glossary, caplog):
    caches["default"].close()
    learner = UserFactory(username="rosa", password="Pa55word-of-rosa")
    client = Client()
    assert client.get("/terms/client/").status_code == 200
    response = client.post("/accounts/login/", {"username": "rosa", "password": "Pa55word-of-rosa"})
    assert response.status_code == 302
    page = client.get("/me/")
    assert page.status_code == 200 and page.wsgi_request.user == learner
    assert "Redis unreachable" in caplog.text


@override_settings(CACHES=NOWHERE)
def test_an_unreachable_cache_misses_and_skips_writes():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    cache.set("greeting", "hello")
    assert cache.get("greeting") is None and cache.get("greeting", "default") == "default"
    assert cache.add("greeting", "hello") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("greeting", "computed") == "computed"
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    cache.delete("greeting")


@needs_redis
@override_settings(CACHES=LIVE)
def test_a_reachable_redis_is_an_ordinary_cache():
    cache = caches["default"]
    cache.clear()
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"
    assert cache.add("count", 1) is True
    assert cache.incr("count") == 2
    cache.clear()


@needs_redis
@override_settings(CACHES=LIVE)
def test_reads_reopen_a_connection_that_broke_since_its_last_use():
    cache = caches["default"]
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"  # this thread's read connection is open now
    # What a restart of Redis does to an open connection: the server drops it.
    admin = redis.Redis.from_url(LIVE["default"]["LOCATION"])
    admin.client_kill_filter(_type="normal", skipme=True)
    assert cache.get("greeting") == "hello"
    cache.delete("greeting")


@needs_redis
@override_settings(CACHES=LIVE)
@pytest.mark.parametrize("method", ["get", "get_watched"])
def test_each_thread_reads_on_a_connection_of_its_own(method):
    cache = caches["default"]
    cache.set_many({f"key-{n}": n for n in range(8)})
    found: dict[int, list] = {}

    def read(n: int) -> None:
        found[n] = [getattr(cache, method)(f"key-{(n + step) % 8}") for step in range(200)]

    threads = [threading.Thread(target=read, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Replies never cross between threads (a shared connection would mix them up).
    assert found == {n: [(n + step) % 8 for step in range(200)] for n in range(8)}
    cache.delete_many([f"key-{n}" for n in range(8)])
