"""Report statistics on a small example worked out by hand."""

import math

import pytest

from quiz import reports
from quiz.models import QuizTally
from quiz.reports import confusion_matrix, scenario_statistics
from tests.factories import UserFactory
from tests.quiz.factories import answer, make_finished_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_attempts(quiz_setup):
    """Scores 3, 2, 1 and 0 out of 3 on the fixed quiz (lawyer → client,
    corner-shop → customer, birthday-cake → consumer)."""
    lawyer, shop, cake = quiz_setup.scenarios
    client_term, customer, consumer = quiz_setup.client, quiz_setup.customer, quiz_setup.consumer
    answers = {
        "ada": {lawyer: client_term, shop: customer, cake: consumer},
        "bob": {lawyer: client_term, shop: customer, cake: customer},
        "cy": {lawyer: client_term, shop: consumer, cake: customer},
        "di": {lawyer: customer, shop: client_term, cake: client_term},
    }
    for username, picks in answers.items():
        user = UserFactory(username=username)
        make_finished_attempt(user, quiz_setup.fixed, picks)
    return quiz_setup


def test_scenario_statistics_match_the_hand_computed_example(four_attempts, monkeypatch):
    monkeypatch.setattr(reports, "MIN_ANSWERS", 4)  # four answers are enough for this sum
    lawyer, shop, cake = four_attempts.scenarios
    stats = scenario_statistics(QuizTally.objects.all())
    # lawyer: right = 1,1,1,0; rest of quiz = 2,1,0,0 → r = 3 / √33
    assert stats[lawyer.pk].answers == 4
    assert stats[lawyer.pk].percent_correct == 75
    assert stats[lawyer.pk].discrimination == pytest.approx(3 / math.sqrt(33))
    assert stats[lawyer.pk].wrong_term_name == "Customer"
    # corner shop: right = 1,1,0,0; rest = 2,1,1,0 → r = 4 / √32
    assert stats[shop.pk].percent_correct == 50
    assert stats[shop.pk].discrimination == pytest.approx(4 / math.sqrt(32))
    # consumer chosen once and client once: ties go alphabetically
    assert (stats[shop.pk].wrong_term_name, stats[shop.pk].wrong_term_count) == ("Client", 1)
    # birthday cake: right = 1,0,0,0; rest = 2,2,1,0 → r = 3 / √33
    assert stats[cake.pk].percent_correct == 25
    assert stats[cake.pk].discrimination == pytest.approx(3 / math.sqrt(33))
    assert (stats[cake.pk].wrong_term_name, stats[cake.pk].wrong_term_count) == ("Customer", 2)


def test_confusion_matrix_counts_correct_term_against_chosen_term(four_attempts):
    matrix = confusion_matrix(QuizTally.objects.all())
    assert matrix.answers == matrix.terms == ["Client", "Consumer", "Customer"]
    counts = {
        correct: [(cell.chosen, cell.count, cell.heat) for cell in cells]
        for correct, cells in matrix.rows()
    }
    # Right answers sit on the diagonal, their heat against the largest right count (3);
    # confusions against the largest confusion (2).
    assert counts["Client"] == [("Client", 3, 4), ("Consumer", 0, 0), ("Customer", 1, 2)]
    assert counts["Consumer"] == [("Client", 1, 2), ("Consumer", 1, 2), ("Customer", 2, 4)]
    assert counts["Customer"] == [("Client", 1, 2), ("Consumer", 1, 2), ("Customer", 2, 3)]


def test_unfinished_attempts_are_left_out_of_statistics(four_attempts):
    lawyer = four_attempts.scenarios[0]
    user = UserFactory(username="eve")
    from quiz import services

    attempt = services.start_attempt(quiz=four_attempts.fixed, user=user)
    answer(attempt, lawyer, lawyer.choices.get(is_correct=False, position=0))
    assert scenario_statistics(QuizTally.objects.all())[lawyer.pk].answers == 4
    assert confusion_matrix(QuizTally.objects.all()).counts[("Client", "Client")] == 3
