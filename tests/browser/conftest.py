"""Playwright against a live server, on Debian's Chromium (no browser downloads here)."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop; Django refuses ORM calls there without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def content_file(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """The real published content as `load_content` makes it, kept as a fixture file once per
    run: loading that takes a second, where `load_content` and its checks take five, and
    nearly every browser test needs it. The database is emptied afterwards, as after every
    test here (they are transactional)."""
    path = tmp_path_factory.mktemp("content") / "content.json"
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
        call_command("dumpdata", "glossary", "quiz", output=str(path), verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    return path


@pytest.fixture
def content(transactional_db, content_file):
    """The real published content, as a visitor of the site sees it."""
    call_command("loaddata", str(content_file), verbosity=0)


@pytest.fixture
def assert_accessible():
    axe = Axe()

    def check(page):
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def look_at(assert_accessible, screenshot):
    """Checks a page as a person meets it (no sideways scrolling, no axe violations) and keeps
    a screenshot of it under `name`."""

    def check(page, name):
        page.wait_for_load_state()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways"
        assert_accessible(page)
        screenshot(page, name)

    return check


def log_in(browser: Browser, live_server, username: str, viewport=DESKTOP) -> Page:
    """A page of a new browser context of `viewport`, signed in as `username` through the
    login form."""
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name=re.compile("Log out"))).to_be_visible()
    return page
