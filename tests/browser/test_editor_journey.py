"""An editor fixes a typo, previews it, publishes it, sees it live, then restores the earlier
version from history; the admin pages work under our Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import Page, expect

from glossary.models import Status
from quiz.models import Scenario
from quiz.roles import EDITORS
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, TermFactory, UserFactory
from tests.quiz.factories import ScenarioFactory, role

pytestmark = pytest.mark.django_db(transaction=True)

TYPO = "A shopper browses in a shop or online store, often befor buying anything."
FIXED = "A shopper browses in a shop or online store, often before buying anything."


@pytest.fixture
def workspace(transactional_db):
    customer = TermFactory(slug="customer", summary="Anyone who buys from a business.")
    client = TermFactory(slug="client", summary="Someone who pays for advice.")
    shopper = TermFactory(
        slug="shopper", summary=TYPO, body="Not yet a [[customer]].", status=Status.DRAFT
    )
    UserFactory(username="eddie", groups=[role(EDITORS)], is_staff=True)
    ScenarioFactory(
        slug="corner-shop", answer=customer, others=[client, shopper], status=Status.DRAFT
    )
    return shopper


def _watch_for_errors(page: Page) -> list[str]:
    """Console errors (CSP violations show up there) and failed requests."""
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and errors.append(f"{response.status} {response.url}")
        ),
    )
    return errors


def _log_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("heading", name="Terms, distinctions, scenarios and quizzes")
    ).to_be_visible()


def test_editor_fixes_previews_publishes_and_restores(live_server, workspace, browser, screenshot):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors = _watch_for_errors(page)
    _log_in(page, live_server)

    page.get_by_role("link", name="Terms", exact=True).click()
    page.get_by_role("link", name="Shopper", exact=True).click()
    summary = page.get_by_label("Summary")
    expect(summary).to_have_value(TYPO)
    summary.fill(FIXED)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Preview: the draft, rendered by the public template, for editors only.
    page.get_by_role("link", name="View on site").click()
    expect(page).to_have_url(f"{live_server.url}/preview/terms/shopper/")
    expect(page.get_by_role("complementary", name="Preview")).to_contain_text(
        "Preview — not published"
    )
    expect(page.locator(".term__summary")).to_have_text(FIXED)
    screenshot(page, "editor-preview-desktop")
    page.get_by_role("link", name="Back to editing").click()

    # Publish from the list, with the action.
    page.get_by_role("link", name="Terms", exact=True).first.click()
    row = page.locator("#result_list tr", has_text="Shopper")
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Publish selected terms")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("1 term moved to published.")
    screenshot(page, "editor-term-list-desktop")

    public = context.new_page()
    public.goto(f"{live_server.url}/terms/shopper/")
    expect(public.locator(".term__summary")).to_have_text(FIXED)
    expect(public.locator(".preview-banner")).to_have_count(0)

    # History: compare the first and the latest version, then restore the first.
    page.get_by_role("link", name="Shopper", exact=True).click()
    page.get_by_role("link", name="History").click()
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(3)  # created, typo fixed, published
    rows.last.get_by_label(re.compile("Compare from")).check()
    rows.first.get_by_label(re.compile("Compare to")).check()
    page.get_by_role("button", name="Compare selected versions").click()
    expect(page.locator(".version-diff__changed", has_text="Summary")).to_contain_text("before")
    expect(page.locator(".version-diff ins", has_text="before")).to_be_visible()
    screenshot(page, "editor-compare-desktop")
    page.get_by_role("link", name="Back to history").click()
    page.locator("#change-history tbody tr").last.get_by_role(
        "button", name="Restore this version"
    ).click()
    expect(page.locator(".messagelist")).to_contain_text("as a new version")
    expect(page.locator("#change-history tbody tr")).to_have_count(4)
    screenshot(page, "editor-history-desktop")

    public.reload()
    expect(public.locator(".term__summary")).to_have_text(TYPO)
    assert errors == [], errors
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/glossary/term/",
        "/admin/glossary/term/{pk}/change/",
        "/admin/glossary/term/import/",
        "/admin/glossary/term/export/",
        "/admin/quiz/scenario/",
        "/admin/quiz/scenario/{scenario}/change/",
        "/admin/quiz/quiz/add/",
        "/preview/terms/shopper/",
        "/preview/scenarios/corner-shop/",
    ],
)
def test_admin_pages_render_on_a_phone_without_csp_errors(
    live_server, workspace, browser, screenshot, path
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = _watch_for_errors(page)
    _log_in(page, live_server)
    scenario = Scenario.objects.get(slug="corner-shop").pk
    page.goto(f"{live_server.url}{path.format(pk=workspace.pk, scenario=scenario)}")
    expect(page.locator("#content, main").first).to_be_visible()
    name = re.sub(r"[^a-z]+", "-", re.sub(r"\{\w+\}", "", path)).strip("-")
    screenshot(page, f"editor-{name}-phone")
    assert errors == [], errors
    context.close()


def test_editor_imports_terms_with_a_dry_run_first(live_server, workspace, browser, tmp_path):
    good = tmp_path / "terms.csv"
    good.write_text(
        "slug,name,summary,body,status,replaced_by,steward\n"
        'buyer,Buyer,"Whoever decides on a purchase and pays.","Not a [[shopper]].",draft,,\n',
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        good.read_text(encoding="utf-8")
        + 'user,User,"Uses it. Pays or not.","About users.",draft,,\n',
        encoding="utf-8",
    )
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors = _watch_for_errors(page)
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/glossary/term/import/")

    page.get_by_label("File to import").set_input_files(str(bad))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Some rows failed to validate")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)

    page.get_by_label("File to import").set_input_files(str(good))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator(".import-preview")).to_contain_text("New")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("1 new")
    expect(page.locator("#result_list")).to_contain_text("Buyer")
    assert errors == [], errors
    context.close()
