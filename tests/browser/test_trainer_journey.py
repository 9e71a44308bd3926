import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from quiz.models import Choice
from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.factories import UserFactory
from tests.quiz.factories import role

pytestmark = pytest.mark.django_db(transaction=True)

RIGHT_ANSWERS = 7  # of 10: exactly the quiz's 70% pass mark


@pytest.fixture
def people(content):
    trainer = UserFactory(
        username="tara", groups=[role("Trainers")], first_name="Tara", last_name="Trainer"
    )
    front_desk = Group.objects.create(name="Front desk")
    learner = UserFactory(
        username="lena", groups=[front_desk], first_name="Lena", last_name="Okafor"
    )
    UserFactory(username="luis", groups=[front_desk])
    UserFactory(username="olga")  # not in the group
    return {"trainer": trainer, "learner": learner}


def _htmx_settled(page: Page) -> None:
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    expect(busy).to_have_count(0)


def _assign_to_front_desk(page: Page, live_server) -> str:
    page.get_by_role("link", name="Trainer").click()
    expect(page.get_by_role("heading", name="Assignments")).to_be_visible()
    page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Quiz").select_option(label="Client or customer?")
    page.get_by_label("Front desk (2 members)").check()
    due = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Note for learners").fill("Before Friday’s team meeting, please.")
    page.get_by_role("button", name="Assign quiz").click()
    expect(page.get_by_text("Assigned “Client or customer?”.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Client or customer?")
    return page.url


def test_trainer_assigns_learner_completes_and_report_shows_the_score(
    live_server, people, browser: Browser, screenshot
):
    trainer = log_in(browser, live_server, "tara")
    # A due date in the past is refused inline first.
    trainer.goto(f"{live_server.url}/trainer/assignments/new/")
    trainer.get_by_label("Due date").fill("2020-01-01")
    trainer.get_by_role("button", name="Assign quiz").click()
    expect(trainer.get_by_text("The due date cannot be in the past.")).to_be_visible()
    report_url = _assign_to_front_desk(trainer, live_server)
    lena_row = trainer.get_by_role("row", name=re.compile("Lena Okafor"))
    expect(lena_row).to_contain_text("Not started")

    learner = log_in(browser, live_server, "lena", viewport=PHONE)
    learner.goto(f"{live_server.url}/")
    assignments = learner.locator(".home-assignments")
    expect(assignments).to_contain_text("Client or customer?")
    expect(assignments).to_contain_text("Before Friday’s team meeting, please.")
    screenshot(learner, "learner-home-assignment-phone")
    assignments.get_by_role("button", name="Start Client or customer?").click()
    for number in range(1, 11):
        expect(learner.get_by_text(f"Question {number} of 10")).to_be_visible()
        _htmx_settled(learner)
        title = learner.locator("#scenario-title").inner_text()
        right = Choice.objects.get(scenario__title=title, is_correct=True).term.name
        buttons = learner.locator(".choice")
        if number <= RIGHT_ANSWERS:
            buttons.filter(has_text=right).click()
        else:
            buttons.filter(has_not_text=right).first.click()
        expect(learner.locator(".feedback")).to_be_visible()
        _htmx_settled(learner)
        link = "See your results" if number == 10 else "Next question"
        learner.get_by_role("link", name=link).click()
    expect(learner.get_by_text("7 of 10")).to_be_visible()
    expect(learner.get_by_text("counts towards your assignment")).to_be_visible()
    learner.get_by_role("link", name="My learning").first.click()
    expect(learner.locator(".assignment-card")).to_contain_text("Passed")
    expect(learner.locator(".assignment-card")).to_contain_text("best score 70%")

    trainer.goto(report_url)
    lena_row = trainer.get_by_role("row", name=re.compile("Lena Okafor"))
    expect(lena_row).to_contain_text("Passed")
    expect(lena_row).to_contain_text("70%")
    expect(trainer.get_by_role("row", name=re.compile("luis"))).to_contain_text("Not started")
    # Sorting by best score swaps the table in place with htmx.
    trainer.get_by_role("link", name="Best score").click()
    _htmx_settled(trainer)
    expect(trainer).to_have_url(re.compile(r"sort=score"))
    trainer.get_by_role("link", name=re.compile("Best score")).click()
    _htmx_settled(trainer)
    expect(trainer).to_have_url(re.compile(r"sort=score&order=desc"))
    expect(trainer.locator("#learners tbody tr").first).to_contain_text("Lena Okafor")
    screenshot(trainer, "trainer-report-desktop")
    with trainer.expect_download() as download:
        trainer.get_by_role("link", name="learners", exact=True).click()
    content = download.value.path().read_bytes()
    assert content.startswith("\ufeff".encode())  # a byte order mark, for spreadsheets
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("username,name,status,best_score_percent")
    assert "lena,Lena Okafor,Passed,70,1," in lines[1]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_trainer_and_learner_pages_fit_and_pass_axe(
    live_server, people, browser: Browser, assert_accessible, screenshot, size
):
    viewport = DESKTOP if size == "desktop" else PHONE
    trainer = log_in(browser, live_server, "tara", viewport=viewport)
    report_url = _assign_to_front_desk(trainer, live_server)

    def check(page: Page, name: str) -> None:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".filter(e => !e.closest('.table-wrap'))"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {size} size: {wide}"
        assert_accessible(page)
        screenshot(page, f"{name}-{size}")

    learner = log_in(browser, live_server, "lena", viewport=viewport)
    learner.goto(f"{live_server.url}/me/")
    learner.get_by_role("button", name="Start Client or customer?").click()
    for _ in range(10):
        _htmx_settled(learner)
        learner.locator(".choice").first.click()
        expect(learner.locator(".feedback")).to_be_visible()
        _htmx_settled(learner)
        learner.locator("[data-next]").click()
    learner.goto(f"{live_server.url}/me/")
    check(learner, "learner-me")
    trainer.goto(report_url)
    check(trainer, "trainer-report")
    trainer.goto(f"{live_server.url}/trainer/")
    check(trainer, "trainer-index")
    trainer.goto(f"{live_server.url}/trainer/assignments/new/")
    check(trainer, "trainer-new-assignment")
