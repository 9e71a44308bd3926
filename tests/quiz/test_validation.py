"""Every scenario rule, enforced by the models and services (not only by admin forms), and
the glossary rules that depend on scenarios."""

import pytest
from django.core.exceptions import ValidationError

from glossary.models import Status, Term
from glossary.services import TermInUse, change_status, delete_term
from quiz.models import Choice, Scenario
from quiz.services import save_choices
from tests.helpers import validation_errors

pytestmark = pytest.mark.django_db


# [[links]] in explanations and feedback


def test_scenario_and_choice_links_are_checked(quiz_setup):
    scenario = quiz_setup.scenarios[0]
    scenario.explanation = "See [[nobody]]."
    assert "[[nobody]]" in validation_errors(scenario)["explanation"][0]
    choice = scenario.choices.first()
    choice.feedback = "Not [[someone]]."
    assert "[[someone]]" in validation_errors(choice)["feedback"][0]


# Scenarios


def _choices(glossary, **overrides):
    rows = [
        {"term": glossary.client, "is_correct": True, "feedback": "Advice."},
        {"term": glossary.customer, "is_correct": False, "feedback": "Too wide."},
        {"term": glossary.consumer, "is_correct": False, "feedback": "Nobody eats advice."},
    ]
    for index, values in overrides.items():
        rows[int(index[1:])].update(values)
    return rows


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"c0": {"is_correct": False}}, r"exactly one correct choice \(it has 0\)"),
        ({"c1": {"feedback": " "}}, "every choice needs feedback"),
    ],
)
def test_a_published_scenario_needs_one_answer_and_feedback_everywhere(
    glossary, overrides, message
):
    scenario = Scenario.objects.create(
        slug="s", title="S", situation="x", question="q", explanation="e", status=Status.PUBLISHED
    )
    with pytest.raises(ValidationError, match=message):
        save_choices(scenario=scenario, choices=_choices(glossary, **overrides))


def test_two_correct_choices_are_refused(quiz_setup):
    scenario = quiz_setup.scenarios[0]
    Choice.objects.filter(scenario=scenario).update(is_correct=False)
    with pytest.raises(ValidationError, match="exactly one correct choice"):
        scenario.check_published()


def test_choices_are_distinct_terms(glossary):
    scenario = Scenario.objects.create(
        slug="s", title="S", situation="x", question="q", explanation="e"
    )
    rows = _choices(glossary, c2={"term": glossary.customer})
    with pytest.raises(ValidationError, match="different term"):
        save_choices(scenario=scenario, choices=rows)
    assert not scenario.choices.exists()


def test_a_draft_scenario_may_be_unfinished_but_not_published(glossary):
    scenario = Scenario.objects.create(
        slug="s", title="S", situation="x", question="q", explanation="e"
    )
    save_choices(scenario=scenario, choices=_choices(glossary)[:2])  # a draft may have two
    with pytest.raises(ValidationError, match="three or four choices"):
        change_status(obj=scenario, status=Status.PUBLISHED)
    scenario.refresh_from_db()
    assert scenario.status == Status.DRAFT


def test_a_published_scenario_offers_only_published_terms(quiz_setup):
    scenario = quiz_setup.scenarios[0]
    Term.objects.filter(slug="consumer").update(status=Status.DRAFT)
    with pytest.raises(ValidationError, match="not published: Consumer"):
        scenario.check_published()


# Deleting a term that scenarios use


def test_a_term_in_use_cannot_be_deleted_and_the_message_says_where(quiz_setup):
    client_term = quiz_setup.client
    with pytest.raises(TermInUse) as caught:
        delete_term(term=client_term)
    message = caught.value.messages[0]
    assert "Situation lawyer" in message and "Situation corner-shop" in message
    assert "Client vs Customer" in message
    assert Term.objects.filter(pk=client_term.pk).exists()


def test_usage_lists_scenarios_and_distinctions_once(quiz_setup):
    usage = quiz_setup.customer.usage()
    assert len(usage.rows("scenarios")) == len(set(usage.rows("scenarios"))) == 4
    assert {str(d) for d in usage.rows("distinctions")} == {
        "Client vs Customer",
        "Consumer vs Customer",
    }
