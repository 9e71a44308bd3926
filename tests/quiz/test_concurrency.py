"""Two answers to the same question at the same moment: exactly one response row survives."""

import threading

import pytest
from django.db import close_old_connections, connection

from quiz import services
from quiz.models import Attempt, Response

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
