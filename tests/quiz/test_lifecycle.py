"""Only published scenarios reach the quizzes, and only while every term they offer is
published."""

import random

import pytest

from glossary.models import Status
from quiz.models import Scenario

pytestmark = pytest.mark.django_db

HIDDEN = [Status.DRAFT, Status.IN_REVIEW, Status.RETIRED]


def test_scenarios_offering_a_retired_term_leave_the_quizzes(quiz_setup, retired):
    lawyer = quiz_setup.scenarios[0]
    assert lawyer in Scenario.objects.published()
    lawyer.choices.filter(is_correct=False).first().delete()
    lawyer.choices.create(term=retired, feedback="Not a venue.", position=9)
    assert lawyer not in Scenario.objects.published()
    drawn = quiz_setup.practice.draw_scenarios(random.Random(1))
    assert lawyer not in drawn


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_scenarios_are_not_drawn_nor_tried(client, quiz_setup, status):
    lawyer = quiz_setup.scenarios[0]
    Scenario.objects.filter(pk=lawyer.pk).update(status=status)
    for seed in range(5):
        assert lawyer not in quiz_setup.fixed.draw_scenarios(random.Random(seed))
        assert lawyer not in quiz_setup.practice.draw_scenarios(random.Random(seed))
    assert client.get("/quiz/try/lawyer/").status_code == 404
