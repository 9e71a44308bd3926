"""What the quiz shows on cached public pages (a term page's "Test yourself" box, a signed-in
learner's assignments on the home page) changes at once, and stays with its owner
(glossary/page_cache.py)."""

import pytest
from django.test import Client

from glossary.models import Status
from glossary.services import change_status
from quiz.services import load_quiz_content, save_choices
from tests.quiz.factories import ScenarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(glossary):
    """The one scenario offering client: the client page's Test-yourself box asks it."""
    return ScenarioFactory(slug="box", answer=glossary.customer, others=[glossary.client])


def _box(client) -> str:
    page = client.get("/terms/client/").content.decode()
    start = page.find('id="try-box"')
    return page[start : page.index("</section>", start)] if start >= 0 else ""


def test_editing_a_scenario_changes_the_box_at_once(client, box):
    assert "Situation box" in _box(client)
    box.title = "A new situation"
    box.save()
    assert "A new situation" in _box(client)


def test_unpublishing_a_scenario_takes_it_out_of_the_box_at_once(client, box):
    assert _box(client)
    change_status(obj=box, status=Status.DRAFT)
    assert _box(client) == ""


def test_new_choices_written_in_bulk_show_at_once(client, glossary, box):
    assert "Consumer" not in _box(client)
    # Only the new choice is written, by bulk_create, which sends no signal.
    save_choices(
        scenario=box,
        choices=[
            {"term": glossary.client, "is_correct": False, "feedback": "FEEDBACK-box-client"},
            {"term": glossary.customer, "is_correct": True, "feedback": "FEEDBACK-box-customer"},
            {"term": glossary.consumer, "is_correct": False, "feedback": "Not the user."},
        ],
    )
    assert "Consumer" in _box(client)


def test_loading_scenarios_shows_at_once(client, glossary, box):
    assert _box(client)
    entry = {
        "slug": "box",
        "title": "Loaded from the fixtures",
        "situation": "Someone buys a thing in a shop.",
        "question": "Which word fits them?",
        "explanation": "They buy.",
        "difficulty": "easy",
        "answer": "customer",
        "choices": [
            {"term": "client", "feedback": "No advice here."},
            {"term": "consumer", "feedback": "Not who uses it."},
            {"term": "customer", "feedback": "They buy."},
        ],
    }
    load_quiz_content(scenarios={"scenarios": [entry]}, quizzes={"quizzes": []})
    assert "Loaded from the fixtures" in _box(client)


def test_a_learners_assignments_never_reach_a_visitors_home_page(client, training):
    visitor = Client()
    learner = training.learners[0]
    client.force_login(learner)
    assert "Your open assignments" in client.get("/").content.decode()
    assert "Your open assignments" not in visitor.get("/").content.decode()
    # And the visitor's cached page never reaches the learner.
    assert "Your open assignments" in client.get("/").content.decode()
