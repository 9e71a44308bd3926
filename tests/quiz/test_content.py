"""Checks of the shipped content: all of fixtures/ loaded with load_content, and the scenarios
and quizzes (fixtures/scenarios.json, quizzes.json)."""

import json
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command

from glossary.markdown import term_link_slugs
from glossary.models import Distinction, Term
from quiz.models import WORDING_FIELDS, Choice, Quiz, Scenario, term_words, words_naming_terms
from tests.helpers import glossary_rows

EIGHT_TERMS = {"buyer", "client", "consumer", "customer", "patron", "shopper", "subscriber", "user"}
SCENARIOS = json.loads((settings.CONTENT_DIR / "scenarios.json").read_text())["scenarios"]
QUIZZES = json.loads((settings.CONTENT_DIR / "quizzes.json").read_text())["quizzes"]
TERMS = json.loads((settings.CONTENT_DIR / "terms.json").read_text())["terms"]


@pytest.fixture
def loaded(db):
    call_command("load_content")


def test_all_eight_terms_are_published_with_summary_body_and_two_distinctions(loaded):
    terms = Term.objects.published()
    assert set(terms.values_list("slug", flat=True)) == EIGHT_TERMS
    for term in terms:
        assert term.summary and term.body, term.slug
        assert Distinction.objects.published().involving(term).count() >= 2, term.slug


@pytest.mark.django_db
def test_command_loads_the_project_fixtures_twice_without_changes(capsys):
    call_command("load_content")
    first = glossary_rows()
    call_command("load_content")
    output = capsys.readouterr().out
    assert "0 created, 0 updated, 0 deleted" in output
    assert glossary_rows() == first
    assert Term.objects.published().count() == 8


def test_at_least_64_published_scenarios_and_eight_per_term(loaded):
    assert Scenario.objects.published().count() >= 64
    answers = Counter(
        Choice.objects.filter(is_correct=True, scenario__status="published").values_list(
            "term__slug", flat=True
        )
    )
    assert set(answers) == EIGHT_TERMS
    assert min(answers.values()) >= 8


def test_every_difficulty_is_used():
    assert {s["difficulty"] for s in SCENARIOS} == {"easy", "medium", "hard"}


def test_each_scenario_has_three_or_four_distinct_choices_one_correct_all_with_feedback():
    for scenario in SCENARIOS:
        terms = [choice["term"] for choice in scenario["choices"]]
        assert 3 <= len(terms) <= 4, scenario["slug"]
        assert len(set(terms)) == len(terms), scenario["slug"]
        assert set(terms) <= EIGHT_TERMS, scenario["slug"]
        assert terms.count(scenario["answer"]) == 1, scenario["slug"]
        assert all(choice["feedback"].strip() for choice in scenario["choices"]), scenario["slug"]
        assert scenario["explanation"].strip(), scenario["slug"]


def test_the_answer_is_not_always_in_the_same_place():
    places = Counter([c["term"] for c in s["choices"]].index(s["answer"]) for s in SCENARIOS)
    assert len(places) >= 3 and max(places.values()) < len(SCENARIOS) / 2


def test_no_shipped_scenario_names_a_term_before_it_is_answered(loaded):
    """The rule of Scenario.clean() (the one the admin, import and load_content apply), on
    every scenario of the fixtures, field by field."""
    words = term_words()
    assert {"customer", "clientele", "end user"} <= set(words)
    for scenario in Scenario.objects.all():
        for field in WORDING_FIELDS:
            named = words_naming_terms(getattr(scenario, field), words)
            assert named == [], (scenario.slug, field, named)


def test_every_link_in_explanations_and_feedback_exists():
    for scenario in SCENARIOS:
        texts = [scenario["explanation"], *(c["feedback"] for c in scenario["choices"])]
        for text in texts:
            for slug in term_link_slugs(text):
                assert slug in EIGHT_TERMS, (scenario["slug"], slug)


def test_quizzes_practice_and_four_themed_ones_with_existing_scenarios(loaded):
    slugs = {s["slug"] for s in SCENARIOS}
    practice = Quiz.objects.published().get(is_practice=True)
    assert practice.question_count == 10
    themed = Quiz.objects.published().filter(is_practice=False)
    assert themed.count() >= 4
    for quiz in QUIZZES:
        assert set(quiz["scenarios"]) <= slugs, quiz["slug"]
    for quiz in themed:
        assert quiz.entries.count() >= 8, quiz.slug
