"""Requests at the same moment (two tabs, a double tap): answers to the same question keep
exactly one response and get the same feedback; starts of an assignment open one attempt."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.utils import timezone

from quiz import services
from quiz.models import Assignment, Attempt, Response
from tests.factories import UserFactory
from tests.quiz.factories import recounted_tallies, stored_tallies

FEEDBACK_TITLE = re.compile(r'class="feedback__title"[^>]*>(.*?)</h2>', re.S)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real concurrent writers (PostgreSQL)"
    ),
]


def test_concurrent_answers_keep_exactly_one_response(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    lawyer = quiz_setup.scenarios[0]
    question = attempt.questions.select_related("scenario").get(scenario=lawyer)
    right = lawyer.choices.get(is_correct=True)
    wrong = lawyer.choices.filter(is_correct=False).first()
    barrier = threading.Barrier(2)
    outcomes: list = []

    def answer(choice_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            result = services.answer_question(
                attempt=Attempt.objects.get(pk=attempt.pk), question=question, choice=choice_id
            )
            outcomes.append((result.response.pk, result.recorded))
        finally:
            close_old_connections()
            connection.close()

    for _round in range(5):
        Response.objects.all().delete()
        Attempt.objects.filter(pk=attempt.pk).update(score=0, finished=None)
        outcomes.clear()
        threads = [threading.Thread(target=answer, args=(c.pk,)) for c in (right, wrong)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert len(outcomes) == 2
        assert Response.objects.filter(attempt=attempt).count() == 1
        stored = Response.objects.get(attempt=attempt)
        assert {pk for pk, _ in outcomes} == {stored.pk}
        assert sorted(created for _, created in outcomes) == [False, True]
        attempt.refresh_from_db()
        assert attempt.score == (1 if stored.is_correct else 0)


def _at_once(calls: int, work) -> list:
    """Run `work(n)` in `calls` threads released at the same moment; their results."""
    barrier = threading.Barrier(calls)
    results: list = []

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work(n))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == calls
    return results


def test_the_same_answer_sent_twice_at_once_gets_the_same_feedback(quiz_setup):
    learner = UserFactory(username="lee")
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(learner)
    for _round in range(50):  # the race shows once in ten or so rounds
        attempt = services.start_attempt(quiz=quiz_setup.fixed, user=learner)
        first = attempt.questions.get(position=1).scenario
        choice = first.choices.filter(is_correct=False).first().pk
        url = f"/quiz/attempts/{attempt.pk}/questions/1/"

        data = {"choice": choice}
        pages = _at_once(
            2, lambda n, url=url, data=data: clients[n].post(url, data, HTTP_HX_REQUEST="true")
        )

        assert [page.status_code for page in pages] == [200, 200]
        headings = [FEEDBACK_TITLE.search(page.content.decode()).group(1) for page in pages]
        assert headings[0] == headings[1] and "Not quite" in headings[0]
        assert attempt.responses.count() == 1


def test_an_assignment_started_twice_at_once_opens_one_attempt(training):
    learner = training.learners[0]
    for _round in range(5):
        Attempt.objects.all().delete()

        started = _at_once(
            2,
            lambda n: services.start_assignment(assignment=training.assignment, user=learner),
        )

        assert Attempt.objects.filter(user=learner).count() == 1
        assert {attempt.pk for attempt, _ in started} == {Attempt.objects.get().pk}
        assert sorted(new for _, new in started) == [False, True]


def test_attempts_finished_at_once_are_all_counted_in_the_tallies(training):
    """Learners answer the last question of the assignment at the same moment, all with the
    same picks, so their finishes add to the same tally rows: eight that create the rows,
    then eight that add to them."""
    learners = [UserFactory(username=f"learner{n}", groups=[training.team]) for n in range(16)]
    last_questions = []
    for learner in learners:
        attempt = services.start_assignment(assignment=training.assignment, user=learner)[0]
        questions = list(attempt.questions.select_related("scenario"))
        for question in questions[:-1]:
            wrong = question.scenario.choices.filter(is_correct=False).first()
            services.answer_question(attempt=attempt, question=question, choice=wrong.pk)
        last_questions.append((attempt, questions[-1]))

    def finish(n: int) -> bool:
        attempt, question = last_questions[n]
        right = question.scenario.choices.get(is_correct=True)
        return services.answer_question(
            attempt=Attempt.objects.get(pk=attempt.pk), question=question, choice=right.pk
        ).attempt.is_finished

    for first in (0, 8):
        assert _at_once(8, lambda n, first=first: finish(first + n)) == [True] * 8
        quizzes, assignments = stored_tallies()
        assert (quizzes, assignments) == recounted_tallies()
        assert sum(answers for answers, _, _ in quizzes.values()) == (first + 8) * 3


def test_an_assignment_form_sent_twice_at_once_assigns_once(training):
    """A double click on "Assign quiz": both requests pass the form's check before either
    is saved, and the service's check, with the quiz locked, lets one through."""
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(training.trainer)
    data = {
        "quiz": training.fixed.pk,
        "users": [training.outsider.pk],
        "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }
    for _round in range(5):
        Assignment.objects.filter(users=training.outsider).delete()
        pages = _at_once(2, lambda n: clients[n].post("/trainer/assignments/new/", data))
        assert sorted(page.status_code for page in pages) == [200, 303]
        assert Assignment.objects.filter(users=training.outsider).count() == 1
