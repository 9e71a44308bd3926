"""Logging out from any page: one click with script (htmx posts the link, the token read
from its cookie), the confirmation page without it, and the same page when there is no
token to send."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _logged_out(page) -> None:
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Log out"))).to_have_count(0)


def test_one_click_logs_out_from_a_cached_term_page(live_server, browser, content):
    UserFactory(username="lena")
    page = log_in(browser, live_server, "lena")
    page.goto(f"{live_server.url}/terms/client/")  # a visitor's page with lena's links
    posts = []
    page.on("request", lambda request: posts.append((request.method, request.url)))

    page.get_by_role("link", name=re.compile("Log out")).click()

    page.wait_for_url(f"{live_server.url}/")
    _logged_out(page)
    assert ("POST", f"{live_server.url}/accounts/logout/") in posts
    assert ("GET", f"{live_server.url}/accounts/logout/") not in posts  # no page to confirm


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_without_the_token_cookie_the_link_asks_to_confirm(
    live_server, browser, content, look_at, size
):
    UserFactory(username="lena")
    page = log_in(browser, live_server, "lena", viewport=DESKTOP if size == "desktop" else PHONE)
    page.goto(f"{live_server.url}/terms/client/")
    context = page.context
    kept = [cookie for cookie in context.cookies() if cookie["name"] != "csrftoken"]
    context.clear_cookies()
    context.add_cookies(kept)

    page.get_by_role("link", name=re.compile("Log out")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log out")
    expect(page.get_by_text("You are logged in as lena.")).to_be_visible()
    look_at(page, f"logout-confirm-{size}")
    page.get_by_role("main").get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    _logged_out(page)


def test_without_script_the_confirmation_page_logs_out(live_server, browser, content):
    UserFactory(username="lena")
    cookies = log_in(browser, live_server, "lena").context.cookies()
    page = browser.new_context(viewport=DESKTOP, java_script_enabled=False).new_page()
    page.context.add_cookies(cookies)
    page.goto(f"{live_server.url}/terms/client/")

    page.get_by_role("link", name=re.compile("Log out")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log out")
    page.get_by_role("main").get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    _logged_out(page)
