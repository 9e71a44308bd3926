"""Logging out: a POST, as in Django, and a page that asks to confirm it on a GET. The
navigation links to that page, and htmx posts the link at once with the token from its
cookie (quiz.views.LogoutView): pages carry no CSRF token for it."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(db) -> Client:
    """Lena, logged in through the login form, in a client that checks CSRF tokens."""
    UserFactory(username="lena")
    client = Client(enforce_csrf_checks=True)
    login_page = client.get("/accounts/login/")
    token = login_page.context["csrf_token"]
    answer = client.post(
        "/accounts/login/",
        {"username": "lena", "password": PASSWORD, "csrfmiddlewaretoken": str(token)},
    )
    assert answer.status_code == 302
    return client


def _signed_in(client: Client) -> bool:
    return client.get("/me/").status_code == 200


def _cookie_token(client: Client) -> str:
    return client.cookies["csrftoken"].value


def test_the_navigation_links_to_logging_out_without_a_token(lena):
    html = lena.get("/quiz/").content.decode()
    assert '<a href="/accounts/logout/" hx-post="/accounts/logout/"' in html
    assert "data-logout" in html and "csrfmiddlewaretoken" not in html


def test_a_get_asks_to_confirm_and_logs_nobody_out(lena):
    page = lena.get("/accounts/logout/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "You are logged in as <strong>lena</strong>" in html
    assert 'name="csrfmiddlewaretoken"' in html and 'action="/accounts/logout/"' in html
    assert "no-cache" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert _signed_in(lena)


def test_the_confirmation_form_logs_out(lena):
    token = lena.get("/accounts/logout/").context["csrf_token"]
    answer = lena.post("/accounts/logout/", {"csrfmiddlewaretoken": str(token)})
    assert (answer.status_code, answer["Location"]) == (302, "/")
    assert not _signed_in(lena)


@pytest.mark.parametrize(
    ("asked", "goes_to"),
    [("/terms/client/", "/terms/client/"), ("https://evil.example/", "/")],
    ids=["safe", "unsafe"],
)
def test_next_is_carried_to_the_post_only_when_safe(lena, asked, goes_to):
    page = lena.get("/accounts/logout/", {"next": asked}).content.decode()
    assert f'<a href="{goes_to}">Stay logged in</a>' in page
    assert ('name="next"' in page) == (asked == goes_to) and "evil.example" not in page
    answer = lena.post(
        "/accounts/logout/", {"next": asked}, headers={"X-CSRFToken": _cookie_token(lena)}
    )
    assert answer["Location"] == goes_to


def test_htmx_is_told_where_to_go_next(lena):
    answer = lena.post(
        "/accounts/logout/",
        headers={"HX-Request": "true", "X-CSRFToken": _cookie_token(lena)},
    )
    assert answer.status_code == 200 and answer["HX-Redirect"] == "/"
    assert not _signed_in(lena)


def test_a_post_without_the_token_is_refused(lena):
    assert lena.post("/accounts/logout/", headers={"HX-Request": "true"}).status_code == 403
    assert _signed_in(lena)


def test_logging_out_twice_is_harmless(lena):
    token = _cookie_token(lena)
    first = lena.post("/accounts/logout/", headers={"X-CSRFToken": token})
    second = lena.post("/accounts/logout/", headers={"X-CSRFToken": _cookie_token(lena)})
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == "/"


def test_the_page_tells_a_visitor_they_are_not_logged_in(client):
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "You are already logged out" in html and 'href="/accounts/login/"' in html
    assert "csrfmiddlewaretoken" not in html


def test_other_methods_are_refused(lena):
    token = {"X-CSRFToken": _cookie_token(lena)}
    assert lena.put("/accounts/logout/", headers=token).status_code == 405
    assert _signed_in(lena)
