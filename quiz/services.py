"""Writes of the quiz: starting, answering and finishing attempts, and loading content."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from glossary.models import Status, Term
from glossary.services import LoadReport, upsert

from .models import (
    Assignment,
    Attempt,
    AttemptQuestion,
    Choice,
    Quiz,
    QuizScenario,
    Response,
    Scenario,
)


class QuizError(Exception):
    """A request the quiz cannot carry out; the message is safe to show."""


class EmptyQuiz(QuizError):
    pass


class InvalidChoice(QuizError):
    pass


class AttemptFinished(QuizError):
    pass


@transaction.atomic
def start_attempt(
    *,
    quiz: Quiz,
    user=None,
    session_key: str = "",
    assignment: Assignment | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Create an attempt with its questions drawn (and shuffled) now, so they stay fixed."""
    scenarios = quiz.draw_scenarios(rng or random.Random())
    if not scenarios:
        raise EmptyQuiz(f"“{quiz.title}” has no published questions yet.")
    signed_in = user is not None and user.is_authenticated
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user if signed_in else None,
        session_key="" if signed_in else session_key,
        assignment=assignment,
        total=len(scenarios),
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(attempt=attempt, scenario=scenario, position=position)
        for position, scenario in enumerate(scenarios, start=1)
    )
    return attempt


def record_answer(*, attempt: Attempt, scenario: Scenario, choice_id: int) -> tuple[Response, bool]:
    """Grade and store an answer. The first answer to a question stands: answering again
    returns that first response and False."""
    choice = Choice.objects.filter(pk=choice_id, scenario=scenario).first()
    if choice is None:
        raise InvalidChoice("That choice does not belong to this question.")
    if not attempt.questions.filter(scenario=scenario).exists():
        raise InvalidChoice("That question is not part of this attempt.")
    with transaction.atomic():
        # Serialises answers to the same attempt (PostgreSQL); SQLite serialises all writes.
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        existing = Response.objects.filter(attempt=locked, scenario=scenario).first()
        if existing is not None:
            return existing, False
        if locked.is_finished:
            raise AttemptFinished("This attempt is finished and takes no more answers.")
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    attempt=locked, scenario=scenario, choice=choice, is_correct=choice.is_correct
                )
        except IntegrityError:
            return Response.objects.get(attempt=locked, scenario=scenario), False
        if response.is_correct:
            Attempt.objects.filter(pk=locked.pk).update(score=F("score") + 1)
        if locked.responses.count() == locked.total:
            finish_attempt(attempt=locked)
    attempt.refresh_from_db()
    return response, True


@transaction.atomic
def finish_attempt(*, attempt: Attempt) -> Attempt:
    """Close the attempt and settle its score from the stored responses."""
    attempt.score = attempt.responses.filter(is_correct=True).count()
    attempt.finished = attempt.finished or timezone.now()
    attempt.save(update_fields=["score", "finished"])
    return attempt


class NotAssigned(QuizError):
    pass


@transaction.atomic
def start_assignment(*, assignment: Assignment, user) -> tuple[Attempt, bool]:
    """The attempt a learner works on for an assignment: their unfinished one if there is
    one (so a double click never opens two), else a new one. True when it is new."""
    if assignment.is_archived or not assignment.assignees().filter(pk=user.pk).exists():
        raise NotAssigned("This assignment is not open to you.")
    open_attempt = (
        Attempt.objects.select_for_update()
        .filter(assignment=assignment, user=user, finished=None)
        .order_by("-started")
        .first()
    )
    if open_attempt is not None:
        return open_attempt, False
    return start_attempt(quiz=assignment.quiz, user=user, assignment=assignment), True


def validate_due_date(due_date: date, *, previous: date | None = None) -> None:
    """A new due date cannot be in the past; an unchanged one may be (editing the note of an
    overdue assignment is fine)."""
    if due_date != previous and due_date < timezone.localdate():
        raise ValidationError("The due date cannot be in the past.")


@transaction.atomic
def save_assignment(
    *,
    assignment: Assignment | None = None,
    trainer,
    quiz: Quiz,
    users: Iterable,
    groups: Iterable,
    due_date: date,
    pass_mark: int | None = None,
    note: str = "",
) -> Assignment:
    """Create an assignment, or change one, with its assignees."""
    users, groups = list(users), list(groups)
    if not users and not groups:
        raise ValidationError("Choose at least one person or group.")
    validate_due_date(due_date, previous=assignment.due_date if assignment else None)
    if assignment is None:
        assignment = Assignment(trainer=trainer)
    assignment.quiz = quiz
    assignment.due_date = due_date
    assignment.pass_mark = pass_mark
    assignment.note = note
    assignment.full_clean()
    assignment.save()
    assignment.users.set(users)
    assignment.groups.set(groups)
    return assignment


def set_archived(*, assignment: Assignment, archived: bool) -> Assignment:
    """Archive an assignment (learners no longer see it) or bring it back."""
    if archived != assignment.is_archived:
        assignment.archived = timezone.now() if archived else None
        assignment.save(update_fields=["archived", "updated"])
    return assignment


class ChoiceLike(Protocol):
    term: Term
    is_correct: bool
    feedback: str


def scenario_problems(choices: Sequence[ChoiceLike]) -> list[str]:
    """What stops a scenario with these choices from being published, in plain words."""
    problems = []
    correct = sum(bool(choice.is_correct) for choice in choices)
    if correct != 1:
        problems.append(f"it needs exactly one correct choice (it has {correct})")
    if any(not (choice.feedback or "").strip() for choice in choices):
        problems.append("every choice needs feedback")
    if not 3 <= len(choices) <= 4:
        problems.append(f"it needs three or four choices (it has {len(choices)})")
    term_ids = [choice.term.pk for choice in choices]
    if len(set(term_ids)) != len(term_ids):
        problems.append("each choice must offer a different term")
    unpublished = sorted({c.term.name for c in choices if c.term.status != Status.PUBLISHED})
    if unpublished:
        problems.append(f"it offers terms that are not published: {', '.join(unpublished)}")
    return problems


def publishing_problems(*, scenario: Scenario) -> list[str]:
    """What would stop the scenario, with its choices as stored now, from being published."""
    return scenario_problems(list(scenario.choices.select_related("term")))


def validate_scenario(*, scenario: Scenario) -> None:
    """A published scenario needs three or four choices of different published terms, exactly
    one of them correct, and feedback on every one."""
    if scenario.status != Status.PUBLISHED:
        return
    problems = publishing_problems(scenario=scenario)
    if problems:
        raise ValidationError(
            f"Scenario “{scenario.slug}” cannot be published: {'; '.join(problems)}."
        )


@transaction.atomic
def load_quiz_content(*, scenarios: dict[str, Any], quizzes: dict[str, Any]) -> LoadReport:
    """Make the database hold the scenarios and quizzes of the fixtures, matched by slug."""
    report = LoadReport()
    terms = {term.slug: term for term in Term.objects.all()}
    for entry in scenarios["scenarios"]:
        scenario = upsert(
            Scenario,
            report,
            {"slug": entry["slug"]},
            {
                "title": entry["title"],
                "situation": entry["situation"],
                "question": entry["question"],
                "explanation": entry["explanation"],
                "difficulty": entry["difficulty"],
                "status": entry.get("status", Status.PUBLISHED),
            },
        )
        offered = [choice["term"] for choice in entry["choices"]]
        report["deleted"] += scenario.choices.exclude(term__slug__in=offered).delete()[0]
        # Clear the old answer first, so the one-correct-choice constraint holds throughout.
        scenario.choices.exclude(term__slug=entry["answer"]).filter(is_correct=True).update(
            is_correct=False
        )
        for position, choice in enumerate(entry["choices"]):
            upsert(
                Choice,
                report,
                {"scenario": scenario, "term": terms[choice["term"]]},
                {
                    "feedback": choice["feedback"],
                    "is_correct": choice["term"] == entry["answer"],
                    "position": position,
                },
            )
        validate_scenario(scenario=scenario)

    for position, entry in enumerate(quizzes["quizzes"]):
        quiz = upsert(
            Quiz,
            report,
            {"slug": entry["slug"]},
            {
                "title": entry["title"],
                "description": entry["description"],
                "is_practice": entry["kind"] == "practice",
                "question_count": entry.get("question_count"),
                "pass_mark": entry["pass_mark"],
                "shuffle": entry["shuffle"],
                "status": entry.get("status", Status.PUBLISHED),
                "position": position,
            },
        )
        slugs = entry["scenarios"]
        report["deleted"] += quiz.entries.exclude(scenario__slug__in=slugs).delete()[0]
        by_slug = Scenario.objects.in_bulk(slugs, field_name="slug")
        for scenario_position, slug in enumerate(slugs, start=1):
            upsert(
                QuizScenario,
                report,
                {"quiz": quiz, "scenario": by_slug[slug]},
                {"position": scenario_position},
            )
    return report


@transaction.atomic
def save_choices(*, scenario: Scenario, choices: Sequence[dict[str, Any]]) -> None:
    """Make the scenario offer exactly `choices` (dicts of term, is_correct, feedback), in that
    order, then check the scenario is still fit for its status. Each choice is saved on its
    own (so its history is kept), wrong answers first so one choice is correct at a time."""
    terms = [choice["term"] for choice in choices]
    if len({term.pk for term in terms}) != len(terms):
        raise ValidationError(
            f"Scenario “{scenario.slug}”: each choice must offer a different term."
        )
    try:
        for dropped in scenario.choices.exclude(term__in=terms):
            dropped.delete()
    except ProtectedError as error:
        raise ValidationError(
            f"Scenario “{scenario.slug}”: a choice learners have already picked cannot be removed."
        ) from error
    existing = {choice.term_id: choice for choice in scenario.choices.all()}
    rows = []
    for position, values in enumerate(choices):
        choice = existing.get(values["term"].pk) or Choice(scenario=scenario, term=values["term"])
        choice.is_correct = bool(values.get("is_correct"))
        choice.feedback = values.get("feedback", "")
        choice.position = position
        # Blank feedback is allowed while a scenario is a draft; validate_scenario below
        # refuses it for a published one, with the scenario's own message.
        choice.full_clean(exclude=["feedback"], validate_constraints=False)
        rows.append(choice)
    for choice in sorted(rows, key=lambda choice: choice.is_correct):
        choice.save()
    validate_scenario(scenario=scenario)
