"""A learner's side of assignments: the home page, /me/, starting and finishing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quiz import services
from quiz.models import Assignment, Attempt
from tests.quiz.factories import make_assignment, make_finished_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada_client(training):
    client = Client()
    client.force_login(training.learners[0])
    return client


def _all_right(setup):
    return {scenario: scenario.choices.get(is_correct=True).term for scenario in setup.scenarios}


def test_home_page_shows_a_learner_their_open_assignments_first(ada_client, training):
    html = ada_client.get("/").content.decode()
    assert "Your open assignments" in html
    assert html.index("Your open assignments") < html.index("which word fits?")
    assert f'action="/me/assignments/{training.assignment.pk}/start/"' in html


def test_home_page_leaves_out_passed_assignments_and_visitors_see_none(ada_client, training):
    ada = training.learners[0]
    make_finished_attempt(ada, training.fixed, _all_right(training), assignment=training.assignment)
    assert "Your open assignments" not in ada_client.get("/").content.decode()
    assert "Your open assignments" not in Client().get("/").content.decode()


def test_me_lists_assignments_with_status_and_past_attempts(ada_client, training):
    ada = training.learners[0]
    make_finished_attempt(ada, training.fixed, _all_right(training), assignment=training.assignment)
    overdue = make_assignment(training.fixed, users=[ada], days=0)
    Assignment.objects.filter(pk=overdue.pk).update(due_date=overdue.due_date - timedelta(days=1))
    html = ada_client.get("/me/").content.decode()
    assert html.index("Overdue") < html.index("Passed")
    assert "best score <strong>100%</strong>" in html
    assert "Past attempts" in html and "3/3 (100%)" in html


def test_me_and_results_give_times_to_the_second(ada_client, training):
    ada = training.learners[0]
    attempt = make_finished_attempt(ada, training.fixed, _all_right(training))
    when = datetime(2026, 11, 26, 14, 5, 32, tzinfo=UTC)
    Attempt.objects.filter(pk=attempt.pk).update(finished=when)
    shown = '<time datetime="2026-11-26T14:05:32+00:00">26 Nov 2026, 14:05:32</time>'
    assert shown in ada_client.get("/me/").content.decode()
    assert shown in ada_client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()


def test_me_shows_a_failed_assignment_as_not_passed(ada_client, training):
    ada = training.learners[0]
    nothing_right = {
        scenario: scenario.choices.filter(is_correct=False).first().term
        for scenario in training.scenarios
    }
    make_finished_attempt(ada, training.fixed, nothing_right, assignment=training.assignment)
    html = ada_client.get("/me/").content.decode()
    assert '<span class="status status--failed">Not passed</span>' in html
    assert "Failed" not in html


def test_me_has_empty_states(training):
    client = Client()
    client.force_login(training.outsider)
    html = client.get("/me/").content.decode()
    assert "Nothing is assigned to you right now" in html
    assert "You haven’t finished a quiz yet" in html


def test_me_paginates_past_attempts(ada_client, training):
    ada = training.learners[0]
    for _ in range(21):
        make_finished_attempt(ada, training.fixed, _all_right(training))
    first = ada_client.get("/me/").content.decode()
    assert "Page 1 of 2" in first and first.count("3/3 (100%)") == 20
    assert 'href="?page=2"' in first
    assert ada_client.get("/me/?page=2").content.decode().count("3/3 (100%)") == 1


def _finished_attempts(user, count: int, training) -> None:
    """`count` finished attempts of `user`, newest first: for two assignments with their own
    pass marks, and practice."""
    second = make_assignment(training.fixed, users=[user])
    Assignment.objects.filter(pk=second.pk).update(pass_mark=90)
    assignments = [training.assignment, Assignment.objects.get(pk=second.pk), None]
    now = timezone.now()
    Attempt.objects.bulk_create(
        Attempt(
            user=user,
            quiz=assignment.quiz if assignment else training.practice,
            assignment=assignment,
            total=3,
            score=n % 4,
            finished=now - timedelta(minutes=n),
        )
        for n, assignment in enumerate(assignments[n % 3] for n in range(count))
    )


def _me_queries(client) -> list[int]:
    counts = []
    for url in ("/me/", "/me/?page=2"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_me_runs_as_many_queries_with_100_attempts_as_with_5(training):
    few, many = Client(), Client()
    few.force_login(training.learners[1])
    many.force_login(training.learners[2])
    _finished_attempts(training.learners[1], 5, training)
    _finished_attempts(training.learners[2], 100, training)
    assert _me_queries(many)[0] == _me_queries(few)[0]
    assert _me_queries(many) == [_me_queries(many)[0]] * 2
    html = many.get("/me/").content.decode()
    shown = Attempt.objects.past(training.learners[2])[:20]
    passed = '<td data-label="Result"><span class="status status--passed">Passed</span></td>'
    assert html.count(passed) == sum(attempt.passed for attempt in shown)
    assert html.count("Not passed") == sum(not attempt.passed for attempt in shown) > 0


def test_starting_an_assignment_counts_toward_it_and_a_double_submit_continues(
    ada_client, training
):
    assignment = training.assignment
    url = f"/me/assignments/{assignment.pk}/start/"
    first = ada_client.post(url)
    second = ada_client.post(url)
    attempt = Attempt.objects.get()
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"] == f"/quiz/attempts/{attempt.pk}/"
    assert attempt.assignment == assignment
    html = ada_client.get("/me/").content.decode()
    assert f'href="/quiz/attempts/{attempt.pk}/"' in html and "Continue" in html


def test_start_is_404_for_people_not_assigned_and_for_archived_assignments(training):
    assignment = training.assignment
    outsider = Client()
    outsider.force_login(training.outsider)
    assert outsider.post(f"/me/assignments/{assignment.pk}/start/").status_code == 404
    assert outsider.post("/me/assignments/999/start/").status_code == 404
    services.set_archived(assignment=assignment, archived=True)
    ada = Client()
    ada.force_login(training.learners[0])
    assert ada.post(f"/me/assignments/{assignment.pk}/start/").status_code == 404
    assert ada.get(f"/me/assignments/{assignment.pk}/start/").status_code == 405
    assert not Attempt.objects.exists()


def test_results_of_an_assigned_attempt_offer_to_try_the_assignment_again(ada_client, training):
    ada = training.learners[0]
    attempt = make_finished_attempt(
        ada, training.fixed, _all_right(training), assignment=training.assignment
    )
    html = ada_client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert "counts towards your assignment" in html
    assert f'action="/me/assignments/{training.assignment.pk}/start/"' in html


def test_a_learner_cannot_see_another_learners_attempt(training):
    ada, bob, _ = training.learners
    attempt = make_finished_attempt(bob, training.fixed, _all_right(training))
    client = Client()
    client.force_login(ada)
    assert client.get(f"/quiz/attempts/{attempt.pk}/results/").status_code == 404
