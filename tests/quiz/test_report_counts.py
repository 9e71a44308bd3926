"""A quiz report's counts and its statistics tell the same story: visitors' attempts are
counted and said, and no index is shown from too few answers."""

import random

import pytest

from quiz import reports, services
from quiz.models import Attempt, QuizTally
from tests.quiz.factories import make_finished_attempt

pytestmark = pytest.mark.django_db


def visitor_attempt(quiz, session_key, *, right, finish=True):
    """A visitor's attempt, answering right the scenarios in `right` and wrong the others."""
    attempt = services.start_attempt(quiz=quiz, session_key=session_key, rng=random.Random(1))
    questions = list(attempt.questions.select_related("scenario"))
    for question in questions if finish else questions[:1]:
        scenario = question.scenario
        choice = scenario.choices.filter(is_correct=scenario in right).first()
        services.answer_question(attempt=attempt, question=question, choice=choice.pk)
    return attempt


def test_attempt_counts_tell_learners_visitors_and_finished_attempts(training):
    practice, everything = training.practice, training.scenarios
    visitor_attempt(practice, "session-a", right=everything)
    visitor_attempt(practice, "session-a", right=[])
    visitor_attempt(practice, "session-b", right=everything)
    visitor_attempt(practice, "session-c", right=[], finish=False)
    make_finished_attempt(training.learners[0], practice, {})  # started, nothing answered
    counts = reports.attempt_counts(Attempt.objects.filter(quiz=practice))
    assert counts == reports.AttemptCounts(
        learners=1, visitors=3, finished_by_learners=0, finished_by_visitors=3
    )
    assert counts.finished == 3


def test_a_practice_report_says_how_many_visitors_its_statistics_come_from(
    trainer_client, training
):
    for n in range(3):
        visitor_attempt(training.practice, f"session-{n}", right=training.scenarios[:n])
    page = trainer_client.get("/trainer/quizzes/practice/").content.decode()
    assert '0</span> <span class="stat__label">learners' in page
    assert '3</span> <span class="stat__label">visitors (not signed in)' in page
    assert "over 3 finished attempts: 0 by signed-in learners and 3 by 3 visitors" in page
    assert "Visitors have: their answers count in the questions" in page
    assert "pass rate and scores are the signed-in learners'; visitors count" in page
    assert "Over the same 3 finished attempts." in page


def test_an_assignment_report_counts_its_finished_attempts_and_no_visitors(
    trainer_client, training
):
    right = {s: s.choices.get(is_correct=True).term for s in training.scenarios}
    make_finished_attempt(training.learners[0], training.fixed, right, training.assignment)
    visitor_attempt(training.practice, "elsewhere", right=[])
    page = trainer_client.get(f"/trainer/assignments/{training.assignment.pk}/").content.decode()
    assert "over 1 finished attempt of the current assignees." in page
    assert "visitor" not in page


def test_no_discrimination_index_from_two_answers(trainer_client, training):
    lawyer = training.scenarios[0]
    others = training.scenarios[1:]
    # Right on the lawyer and wrong on the rest, then the other way round: r = -1 exactly.
    visitor_attempt(training.practice, "one", right=[lawyer])
    visitor_attempt(training.practice, "two", right=others)
    statistics = reports.scenario_statistics(QuizTally.objects.filter(quiz=training.practice))
    assert statistics[lawyer.pk].answers == 2
    assert statistics[lawyer.pk].discrimination is None
    assert not statistics[lawyer.pk].enough_answers and statistics[lawyer.pk].flags == []
    page = trainer_client.get("/trainer/quizzes/practice/").content.decode()
    assert "-1.00" not in page and "−1.00" not in page
    assert page.count("not enough answers yet") == 3
    assert f"once it has {reports.MIN_ANSWERS} answers" in page


def test_the_index_and_flags_show_from_the_minimum_number_of_answers(trainer_client, training):
    lawyer = training.scenarios[0]
    for n in range(reports.MIN_ANSWERS):
        # Lawyer right with the rest, or wrong with the rest: it tells strong from weak.
        visitor_attempt(training.practice, f"s{n}", right=training.scenarios if n % 2 else [])
    statistics = reports.scenario_statistics(QuizTally.objects.filter(quiz=training.practice))
    assert statistics[lawyer.pk].answers == reports.MIN_ANSWERS
    assert statistics[lawyer.pk].discrimination == pytest.approx(1.0)
    page = trainer_client.get("/trainer/quizzes/practice/").content.decode()
    assert "not enough answers yet" not in page and "1.00" in page


def test_a_practice_report_runs_a_fixed_number_of_queries(
    trainer_client, training, django_assert_max_num_queries
):
    visitor_attempt(training.practice, "first", right=[])
    make_finished_attempt(training.learners[0], training.practice, {})
    with django_assert_max_num_queries(12):
        assert trainer_client.get("/trainer/quizzes/practice/").status_code == 200
    for n in range(15):
        visitor_attempt(training.practice, f"more-{n}", right=training.scenarios[: n % 4])
        make_finished_attempt(training.learners[n % 3], training.practice, {})
    with django_assert_max_num_queries(12):
        assert trainer_client.get("/trainer/quizzes/practice/").status_code == 200
