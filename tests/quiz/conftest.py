"""Fixtures of the quiz layer, on top of the glossary's in tests/conftest.py."""

import pytest
from django.contrib.auth.models import Group

from quiz.roles import EDITORS, TRAINERS
from tests.factories import make_assignment, make_quiz, make_scenario, make_user, role


@pytest.fixture
def quiz_setup(glossary):
    """Three published scenarios (one per term), a draft one, a fixed quiz and a practice quiz."""
    client_term, customer, consumer = (glossary[k] for k in ("client", "customer", "consumer"))
    scenarios = [
        make_scenario("lawyer", client_term, [customer, consumer]),
        make_scenario("corner-shop", customer, [client_term, consumer]),
        make_scenario("birthday-cake", consumer, [customer, client_term]),
    ]
    draft = make_scenario("draft-one", customer, [client_term], status="draft")
    fixed = make_quiz("fixed", [*scenarios, draft], pass_mark=60)
    practice = make_quiz("practice", [], is_practice=True, question_count=3, position=0)
    return {
        **glossary,
        "scenarios": scenarios,
        "draft_scenario": draft,
        "fixed": fixed,
        "practice": practice,
    }


@pytest.fixture
def training(quiz_setup):
    """A trainer, a team of three learners, an outsider and the fixed quiz assigned to the
    team, due in a week."""
    trainer = make_user("tara", role(TRAINERS), first_name="Tara", last_name="Trainer")
    team = Group.objects.create(name="Front desk")
    learners = [
        make_user("ada", team, first_name="Ada", last_name="Lovelace"),
        make_user("bob", team),
        make_user("cy", team),
    ]
    outsider = make_user("olga")
    assignment = make_assignment(quiz_setup["fixed"], groups=[team], trainer=trainer)
    return {
        **quiz_setup,
        "trainer": trainer,
        "team": team,
        "learners": learners,
        "outsider": outsider,
        "assignment": assignment,
    }


@pytest.fixture
def editor(db):
    """A member of the Editors role (overrides the glossary-only editor of tests/conftest.py)."""
    return make_user("eddie", role(EDITORS), is_staff=True, first_name="Eddie")


@pytest.fixture
def trainer(db):
    return make_user("tara", role(TRAINERS))
