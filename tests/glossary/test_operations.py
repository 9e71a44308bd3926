"""Running in production: request ids, one-line logs, the 500 page, error mail, database
health checks and the 503 page while the database is out of reach (docs/operations.md)."""

import io
import logging
import re
import runpy
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import get_resolver

pytestmark = pytest.mark.django_db

HEX_ID = re.compile(r"[0-9a-f]{32}")
INDEX = "/terms/"


def server_error(request):
    """The site's handler500, as Django finds it."""
    return get_resolver().resolve_error_handler(500)(request)


def _failing_index(error: Exception):
    """The term index raising `error` when it reads the terms."""
    return mock.patch("glossary.models.TermQuerySet.published", side_effect=error)


@pytest.fixture
def quiet_client():
    """A client that gets the 500 page instead of the exception, as a browser would."""
    return Client(raise_request_exception=False)


@pytest.fixture
def log_lines():
    """A function giving what the site's stderr handler has written so far, line by line."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


def test_every_response_carries_its_own_request_id(client, glossary):
    first = client.get(INDEX)["X-Request-ID"]
    second = client.get(INDEX)["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second)
    assert first != second


def test_lines_logged_between_requests_carry_no_id(client, glossary):
    from glossary.logs import current_request_id

    client.get(INDEX)
    assert current_request_id() == "-"


def test_an_id_from_the_client_is_ignored_unless_a_proxy_is_trusted(client, glossary, settings):
    assert client.get(INDEX, headers={"X-Request-ID": "chosen-by-me"})["X-Request-ID"] != (
        "chosen-by-me"
    )
    settings.REQUEST_ID_HEADER = "X-Request-ID"
    assert client.get(INDEX, headers={"X-Request-ID": "proxy-42"})["X-Request-ID"] == "proxy-42"
    for junk in ["two\nlines", "x" * 200, "semi;colon"]:
        replaced = client.get(INDEX, headers={"X-Request-ID": junk})["X-Request-ID"]
        assert HEX_ID.fullmatch(replaced), junk


def test_a_500_is_logged_on_one_line_with_the_id_shown_on_the_page(
    quiet_client, glossary, log_lines
):
    with _failing_index(RuntimeError("boom\nFAKE second line")):
        response = quiet_client.get(INDEX)
    rid = response["X-Request-ID"]

    assert response.status_code == 500
    assert rid in response.content.decode()
    lines = log_lines()
    error_lines = [line for line in lines if "Internal Server Error: /terms/" in line]
    assert len(error_lines) == 1
    assert f"ERROR django.request request_id={rid} " in error_lines[0]
    assert "Traceback (most recent call last)" in error_lines[0]
    assert "RuntimeError: boom\\nFAKE second line" in error_lines[0]
    assert not any(line.startswith("FAKE") for line in lines)


def test_the_500_page_reads_no_database(rf, django_assert_num_queries):
    from glossary.logs import request_id

    token = request_id.set("abc123")
    try:
        with django_assert_num_queries(0):
            response = server_error(rf.get("/anything/"))
    finally:
        request_id.reset(token)
    assert response.status_code == 500
    assert "<code>abc123</code>" in response.content.decode()


def test_errors_are_mailed_to_admins_with_the_request_id(
    quiet_client, glossary, settings, mailoutbox
):
    settings.ADMINS = ["ops@termwise.example"]
    with _failing_index(RuntimeError("boom")):
        response = quiet_client.get(INDEX)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ops@termwise.example"]
    assert mailoutbox[0].subject.startswith("[Termwise] ERROR")
    assert f"Request id: {response['X-Request-ID']}" in mailoutbox[0].body


def test_the_database_being_out_of_reach_is_a_503_to_retry(quiet_client, glossary, log_lines):
    with _failing_index(OperationalError("connection refused")):
        # A live search (its part without a query reads nothing).
        response = quiet_client.get(INDEX, {"q": "cli"}, headers={"HX-Request": "true"})

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "try again in a moment" in page
    assert response["X-Request-ID"] in page
    rid = response["X-Request-ID"]
    lines = log_lines()
    assert any(
        f"WARNING glossary.middleware request_id={rid} " in line
        and "OperationalError: connection refused" in line
        for line in lines
    )
    # Django logs 4xx and 5xx answers after the last middleware: the id is still there.
    assert any(
        f"ERROR django.request request_id={rid} Service Unavailable: /terms/" in line
        for line in lines
    )


def test_a_404_is_logged_with_its_request_id(client, glossary, log_lines):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    expected = f"WARNING django.request request_id={response['X-Request-ID']} Not Found"
    assert any(line.startswith(expected, 21) for line in log_lines())


def test_an_outage_sends_no_error_mail(quiet_client, glossary, settings, mailoutbox):
    settings.ADMINS = ["ops@termwise.example"]
    with _failing_index(OperationalError("connection refused")):
        assert quiet_client.get(INDEX).status_code == 503
    assert mailoutbox == []


def test_a_lost_connection_outside_a_view_is_a_503_too(rf):
    """Saving the session happens after the view, where the middleware cannot catch it; the
    500 handler answers 503 for it."""
    request = rf.get("/quiz/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"


def test_the_503_page_never_links_off_site(rf):
    request = rf.get("/")
    request.path = request.path_info = "//evil.example/"
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert 'href="/"' in response.content.decode()
    assert "evil.example" not in response.content.decode()


def test_connections_are_kept_and_checked_before_reuse(settings):
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_restarted_database_costs_no_failed_request(client, glossary):
    """The server drops our kept connection (as a restart does); the next request notices
    before using it and connects again."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server connection to lose")
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(
        **{k: v for k, v in params.items() if k in {"host", "port", "user", "dbname"}},
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    close_old_connections()  # what the WSGI handler does as each request starts
    assert client.get(INDEX).status_code == 200


def test_production_reads_mail_admins_and_proxy_from_the_environment(monkeypatch):
    environment = {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "termwise.example",
        "ADMINS": "ops@termwise.example, lead@termwise.example",
        "REQUEST_ID_HEADER": "X-Request-ID",
        "EMAIL_HOST": "smtp.termwise.example",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "termwise",
        "EMAIL_HOST_PASSWORD": "secret",
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": "Termwise <hello@termwise.example>",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    production = runpy.run_module("config.settings.production")

    assert production["ADMINS"] == ["ops@termwise.example", "lead@termwise.example"]
    assert production["REQUEST_ID_HEADER"] == "X-Request-ID"
    assert production["DEFAULT_FROM_EMAIL"] == "Termwise <hello@termwise.example>"
    assert production["SERVER_EMAIL"] == "Termwise <hello@termwise.example>"
    mailer = production["MAILERS"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.termwise.example",
        "port": 587,
        "username": "termwise",
        "password": "secret",
        "use_tls": True,
        "timeout": 10,
    }
