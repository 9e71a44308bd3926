"""The A–Z index in a browser, on a phone and a desktop: every letter in the bar, the
letters with terms leading to their section, the comparisons listed; no sideways scrolling
and no axe violations, with and without a search."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_index_bar_and_comparisons_fit_and_pass_axe(live_server, content, browser, look_at, size):
    context = browser.new_context(viewport=DESKTOP if size == "desktop" else PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/terms/")

    bar = page.get_by_role("navigation", name="Letters")
    expect(bar.get_by_role("link")).to_have_count(5)  # B, C, P, S, U in the real content
    shown = "".join(ch for ch in bar.inner_text() if ch.isupper())
    assert shown == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    expect(bar.locator(".az__none")).to_have_count(21)
    expect(bar.get_by_role("link", name="Q", exact=False)).to_have_count(0)
    comparisons = page.get_by_role("region", name="Side by side")
    expect(comparisons.get_by_role("link")).to_have_count(12)
    look_at(page, f"index-{size}")

    bar.get_by_role("link", name="S (2 terms)").click()
    expect(page).to_have_url(f"{live_server.url}/terms/#letter-S")
    expect(page.get_by_role("heading", name="S", exact=True)).to_be_in_viewport()

    comparisons.get_by_role("link", name="Client vs Customer").click()
    expect(page).to_have_url(f"{live_server.url}/terms/client-vs-customer/")

    page.goto(f"{live_server.url}/terms/?q=subscirber")
    expect(page.locator("#search-results").get_by_role("link", name="Subscriber")).to_be_visible()
    look_at(page, f"search-{size}")
    context.close()
