"""A scenario never names a term: the rule lives in Scenario.clean(), and every path that
writes scenarios (the admin form, publishing, import, load_content) goes through it."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils.html import escape

from glossary.models import Status
from glossary.services import change_status
from quiz.models import Scenario, term_words, words_naming_terms
from tests.helpers import upload, validation_errors
from tests.quiz.factories import ScenarioFactory

pytestmark = pytest.mark.django_db

WORDS = {"customer": "Customer", "end user": "User", "user": "User", "clientele": "Client"}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("A loyal customer comes back.", [("customer", "Customer")]),
        ("Three CUSTOMERS queue.", [("CUSTOMERS", "Customer")]),
        (
            "The customer's bag and the customers’ coats.",
            [("customer's", "Customer"), ("customers’", "Customer")],
        ),
        ("All the customers' coats.", [("customers'", "Customer")]),
        ("Ask the end  users first.", [("end  users", "User")]),
        ("A user-friendly till.", [("user", "User")]),
        ("The firm's Clientele grew.", [("Clientele", "Client")]),
        ("Her username is customary.", []),
        ("Nobody here is named at all.", []),
    ],
)
def test_names_are_found_as_whole_words_in_any_case_plural_or_possessive(text, found):
    assert words_naming_terms(text, WORDS) == found


def test_term_words_are_every_name_and_alias_of_any_status(glossary):
    words = term_words()
    assert words["client"] == words["clientele"] == "Client"
    assert words["customer base"] == "Customer"
    assert words["secret draft"] == "Secret draft"  # a draft term counts too


@pytest.mark.parametrize(
    ("field", "text", "written"),
    [
        ("situation", "A loyal customer comes back every week for bread.", "customer"),
        ("question", "Which word fits these Customers?", "Customers"),
        ("title", "The customer's umbrella", "customer's"),
        ("slug", "loyal-customers", "customers"),
    ],
)
def test_a_scenario_naming_a_term_is_refused_with_the_word(quiz_setup, field, text, written):
    scenario = quiz_setup.scenarios[0]
    setattr(scenario, field, text)
    errors = validation_errors(scenario)
    assert list(errors) == [field]
    assert f"“{written}” (the term Customer)" in errors[field][0]


def test_an_alias_counts_as_a_name(quiz_setup):
    scenario = quiz_setup.scenarios[0]
    scenario.situation = "The firm's clientele is mostly local."
    assert "“clientele” (the term Client)" in validation_errors(scenario)["situation"][0]


def test_wording_that_names_no_term_passes(quiz_setup):
    scenario = quiz_setup.scenarios[0]
    scenario.situation = "Ana has asked the same accountant about her taxes for years."
    scenario.full_clean()


def test_the_admin_form_refuses_it_and_saves_nothing(editor_client, quiz_setup):
    scenario = quiz_setup.scenarios[0]
    choices = list(scenario.choices.all())
    data = {
        "title": scenario.title,
        "slug": scenario.slug,
        "situation": "A loyal customer comes back every week.",
        "question": scenario.question,
        "explanation": scenario.explanation,
        "difficulty": scenario.difficulty,
        "status": scenario.status,
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(len(choices)),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "4",
    }
    for index, choice in enumerate(choices):
        data |= {
            f"choices-{index}-id": choice.pk,
            f"choices-{index}-scenario": scenario.pk,
            f"choices-{index}-term": choice.term_id,
            f"choices-{index}-feedback": choice.feedback,
            f"choices-{index}-position": choice.position,
        }
        if choice.is_correct:
            data[f"choices-{index}-is_correct"] = "on"
    response = editor_client.post(f"/admin/quiz/scenario/{scenario.pk}/change/", data)
    assert response.status_code == 200
    assert escape("“customer” (the term Customer)") in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.situation == "Someone in situation lawyer does a thing."


def test_publishing_refuses_a_draft_that_names_a_term(quiz_setup):
    draft = ScenarioFactory(
        slug="regular",
        situation="A regular customer orders the usual.",
        answer=quiz_setup.customer,
        others=[quiz_setup.client, quiz_setup.consumer],
        status=Status.DRAFT,
    )
    with pytest.raises(ValidationError, match="“customer” \\(the term Customer\\)"):
        change_status(obj=draft, status=Status.PUBLISHED)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_import_row_naming_a_term_is_refused_and_nothing_changes(editor_client, quiz_setup):
    row = {
        "slug": "new-one",
        "title": "New one",
        "situation": "Half our customer base shares one login.",
        "question": "Which word fits?",
        "explanation": "It is [[client]].",
        "difficulty": "easy",
        "status": "published",
        "answer": "client",
        "choice_1_term": "client",
        "choice_1_feedback": "Advice.",
        "choice_2_term": "customer",
        "choice_2_feedback": "Wider.",
        "choice_3_term": "consumer",
        "choice_3_feedback": "Uses.",
    }
    url = "/admin/quiz/scenario/import/"
    response = upload(editor_client, url, json.dumps([row]).encode(), "s.json", "1")
    page = response.content.decode()
    assert "Confirm import" not in page
    assert escape("“customer base” (the term Customer)") in page
    assert not Scenario.objects.filter(slug="new-one").exists()


def test_load_content_refuses_a_file_naming_a_term_and_loads_nothing(tmp_path, glossary):
    terms = {
        "terms": [
            {"slug": slug, "name": slug.title(), "summary": "Someone.", "body": "More."}
            for slug in ("client", "customer", "consumer")
        ],
        "distinctions": [],
    }
    scenario = {
        "slug": "weekly-bread",
        "title": "Weekly bread",
        "situation": "A loyal customer comes back every week for bread.",
        "question": "Which word fits her?",
        "answer": "customer",
        "difficulty": "easy",
        "explanation": "She buys.",
        "choices": [
            {"term": term, "feedback": "Because."} for term in ("customer", "client", "consumer")
        ],
    }
    (tmp_path / "terms.json").write_text(json.dumps(terms))
    (tmp_path / "scenarios.json").write_text(json.dumps({"scenarios": [scenario]}))
    (tmp_path / "quizzes.json").write_text(json.dumps({"quizzes": []}))
    with pytest.raises(ValidationError, match="“customer” \\(the term Customer\\)"):
        call_command("load_content", dir=tmp_path)
    assert not Scenario.objects.filter(slug="weekly-bread").exists()
