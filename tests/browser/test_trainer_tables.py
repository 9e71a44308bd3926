"""The learners' and trainers' tables on a phone and on a desktop: nothing wider than the
screen (a table either stacks its rows or sits in a scroll region of its own), and no axe
violations, on /me/, /trainer/, the reports and the drill-down pages. Also where each role
lands after logging in."""

import random
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, Page, expect

from quiz import services
from quiz.models import Assignment, Attempt, Quiz
from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.factories import UserFactory
from tests.quiz.factories import role

pytestmark = pytest.mark.django_db(transaction=True)

# Anything wider than the screen, outside a scroll region of its own.
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.closest('[role=region][tabindex="0"]'))
  .map(e => e.tagName + '.' + e.className)"""


@pytest.fixture
def results(content):
    """A trainer; Front desk (Lena Okafor, Luis Moreno, Mira Shah) assigned "Client or
    customer?"; Lena finished it twice, Luis once, Mira not at all."""
    trainer = UserFactory(
        username="tara", groups=[role("Trainers")], first_name="Tara", last_name="Trainer"
    )
    team = Group.objects.create(name="Front desk")
    people = [
        UserFactory(username=username, groups=[team], first_name=first, last_name=last)
        for username, first, last in [
            ("lena", "Lena", "Okafor"),
            ("luis", "Luis", "Moreno"),
            ("mira", "Mira", "Shah"),
        ]
    ]
    quiz = Quiz.objects.get(slug="client-or-customer")
    assignment = services.save_assignment(
        trainer=trainer,
        quiz=quiz,
        users=[],
        groups=[team],
        due_date=Assignment._meta.get_field("due_date").to_python("2099-12-31"),
        note="Before Friday’s team meeting, please.",
    )
    rng = random.Random(14)
    for learner, times in ((people[0], 2), (people[1], 1)):
        for _ in range(times):
            attempt, _ = services.start_assignment(assignment=assignment, user=learner)
            for question in attempt.questions.all():
                choice = rng.choice(question.asked.choices)
                services.answer_question(attempt=attempt, question=question, choice=choice.pk)
    return {"trainer": trainer, "learner": people[0], "assignment": assignment, "quiz": quiz}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_tables_fit_the_screen_and_pass_axe(
    live_server, results, browser: Browser, assert_accessible, screenshot, size
):
    viewport = DESKTOP if size == "desktop" else PHONE

    def check(page: Page, name: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(WIDE)
        assert width <= viewport["width"], f"{name} scrolls sideways at {size} size: {wide}"
        assert not wide, f"{name} has content wider than the screen at {size} size: {wide}"
        assert_accessible(page)
        screenshot(page, f"{name}-{size}")

    # Each lands where their work is.
    learner = log_in(browser, live_server, "lena", viewport)
    expect(learner).to_have_url(f"{live_server.url}/me/")
    check(learner, "tables-learner-me")

    trainer = log_in(browser, live_server, "tara", viewport)
    expect(trainer).to_have_url(f"{live_server.url}/trainer/")
    check(trainer, "tables-trainer-index")

    assignment = results["assignment"]
    trainer.get_by_role("link", name="Client or customer?").first.click()
    expect(trainer.get_by_role("heading", level=1)).to_contain_text("Client or customer?")
    check(trainer, "tables-assignment-report")

    trainer.get_by_role("link", name="Lena Okafor").click()
    expect(trainer.get_by_role("heading", name="Attempt 2")).to_be_visible()
    expect(trainer.get_by_role("heading", name="Attempt 1")).to_be_visible()
    check(trainer, "tables-assignment-learner")

    trainer.locator("section.attempt-detail").first.get_by_role("link").first.click()
    expect(trainer.get_by_role("heading", level=1)).to_contain_text("as Lena Okafor saw it")
    check(trainer, "tables-asked-question")

    trainer.goto(f"{live_server.url}{assignment.get_absolute_url()}")
    trainer.locator("#questions-caption + thead + tbody a").first.click()
    expect(trainer.get_by_role("heading", name="What people picked")).to_be_visible()
    check(trainer, "tables-report-question")

    trainer.goto(f"{live_server.url}/trainer/quizzes/client-or-customer/")
    check(trainer, "tables-quiz-report")
    trainer.get_by_role("link", name="Luis Moreno").click()
    expect(trainer.get_by_role("heading", name="Attempt 1")).to_be_visible()
    check(trainer, "tables-quiz-learner")


def test_a_phone_table_reads_as_labelled_rows(live_server, results, browser: Browser):
    """At 375 px each row of a stacked table shows its cells under their column's name."""
    trainer = log_in(browser, live_server, "tara", PHONE)
    attempt = Attempt.objects.filter(user=results["learner"]).latest("started")
    trainer.goto(
        f"{live_server.url}/trainer/assignments/{results['assignment'].pk}"
        f"/learners/{results['learner'].pk}/"
    )
    cell = trainer.locator("td[data-label=Picked]").first
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Picked"'
    assert trainer.locator("table thead").first.evaluate("e => e.offsetHeight") <= 1
    # Every labelled cell, the last row's too, leaves room for its label.
    room = trainer.evaluate(
        "[...document.querySelectorAll('td[data-label]')]"
        ".map(e => parseFloat(getComputedStyle(e).paddingLeft))"
    )
    assert room and min(room) >= 100
    assert (
        attempt.questions.count()
        == trainer.locator("section.attempt-detail").first.locator("tbody tr").count()
    )
    # The report's learners can still be sorted on a phone: its headings are a row of links.
    trainer.goto(f"{live_server.url}/trainer/assignments/{results['assignment'].pk}/")
    sort = trainer.get_by_role("link", name="Best score")
    expect(sort).to_be_visible()
    sort.click()
    expect(trainer).to_have_url(re.compile(r"sort=score"))


def test_assigning_a_quiz_again_warns_in_the_browser(
    live_server, results, browser: Browser, assert_accessible
):
    trainer = log_in(browser, live_server, "tara", PHONE)
    trainer.goto(f"{live_server.url}/trainer/assignments/new/")
    trainer.get_by_label("Quiz").select_option(label="Client or customer?")
    trainer.get_by_label("Front desk (3 members)").check()
    trainer.get_by_label("Due date").fill("2099-06-30")
    trainer.get_by_role("button", name="Assign quiz").click()
    expect(trainer.get_by_role("heading", name="Already assigned")).to_be_visible()
    assert trainer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(trainer)
    trainer.get_by_label(re.compile("Yes, assign it again")).check()
    trainer.get_by_role("button", name="Assign quiz").click()
    expect(trainer.get_by_text("Assigned “Client or customer?”.")).to_be_visible()
    assert Assignment.objects.count() == 2
