"""A learner's record shows what was asked, answered and scored at the time, whatever editors
do to the content later (docs/records.md)."""

import pytest
from django.test import Client

from glossary.models import Status, Term
from glossary.services import change_status, delete_term
from quiz import selectors, services
from quiz.models import Attempt, Scenario
from tests.factories import TermFactory, UserFactory
from tests.quiz.factories import QuizFactory, ScenarioFactory, answer

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def learner_client(quiz_setup):
    client = Client()
    client.force_login(UserFactory(username="lee"))
    return client


def _offer(scenario, right, *wrong):
    """An editor's change of the scenario's choices: `right` is its answer from now on."""
    if scenario.status == Status.PUBLISHED:
        change_status(obj=scenario, status=Status.DRAFT)
    services.save_choices(
        scenario=scenario,
        choices=[
            {"term": term, "is_correct": term == right, "feedback": f"NEW-{term.slug}"}
            for term in [*wrong, right]
        ],
    )


def rekey_the_answer(data):
    """The wrong answer the learner gave becomes the right one."""
    _offer(data.scenarios[0], data.customer, data.client, data.consumer)


def reword_everything(data):
    lawyer = data.scenarios[0]
    Scenario.objects.filter(pk=lawyer.pk).update(
        title="NEW title", situation="NEW situation", question="NEW question?", explanation="NEW"
    )
    lawyer.choices.update(feedback="NEW feedback")


def replace_the_choices(data):
    """Both the right choice and the picked one are removed."""
    _offer(data.scenarios[0], TermFactory(slug="shopper"), data.consumer)


def unpublish_the_scenario(data):
    change_status(obj=data.scenarios[0], status=Status.DRAFT)


def retire_the_scenario(data):
    change_status(obj=data.scenarios[0], status=Status.RETIRED)


def rename_the_terms(data):
    Term.objects.filter(pk__in=[data.client.pk, data.customer.pk]).update(name="NEW name")


def reslug_the_right_term(data):
    term = Term.objects.get(pk=data.client.pk)
    term.slug = "professional-client"
    term.save()


def retire_the_right_term(data):
    term = Term.objects.get(pk=data.client.pk)
    term.status, term.replaced_by = Status.RETIRED, data.customer
    term.save()


def unpublish_the_right_term(data):
    term = Term.objects.get(pk=data.client.pk)
    term.status = Status.DRAFT
    term.save()


EDITS = [
    rekey_the_answer,
    reword_everything,
    replace_the_choices,
    unpublish_the_scenario,
    retire_the_scenario,
    rename_the_terms,
    reslug_the_right_term,
    retire_the_right_term,
    unpublish_the_right_term,
]


@pytest.fixture
def finished(learner_client, quiz_setup) -> Attempt:
    """The fixed quiz finished: "lawyer" (answer client) missed with customer, the rest right."""
    learner_client.post("/quiz/fixed/start/")
    attempt = Attempt.objects.get()
    lawyer, *rest = quiz_setup.scenarios
    answer(attempt, lawyer, lawyer.choices.get(term=quiz_setup.customer))
    for scenario in rest:
        answer(attempt, scenario, scenario.choices.get(is_correct=True))
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 2
    return attempt


@pytest.mark.parametrize("edit", EDITS)
def test_results_show_what_was_asked_and_scored(learner_client, quiz_setup, finished, edit):
    edit(quiz_setup)

    response = learner_client.get(f"/quiz/attempts/{finished.pk}/results/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Situation lawyer" in html and "NEW title" not in html
    assert "You answered <strong>Customer</strong>; the correct answer is" in html
    assert "<strong>Client</strong>" in html
    assert "2 of 3" in html or "2 / 3" in html or "67%" in html
    finished.refresh_from_db()
    assert finished.score == 2 and finished.total == 3


@pytest.mark.parametrize("edit", EDITS)
def test_answered_question_shows_the_feedback_given(learner_client, quiz_setup, finished, edit):
    position = finished.questions.get(scenario=quiz_setup.scenarios[0]).position
    edit(quiz_setup)

    for headers in ({}, HTMX):
        response = learner_client.get(
            f"/quiz/attempts/{finished.pk}/questions/{position}/", **headers
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert "Situation lawyer" in html
        assert "Not quite — it’s client" in html
        assert "FEEDBACK-lawyer-customer" in html and "FEEDBACK-lawyer-client" in html
        assert "EXPLANATION-lawyer" in html
        assert "You chose <strong>Customer</strong>" in html
        # Only the "read more" links are the site as it is now.
        assert not [
            new for new in ("NEW title", "NEW situation", "NEW feedback", "NEW-") if new in html
        ]


def test_term_links_follow_the_term_where_it_is_now(learner_client, quiz_setup, finished):
    reslug_the_right_term(quiz_setup)
    html = learner_client.get(f"/quiz/attempts/{finished.pk}/results/").content.decode()
    assert 'href="/terms/professional-client/"' in html

    unpublish_the_right_term(quiz_setup)
    html = learner_client.get(f"/quiz/attempts/{finished.pk}/results/").content.decode()
    assert "professional-client" not in html  # no link to a page that is gone
    assert "<strong>Client</strong>" in html


def test_a_question_is_graded_as_it_was_asked(learner_client, quiz_setup):
    """The editor changes the answer while the learner is on the question."""
    learner_client.post("/quiz/fixed/start/")
    attempt = Attempt.objects.get()
    question = attempt.questions.get(position=1)
    scenario = question.scenario
    old_right = scenario.choices.get(is_correct=True)
    new_right = scenario.choices.filter(is_correct=False).first()
    _offer(scenario, new_right.term, *(c.term for c in scenario.choices.exclude(pk=new_right.pk)))

    response = learner_client.post(
        f"/quiz/attempts/{attempt.pk}/questions/1/", {"choice": old_right.pk}, **HTMX
    )

    assert response.status_code == 200
    assert "Correct — " in response.content.decode()
    assert attempt.responses.get().is_correct
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_a_choice_removed_after_the_question_was_asked_can_still_be_picked(
    learner_client, quiz_setup
):
    learner_client.post("/quiz/fixed/start/")
    attempt = Attempt.objects.get()
    scenario = attempt.questions.get(position=1).scenario
    picked = scenario.choices.filter(is_correct=False).first()
    right = scenario.choices.get(is_correct=True)
    _offer(scenario, right.term, TermFactory(slug="shopper"))  # `picked` is removed

    response = learner_client.post(
        f"/quiz/attempts/{attempt.pk}/questions/1/", {"choice": picked.pk}
    )

    assert response.status_code == 303
    stored = attempt.responses.get()
    assert (stored.chosen, stored.term, stored.correct_term) == (picked.pk, picked.term, right.term)
    assert not stored.is_correct


def test_a_deleted_term_keeps_its_name_in_the_record(learner_client, db):
    patron, buyer = TermFactory(slug="patron"), TermFactory(slug="buyer")
    scenario = ScenarioFactory(slug="theatre", answer=patron, others=[buyer])
    QuizFactory(slug="solo", scenarios=[scenario])
    learner_client.post("/quiz/solo/start/")
    attempt = Attempt.objects.get()
    answer(attempt, scenario, scenario.choices.get(term=buyer))
    _offer(scenario, patron, TermFactory(slug="shopper"))
    delete_term(term=buyer)

    response = learner_client.get(f"/quiz/attempts/{attempt.pk}/results/")

    assert response.status_code == 200
    assert "You answered <strong>Buyer</strong>" in response.content.decode()
    assert attempt.responses.get().term is None  # gone from the reports' columns only


def test_a_term_deleted_while_the_question_is_open_is_left_out_of_the_columns(learner_client, db):
    """The answer is stored and graded as asked; the reports' term column is left empty
    rather than naming a term that is gone."""
    patron, buyer = TermFactory(slug="patron"), TermFactory(slug="buyer")
    scenario = ScenarioFactory(slug="theatre", answer=patron, others=[buyer])
    QuizFactory(slug="solo", scenarios=[scenario])
    learner_client.post("/quiz/solo/start/")
    attempt = Attempt.objects.get()
    picked = scenario.choices.get(term=buyer)
    _offer(scenario, patron, TermFactory(slug="shopper"))
    # The terms that exist are kept per content version: read before the deletion here.
    assert buyer.pk in selectors.existing_term_ids()
    delete_term(term=buyer)

    response = learner_client.post(
        f"/quiz/attempts/{attempt.pk}/questions/1/", {"choice": picked.pk}
    )

    assert response.status_code == 303
    stored = attempt.responses.get()
    assert (stored.chosen, stored.term, stored.correct_term) == (picked.pk, None, patron)
    assert not stored.is_correct


def test_editors_may_remove_a_choice_learners_picked(quiz_setup, finished):
    lawyer = quiz_setup.scenarios[0]
    replace_the_choices(quiz_setup)
    assert not lawyer.choices.filter(term=quiz_setup.customer).exists()
    assert finished.responses.get(scenario=lawyer).term == quiz_setup.customer
