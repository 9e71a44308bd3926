"""Factories of the quiz layer. Writes of several rows at once go through quiz.services,
as the site makes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import factory
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.utils import timezone
from factory.django import DjangoModelFactory

from glossary.models import Status
from quiz import services
from quiz.models import (
    NO_TERM,
    Assignment,
    AssignmentTally,
    Choice,
    Quiz,
    QuizScenario,
    QuizTally,
    Response,
    Scenario,
)
from quiz.roles import ROLES, grant
from tests.factories import GlossaryData, TermFactory


@dataclass
class QuizData(GlossaryData):
    """What the `quiz_setup` fixture gives: the glossary and the quizzes made from it."""

    scenarios: list[Scenario]
    draft_scenario: Scenario
    fixed: Quiz
    practice: Quiz


@dataclass
class Training(QuizData):
    """What the `training` fixture gives: the quizzes and the people taking them."""

    trainer: User
    team: Group
    learners: list[User]
    outsider: User
    assignment: Assignment


class ScenarioFactory(DjangoModelFactory):
    """A published scenario offering the `others` terms and then its `answer`, the correct
    choice. Each choice's feedback is FEEDBACK-{scenario slug}-{term slug}."""

    class Meta:
        model = Scenario

    slug = factory.Sequence(lambda n: f"scenario-{n}")
    title = factory.LazyAttribute(lambda scenario: f"Situation {scenario.slug}")
    situation = factory.LazyAttribute(
        lambda scenario: f"Someone in situation {scenario.slug} does a thing."
    )
    question = "Which word fits them?"
    explanation = factory.LazyAttribute(
        lambda scenario: f"EXPLANATION-{scenario.slug}: see [[{scenario.answer.slug}]]."
    )
    status = Status.PUBLISHED
    # Not fields of Scenario: _create makes the choices from them.
    answer = factory.SubFactory(TermFactory)
    others = ()

    @classmethod
    def _create(cls, model_class, *args, answer, others, **kwargs):
        scenario = super()._create(model_class, *args, **kwargs)
        for position, term in enumerate([*others, answer]):
            Choice.objects.create(
                scenario=scenario,
                term=term,
                is_correct=term == answer,
                feedback=f"FEEDBACK-{scenario.slug}-{term.slug}",
                position=position,
            )
        return scenario


class QuizFactory(DjangoModelFactory):
    """A published quiz asking its `scenarios` in the order given, unshuffled."""

    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.LazyAttribute(lambda quiz: quiz.slug.title())
    status = Status.PUBLISHED
    shuffle = False

    @factory.post_generation
    def scenarios(quiz, create, scenarios, **kwargs):
        for position, scenario in enumerate(scenarios or (), start=1):
            QuizScenario.objects.create(quiz=quiz, scenario=scenario, position=position)


def make_assignment(quiz, *, users=(), groups=(), days=7, trainer=None, note=""):
    """`quiz` assigned to `users` and `groups`, due in `days` days."""
    return services.save_assignment(
        trainer=trainer,
        quiz=quiz,
        users=users,
        groups=groups,
        due_date=timezone.localdate() + timedelta(days=days),
        note=note,
        allow_duplicates=True,  # tests build what they need
    )


def make_finished_attempt(user, quiz, answers: dict, assignment=None):
    """An attempt by `user` with each scenario answered with the given term, so finished
    once every drawn question has an answer."""
    attempt = services.start_attempt(quiz=quiz, user=user)
    if assignment is not None:
        attempt.assignment = assignment
        attempt.save(update_fields=["assignment"])
    for question in attempt.questions.select_related("scenario"):
        if question.scenario in answers:
            choice = question.scenario.choices.get(term=answers[question.scenario])
            services.answer_question(attempt=attempt, question=question, choice=choice.pk)
    attempt.refresh_from_db()
    return attempt


def answer(attempt, scenario, choice) -> services.Answer:
    """Answer the question of `attempt` that asks `scenario` with `choice` (a Choice), through
    the answering service as the question page does."""
    question = attempt.questions.select_related("scenario").get(scenario=scenario)
    return services.answer_question(attempt=attempt, question=question, choice=choice.pk)


def role(name: str) -> Group:
    """The Trainers or Editors group with its permissions, as quiz.roles defines them
    (built here because transactional tests flush what the migrations created)."""
    grant(apps, {name: ROLES[name]})
    return Group.objects.get(name=name)


def stored_tallies() -> tuple[dict, dict]:
    """The quiz and the assignment tallies as stored: key → (answers, rest_sum, rest_squares)."""
    sums = ("answers", "rest_sum", "rest_squares")
    return tuple(
        {
            row[: len(model.KEY)]: row[len(model.KEY) :]
            for row in model.objects.values_list(*model.KEY, *sums)
        }
        for model in (QuizTally, AssignmentTally)
    )


def recounted_tallies() -> tuple[dict, dict]:
    """What the tallies should hold, counted here in Python from every finished attempt's
    responses, independently of quiz.services."""
    quizzes: dict[tuple, list[int]] = {}
    assignments: dict[tuple, list[int]] = {}
    responses = Response.objects.filter(attempt__finished__isnull=False).values_list(
        "attempt__quiz_id",
        "attempt__assignment_id",
        "attempt__user_id",
        "attempt__score",
        "scenario_id",
        "correct_term_id",
        "term_id",
        "is_correct",
    )
    for quiz, assignment, user, score, scenario, correct, term, right in responses:
        rest = score - (1 if right else 0)
        key = (scenario, correct or NO_TERM, term or NO_TERM, right)
        keys = [(quizzes, (quiz, *key))]
        if assignment is not None and user is not None:
            keys.append((assignments, (assignment, user, *key)))
        for table, full_key in keys:
            sums = table.setdefault(full_key, [0, 0, 0])
            sums[0] += 1
            sums[1] += rest
            sums[2] += rest * rest
    return tuple(
        {key: tuple(sums) for key, sums in table.items()} for table in (quizzes, assignments)
    )
