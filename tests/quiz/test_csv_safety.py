"""The trainers' CSVs and the scenario export are safe to open in a spreadsheet: a username or
title that starts a formula is quoted (glossary.spreadsheet.cell), numbers stay numbers."""

import csv
import io

import pytest
from django.test import Client

from quiz.models import Scenario
from tests.factories import UserFactory
from tests.helpers import upload
from tests.quiz.factories import ScenarioFactory, make_finished_attempt

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def hostile(training):
    """A learner whose name is a formula, who answered a scenario whose title is another."""
    learner = UserFactory(
        username="@SUM(1+1)", first_name="=1+2", last_name="Jones", groups=[training.team]
    )
    lawyer = training.scenarios[0]
    lawyer.title = '=HYPERLINK("http://evil.example","Click")'
    lawyer.save()
    answers = {
        scenario: scenario.choices.get(is_correct=True).term for scenario in training.scenarios
    }
    make_finished_attempt(learner, training.fixed, answers, assignment=training.assignment)
    client = Client()
    client.force_login(training.trainer)
    return client


@pytest.mark.parametrize("where", ["assignments/{pk}", "quizzes/fixed"])
def test_learners_csv_quotes_formulas_and_keeps_numbers(hostile, training, where):
    url = f"/trainer/{where.format(pk=training.assignment.pk)}/learners.csv"
    row = next(row for row in _rows(hostile.get(url)) if "SUM" in row["username"])
    assert row["username"] == "'@SUM(1+1)"
    assert row["name"] == "'=1+2 Jones"
    assert row["best_score_percent"] == "100" and row["attempts"] == "1"
    assert len(row["last_activity"]) == len("2026-01-01T00:00:00+00:00")


@pytest.mark.parametrize("where", ["assignments/{pk}", "quizzes/fixed"])
def test_responses_csv_quotes_formulas_and_keeps_numbers(hostile, training, where):
    url = f"/trainer/{where.format(pk=training.assignment.pk)}/responses.csv"
    row = next(row for row in _rows(hostile.get(url)) if row["scenario"] == "lawyer")
    assert row["username"] == "'@SUM(1+1)"
    assert row["scenario_title"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["assignment_id"] == str(training.assignment.pk)
    assert row["answered"].endswith("+00:00") and "." not in row["answered"]


def test_scenario_export_is_safe_and_imports_back_unchanged(editor_client, quiz_setup):
    ScenarioFactory(
        slug="formula",
        title="+SUM(A1:A9)",
        question="@Which word fits them?",
        answer=quiz_setup.client,
        others=[quiz_setup.customer],
    )
    from quiz.resources import ScenarioResource

    header = ScenarioResource().get_export_headers()
    response = editor_client.post(
        "/admin/quiz/scenario/export/",
        {"format": "0", **{f"scenarioresource_{name}": "on" for name in header}},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    row = next(row for row in _rows(response) if row["slug"] == "formula")
    assert row["title"] == "'+SUM(A1:A9)" and row["question"] == "'@Which word fits them?"

    before = list(Scenario.objects.values_list("slug", "title", "question", "updated"))
    page = upload(
        editor_client, "/admin/quiz/scenario/import/", response.content, "scenarios.csv", "0"
    )
    html = page.content.decode()
    assert "Skip" in html and "Update" not in html and "Errors" not in html
    assert list(Scenario.objects.values_list("slug", "title", "question", "updated")) == before
