"""The live search on the A–Z index puts its address in the address bar: the results can be
shared, a reload shows them, and Back brings the previous ones."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def _results(page: Page):
    return page.locator("#search-results")


def test_live_search_pushes_its_address_and_back_restores_the_results(
    live_server, content, page: Page
):
    index = f"{live_server.url}/terms/"
    page.goto(index)
    search = page.get_by_label("Search the glossary")

    search.press_sequentially("custmer", delay=40)
    expect(page).to_have_url(f"{index}?q=custmer")
    expect(_results(page).get_by_role("link", name="Customer")).to_be_visible()
    expect(page).to_have_title("“custmer” in the glossary · Termwise")

    search.fill("")
    search.press_sequentially("subscirber", delay=40)
    expect(page).to_have_url(f"{index}?q=subscirber")
    expect(_results(page).get_by_role("link", name="Subscriber")).to_be_visible()
    expect(_results(page).get_by_role("link", name="Customer")).to_have_count(0)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/terms/\?q=custmer$"))
    expect(_results(page).get_by_role("link", name="Customer")).to_be_visible()
    expect(_results(page).get_by_role("link", name="Subscriber")).to_have_count(0)

    # The address works on its own: a reload, or the link shared, shows the same results.
    page.reload()
    expect(_results(page).get_by_role("link", name="Customer")).to_be_visible()
    expect(search).to_have_value("custmer")

    page.go_forward()
    expect(page).to_have_url(re.compile(r"/terms/\?q=subscirber$"))
    expect(_results(page).get_by_role("link", name="Subscriber")).to_be_visible()


def test_back_after_htmx_forgot_the_page_draws_it_whole(live_server, content, page: Page):
    """With no page kept in htmx's history (a new tab, or a cleared localStorage), Back
    asks the server for the page: the whole page, never only its results."""
    index = f"{live_server.url}/terms/"
    page.goto(index)
    page.evaluate("htmx.config.historyCacheSize = 0")
    page.get_by_label("Search the glossary").press_sequentially("shoper", delay=40)
    expect(page).to_have_url(f"{index}?q=shoper")
    page.get_by_label("Search the glossary").fill("patrons")
    expect(page).to_have_url(f"{index}?q=patrons")
    expect(_results(page).get_by_role("link", name="Patron")).to_be_visible()

    page.go_back()
    expect(page).to_have_url(f"{index}?q=shoper")
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossary")
    expect(page.locator("h1")).to_have_count(1)
    expect(_results(page).get_by_role("link", name="Shopper")).to_be_visible()


def test_a_shared_search_address_works_without_javascript(live_server, content, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/terms/?q=patrons")
    expect(_results(page).get_by_role("link", name="Patron")).to_be_visible()
    expect(page.get_by_label("Search the glossary")).to_have_value("patrons")
    context.close()


@pytest.mark.parametrize(
    "url, title", [("/", "The words for"), ("/terms/nowhere/", "Page not found")]
)
def test_live_search_elsewhere_shows_results_in_place(live_server, content, page: Page, url, title):
    """On the home and 404 pages the results show under the box: the address and the tab's
    title stay the page's own."""
    page.goto(f"{live_server.url}{url}")
    page.get_by_label("Search the glossary").fill("")
    page.get_by_label("Search the glossary").press_sequentially("shoper", delay=40)
    expect(page.get_by_role("link", name="Shopper").first).to_be_visible()
    expect(
        page.locator(".search-results").get_by_text("No term is called “shoper”")
    ).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{url}")
    expect(page).to_have_title(re.compile(f"^{title}"))
