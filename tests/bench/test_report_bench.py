"""Benchmark: trainer reports over 2,000 learners and 200,000 responses.

Run with `make bench`; prints timings and query counts and asserts only that the pages
answer (tests/quiz/test_trainer_views.py checks that the query counts do not grow with the class).
"""

import random
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quiz import services
from quiz.models import AskedScenario, Attempt, AttemptQuestion, Response
from tests.factories import TermFactory, UserFactory
from tests.quiz.factories import QuizFactory, ScenarioFactory, make_assignment, role

LEARNERS = 2_000
QUESTIONS = 10
ATTEMPTS_EACH = 10  # 2,000 × 10 attempts × 10 questions = 200,000 responses
TERM_SLUGS = ["client", "customer", "consumer", "patron", "buyer", "shopper", "subscriber", "user"]


@pytest.fixture
def big_class(db):
    rng = random.Random(7)
    terms = [TermFactory(slug=slug) for slug in TERM_SLUGS]
    scenarios = []
    for n in range(QUESTIONS):
        answer = terms[n % len(terms)]
        others = rng.sample([t for t in terms if t != answer], 3)
        scenarios.append(ScenarioFactory(slug=f"scenario-{n}", answer=answer, others=others))
    quiz = QuizFactory(slug="big", scenarios=scenarios, pass_mark=70)
    choices = {s.pk: list(s.choices.all()) for s in scenarios}
    records = {s.pk: AskedScenario.of(s).to_record() for s in scenarios}
    correct_terms = {
        s.pk: next(c.term_id for c in s.choices.all() if c.is_correct) for s in scenarios
    }
    team = Group.objects.create(name="Everyone")
    User.objects.bulk_create(User(username=f"learner{n:04}") for n in range(LEARNERS))
    learners = list(User.objects.filter(username__startswith="learner"))
    team.user_set.add(*learners)
    assignment = make_assignment(quiz, groups=[team])
    now = timezone.now()
    Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            user=learner,
            assignment=assignment,
            total=QUESTIONS,
            finished=now - timedelta(minutes=n),
        )
        for learner in learners
        for n in range(ATTEMPTS_EACH)
    )
    attempts = list(Attempt.objects.filter(quiz=quiz).values_list("pk", flat=True))
    skill = {pk: rng.random() for pk in attempts}
    responses, questions, scores = [], [], {}
    for attempt_id in attempts:
        for position, scenario in enumerate(scenarios, start=1):
            right = rng.random() < 0.4 + 0.5 * skill[attempt_id]
            choice = next(c for c in choices[scenario.pk] if c.is_correct == right)
            questions.append(
                AttemptQuestion(
                    attempt_id=attempt_id,
                    scenario=scenario,
                    position=position,
                    record=records[scenario.pk],
                )
            )
            responses.append(
                Response(
                    attempt_id=attempt_id,
                    scenario=scenario,
                    chosen=choice.pk,
                    term_id=choice.term_id,
                    correct_term_id=correct_terms[scenario.pk],
                    is_correct=right,
                )
            )
            scores[attempt_id] = scores.get(attempt_id, 0) + right
    AttemptQuestion.objects.bulk_create(questions, batch_size=5000)
    Response.objects.bulk_create(responses, batch_size=5000)
    for attempt_id, score in scores.items():
        Attempt.objects.filter(pk=attempt_id).update(score=score)
    services.rebuild_tallies()  # the rows above bypass finish_attempt
    trainer = UserFactory(username="trainer", groups=[role("Trainers")])
    return {"assignment": assignment, "trainer": trainer}


def _time(client, url, repeat=3, **headers):
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        best = min(best, time.perf_counter() - started)
    return best * 1000, len(queries)


def test_report_timings(big_class):
    assert Response.objects.count() == LEARNERS * ATTEMPTS_EACH * QUESTIONS
    client = Client()
    client.force_login(big_class["trainer"])
    pk = big_class["assignment"].pk
    rows = [
        ("trainer index", "/trainer/", {}),
        ("assignment report", f"/trainer/assignments/{pk}/", {}),
        (
            "learners sorted (htmx)",
            f"/trainer/assignments/{pk}/?sort=score",
            {"HTTP_HX_REQUEST": "true"},
        ),
        ("quiz report", "/trainer/quizzes/big/", {}),
        ("learners CSV", f"/trainer/assignments/{pk}/learners.csv", {}),
        ("responses CSV (200k rows)", f"/trainer/assignments/{pk}/responses.csv", {}),
    ]
    print(f"\nReports over {LEARNERS} learners and {Response.objects.count()} responses:")
    for name, url, headers in rows:
        repeat = 1 if "CSV (200k" in name else 3
        ms, queries = _time(client, url, repeat=repeat, **headers)
        print(f"  {name:28} {ms:8.0f} ms  {queries:3} queries")
