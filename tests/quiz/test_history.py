"""Scenarios have versions too: restoring one brings its choices back."""

import pytest

from glossary.history import compare_versions
from quiz.models import Choice
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db


def test_restoring_a_scenario_brings_its_choices_back(editor_client, quiz_setup):
    scenario = quiz_setup.scenarios[0]
    scenario.save()  # a version whose choices are the original ones
    before = scenario.history.first()
    original = list(scenario.choices.values_list("term__slug", "is_correct", "feedback"))

    # An edit that moves the answer and rewrites feedback, saved as the admin does.
    scenario.title = "Rewritten"
    scenario.save()
    wrong = scenario.choices.get(is_correct=False, term__slug="customer")
    right = scenario.choices.get(is_correct=True)
    right.is_correct = False
    right.save()
    wrong.is_correct = True
    wrong.feedback = "Changed."
    wrong.save()

    rows = {row.label: row for row in compare_versions(before, scenario.history.first())}
    assert rows["Choices"].changed and rows["Title"].changed

    response = editor_client.post(admin_url(scenario, "history") + f"{before.history_id}/restore/")
    assert response.status_code == 303
    scenario.refresh_from_db()
    assert scenario.title == "Situation lawyer"
    restored = list(scenario.choices.values_list("term__slug", "is_correct", "feedback"))
    assert sorted(restored) == sorted(original)
    assert Choice.objects.filter(scenario=scenario, is_correct=True).count() == 1
