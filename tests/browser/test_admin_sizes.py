"""The admin at working sizes (issue 14): the lists and the import page fit a 1280px and a
375px window without the page scrolling sideways; a list's table keeps readable columns and,
when it is wider than the window, scrolls inside its own region; an import's row errors are
text on the page, not tooltips."""

import re

import pytest
from playwright.sync_api import Page, expect

from glossary.models import Term
from quiz import services
from quiz.models import Quiz, Scenario
from quiz.roles import EDITORS, TRAINERS
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, UserFactory
from tests.quiz.factories import make_assignment, role

pytestmark = pytest.mark.django_db(transaction=True)

# What an editor works with, and what only an administrator sees (editors have no permission
# on assignments, attempts or users).
EDITOR_LISTS = [
    "/admin/glossary/term/",
    "/admin/glossary/distinction/",
    "/admin/quiz/scenario/",
    "/admin/quiz/quiz/",
]
ADMIN_LISTS = ["/admin/quiz/assignment/", "/admin/quiz/attempt/", "/admin/auth/user/"]
SIZES = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
READABLE = 12 * 16  # the least width of a column of sentences, in CSS pixels (12rem)


@pytest.fixture
def workspace(content):
    """The real content, an editor, an administrator, and assignments with attempts."""
    UserFactory(username="eddie", groups=[role(EDITORS)], is_staff=True)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    trainer = UserFactory(username="tara", groups=[role(TRAINERS)])
    learner = UserFactory(username="lena", first_name="Lena", last_name="Lindqvist")
    for quiz in Quiz.objects.filter(is_practice=False):
        assignment = make_assignment(
            quiz, users=[learner], trainer=trainer, note="Before your first shift, please."
        )
        services.start_assignment(assignment=assignment, user=learner)


def _log_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def _assert_no_sideways_page_scroll(page: Page, where: str) -> None:
    width = page.evaluate("window.innerWidth")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{where}: the page is {scroll_width}px wide in {width}px"


def _name(path: str, viewport: dict) -> str:
    return (
        "admin-"
        + path.strip("/").replace("/", "-").removeprefix("admin-")
        + (f"-{viewport['width']}")
    )


@SIZES
def test_the_lists_fit_the_window(live_server, workspace, browser, screenshot, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    for username, paths in (("eddie", EDITOR_LISTS), ("root", ADMIN_LISTS)):
        _log_in(page, live_server, username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            table = page.locator("#result_list")
            expect(table).to_be_visible()
            _assert_no_sideways_page_scroll(page, f"{path} at {viewport['width']}px")

            region = page.locator("#changelist-form .results")
            overflow = region.evaluate("region => region.scrollWidth - region.clientWidth")
            if viewport is DESKTOP:
                # At 1280px every column is on screen, none cut off at the region's edge.
                assert overflow <= 0, f"{path}: the table is {overflow}px too wide at 1280px"
            # The last column can be reached: the table scrolls inside its own region.
            last = table.locator("thead th").last
            last.scroll_into_view_if_needed()
            expect(last).to_be_in_viewport()
            _assert_no_sideways_page_scroll(page, f"{path} scrolled at {viewport['width']}px")
            # Scrolled to the last column, each row's name is still in view.
            expect(table.locator("tbody th").first).to_be_in_viewport()

            # Columns of sentences stay readable, not a word a line.
            for column in ("summary", "rule"):
                cells = table.locator(f"td.field-{column}")
                if cells.count():
                    width = cells.first.evaluate("cell => cell.getBoundingClientRect().width")
                    assert width >= READABLE, f"{path}: {column} is {width}px wide"
            screenshot(page, _name(path, viewport))
    context.close()


BAD_TERMS = (
    "slug,name,summary,body,status,replaced_by,steward\n"
    'buyer,Buyer,"Whoever decides on a purchase and pays.","Not a [[shopper]].",published,,\n'
    'user,User,"Uses it. Pays or not.","About users and [[nobody-here]].",published,,\n'
)


@SIZES
def test_import_row_errors_are_shown_on_the_page(
    live_server, workspace, browser, screenshot, viewport, tmp_path
):
    bad = tmp_path / "terms.csv"
    bad.write_text(BAD_TERMS, encoding="utf-8")
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    _log_in(page, live_server, "eddie")
    page.goto(f"{live_server.url}/admin/glossary/term/import/")
    _assert_no_sideways_page_scroll(page, "the import form")

    page.get_by_label("File to import").set_input_files(str(bad))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Some rows failed to validate")).to_be_visible()
    _assert_no_sideways_page_scroll(page, f"the import's errors at {viewport['width']}px")

    # The row's errors are text in the row's own line, visible without hovering anything.
    row = page.locator(".import-preview tbody tr", has=page.locator("th", has_text="2"))
    errors = row.locator(".import-preview__errors")
    errors.scroll_into_view_if_needed()
    expect(errors).to_be_visible()
    expect(errors).to_be_in_viewport()
    expect(errors).to_contain_text("summary:")
    expect(errors).to_contain_text("Write the summary as one sentence")
    expect(errors).to_contain_text("[[nobody-here]]")
    width = errors.evaluate("cell => cell.getBoundingClientRect().width")
    assert width >= READABLE, f"the errors are squeezed into {width}px"
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    screenshot(page, f"admin-import-errors-{viewport['width']}")
    context.close()


@SIZES
def test_a_change_form_and_its_history_fit_the_window(
    live_server, workspace, browser, screenshot, viewport
):
    term = Term.objects.get(slug="patron")
    scenario = Scenario.objects.order_by("title").first()
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    _log_in(page, live_server, "eddie")
    for path in (
        f"/admin/quiz/scenario/{scenario.pk}/change/",
        f"/admin/glossary/term/{term.pk}/history/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content-main")).to_be_visible()
        _assert_no_sideways_page_scroll(page, f"{path} at {viewport['width']}px")
        screenshot(page, _name(path, viewport))
    # The question is written in a text area; history times are to the second.
    page.goto(f"{live_server.url}/admin/quiz/scenario/{scenario.pk}/change/")
    expect(page.locator("textarea[name=question]")).to_have_value(scenario.question)
    page.goto(f"{live_server.url}/admin/glossary/term/{term.pk}/history/")
    expect(page.locator("#change-history time").first).to_have_text(
        re.compile(r"^\d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d$")
    )
    context.close()
