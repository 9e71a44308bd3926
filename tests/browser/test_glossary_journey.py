import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_searches_clientele_opens_client_and_compares_with_customer(
    live_server, content, page: Page
):
    page.goto(f"{live_server.url}/terms/")
    page.get_by_label("Search the glossary").press_sequentially("clientele", delay=40)

    results = page.locator("#search-results")
    expect(results.get_by_text("also called clientele")).to_be_visible()
    # The live result came through htmx, which put the search's address in the address bar.
    expect(page).to_have_url(f"{live_server.url}/terms/?q=clientele")

    results.get_by_role("link", name="Client").click()
    expect(page).to_have_url(f"{live_server.url}/terms/client/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Client")

    page.get_by_role("region", name="Often confused with").get_by_role(
        "link", name="Client vs Customer"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/terms/client-vs-customer/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Client\s+vs\s+Customer"))
    expect(page.get_by_role("heading", name="Rule of thumb")).to_be_visible()


def test_search_works_without_javascript(live_server, content, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Search the glossary").fill("end user")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/terms/\?q=end\+user$"))
    expect(page.locator("#search-results").get_by_role("link", name="User")).to_be_visible()
    context.close()


PAGES = {
    "home": "/",
    "index": "/terms/",
    "term": "/terms/client/",
    "compare": "/terms/client-vs-customer/",
    "not-found": "/terms/clent/",
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_pages_fit_the_screen_pass_axe_and_are_captured(
    live_server, content, browser, assert_accessible, screenshot, name, size
):
    viewport = DESKTOP if size == "desktop" else PHONE
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = []
    # Console errors catch CSP violations; the 404 page's own status is expected, not an error.
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and "Failed to load resource" not in msg.text
            and errors.append(msg.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and errors.append(f"{response.status} {response.url}")
        ),
    )
    page.goto(f"{live_server.url}{PAGES[name]}")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size} size"
    assert errors == [], errors
    assert_accessible(page)
    screenshot(page, f"{name}-{size}")
    context.close()


def test_keyboard_user_can_skip_to_content(live_server, content, page: Page):
    page.goto(f"{live_server.url}/terms/client/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
