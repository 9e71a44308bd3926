"""An answer sent while the database restarts: the server answers 503 (simulated here by
intercepting the POST), the page sends the answer once more, and if that fails too it says so
in place, keeping the learner's choice."""

import re

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import Page, Route, expect

from quiz.models import Response
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION_1 = re.compile(r"/quiz/attempts/\d+/questions/1/$")


def _unavailable(route: Route) -> None:
    body = render_to_string("503.html", {"request_id": "test-id", "again": "/"})
    route.fulfill(status=503, headers={"Retry-After": "1"}, content_type="text/html", body=body)


def _answer_first_question(page: Page, live_server, fail_times: int) -> list[str]:
    """Starts the practice, answers 503 to the first `fail_times` answers of question 1 and
    lets the rest through; returns what happened to each POST."""
    seen: list[str] = []

    def handle(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
        elif len(seen) < fail_times:
            seen.append("503")
            _unavailable(route)
        else:
            seen.append("sent")
            route.continue_()

    page.goto(f"{live_server.url}/quiz/")
    page.get_by_role("button", name="Start Practice").click()
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    page.route(QUESTION_1, handle)
    page.locator(".choice").nth(1).click()
    return seen


def test_an_answer_that_gets_a_503_is_sent_again_and_counts_once(live_server, content, page):
    seen = _answer_first_question(page, live_server, fail_times=1)

    expect(page.locator(".feedback__title")).to_be_visible(timeout=10_000)
    expect(page.locator(".feedback__title")).to_be_focused()
    assert seen == ["503", "sent"]
    assert Response.objects.count() == 1


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_when_the_retry_fails_too_the_message_shows_in_place_with_the_choice_kept(
    live_server, content, browser, look_at, size
):
    context = browser.new_context(viewport=DESKTOP if size == "desktop" else PHONE)
    page = context.new_page()
    seen = _answer_first_question(page, live_server, fail_times=2)

    status = page.locator("[data-answer-status]")
    chosen = page.locator(".choice").nth(1)
    term = chosen.locator(".choice__term").inner_text()
    expect(status).to_contain_text("Please try again in a moment", timeout=10_000)
    expect(status).to_contain_text(f"Your choice, {term}, is kept")
    expect(chosen).to_have_class(re.compile(r"\bchoice--kept\b"))
    expect(chosen).to_be_enabled()
    expect(page.locator(".feedback")).to_have_count(0)
    assert seen == ["503", "503"]
    assert Response.objects.count() == 0
    look_at(page, f"quiz-answer-unavailable-{size}")

    chosen.click()  # the database is back
    expect(page.locator(".feedback__title")).to_be_visible()
    assert Response.objects.count() == 1
    context.close()
