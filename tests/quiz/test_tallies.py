"""The reports' tallies (docs/performance.md, "Report summaries") always equal a recount
from the responses of the finished attempts, whatever finishes or deletes an attempt, an
assignment, a learner or a term."""

import random

import pytest

from glossary.models import Status
from glossary.services import change_status, delete_term
from quiz import reports, services
from quiz.models import AssignmentTally, Attempt, QuizTally
from tests.factories import TermFactory
from tests.quiz.factories import (
    QuizFactory,
    ScenarioFactory,
    answer,
    make_finished_attempt,
    recounted_tallies,
    stored_tallies,
)

pytestmark = pytest.mark.django_db


def right_answers(training) -> dict:
    return {s: s.choices.get(is_correct=True).term for s in training.scenarios}


def some_wrong(training, wrong: int) -> dict:
    """Right answers, but the first `wrong` scenarios answered with a wrong term."""
    picks = right_answers(training)
    for scenario in training.scenarios[:wrong]:
        picks[scenario] = scenario.choices.filter(is_correct=False).first().term
    return picks


@pytest.fixture
def finished(training):
    """Each of the team finished the assignment once, with 3, 2 and 1 right, and a visitor
    finished the practice quiz."""
    for wrong, learner in enumerate(training.learners):
        make_finished_attempt(
            learner, training.fixed, some_wrong(training, wrong), training.assignment
        )
    visitor = services.start_attempt(
        quiz=training.practice, session_key="visitor", rng=random.Random(2)
    )
    for question in visitor.questions.select_related("scenario"):
        services.answer_question(
            attempt=visitor, question=question, choice=question.scenario.choices.first().pk
        )
    return training


def test_an_attempt_is_counted_when_it_finishes_and_once(training):
    ada = training.learners[0]
    attempt = services.start_assignment(assignment=training.assignment, user=ada)[0]
    lawyer, shop, cake = training.scenarios
    answer(attempt, lawyer, lawyer.choices.get(is_correct=True))
    answer(attempt, shop, shop.choices.get(is_correct=False, term=training.client))
    assert stored_tallies() == ({}, {})  # unfinished: counted nowhere yet

    answer(attempt, cake, cake.choices.get(is_correct=True))

    quizzes, assignments = stored_tallies()
    assert (quizzes, assignments) == recounted_tallies()
    fixed, assignment, ada_id = training.fixed.pk, training.assignment.pk, ada.pk
    # Right on the lawyer with 1 right elsewhere; wrong on the shop with 2 right elsewhere.
    assert quizzes[(fixed, lawyer.pk, training.client.pk, training.client.pk, True)] == (1, 1, 1)
    shop_key = (shop.pk, training.customer.pk, training.client.pk, False)
    assert quizzes[(fixed, *shop_key)] == (1, 2, 4)
    assert assignments[(assignment, ada_id, *shop_key)] == (1, 2, 4)
    services.finish_attempt(attempt=attempt)
    assert stored_tallies() == (quizzes, assignments)


def test_visitors_count_in_the_quiz_tally_only(finished):
    quizzes, assignments = stored_tallies()
    assert (quizzes, assignments) == recounted_tallies()
    assert sum(answers for answers, _, _ in quizzes.values()) == 9 + 3
    assert sum(answers for answers, _, _ in assignments.values()) == 9


def test_deleting_an_attempt_takes_its_answers_out(finished):
    bob = finished.learners[1]
    Attempt.objects.filter(user=bob).delete()
    assert stored_tallies() == recounted_tallies()
    assert not QuizTally.objects.filter(answers=0).exists()
    Attempt.objects.get(user=None).delete()  # the visitor's, one by one as the admin does
    assert stored_tallies() == recounted_tallies()


def test_deleting_a_learner_takes_their_attempts_out(finished):
    finished.learners[0].delete()
    assert stored_tallies() == recounted_tallies()
    assert not AssignmentTally.objects.filter(user=finished.learners[0].pk).exists()


def test_deleting_an_assignment_takes_its_tally_and_keeps_the_quizs(finished):
    before = stored_tallies()[0]
    finished.assignment.delete()
    assert stored_tallies() == (before, {}) == recounted_tallies()


def test_a_learner_who_leaves_the_group_drops_out_of_the_assignment_statistics(finished):
    assignment, bob = finished.assignment, finished.learners[1]
    lawyer = finished.scenarios[0]
    tallies = AssignmentTally.objects.counting_toward(assignment)
    assert reports.scenario_statistics(tallies)[lawyer.pk].answers == 3
    finished.team.user_set.remove(bob)
    assert reports.scenario_statistics(tallies)[lawyer.pk].answers == 2
    counted = Attempt.objects.counting_toward(assignment).filter(finished__isnull=False)
    assert counted.count() == 2
    assert stored_tallies() == recounted_tallies()  # kept: bob may be assigned again


def test_adopting_a_visitors_attempts_changes_no_tally(finished):
    before = stored_tallies()
    ada = finished.learners[0]
    services.start_attempt(quiz=finished.practice, user=ada)  # empty: dropped
    services.start_attempt(quiz=finished.practice, session_key="visitor")
    services.adopt_visitor_attempts(user=ada, session_key="visitor")
    assert stored_tallies() == before == recounted_tallies()


def test_a_deleted_term_is_counted_as_no_term(db):
    patron, buyer, shopper = (TermFactory(slug=slug) for slug in ("patron", "buyer", "shopper"))
    scenario = ScenarioFactory(slug="theatre", answer=patron, others=[buyer, shopper])
    solo = QuizFactory(slug="solo", scenarios=[scenario])
    attempts = []
    for term in (buyer, shopper, buyer, patron):
        attempt = services.start_attempt(quiz=solo, session_key="s")
        answer(attempt, scenario, scenario.choices.get(term=term))
        attempts.append(attempt)
    change_status(obj=scenario, status=Status.DRAFT)
    services.save_choices(
        scenario=scenario,
        choices=[
            {"term": term, "is_correct": term == patron, "feedback": "Why."}
            for term in (TermFactory(slug="user"), patron)
        ],
    )

    delete_term(term=buyer)
    assert stored_tallies() == recounted_tallies()
    delete_term(term=shopper)  # its row joins buyer's, now no term's
    assert stored_tallies() == recounted_tallies()
    statistics = reports.scenario_statistics(QuizTally.objects.all())[scenario.pk]
    assert [(o.term_name, o.count, o.is_correct) for o in statistics.options] == [
        (None, 3, False),
        ("Patron", 1, True),
    ]
    assert reports.confusion_matrix(QuizTally.objects.all()).counts == {("Patron", "Patron"): 1}
    attempts[0].delete()  # its response holds no term now: it comes out of no term's row
    assert stored_tallies() == recounted_tallies()


def test_options_count_each_term_picked(finished):
    statistics = reports.scenario_statistics(QuizTally.objects.filter(quiz=finished.fixed))
    lawyer = finished.scenarios[0]
    wrong = lawyer.choices.filter(is_correct=False).first().term.name
    options = statistics[lawyer.pk].options
    # Ada was right, Bob and Cy picked the same wrong term.
    assert [(o.term_name, o.count, o.is_correct) for o in options] == [
        (wrong, 2, False),
        ("Client", 1, True),
    ]
    assert [round(o.share, 2) for o in options] == [0.67, 0.33]


def test_rebuild_tallies_recounts_what_the_services_kept(finished):
    Attempt.objects.filter(user=finished.learners[2]).delete()
    kept = stored_tallies()
    QuizTally.objects.update(answers=99)
    services.rebuild_tallies()
    assert stored_tallies() == kept == recounted_tallies()
