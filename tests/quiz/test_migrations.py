"""Attempts made before answers were recorded as asked get a record from the content as it
stands, keep the grade they got, and a race's second open attempt stops counting toward the
assignment (migrations 0008-0010); the reports' tallies start from the finished attempts
there are (0012)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("quiz", "0007_trainer_assignments_given"), ("glossary", "0002_lifecycle_history")]
AFTER = [("quiz", "0010_one_open_attempt_per_assignment")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_earlier_attempts_get_their_records(old_apps):
    Term = old_apps.get_model("glossary", "Term")
    Scenario = old_apps.get_model("quiz", "Scenario")
    Choice = old_apps.get_model("quiz", "Choice")
    Quiz = old_apps.get_model("quiz", "Quiz")
    Assignment = old_apps.get_model("quiz", "Assignment")
    Attempt = old_apps.get_model("quiz", "Attempt")
    AttemptQuestion = old_apps.get_model("quiz", "AttemptQuestion")
    Response = old_apps.get_model("quiz", "Response")
    User = old_apps.get_model("auth", "User")

    client, customer = (
        Term.objects.create(slug=slug, name=slug.title(), summary="s", body="b")
        for slug in ("client", "customer")
    )
    scenario = Scenario.objects.create(
        slug="lawyer", title="At the lawyer's", situation="S", question="Q?", explanation="E"
    )
    right = Choice.objects.create(scenario=scenario, term=client, is_correct=True, feedback="R")
    wrong = Choice.objects.create(scenario=scenario, term=customer, feedback="W", position=1)
    quiz = Quiz.objects.create(slug="q", title="Q")
    learner = User.objects.create(username="lee")
    assignment = Assignment.objects.create(quiz=quiz, due_date=datetime.date(2030, 1, 1))
    first, second = (
        Attempt.objects.create(quiz=quiz, user=learner, assignment=assignment, total=1)
        for _ in range(2)
    )
    for attempt in (first, second):
        AttemptQuestion.objects.create(attempt=attempt, scenario=scenario, position=1)
    Response.objects.create(attempt=second, scenario=scenario, choice=wrong, is_correct=False)
    # A draft mid-edit with no right answer now: the one graded right then is taken.
    draft = Scenario.objects.create(
        slug="draft", title="D", situation="S", question="Q?", explanation="E", status="draft"
    )
    graded = Choice.objects.create(scenario=draft, term=client, feedback="was right")
    Choice.objects.create(scenario=draft, term=customer, feedback="W", position=1)
    done = Attempt.objects.create(quiz=quiz, user=learner, total=1, score=1)
    AttemptQuestion.objects.create(attempt=done, scenario=draft, position=1)
    Response.objects.create(attempt=done, scenario=draft, choice=graded, is_correct=True)

    apps = _migrate(AFTER)
    AttemptQuestion = apps.get_model("quiz", "AttemptQuestion")
    Response = apps.get_model("quiz", "Response")
    Attempt = apps.get_model("quiz", "Attempt")

    record = AttemptQuestion.objects.get(attempt_id=second.pk).record
    assert record["title"] == "At the lawyer's"
    assert [(c["id"], c["name"], c["correct"]) for c in record["choices"]] == [
        (right.pk, "Client", True),
        (wrong.pk, "Customer", False),
    ]
    record = AttemptQuestion.objects.get(attempt_id=done.pk).record
    assert [c["correct"] for c in record["choices"]] == [True, False]
    response = Response.objects.get(attempt_id=second.pk)
    assert (response.chosen, response.term_id, response.correct_term_id) == (
        wrong.pk,
        customer.pk,
        client.pk,
    )
    assert not response.is_correct
    # The attempt with an answer keeps counting; the empty twin becomes a plain attempt.
    assert Attempt.objects.get(pk=second.pk).assignment_id == assignment.pk
    assert Attempt.objects.get(pk=first.pk).assignment_id is None


@pytest.fixture
def before_tallies():
    apps = _migrate([("quiz", "0012_tallies")])
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_tallies_start_from_the_finished_attempts_made_so_far(before_tallies):
    from tests.factories import TermFactory
    from tests.quiz.factories import recounted_tallies, stored_tallies

    apps = before_tallies
    Scenario = apps.get_model("quiz", "Scenario")
    Quiz = apps.get_model("quiz", "Quiz")
    Assignment = apps.get_model("quiz", "Assignment")
    Attempt = apps.get_model("quiz", "Attempt")
    Response = apps.get_model("quiz", "Response")
    User = apps.get_model("auth", "User")
    # The glossary's tables are as they are now (only the quiz went back): its own models.
    client, customer = (TermFactory(slug=slug).pk for slug in ("client", "customer"))
    scenarios = [
        Scenario.objects.create(
            slug=slug, title=slug, situation="S", question="Q?", explanation="E"
        )
        for slug in ("lawyer", "shop")
    ]
    quiz = Quiz.objects.create(slug="q", title="Q")
    learner = User.objects.create(username="lee")
    assignment = Assignment.objects.create(quiz=quiz, due_date=datetime.date(2030, 1, 1))
    finished = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    attempts = [
        Attempt.objects.create(quiz=quiz, user=learner, assignment=assignment, total=2, score=1),
        Attempt.objects.create(quiz=quiz, session_key="visitor", total=2, score=2),
        Attempt.objects.create(quiz=quiz, user=learner, total=2, score=0),  # unfinished
    ]
    Attempt.objects.filter(pk__in=[a.pk for a in attempts[:2]]).update(finished=finished)
    picks = [(client, client, True), (customer, None, False)]  # a deleted term: no term
    for attempt in attempts:
        for scenario, (correct, term, right) in zip(scenarios, picks, strict=True):
            right = right or attempt.score == 2
            Response.objects.create(
                attempt=attempt,
                scenario=scenario,
                chosen=1,
                term_id=correct if right else term,
                correct_term_id=correct,
                is_correct=right,
            )

    _migrate([("quiz", "0013_fill_tallies")])

    quizzes, assignments = stored_tallies()
    assert (quizzes, assignments) == recounted_tallies()
    assert sum(answers for answers, _, _ in quizzes.values()) == 4
    assert sum(answers for answers, _, _ in assignments.values()) == 2
    assert quizzes[(quiz.pk, scenarios[1].pk, customer, 0, False)] == (1, 1, 1)  # no term
    _migrate([("quiz", "0012_tallies")])
    assert stored_tallies() == ({}, {})
