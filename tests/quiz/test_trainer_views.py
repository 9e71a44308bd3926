"""Trainers' pages: assignment forms, reports, sorting with htmx, CSV and query counts."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quiz.models import Assignment
from tests.factories import UserFactory
from tests.quiz.factories import make_finished_attempt

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _answers(setup, right):
    return {
        scenario: scenario.choices.filter(is_correct=index < right).first().term
        for index, scenario in enumerate(setup.scenarios)
    }


def _csv(response):
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # a byte order mark: spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _form(setup, **changes):
    data = {
        "quiz": setup.fixed.pk,
        "groups": [setup.team.pk],
        "users": [],
        "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "note": "Before the launch",
    }
    data.update(changes)
    return data


def test_trainer_creates_an_assignment(trainer_client, training):
    page = trainer_client.get("/trainer/assignments/new/")
    assert page.status_code == 200 and 'type="date"' in page.content.decode()
    response = trainer_client.post(
        "/trainer/assignments/new/",
        _form(
            training,
            users=[training.outsider.pk],
            pass_mark="85",
            # The team has the quiz open already (the fixture's): confirmed, it is assigned again.
            seen_duplicates=str(training.assignment.pk),
            assign_again="on",
        ),
    )
    assignment = Assignment.objects.latest("pk")
    assert response.status_code == 303
    assert response["Location"] == f"/trainer/assignments/{assignment.pk}/"
    assert assignment.trainer == training.trainer
    assert assignment.note == "Before the launch"
    assert assignment.pass_mark == 85
    assert set(assignment.assignees()) == {*training.learners, training.outsider}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_date": "2020-01-01"}, "The due date cannot be in the past."),
        ({"due_date": "not a date"}, "Enter a valid date."),
        ({"groups": [], "users": []}, "Choose at least one person or group."),
        ({"quiz": ""}, "This field is required."),
        ({"quiz": "999999"}, "Select a valid choice."),
        ({"pass_mark": "101"}, "Ensure this value is less than or equal to 100."),
        ({"pass_mark": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_invalid_assignment_shows_errors_inline_and_saves_nothing(
    trainer_client, training, changes, message
):
    response = trainer_client.post("/trainer/assignments/new/", _form(training, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Assignment.objects.count() == 1


def test_trainer_edits_an_assignment(trainer_client, training):
    assignment = training.assignment
    form = trainer_client.get(f"/trainer/assignments/{assignment.pk}/edit/").content.decode()
    assert f'value="{assignment.due_date.isoformat()}"' in form
    response = trainer_client.post(
        f"/trainer/assignments/{assignment.pk}/edit/",
        _form(training, groups=[], users=[training.outsider.pk], note="Changed"),
    )
    assert response.status_code == 303
    assignment.refresh_from_db()
    assert assignment.note == "Changed"
    assert list(assignment.assignees()) == [training.outsider]


def test_archive_and_restore(trainer_client, training):
    assignment = training.assignment
    url = f"/trainer/assignments/{assignment.pk}/archive/"
    assert trainer_client.get(url).status_code == 405
    assert trainer_client.post(url, {"archive": "maybe"}).status_code == 400
    trainer_client.post(url, {"archive": "yes"})
    assignment.refresh_from_db()
    assert assignment.is_archived
    index = trainer_client.get("/trainer/").content.decode()
    assert "No active assignments yet" in index
    assert "Fixed" in trainer_client.get("/trainer/?show=archived").content.decode()
    trainer_client.post(url, {"archive": "no"})
    assignment.refresh_from_db()
    assert not assignment.is_archived


def test_unknown_assignment_is_404(trainer_client, training):
    for url in ["/trainer/assignments/999/", "/trainer/assignments/999/edit/"]:
        assert trainer_client.get(url).status_code == 404
    assert (
        trainer_client.post("/trainer/assignments/999/archive/", {"archive": "yes"}).status_code
        == 404
    )
    assert trainer_client.get("/trainer/quizzes/nope/").status_code == 404


def test_report_shows_each_learner_with_status_and_score(trainer_client, training):
    assignment = training.assignment
    ada, bob, _ = training.learners
    make_finished_attempt(ada, training.fixed, _answers(training, 3), assignment=assignment)
    make_finished_attempt(bob, training.fixed, _answers(training, 1), assignment=assignment)
    html = trainer_client.get(f"/trainer/assignments/{assignment.pk}/").content.decode()
    assert "Ada Lovelace" in html
    assert html.count("status--passed") == 1 and html.count("status--failed") == 1
    assert ">Not passed</span>" in html and "Failed" not in html  # the learners' word too
    # Last activity, to the second, as a machine-readable time.
    assert re.search(r'<time datetime="[0-9T:.+-]+">\d+ \w{3} \d{4}, \d\d:\d\d:\d\d</time>', html)
    assert "100%" in html and "33%" in html
    assert "67%" in html  # completion and average best score
    assert "Which terms get confused" in html
    # Client row: both answered the lawyer question right, so 2 on the diagonal.
    assert re.search(r'matrix__cell--right heat-4">2<span class="visually-hidden"> correct', html)
    assert "Each row is the correct answer" in html  # one word for it, as learners read it


def test_sorting_learners_with_htmx_returns_only_the_table(trainer_client, training):
    assignment = training.assignment
    ada, bob, _ = training.learners
    make_finished_attempt(bob, training.fixed, _answers(training, 3), assignment=assignment)
    make_finished_attempt(ada, training.fixed, _answers(training, 1), assignment=assignment)
    url = f"/trainer/assignments/{assignment.pk}/?sort=score&order=desc"
    response = trainer_client.get(url, **HTMX)
    html = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert html.lstrip().startswith('<div id="learners"')
    assert "<html" not in html and "Which terms get confused" not in html
    assert html.index("bob") < html.index("Ada Lovelace") < html.index(">cy<")
    assert 'aria-sort="descending"' in html
    # Clicking the active column again flips it; links keep working without htmx.
    assert 'href="?sort=score&amp;order=asc"' in html
    assert 'href="?sort=name&amp;order=asc"' in html
    full = trainer_client.get(url).content.decode()
    assert "<html" in full and full.index("bob") < full.index("Ada Lovelace")


def test_unknown_sort_falls_back_to_name(trainer_client, training):
    url = f"/trainer/assignments/{training.assignment.pk}/?sort=password&page=zzz"
    html = trainer_client.get(url, **HTMX).content.decode()
    assert html.index("Ada Lovelace") < html.index(">bob<") < html.index(">cy<")


def test_learners_csv(trainer_client, training):
    assignment = training.assignment
    ada = training.learners[0]
    attempt = make_finished_attempt(
        ada, training.fixed, _answers(training, 2), assignment=assignment
    )
    response = trainer_client.get(f"/trainer/assignments/{assignment.pk}/learners.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="fixed-{assignment.pk}-learners.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == [
        "username",
        "name",
        "status",
        "best_score_percent",
        "attempts",
        "last_activity",
    ]
    assert rows[1] == [
        "ada",
        "Ada Lovelace",
        "Passed",
        "67",
        "1",
        attempt.finished.isoformat(timespec="seconds"),
    ]
    assert rows[2] == ["bob", "", "Not started", "", "0", ""]
    assert len(rows) == 4


def test_responses_csv_has_one_row_per_response_with_iso_times(trainer_client, training):
    assignment = training.assignment
    lawyer = training.scenarios[0]
    ada = training.learners[0]
    ada.username = "adá"  # non-ASCII survives as UTF-8
    ada.save()
    attempt = make_finished_attempt(
        ada, training.fixed, _answers(training, 1), assignment=assignment
    )
    make_finished_attempt(ada, training.fixed, _answers(training, 3))  # not for the assignment
    rows = _csv(trainer_client.get(f"/trainer/assignments/{assignment.pk}/responses.csv"))
    assert rows[0][0] == "attempt_id" and rows[0][-1] == "answered"
    assert len(rows) == 1 + 3
    first = dict(zip(rows[0], rows[1], strict=True))
    response = attempt.responses.get(scenario=lawyer)
    assert first == {
        "attempt_id": str(attempt.pk),
        "username": "adá",
        "quiz": "fixed",
        "assignment_id": str(assignment.pk),
        "attempt_started": attempt.started.isoformat(timespec="seconds"),
        "attempt_finished": attempt.finished.isoformat(timespec="seconds"),
        "scenario": "lawyer",
        "scenario_title": "Situation lawyer",
        "chosen_term": "client",
        "correct_term": "client",
        "is_correct": "yes",
        "answered": response.answered.isoformat(timespec="seconds"),
    }
    assert [row[10] for row in rows[1:]] == ["yes", "no", "no"]


def test_quiz_report_covers_every_attempt_of_the_quiz(trainer_client, training):
    ada, bob, _ = training.learners
    make_finished_attempt(
        ada, training.fixed, _answers(training, 3), assignment=training.assignment
    )
    make_finished_attempt(bob, training.fixed, _answers(training, 0))
    html = trainer_client.get("/trainer/quizzes/fixed/").content.decode()
    assert "all attempts" in html and "Ada Lovelace" in html and ">bob<" in html
    assert ">cy<" not in html  # never attempted
    rows = _csv(trainer_client.get("/trainer/quizzes/fixed/responses.csv"))
    assert len(rows) == 1 + 6
    learners = _csv(trainer_client.get("/trainer/quizzes/fixed/learners.csv"))
    assert [row[2] for row in learners[1:]] == ["Passed", "Not passed"]


REPORT_URLS = [
    "/trainer/",
    "/trainer/assignments/{pk}/",
    "/trainer/assignments/{pk}/?sort=status",
    "/trainer/quizzes/fixed/",
    "/trainer/assignments/{pk}/learners.csv",
    "/trainer/assignments/{pk}/responses.csv",
]


def _query_counts(client, assignment):
    counts = []
    for url in REPORT_URLS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(pk=assignment.pk))
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(queries))
    return counts


def test_report_pages_run_a_fixed_number_of_queries(trainer_client, training):
    assignment = training.assignment
    make_finished_attempt(
        training.learners[0], training.fixed, _answers(training, 2), assignment=assignment
    )
    _query_counts(trainer_client, assignment)  # reads what is kept per content version
    few = _query_counts(trainer_client, assignment)
    for n in range(12):
        learner = UserFactory(username=f"many{n}", groups=[training.team])
        make_finished_attempt(
            learner, training.fixed, _answers(training, n % 4), assignment=assignment
        )
        make_finished_attempt(learner, training.fixed, _answers(training, 3))
    many = _query_counts(trainer_client, assignment)
    assert many == few
    assert max(many) <= 12, many


def test_an_assignment_whose_quiz_was_unpublished_can_still_be_edited(trainer_client, training):
    assignment = training.assignment
    quiz = training.fixed
    quiz.status = "draft"
    quiz.save()
    url = f"/trainer/assignments/{assignment.pk}/edit/"
    response = trainer_client.post(url, _form(training, note="Still on"))
    assert response.status_code == 303
    assignment.refresh_from_db()
    assert assignment.note == "Still on"
    new = trainer_client.post("/trainer/assignments/new/", _form(training))
    assert "Select a valid choice." in new.content.decode()


def test_learners_table_pages_work_with_and_without_htmx(trainer_client, training):
    for n in range(48):
        UserFactory(username=f"zed{n:02}", groups=[training.team])
    url = f"/trainer/assignments/{training.assignment.pk}/"
    first = trainer_client.get(url).content.decode()
    assert "Page 1 of 2" in first and 'aria-label="Learner pages"' in first
    assert "{#" not in first and "Page links" not in first  # template comments stay hidden
    assert '<a href="?page=2" rel="next" hx-get="?page=2" hx-target="#learners"' in first
    second = trainer_client.get(f"{url}?page=2", **HTMX).content.decode()
    assert second.lstrip().startswith('<div id="learners"') and "Page 2 of 2" in second
    assert ">zed47<" in second and ">zed46<" not in second
    assert 'href="?page=1" rel="prev"' in second


def _assignments(training, count: int, **fields) -> None:
    """`count` more assignments of the fixed quiz to the team, due after the fixture's."""
    today = timezone.localdate()
    made = Assignment.objects.bulk_create(
        Assignment(quiz=training.fixed, due_date=today + timedelta(days=8 + n), **fields)
        for n in range(count)
    )
    Assignment.groups.through.objects.bulk_create(
        Assignment.groups.through(assignment=assignment, group=training.team) for assignment in made
    )


def _rows_of(html: str) -> int:
    return html.count('<th scope="row">')


def test_index_shows_assignments_a_page_at_a_time_in_fixed_queries(trainer_client, training):
    make_finished_attempt(
        training.learners[0], training.fixed, _answers(training, 3), assignment=training.assignment
    )
    with CaptureQueriesContext(connection) as few:
        trainer_client.get("/trainer/")
    _assignments(training, 55)
    with CaptureQueriesContext(connection) as first_page:
        first = trainer_client.get("/trainer/").content.decode()
    with CaptureQueriesContext(connection) as second_page:
        second = trainer_client.get("/trainer/?page=2").content.decode()
    assert len(few) == len(first_page) == len(second_page)
    assert _rows_of(first) == 50 and _rows_of(second) == 6
    assert "Page 1 of 2" in first and 'aria-label="Assignment pages"' in first
    assert '<a href="?page=2" rel="next">' in first and "hx-get" not in first
    # Due soonest first: the fixture's assignment, with its one finished learner, leads.
    assert ">33% <span" in first and '<a href="?page=1" rel="prev">' in second
    assert trainer_client.get("/trainer/?page=99").content.decode().count("Page 2 of 2") == 1


def test_archived_assignments_page_keeps_the_tab(trainer_client, training):
    assert (
        "No archived assignments." in trainer_client.get("/trainer/?show=archived").content.decode()
    )
    _assignments(training, 51, archived=timezone.now())
    html = trainer_client.get("/trainer/?show=archived").content.decode()
    assert _rows_of(html) == 50
    assert '<a href="?show=archived&amp;page=2" rel="next">' in html


def test_index_counts_each_quizs_finished_attempts(trainer_client, training):
    ada, bob, _ = training.learners
    make_finished_attempt(ada, training.fixed, _answers(training, 3))
    make_finished_attempt(bob, training.fixed, _answers(training, 1))
    make_finished_attempt(bob, training.fixed, {})  # started, never finished
    html = trainer_client.get("/trainer/").content.decode()
    assert "· 2 finished attempts</span>" in html
    assert "· 0 finished attempts</span>" in html  # practice
