"""glossary.sessions with Redis: cached_db sessions that each process keeps until Redis
says they changed."""

import pytest
from django.core.cache import cache
from django.test import Client

from glossary import redis_cache
from glossary.sessions import SessionStore
from tests.factories import PASSWORD, UserFactory
from tests.helpers import needs_redis

pytestmark = [
    needs_redis,
    pytest.mark.usefixtures("live_redis"),
    pytest.mark.django_db(transaction=True),  # as requests run: outside a transaction
]


def _session_reads(monkeypatch) -> tuple[list, list]:
    """The session keys this thread's watch is asked for from now on, and those of them it
    sends a GET for."""
    asked, sent = [], []
    real = redis_cache._Watch.get

    def get(watch, key):
        if "sessions" in str(key):
            asked.append(key)
            if key not in watch.values:
                sent.append(key)
        return real(watch, key)

    monkeypatch.setattr(redis_cache._Watch, "get", get)
    return asked, sent


@pytest.fixture
def signed_in():
    UserFactory(username="lena")
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "lena", "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_a_session_is_read_from_redis_once(signed_in, monkeypatch):
    assert signed_in.get("/me/").status_code == 200
    asked, sent = _session_reads(monkeypatch)
    assert [signed_in.get("/me/").status_code for _ in range(5)] == [200] * 5
    assert len(asked) == 5 and sent == []


def test_a_session_ended_elsewhere_ends_here_at_once(signed_in):
    assert signed_in.get("/me/").status_code == 200
    # Another tab (or server) logs out with the same session; this one keeps its cookie.
    elsewhere = Client()
    elsewhere.cookies["sessionid"] = signed_in.cookies["sessionid"].value
    assert elsewhere.post("/accounts/logout/").status_code == 302
    assert signed_in.cookies["sessionid"].value  # still sent
    assert signed_in.get("/me/").status_code == 302


def test_what_a_request_changes_in_its_session_no_other_request_sees(signed_in):
    key = signed_in.cookies["sessionid"].value
    first = SessionStore(key)
    first["draft"] = "unsaved"
    assert "draft" not in SessionStore(key).load()
    first.save()
    assert SessionStore(key).load()["draft"] == "unsaved"


def test_a_session_missing_from_redis_is_read_from_the_database(signed_in):
    assert signed_in.get("/me/").status_code == 200
    cache.clear()  # a flushed or restarted Redis: sessions are rows too
    cache.notices_sent()
    assert signed_in.get("/me/").status_code == 200
