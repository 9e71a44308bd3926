"""Scenarios and their choices, quizzes, learners' attempts and responses, and trainers'
assignments."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from simple_history.models import HistoricalRecords

from glossary.markdown import render_markdown
from glossary.models import (
    Alias,
    Publishable,
    PublishableQuerySet,
    Status,
    Term,
    Timestamped,
    check_term_links,
)


def choices_with_terms(lookup: str = "choices") -> models.Prefetch:
    """Prefetch a scenario's choices with their terms: the answer buttons need both."""
    return models.Prefetch(lookup, queryset=Choice.objects.select_related("term"))


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class ScenarioQuerySet(PublishableQuerySet["Scenario"]):
    def published(self, *, previewing: Term | None = None) -> ScenarioQuerySet:
        """Published scenarios whose every choice is a published term (a retired or draft
        term takes the scenarios offering it out of the quizzes); `previewing` counts as
        published (an editor's preview shows the term as it will be once published)."""
        offers_unpublished = Choice.objects.filter(scenario=OuterRef("pk")).exclude(
            term__status=Status.PUBLISHED
        )
        if previewing is not None:
            offers_unpublished = offers_unpublished.exclude(term=previewing)
        return super().published().exclude(Exists(offers_unpublished))

    def answered_by(self, term: Term) -> ScenarioQuerySet:
        """Scenarios whose correct choice is `term`."""
        return self.filter(choices__term=term, choices__is_correct=True)

    def with_choices(self) -> ScenarioQuerySet:
        return self.prefetch_related(choices_with_terms())

    def renamed_from(self, slug: str) -> Scenario | None:
        """The scenario of these that once had `slug` (see FormerSlug). One query."""
        return self.filter(former_slugs__slug=slug).first()


class ChoiceLike(Protocol):
    """A choice as stored, or as a form or an import row holds it before it is saved."""

    term: Term
    is_correct: bool
    feedback: str


MAX_CHOICES = 4


def choice_problems(choices: Sequence[ChoiceLike], *, publishing: bool) -> list[str]:
    """What is wrong with a scenario offering these choices, in plain words: the one place
    for the choice rules, used by the admin's form, saving, publishing, import and
    load_content. A draft may be unfinished but never ambiguous or repetitive; published,
    it needs three or four choices of different published terms, exactly one of them
    correct, and feedback on every one."""
    problems = []
    correct = sum(bool(choice.is_correct) for choice in choices)
    if publishing and correct != 1:
        problems.append(f"it needs exactly one correct choice (it has {correct})")
    elif correct > 1:
        problems.append("only one choice can be the correct one")
    if publishing and any(not (choice.feedback or "").strip() for choice in choices):
        problems.append("every choice needs feedback")
    if publishing and not 3 <= len(choices) <= MAX_CHOICES:
        problems.append(f"it needs three or four choices (it has {len(choices)})")
    term_ids = [choice.term.pk for choice in choices]
    if len(set(term_ids)) != len(term_ids):
        problems.append("each choice must offer a different term")
    unpublished = sorted({c.term.name for c in choices if not c.term.is_published})
    if publishing and unpublished:
        problems.append(f"it offers terms that are not published: {', '.join(unpublished)}")
    return problems


# What a learner reads of a scenario before answering (the slug is in the URL of its page).
WORDING_FIELDS = ("title", "slug", "situation", "question")


def term_words() -> dict[str, str]:
    """Every term's name and alias, of any status, in lower case, each mapped to the name of
    its term: the words a scenario must not use (two queries, or none inside
    `fixed_term_words`)."""
    fixed = _fixed_term_words.get()
    if fixed is not None:
        return fixed
    words = {name.lower(): name for name in Term.objects.values_list("name", flat=True)}
    for alias, name in Alias.objects.values_list("name", "term__name"):
        words.setdefault(alias.lower(), name)
    return words


_fixed_term_words: ContextVar[dict[str, str] | None] = ContextVar("term_words", default=None)


@contextmanager
def fixed_term_words() -> Iterator[None]:
    """Read term_words once for everything inside: an import checks thousands of scenarios
    against the names and aliases there are when it starts, not two queries for each."""
    token = _fixed_term_words.set(term_words())
    try:
        yield
    finally:
        _fixed_term_words.reset(token)


def words_naming_terms(text: str, words: dict[str, str]) -> list[tuple[str, str]]:
    """Where `text` uses one of `words` (see term_words): each place as written there, with
    the name of the term it names, once each, in order. Whole words in any case, also in the
    plural or possessive (customers, customer's, customers'); the words of a name of several
    may be split by any spaces."""
    names = sorted((word for word in words if word.strip()), key=len, reverse=True)
    if not names or not text:
        return []
    alternatives = "|".join("(" + r"\s+".join(map(re.escape, name.split())) + ")" for name in names)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?:e?s)?(?:['’]s?)?(?!\w)", re.IGNORECASE)
    found = {match.group(): words[names[match.lastindex - 1]] for match in pattern.finditer(text)}
    return list(found.items())


def check_names_no_term(errors: dict[str, list[str]], words: dict[str, str], **fields: str) -> None:
    """Add a clear error for each field that names a term or an alias: a scenario that names
    one gives its answer away (or rules a choice out)."""
    for field_name, text in fields.items():
        found = words_naming_terms(text, words)
        if found:
            listed = ", ".join(f"“{written}” (the term {term})" for written, term in found)
            errors.setdefault(field_name, []).append(
                f"This names a term: {listed}. A scenario never uses the words it asks about: "
                "describe what the person does instead."
            )


class Scenario(Publishable, Timestamped):
    """A short situation that asks which term fits a person in it."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=120)
    situation = models.TextField(help_text="Markdown. Never names any of the terms.")
    question = models.CharField(max_length=200)
    explanation = models.TextField(help_text="Markdown, shown after answering. [[links]] allowed.")
    difficulty = models.CharField(max_length=10, choices=Difficulty, default=Difficulty.MEDIUM)

    objects = ScenarioQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The rules for a scenario's wording; its choices are checked by choice_problems.
        What a learner reads before answering (WORDING_FIELDS) names no term or alias."""
        errors: dict[str, list[str]] = {}
        check_term_links(errors, situation=self.situation, explanation=self.explanation)
        wording = {name: getattr(self, name) or "" for name in WORDING_FIELDS}
        check_names_no_term(errors, term_words(), **wording)
        if errors:
            raise ValidationError(errors)

    def publishing_problems(self) -> list[str]:
        return choice_problems(list(self.choices.select_related("term")), publishing=True)

    @property
    def situation_html(self) -> SafeString:
        """The situation without term links: a link would give the answer away."""
        return render_markdown(self.situation)


class FormerSlug(models.Model):
    """A slug a scenario had before it was renamed (a "formerly" of scenarios.json): the
    loader finds the scenario to rename by it, and its old try address leads to the new one
    for good. A former slug belongs to one scenario at most."""

    slug = models.SlugField(unique=True)
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="former_slugs")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Choice(models.Model):
    """One term offered as an answer to a scenario, with the feedback for picking it."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="choices")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="choices")
    is_correct = models.BooleanField(default=False)
    feedback = models.TextField(help_text="Why this term fits, or exactly why not.")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "term"], name="choice_terms_distinct"),
            models.UniqueConstraint(
                fields=["scenario"], condition=Q(is_correct=True), name="one_correct_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.term}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        check_term_links(errors, feedback=self.feedback)
        if errors:
            raise ValidationError(errors)


class QuizQuerySet(PublishableQuerySet["Quiz"]):
    def with_finished_attempts(self) -> QuizQuerySet:
        """Each quiz with `finished_attempts`, its number of finished attempts: counted for
        each quiz from the index of finished attempts by quiz, without reading the attempts."""
        finished = (
            Attempt.objects.filter(quiz=OuterRef("pk"), finished__isnull=False)
            .order_by()
            .values("quiz")
            .annotate(count=models.Count("*"))
            .values("count")
        )
        return self.annotate(finished_attempts=Coalesce(models.Subquery(finished), 0))


class Quiz(Publishable):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_practice = models.BooleanField(
        "practice",  # "By practice" in the admin's filters, not "By is practice"
        default=False,
        help_text="Draws its questions from every published scenario instead of a fixed list.",
    )
    question_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For practice quizzes: how many questions to draw."
    )
    pass_mark = models.PositiveSmallIntegerField(default=70, help_text="Percentage to pass.")
    shuffle = models.BooleanField(default=True, help_text="Shuffle the questions per attempt.")
    position = models.PositiveSmallIntegerField(default=0)
    scenarios = models.ManyToManyField(Scenario, through="QuizScenario", related_name="quizzes")

    objects = QuizQuerySet.as_manager()

    class Meta:
        # The open practice quiz leads the list.
        ordering = ["-is_practice", "position", "title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    @property
    def is_open_to_visitors(self) -> bool:
        return self.is_practice

    def draw_scenarios(self, rng: random.Random) -> list[int]:
        """The ids of the published scenarios for one attempt, in the order they will be
        asked."""
        if self.is_practice:
            return _draw_covering_every_term(self.question_count or 10, rng)
        scenarios = list(
            Scenario.objects.published()
            .filter(quiz_entries__quiz=self)
            .order_by("quiz_entries__position")
            .values_list("pk", flat=True)
        )
        if self.shuffle:
            rng.shuffle(scenarios)
        return scenarios


def _draw_covering_every_term(count: int, rng: random.Random) -> list[int]:
    """One scenario per answer term first (so every term is practised), then random extras."""
    answers = (
        Choice.objects.filter(is_correct=True, scenario__in=Scenario.objects.published())
        .order_by("term_id", "scenario_id")
        .values_list("term_id", "scenario_id")
    )
    by_term: dict[int, list[int]] = {}
    for term_id, scenario_id in answers:
        by_term.setdefault(term_id, []).append(scenario_id)
    chosen = [rng.choice(ids) for ids in by_term.values()]
    rng.shuffle(chosen)
    chosen = chosen[:count]
    rest = [sid for ids in by_term.values() for sid in ids if sid not in chosen]
    chosen += rng.sample(rest, min(count - len(chosen), len(rest)))
    rng.shuffle(chosen)
    return chosen


class QuizScenario(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="entries")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="quiz_entries")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "scenario"], name="scenario_once_per_quiz")
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.position}: {self.scenario}"


class LearnerStatus(models.TextChoices):
    """Where one learner stands on one assignment; derived, never stored."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Not passed"
    OVERDUE = "overdue", "Overdue"


def assignee_links(*columns: str, assignments=None, user=None) -> models.QuerySet:
    """Who is assigned what: one row per assignment and active person it names, directly or
    through a group they are in now (so a group means its members at the time anyone looks).
    Each row is a tuple of `columns`: "assignment_id", or fields of the person ("user_id",
    "user__username"…); `assignments` and `user` narrow the rows. Every other read of who is
    assigned builds on this one."""
    named = {"user__is_active": True}
    through_group = {"user__is_active": True, "group__assignments__isnull": False}
    if assignments is not None:
        named["assignment__in"] = assignments
        through_group["group__assignments__in"] = assignments
    if user is not None:
        named["user"] = through_group["user"] = user
    # One filter() call, so the group's assignments are joined once: the assignment id
    # selected is the one the conditions were checked on.
    groups = get_user_model().groups.through.objects.filter(**through_group)
    return (
        Assignment.users.through.objects.filter(**named)
        .values_list(*columns)
        .union(groups.annotate(assignment_id=F("group__assignments")).values_list(*columns))
    )


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active(self) -> AssignmentQuerySet:
        return self.filter(archived=None)

    def for_learner(self, user) -> AssignmentQuerySet:
        """Active assignments naming this user, directly or through one of their groups now."""
        links = assignee_links("assignment_id", user=user)
        return self.active().filter(pk__in=links).select_related("quiz")


class Assignment(Timestamped):
    """A quiz a trainer asked people (users and/or groups) to take by a due date."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="assignments")
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments_given",
        help_text="The trainer who created the assignment.",
    )
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="assignments")
    groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="assignments",
        help_text="A group means its members at the time anyone looks.",
    )
    due_date = models.DateField()
    pass_mark = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percentage to pass; empty means the quiz's own pass mark.",
    )
    note = models.TextField(blank=True, help_text="Shown to the learners with the assignment.")
    archived = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.quiz} (due {self.due_date:%-d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("trainer:assignment", args=[self.pk])

    @property
    def effective_pass_mark(self) -> int:
        return self.pass_mark or self.quiz.pass_mark

    @property
    def is_archived(self) -> bool:
        return self.archived is not None

    @property
    def is_overdue(self) -> bool:
        return timezone.localdate() > self.due_date

    def assignees(self) -> models.QuerySet:
        """The people assigned now (see assignee_links)."""
        links = assignee_links("user_id", assignments=[self.pk])
        return get_user_model().objects.filter(pk__in=links)


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def counting_toward(self, assignment: Assignment) -> AttemptQuerySet:
        """The attempts an assignment's report counts: those started from it by the people
        assigned now."""
        return self.filter(assignment=assignment, user__in=assignment.assignees())

    def past(self, user) -> AttemptQuerySet:
        """A learner's finished attempts, newest first, with what their results show: the
        quiz, and the assignment and its quiz, whose pass mark may be the one that counts."""
        return (
            self.filter(user=user, finished__isnull=False)
            .select_related("quiz", "assignment__quiz")
            .order_by("-finished")
        )

    def owned_by(self, request_user, session_key: str | None) -> AttemptQuerySet:
        """The attempts the person behind a request may see: their own, or for a visitor,
        those started in this browser session."""
        return self.filter(owner_filter(request_user, session_key))


@dataclass(frozen=True)
class Owner:
    """Whose attempts a request may see: a signed-in person's (`user`, their id) or, for a
    visitor, those started in this browser session (`session`, its key)."""

    kind: Literal["user", "session"]
    key: int | str


def request_owner(request_user, session_key: str | None) -> Owner | None:
    """The owner of the attempts the person behind a request may see; None for a visitor
    with no session yet, who may see none."""
    if request_user.is_authenticated:
        return Owner("user", request_user.pk)
    return Owner("session", session_key) if session_key else None


def owned(owner: Owner | None, through: str = "") -> Q:
    """The attempts of `owner` (`through` names the attempt from another model)."""
    if owner is None:
        return Q(pk__in=[])
    if owner.kind == "user":
        return Q(**{f"{through}user": owner.key})
    return Q(**{f"{through}user": None, f"{through}session_key": owner.key})


def owner_filter(request_user, session_key: str | None, through: str = "") -> Q:
    """Who may see an attempt: a signed-in person their own, a visitor those started in
    this browser session, nobody else."""
    return owned(request_owner(request_user, session_key), through)


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    assignment = models.ForeignKey(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attempts",
        help_text="The assignment this attempt counts towards, if it was started from one.",
    )
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(default=0, help_text="Questions answered right.")

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started"]
        indexes = [
            # A learner's page lists their finished attempts newest first, a page at a time.
            models.Index(fields=["user", "-finished"], name="attempt_user_finished"),
            # The trainers' index counts each quiz's finished attempts.
            models.Index(
                fields=["quiz"], condition=Q(finished__isnull=False), name="attempt_quiz_finished"
            ),
        ]
        constraints = [
            # Two tabs or a double tap starting an assignment resume one attempt, never two.
            models.UniqueConstraint(
                fields=["assignment", "user"],
                condition=Q(finished=None),
                name="one_open_attempt_per_assignment",
            )
        ]

    def __str__(self) -> str:
        who = self.user or "visitor"
        return f"{self.quiz} by {who} ({self.started:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("quiz:attempt", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.finished is not None

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0

    @property
    def pass_mark(self) -> int:
        """The assignment's pass mark when the attempt counts towards one, else the quiz's."""
        return self.assignment.effective_pass_mark if self.assignment else self.quiz.pass_mark

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_mark


@dataclass
class AskedTerm:
    pk: int
    name: str  # as it was named when asked
    url: str = ""  # its page now, when it still has a public one (set when shown)


@dataclass
class AskedChoice:
    pk: int  # the Choice row it was; editors may have changed or removed it since
    term: AskedTerm
    is_correct: bool
    feedback: str  # Markdown
    feedback_html: SafeString = field(default_factory=SafeString)  # set when shown


@dataclass
class AskedScenario:
    """A scenario as a learner was asked it: its wording, its choices in their order, which
    one was right and the feedback of each, fixed when the question was drawn. A learner's
    question pages and results read this, never the scenario as it is now, so nothing an
    editor does later changes what a learner saw, answered and scored (docs/records.md)."""

    title: str
    difficulty: str
    situation: str  # Markdown
    question: str
    explanation: str  # Markdown
    choices: list[AskedChoice]

    @classmethod
    def of(cls, scenario: Scenario) -> AskedScenario:
        """The scenario as it stands now; its choices should be prefetched with their terms."""
        return cls(
            title=scenario.title,
            difficulty=scenario.difficulty,
            situation=scenario.situation,
            question=scenario.question,
            explanation=scenario.explanation,
            choices=[
                AskedChoice(
                    pk=choice.pk,
                    term=AskedTerm(pk=choice.term_id, name=choice.term.name),
                    is_correct=choice.is_correct,
                    feedback=choice.feedback,
                )
                for choice in scenario.choices.all()
            ],
        )

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> AskedScenario:
        return cls(
            title=record["title"],
            difficulty=record["difficulty"],
            situation=record["situation"],
            question=record["question"],
            explanation=record["explanation"],
            choices=[
                AskedChoice(
                    pk=choice["id"],
                    term=AskedTerm(pk=choice["term"], name=choice["name"]),
                    is_correct=choice["correct"],
                    feedback=choice["feedback"],
                )
                for choice in record["choices"]
            ],
        )

    def to_record(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "difficulty": self.difficulty,
            "situation": self.situation,
            "question": self.question,
            "explanation": self.explanation,
            "choices": [
                {
                    "id": choice.pk,
                    "term": choice.term.pk,
                    "name": choice.term.name,
                    "correct": choice.is_correct,
                    "feedback": choice.feedback,
                }
                for choice in self.choices
            ],
        }

    @property
    def situation_html(self) -> SafeString:
        """The situation without term links: a link would give the answer away."""
        return render_markdown(self.situation)

    def get_difficulty_display(self) -> str:
        return dict(Difficulty.choices).get(self.difficulty, self.difficulty)

    @property
    def correct(self) -> AskedChoice:
        return next(choice for choice in self.choices if choice.is_correct)

    def choice(self, posted: object) -> AskedChoice | None:
        """The choice whose id a form posted, if it is one of these."""
        return next((c for c in self.choices if str(c.pk) == str(posted)), None)


class AttemptQuestionQuerySet(models.QuerySet["AttemptQuestion"]):
    def of_owner(self, owner: Owner | None) -> AttemptQuestionQuerySet:
        """The questions of `owner`'s attempts (request_owner), each with its attempt and
        quiz."""
        return self.select_related("attempt__quiz").filter(owned(owner, through="attempt__"))

    def with_progress(self) -> AttemptQuestionQuerySet:
        """With how many questions of its attempt are answered (`answered_count`) and
        whether this one is (`is_answered`), read in the same query as the question."""
        answers = Response.objects.filter(attempt=OuterRef("attempt")).order_by()
        counted = answers.values("attempt").annotate(n=models.Count("pk")).values("n")
        return self.annotate(
            answered_count=Coalesce(models.Subquery(counted), 0),
            is_answered=Exists(answers.filter(scenario=OuterRef("scenario"))),
        )


class AttemptQuestion(models.Model):
    """The scenarios drawn for one attempt, in the order they are asked, each recorded as it
    was asked (AskedScenario)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    record = models.JSONField(help_text="The scenario as asked: AskedScenario.to_record().")

    objects = AttemptQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="question_position"),
            models.UniqueConstraint(fields=["attempt", "scenario"], name="question_once"),
        ]

    def __str__(self) -> str:
        return f"Q{self.position} of {self.attempt}"

    @cached_property
    def asked(self) -> AskedScenario:
        """Read once per object: the question page and answer_question share it."""
        return AskedScenario.from_record(self.record)

    def is_next(self, answered: int) -> bool:
        """Questions are answered in order: with `answered` of the attempt's questions
        answered, this one is to be answered now."""
        return self.position == answered + 1


class Response(models.Model):
    """A learner's answer to one question of an attempt, graded on the server against the
    question as it was asked. `chosen` and `is_correct` are the record; the two terms are
    kept for the trainers' reports, and are cleared only if a term is ever deleted."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="responses")
    chosen = models.PositiveIntegerField(help_text="The id of the recorded choice picked.")
    term = models.ForeignKey(
        Term, null=True, on_delete=models.SET_NULL, related_name="+", help_text="Picked."
    )
    correct_term = models.ForeignKey(
        Term, null=True, on_delete=models.SET_NULL, related_name="+", help_text="Right then."
    )
    is_correct = models.BooleanField()
    answered = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered"]
        constraints = [
            # The first answer stands: a double click or replayed POST cannot add a second.
            models.UniqueConstraint(
                fields=["attempt", "scenario"], name="one_response_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.term}"


# What a tally keeps of a term that no longer exists (or was never stored): Response.term
# and Response.correct_term are null then. Not null in the tally, because its key must be
# unique for the upsert, and NULLs never collide in a unique index.
NO_TERM = 0
ANSWER_KEY = ("scenario_id", "correct_term_pk", "term_pk", "is_correct")


class Tally(models.Model):
    """The finished attempts' answers to one scenario, summed by which term was right, which
    was picked and whether that was right, so that reports read these few rows instead of
    every response (docs/performance.md, "Report summaries"). `rest` is an answer's
    attempt's score on the other questions: the sums give the discrimination index exactly.
    Written by quiz.services in the transaction that finishes or deletes an attempt."""

    # No index of their own for the scenario, quiz and assignment: the key's unique index
    # serves the reports, and a row goes only with its scenario or quiz once nothing else
    # holds it (their attempts and responses PROTECT them).
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    correct_term_pk = models.IntegerField(help_text="The right term's id, or NO_TERM.")
    term_pk = models.IntegerField(help_text="The picked term's id, or NO_TERM.")
    is_correct = models.BooleanField()
    answers = models.IntegerField()
    rest_sum = models.BigIntegerField()
    rest_squares = models.BigIntegerField()

    # The columns that tell rows apart (a unique constraint): the scope, then ANSWER_KEY.
    KEY: tuple[str, ...] = ()

    class Meta:
        abstract = True


class QuizTally(Tally):
    """Every finished attempt of a quiz, visitors' too: the quiz report and the admin."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+", db_index=False)

    KEY = ("quiz_id", *ANSWER_KEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "scenario", "correct_term_pk", "term_pk", "is_correct"],
                name="quiz_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.answers} answers to scenario {self.scenario_id} in quiz {self.quiz_id}"


class AssignmentTallyQuerySet(models.QuerySet["AssignmentTally"]):
    def counting_toward(self, assignment: Assignment) -> AssignmentTallyQuerySet:
        """The rows an assignment's report sums: those of the people assigned now, as
        Attempt.objects.counting_toward counts their attempts."""
        return self.filter(assignment=assignment, user__in=assignment.assignees())


class AssignmentTally(Tally):
    """The finished attempts started from an assignment, per learner, so the report can sum
    those of the people assigned now. Goes with its assignment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects = AssignmentTallyQuerySet.as_manager()

    KEY = ("assignment_id", "user_id", *ANSWER_KEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "assignment",
                    "user",
                    "scenario",
                    "correct_term_pk",
                    "term_pk",
                    "is_correct",
                ],
                name="assignment_tally_key",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.answers} answers to scenario {self.scenario_id} by user {self.user_id} "
            f"for assignment {self.assignment_id}"
        )
