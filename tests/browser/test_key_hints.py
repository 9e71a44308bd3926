"""Number-key hints show only where the keys work: with JavaScript on and a fine pointer."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def _question_and_box(page, live_server):
    """The first practice question, then a term page with its Test yourself box."""
    page.goto(f"{live_server.url}/quiz/")
    page.get_by_role("button", name="Start Practice").click()
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    yield page.locator(".question-card")
    page.goto(f"{live_server.url}/terms/customer/")
    yield page.locator("#try-box")


def test_hints_show_with_javascript_and_a_mouse(live_server, content, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    for place in _question_and_box(page, live_server):
        expect(page.locator("html")).to_have_class("answer-keys")
        expect(place.locator(".choice__key").first).to_be_visible()
        expect(place.locator(".choice__key")).to_have_count(place.locator(".choice").count())
    page.keyboard.press("1")
    expect(page.locator("#try-box .feedback__title")).to_be_visible()
    page.go_back()
    page.keyboard.press("2")
    expect(page.get_by_text("or press Enter")).to_be_visible()
    context.close()


def test_hints_stay_hidden_without_javascript(live_server, content, browser):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    for place in _question_and_box(page, live_server):
        expect(place.locator(".choice").first).to_be_visible()
        expect(place.locator(".choice__key").first).to_be_hidden()
        expect(place.locator(".keys-hint")).to_be_hidden()
    page.go_back()
    page.locator(".choice").first.click()  # posts the form; the feedback page follows
    expect(page.get_by_role("link", name="Next question")).to_be_visible()
    expect(page.get_by_text("or press Enter")).to_be_hidden()
    context.close()


def test_hints_stay_hidden_on_a_touch_screen(live_server, content, browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    for place in _question_and_box(page, live_server):
        expect(place.locator(".choice").first).to_be_visible()
        expect(page.locator("html")).not_to_have_class("answer-keys")
        expect(place.locator(".choice__key").first).to_be_hidden()
        expect(place.locator(".keys-hint")).to_be_hidden()
    context.close()
