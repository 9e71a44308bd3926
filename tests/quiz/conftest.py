"""Fixtures of the quiz layer, on top of the glossary's in tests/conftest.py."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from quiz.roles import EDITORS, TRAINERS
from tests.factories import UserFactory
from tests.quiz.factories import (
    QuizData,
    QuizFactory,
    ScenarioFactory,
    Training,
    make_assignment,
    role,
)


@pytest.fixture
def quiz_setup(glossary) -> QuizData:
    """Three published scenarios (one per term), a draft one, a fixed quiz and a practice quiz."""
    client_term, customer, consumer = glossary.client, glossary.customer, glossary.consumer
    scenarios = [
        ScenarioFactory(slug="lawyer", answer=client_term, others=[customer, consumer]),
        ScenarioFactory(slug="corner-shop", answer=customer, others=[client_term, consumer]),
        ScenarioFactory(slug="birthday-cake", answer=consumer, others=[customer, client_term]),
    ]
    draft = ScenarioFactory(slug="draft-one", answer=customer, others=[client_term], status="draft")
    fixed = QuizFactory(slug="fixed", scenarios=[*scenarios, draft], pass_mark=60)
    practice = QuizFactory(
        slug="practice", scenarios=[], is_practice=True, question_count=3, position=0
    )
    return QuizData(
        **vars(glossary), scenarios=scenarios, draft_scenario=draft, fixed=fixed, practice=practice
    )


@pytest.fixture
def training(quiz_setup) -> Training:
    """A trainer, a team of three learners, an outsider and the fixed quiz assigned to the
    team, due in a week."""
    trainer = UserFactory(
        username="tara", groups=[role(TRAINERS)], first_name="Tara", last_name="Trainer"
    )
    team = Group.objects.create(name="Front desk")
    learners = [
        UserFactory(username="ada", groups=[team], first_name="Ada", last_name="Lovelace"),
        UserFactory(username="bob", groups=[team]),
        UserFactory(username="cy", groups=[team]),
    ]
    outsider = UserFactory(username="olga")
    assignment = make_assignment(quiz_setup.fixed, groups=[team], trainer=trainer)
    return Training(
        **vars(quiz_setup),
        trainer=trainer,
        team=team,
        learners=learners,
        outsider=outsider,
        assignment=assignment,
    )


@pytest.fixture
def editor(db):
    """A member of the Editors role (overrides the glossary-only editor of tests/conftest.py)."""
    return UserFactory(username="eddie", groups=[role(EDITORS)], is_staff=True, first_name="Eddie")


@pytest.fixture
def trainer(db):
    return UserFactory(username="tara", groups=[role(TRAINERS)])


@pytest.fixture
def trainer_client(training):
    """A client signed in as the training's trainer."""
    client = Client()
    client.force_login(training.trainer)
    return client
