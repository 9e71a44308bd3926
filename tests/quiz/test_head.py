"""Every URL answers HEAD as it answers GET (uptime monitors and link checkers use HEAD): the
same status, and no body. Over every URL pattern of the site (tests/quiz/site_urls.py)."""

import pytest

from tests.quiz.site_urls import fill, logged_in_superuser, routes, samples

pytestmark = pytest.mark.django_db

# Django's admin sends a signed-in GET of its login page on to the index, but shows the form
# to any other method: HEAD gets the form, also a page.
SHOWS_THE_PAGE = {"admin/login/"}
# Actions: a GET (and so a HEAD) is refused with 405, naming the methods they take.
POST_ONLY = {
    "admin/logout/",
    "quiz/<slug:slug>/start/",
    "me/assignments/<int:assignment_id>/start/",
    "trainer/assignments/<int:assignment_id>/archive/",
    "admin/glossary/term/process_import/",
    "admin/quiz/scenario/process_import/",
    *(
        f"admin/{model}/<path:object_id>/history/<int:version_id>/restore/"
        for model in ("glossary/term", "glossary/distinction", "quiz/scenario")
    ),
}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("route", routes())
def test_head_answers_like_get(training, route):
    client, values = logged_in_superuser(training)
    url = fill(samples()[route], values)
    get = client.get(url)
    head = client.head(url)
    if route in SHOWS_THE_PAGE:
        assert (get.status_code, head.status_code) == (302, 200)
    else:
        assert head.status_code == get.status_code, url
    assert (get.status_code == 405) == (route in POST_ONLY), url
    assert _body(head) == b""
    if get.status_code == 200:
        assert head["Content-Type"] == get["Content-Type"]
