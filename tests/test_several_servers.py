"""Two gunicorn servers, one PostgreSQL database and one Redis: what one server writes, the
other shows at once (docs/operations.md, "Several servers").

The servers are separate processes, so they cannot use pytest-django's test database: the
test makes its own PostgreSQL database (migrated, `load_content`), a dedicated Redis database
number, both emptied before and dropped or flushed after. It runs only when PostgreSQL and
Redis answer on their usual ports (as on every machine of this project, CI included).
"""

import http.client
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
import redis

from tests.gunicorn import gunicorn

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
# A database number of its own: flushed before and after. Sessions are cached_db, so even a
# flush by someone else in the middle of the test would log nobody out.
REDIS_URL = "redis://127.0.0.1:6379/14"
PASSWORD = "several-servers-Pa55word"
TERM = "stakeholder-of-record"


def _unavailable() -> str | None:
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2).close()
    except psycopg.Error as error:
        return f"PostgreSQL does not answer at {POSTGRES}: {error}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis does not answer at {REDIS_URL}: {error}"
    return None


_reason = _unavailable()
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")


@dataclass
class Browser:
    """Just enough of a browser: one cookie jar for every server, as behind one host name, and
    the `X-Forwarded-Proto: https` a TLS-terminating proxy adds (production redirects plain
    HTTP to HTTPS otherwise)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, port: int, path: str) -> tuple[int, str | None, str]:
        return self._send(port, "GET", path)

    def post(self, port: int, path: str, data: dict[str, object]) -> tuple[int, str | None, str]:
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self._send(port, "POST", path, urlencode(form, doseq=True))

    def _send(
        self, port: int, method: str, path: str, body: str | None = None
    ) -> tuple[int, str | None, str]:
        host = f"127.0.0.1:{port}"
        headers = {"Host": host, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{host}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    self._keep(value)
            return response.status, response.getheader("Location"), response.read().decode()
        finally:
            connection.close()

    def _keep(self, header: str) -> None:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if "max-age=0" in header.lower():
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def log_in(self, port: int, username: str) -> None:
        status, _, _ = self.get(port, "/accounts/login/")
        assert status == 200
        status, location, _ = self.post(
            port, "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        # Each lands where their work is (quiz.roles.landing_page).
        lands = {"lena": "/me/", "rosa": "/me/", "eddie": "/admin/"}[username]
        assert (status, location) == (302, lands), f"{username} could not log in"
        assert "sessionid" in self.cookies


def _manage(env: dict[str, str], *args: str) -> None:
    """Run a management command as the servers would, failing the test with its errors."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        pytest.fail(f"manage.py {args[0]} failed:\n{done.stderr}")


SETUP = f"""
from django.contrib.auth.models import User
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_content", verbosity=0)
from glossary.models import Term
User.objects.create_user("lena", password={PASSWORD!r})
User.objects.create_user("rosa", password={PASSWORD!r})
User.objects.create_superuser("eddie", "eddie@example.org", {PASSWORD!r})
term = Term(slug={TERM!r}, name="Stakeholder of record", status="draft",
            summary="The one person a contract names as the other side.",
            body="Named in the contract, whoever pays.")
term.full_clean()
term.save()
"""


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A PostgreSQL database of the test's own, migrated, with the content loaded."""
    name = f"termwise_servers_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
        # A throwaway database: commits need not wait for the disk (the set-up is 3× faster).
        admin.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def shared_redis() -> Iterator[None]:
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    try:
        yield
    finally:
        store.flushdb()
        store.close()


@pytest.fixture(scope="module")
def environment(database, shared_redis) -> dict[str, str]:
    """What the servers run with, and what a management command run beside them needs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.several_servers_settings",
        "SECRET_KEY": "several-servers-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "REDIS_URL": REDIS_URL,
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def servers(environment) -> Iterator[tuple[int, int]]:
    """Servers A and B: gunicorn with the production settings, on two free ports."""
    env = environment
    _manage(env, "shell", "-c", SETUP)
    try:
        with gunicorn(env, workers=2) as a, gunicorn(env, workers=2) as b:
            yield a, b
    except RuntimeError as error:  # a server that did not start
        pytest.fail(str(error))


def _first_choice(page: str) -> str:
    found = re.search(r'name="choice" value="(\d+)"', page)
    assert found, "no choices on the question page"
    return found.group(1)


def test_a_learner_answers_on_one_server_and_sees_it_on_the_other(servers, database):
    a, b = servers
    learner = Browser()
    learner.log_in(a, "lena")
    # The session is cached in Redis, in front of its database row (glossary.sessions,
    # Django's cached_db).
    sessions = redis.Redis.from_url(REDIS_URL).scan_iter(match="termwise:*sessions.cached_db*")
    assert any(key.endswith(learner.cookies["sessionid"].encode()) for key in sessions)

    status, location, _ = learner.post(a, "/quiz/practice/start/", {})
    assert status == 303
    attempt_url = re.fullmatch(r"(/quiz/attempts/(\d+)/)questions/1/", location)
    assert attempt_url, location
    attempt, attempt_id = attempt_url.group(1), int(attempt_url.group(2))

    question_1 = f"{attempt}questions/1/"
    status, _, page = learner.get(a, question_1)
    assert status == 200
    assert learner.post(a, question_1, {"choice": _first_choice(page)})[:2] == (303, question_1)

    # B knows who this is (the session) and what was answered on A (the database).
    status, _, page = learner.get(b, "/quiz/")
    assert status == 200
    assert f'href="{attempt}"' in page and "(1 of 10 done)" in page
    status, _, page = learner.get(b, question_1)
    assert status == 200
    assert 'name="choice"' not in page  # answered: the feedback, not the choices

    # The other nine answered on A; the results are on B.
    for position in range(2, 11):
        question = f"{attempt}questions/{position}/"
        status, _, page = learner.get(a, question)
        assert status == 200
        assert learner.post(a, question, {"choice": _first_choice(page)})[0] == 303
    with psycopg.connect(database) as connection:
        (score,) = connection.execute(
            "SELECT score FROM quiz_attempt WHERE id = %s AND finished IS NOT NULL", [attempt_id]
        ).fetchone()
    status, _, page = learner.get(b, f"{attempt}results/")
    assert status == 200
    assert f"<strong>{score} of 10</strong> correct" in page
    status, _, page = learner.get(b, "/me/")
    assert status == 200
    assert f'href="{attempt}results/"' in page or f'href="{attempt}"' in page


def test_an_editor_publishes_on_one_server_and_the_other_serves_it_at_once(servers, database):
    a, b = servers
    with psycopg.connect(database) as connection:
        (term_id,) = connection.execute(
            "SELECT id FROM glossary_term WHERE slug = %s", [TERM]
        ).fetchone()
    page_url = f"/terms/{TERM}/"
    visitor = Browser()
    assert visitor.get(b, page_url)[0] == 404  # a draft

    editor = Browser()
    editor.log_in(a, "eddie")

    def act(action: str) -> None:
        form = {"action": action, "_selected_action": term_id, "index": 0}
        status, location, _ = editor.post(a, "/admin/glossary/term/", form)
        assert (status, location) == (302, "/admin/glossary/term/"), action

    act("publish")
    status, _, page = visitor.get(b, page_url)
    assert status == 200
    assert "The one person a contract names as the other side." in page

    # A change to the published term, saved on A: B shows it on the next request.
    form = {
        "name": "Stakeholder of record",
        "slug": TERM,
        "summary": "Whoever the contract names as the other side.",
        "body": "Named in the contract, whoever pays.",
        "status": "published",
        "replaced_by": "",
        "steward": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    status, _, page = editor.post(a, f"/admin/glossary/term/{term_id}/change/", form)
    assert status == 302, page
    status, _, page = visitor.get(b, page_url)
    assert status == 200
    assert "Whoever the contract names as the other side." in page

    # Back to draft on A: gone from B at once.
    act("move_to_draft")
    assert visitor.get(b, page_url)[0] == 404


def _signed_in_everywhere(browser: Browser, port: int) -> list[int]:
    """The status of /me/ from each worker of the server, or near enough: a few requests."""
    return [browser.get(port, "/me/")[0] for _ in range(6)]


def test_signing_out_or_being_deactivated_on_one_server_counts_on_the_other_at_once(
    servers, environment
):
    """Each server keeps the sessions and users it read (glossary/sessions.py,
    glossary/backends.py) until Redis says they changed."""
    a, b = servers
    learner = Browser()
    learner.log_in(a, "rosa")
    assert _signed_in_everywhere(learner, b) == [200] * 6
    cookies = dict(learner.cookies)
    status, _, _ = learner.post(a, "/accounts/logout/", {})
    assert status == 302
    # The old session cookie, as another tab would still send it: no longer anyone's.
    learner.cookies = cookies
    assert _signed_in_everywhere(learner, b) == [302] * 6

    learner.log_in(a, "rosa")
    assert _signed_in_everywhere(learner, b) == [200] * 6
    # Deactivated by another process altogether, as a command or another server would.
    deactivate = (
        "from django.contrib.auth.models import User; "
        "rosa = User.objects.get(username='rosa'); rosa.is_active = False; rosa.save()"
    )
    _manage(environment, "shell", "-c", deactivate)
    assert _signed_in_everywhere(learner, b) == [302] * 6
