"""Small builders for test data: tests never depend on the wording of the fixtures."""

from __future__ import annotations

from typing import Any

from glossary.models import Alias, Distinction, Source, Status, Term


def make_term(slug: str, **fields: Any) -> Term:
    defaults: dict[str, Any] = {
        "name": slug.replace("-", " ").capitalize(),
        "summary": f"A {slug} is someone a business serves.",
        "body": f"All about the {slug}.",
        "status": Status.PUBLISHED,
    }
    defaults.update(fields)
    return Term.objects.create(slug=slug, **defaults)


def make_alias(term: Term, name: str) -> Alias:
    return Alias.objects.create(term=term, name=name, slug=name.replace(" ", "-"))


def make_distinction(first: Term, second: Term, **fields: Any) -> Distinction:
    defaults = {
        "rule": f"Pick {first.slug} or {second.slug} by who pays.",
        "example": "An example.",
        "body": "The details.",
        "status": Status.PUBLISHED,
    }
    defaults.update(fields)
    return Distinction.objects.create(term_a=first, term_b=second, **defaults)


def make_source(term: Term, title: str, url: str = "") -> Source:
    return Source.objects.create(term=term, title=title, url=url)


def make_scenario(slug: str, answer: Term, others: list[Term], **fields: Any):
    """A published scenario whose correct choice is `answer`, listed after the others."""
    from quiz.models import Choice, Scenario

    defaults: dict[str, Any] = {
        "title": f"Situation {slug}",
        "situation": f"Someone in situation {slug} does a thing.",
        "question": "Which word fits them?",
        "explanation": f"EXPLANATION-{slug}: see [[{answer.slug}]].",
        "status": Status.PUBLISHED,
    }
    defaults.update(fields)
    scenario = Scenario.objects.create(slug=slug, **defaults)
    for position, term in enumerate([*others, answer]):
        Choice.objects.create(
            scenario=scenario,
            term=term,
            is_correct=term == answer,
            feedback=f"FEEDBACK-{slug}-{term.slug}",
            position=position,
        )
    return scenario


def make_quiz(slug: str, scenarios: list, **fields: Any):
    from quiz.models import Quiz, QuizScenario

    defaults: dict[str, Any] = {"title": slug.title(), "status": Status.PUBLISHED, "shuffle": False}
    defaults.update(fields)
    quiz = Quiz.objects.create(slug=slug, **defaults)
    for position, scenario in enumerate(scenarios, start=1):
        QuizScenario.objects.create(quiz=quiz, scenario=scenario, position=position)
    return quiz


def make_finished_attempt(user, quiz, answers: dict, assignment=None):
    """An attempt by `user` with each scenario answered with the given term, so finished
    once every drawn question has an answer."""
    from quiz import services

    attempt = services.start_attempt(quiz=quiz, user=user)
    if assignment is not None:
        attempt.assignment = assignment
        attempt.save(update_fields=["assignment"])
    for scenario, term in answers.items():
        choice = scenario.choices.get(term=term)
        services.record_answer(attempt=attempt, scenario=scenario, choice_id=choice.pk)
    attempt.refresh_from_db()
    return attempt


def role(name: str):
    """The Trainers or Editors group with its permissions, as quiz.roles defines them
    (built here because transactional tests flush what the migrations created)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from quiz.roles import ROLES, grant

    grant(apps, {name: ROLES[name]})
    return Group.objects.get(name=name)


def make_user(username: str, *groups, **fields: Any):
    from django.contrib.auth.models import User

    user = User.objects.create_user(username, password="pw-for-tests-123", **fields)
    user.groups.add(*groups)
    return user


def make_assignment(quiz, *, users=(), groups=(), days=7, trainer=None, note=""):
    from datetime import timedelta

    from django.utils import timezone

    from quiz import services

    return services.save_assignment(
        trainer=trainer,
        quiz=quiz,
        users=users,
        groups=groups,
        due_date=timezone.localdate() + timedelta(days=days),
        note=note,
    )
