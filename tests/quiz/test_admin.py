"""Editing scenarios, and terms where quizzes use them, through the admin forms and actions:
clear messages, nothing half-saved."""

import re

import pytest

from glossary.models import Status, Term
from quiz.models import Scenario
from tests.helpers import term_form
from tests.quiz.factories import ScenarioFactory, make_finished_attempt

pytestmark = pytest.mark.django_db


def _scenario_form(scenario, choices, **changes):
    data = {
        "title": scenario.title,
        "slug": scenario.slug,
        "situation": scenario.situation,
        "question": scenario.question,
        "explanation": scenario.explanation,
        "difficulty": scenario.difficulty,
        "status": scenario.status,
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(sum(1 for c in choices if c.get("id"))),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "4",
    }
    for index, choice in enumerate(choices):
        for key, value in choice.items():
            if key == "is_correct":
                if value:
                    data[f"choices-{index}-is_correct"] = "on"
            else:
                data[f"choices-{index}-{key}"] = value
        data[f"choices-{index}-scenario"] = scenario.pk
    data.update(changes)
    return data


def _existing_choices(scenario):
    return [
        {
            "id": choice.pk,
            "term": choice.term_id,
            "is_correct": choice.is_correct,
            "feedback": choice.feedback,
            "position": choice.position,
        }
        for choice in scenario.choices.all()
    ]


def test_moving_the_answer_to_another_choice_saves(editor_client, quiz_setup):
    scenario = quiz_setup.scenarios[0]
    choices = _existing_choices(scenario)
    for choice in choices:
        choice["is_correct"] = not choice["is_correct"] and choice["term"] == quiz_setup.customer.pk
    response = editor_client.post(
        f"/admin/quiz/scenario/{scenario.pk}/change/", _scenario_form(scenario, choices)
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert scenario.choices.get(is_correct=True).term.slug == "customer"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no_answer", "exactly one correct choice (it has 0)"),
        ("two_answers", "exactly one correct choice (it has 3)"),
        ("same_term", "Please correct the duplicate data for term"),
        ("two_choices", "three or four choices (it has 2)"),
    ],
)
def test_a_published_scenario_that_breaks_a_rule_is_not_saved(
    editor_client, quiz_setup, change, message
):
    scenario = quiz_setup.scenarios[0]
    choices = _existing_choices(scenario)
    if change == "no_answer":
        for choice in choices:
            choice["is_correct"] = False
    elif change == "two_answers":
        for choice in choices:
            choice["is_correct"] = True
    elif change == "same_term":
        choices[0]["term"] = choices[1]["term"]
    else:
        choices[0]["DELETE"] = "on"
    before = list(scenario.choices.values_list("term", "is_correct", "feedback"))
    response = editor_client.post(
        f"/admin/quiz/scenario/{scenario.pk}/change/",
        _scenario_form(scenario, choices, title="Should not stick"),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.title == "Situation lawyer"
    assert list(scenario.choices.values_list("term", "is_correct", "feedback")) == before


def test_the_question_is_written_in_a_text_area_and_saved_as_one_line(editor_client, quiz_setup):
    scenario = quiz_setup.scenarios[0]
    page = editor_client.get(f"/admin/quiz/scenario/{scenario.pk}/change/").content.decode()
    assert re.search(r'<textarea name="question"[^>]*maxlength="200"', page)
    assert '<input type="text" name="question"' not in page
    response = editor_client.post(
        f"/admin/quiz/scenario/{scenario.pk}/change/",
        _scenario_form(
            scenario,
            _existing_choices(scenario),
            question="Which word fits\r\n  the woman  at the desk?",
        ),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    scenario.refresh_from_db()
    assert scenario.question == "Which word fits the woman at the desk?"


def test_a_draft_scenario_may_be_unfinished(editor_client, quiz_setup):
    scenario = quiz_setup.scenarios[0]
    choices = _existing_choices(scenario)[:2]
    for choice in choices:
        choice["is_correct"] = False
    data = _scenario_form(scenario, choices, status="draft")
    data["choices-INITIAL_FORMS"] = "2"
    response = editor_client.post(f"/admin/quiz/scenario/{scenario.pk}/change/", data)
    assert response.status_code == 302
    assert Scenario.objects.get(pk=scenario.pk).status == Status.DRAFT


def test_the_publish_action_publishes_what_is_ready_and_explains_the_rest(
    editor_client, quiz_setup
):
    ready = ScenarioFactory(
        slug="ready",
        answer=quiz_setup.client,
        others=[quiz_setup.customer, quiz_setup.consumer],
        status="draft",
    )
    broken = quiz_setup.draft_scenario  # two choices only
    response = editor_client.post(
        "/admin/quiz/scenario/",
        {"action": "publish", "_selected_action": [ready.pk, broken.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 scenario moved to published." in page
    assert "“Situation draft-one” was not moved to published: " in page
    assert "three or four choices" in page
    assert Scenario.objects.get(pk=ready.pk).status == Status.PUBLISHED
    assert Scenario.objects.get(pk=broken.pk).status == Status.DRAFT


def test_the_term_page_shows_where_it_is_used(editor_client, quiz_setup):
    term = quiz_setup.consumer
    page = editor_client.get(f"/admin/glossary/term/{term.pk}/change/").content.decode()
    assert "Where it is used" in page
    assert "Scenario: <a href=" in page and "Situation birthday-cake" in page
    assert "Distinction: <a href=" in page and "Consumer vs Customer" in page


def test_deleting_a_term_in_use_lists_the_uses_and_deletes_nothing(editor_client, quiz_setup):
    term = quiz_setup.consumer
    url = f"/admin/glossary/term/{term.pk}/delete/"
    page = editor_client.get(url).content.decode()
    assert "Consumer: used by scenarios" in page and "“Situation birthday-cake”" in page
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Term.objects.filter(pk=term.pk).exists()


def test_unpublishing_a_term_warns_about_the_scenarios_leaving_the_quizzes(
    editor_client, quiz_setup
):
    term = quiz_setup.consumer
    data = term_form(term, status="in_review")
    response = editor_client.post(f"/admin/glossary/term/{term.pk}/change/", data, follow=True)
    assert "out of the quizzes" in response.content.decode()


def test_the_scenario_list_shows_statistics_in_a_fixed_number_of_queries(
    editor_client, training, django_assert_max_num_queries
):
    scenarios = training.scenarios
    right = {s: s.choices.get(is_correct=True).term for s in scenarios}
    wrong = {s: s.choices.filter(is_correct=False).first().term for s in scenarios}
    for learner in training.learners[:2]:
        make_finished_attempt(learner, training.fixed, right)
    make_finished_attempt(training.learners[2], training.fixed, wrong)
    with django_assert_max_num_queries(16):
        page = editor_client.get("/admin/quiz/scenario/").content.decode()
    assert "67 %" in page  # two of three answered right
    assert "Client" in page  # the answer column
    for index in range(6):
        ScenarioFactory(
            slug=f"extra-{index}",
            answer=training.client,
            others=[training.customer, training.consumer],
        )
    with django_assert_max_num_queries(16):
        editor_client.get("/admin/quiz/scenario/")
