"""Writes of the quiz: starting, answering and finishing attempts, and loading content."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from glossary import page_cache
from glossary.models import Status, Term
from glossary.reusable import ReusableQuery
from glossary.services import LoadReport, upsert

from . import selectors
from .models import (
    ANSWER_KEY,
    NO_TERM,
    AskedChoice,
    AskedScenario,
    Assignment,
    AssignmentTally,
    Attempt,
    AttemptQuestion,
    Choice,
    FormerSlug,
    Quiz,
    QuizScenario,
    QuizTally,
    Response,
    Scenario,
    Tally,
    choice_problems,
)


class QuizError(Exception):
    """A request the quiz cannot carry out; the message is safe to show."""


class EmptyQuiz(QuizError):
    """The quiz has no published question to ask."""


class InvalidChoice(QuizError):
    """The posted choice, or the question, is not part of what was asked."""


class AttemptFinished(QuizError):
    """The attempt is finished and takes no more answers."""


class AttemptGone(QuizError):
    """The attempt was deleted while its question was open."""


class OutOfOrder(QuizError):
    """An unanswered question that is not the next one."""


@transaction.atomic
def start_attempt(
    *,
    quiz: Quiz,
    user=None,
    session_key: str = "",
    assignment: Assignment | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Create an attempt with its questions drawn (and shuffled) now, each recorded as it is
    asked, so they stay fixed whatever editors change later."""
    drawn = quiz.draw_scenarios(rng or random.Random())
    if not drawn:
        raise EmptyQuiz(f"“{quiz.title}” has no published questions yet.")
    records = selectors.records_as_asked(drawn)
    signed_in = user is not None and user.is_authenticated
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user if signed_in else None,
        session_key="" if signed_in else session_key,
        assignment=assignment,
        total=len(drawn),
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(attempt=attempt, scenario_id=pk, position=position, record=records[pk])
        for position, pk in enumerate(drawn, start=1)
    )
    return attempt


def chosen_choice(asked: AskedScenario, posted: object) -> AskedChoice:
    """The asked choice whose id a form posted; InvalidChoice for anything else."""
    chosen = asked.choice(posted)
    if chosen is None:
        raise InvalidChoice("That choice does not belong to this question.")
    return chosen


@dataclass(frozen=True)
class Answer:
    """What answering a question came to."""

    response: Response  # the answer that stands: the first one given to the question
    recorded: bool  # whether this call gave it (False: the question was answered already)
    answered: int  # how many questions of the attempt are answered now
    attempt: Attempt  # as it is now: score, finished


# The attempt an answer is applied to, locked until the answer commits (compiled once).
_locked_attempt = ReusableQuery(
    lambda pk: Attempt.objects.select_for_update().filter(pk=pk), pk=int
)


def answer_question(*, attempt: Attempt, question: AttemptQuestion, choice: object) -> Answer:
    """Grade and store an answer to one question of an attempt. Every answering rule is here:

    - the posted choice must be one of the question's as it was asked (InvalidChoice), and
      it is graded as it was asked, whatever editors changed since;
    - the first answer to a question stands: answering it again (a double click, a replayed
      POST, a second tab) returns that first answer with recorded=False;
    - a finished attempt takes no more answers (AttemptFinished);
    - questions are answered in order (OutOfOrder);
    - a right answer adds one to the score, and the last answer finishes the attempt.

    The rules are checked with the attempt locked, so answers to one attempt apply one at a
    time and each sees the one before it.
    """
    if question.attempt_id != attempt.pk:
        raise InvalidChoice("That question is not part of this attempt.")
    asked = question.asked
    chosen = chosen_choice(asked, choice)
    with transaction.atomic():
        # Serialises answers to the same attempt (PostgreSQL); SQLite serialises all writes
        # (its transactions begin IMMEDIATE).
        locked = _locked_attempt.first(pk=attempt.pk)
        if locked is None:
            raise AttemptGone("This attempt no longer exists: start the quiz again.")
        answered_scenarios = selectors.answered_scenarios(locked.pk)
        answered = len(answered_scenarios)
        if question.scenario_id in answered_scenarios:
            first = Response.objects.get(attempt=locked, scenario=question.scenario_id)
            return Answer(first, recorded=False, answered=answered, attempt=locked)
        if locked.is_finished:
            raise AttemptFinished("This attempt is finished and takes no more answers.")
        if not question.is_next(answered):
            raise OutOfOrder("Answer the questions in order.")
        # The report columns name the terms, unless one was deleted since it was asked.
        correct = asked.correct
        terms = selectors.existing_term_ids()
        # No other answer to this question can be stored meanwhile: the answers were read
        # under the lock (the unique constraint stays as the last guard).
        response = Response.objects.create(
            attempt=locked,
            scenario_id=question.scenario_id,
            chosen=chosen.pk,
            term_id=chosen.term.pk if chosen.term.pk in terms else None,
            correct_term_id=correct.term.pk if correct.term.pk in terms else None,
            is_correct=chosen.is_correct,
        )
        if response.is_correct:
            # The row is locked, so the score read with it is the one to add to.
            locked.score += 1
            Attempt.objects.filter(pk=locked.pk).update(score=locked.score)
        if answered + 1 == locked.total:
            finish_attempt(attempt=locked)
    return Answer(response, recorded=True, answered=answered + 1, attempt=locked)


# No savepoint of its own inside answer_question's transaction: two round trips less on the
# last answer, and a failure there fails the answer too.
@transaction.atomic(savepoint=False)
def finish_attempt(*, attempt: Attempt) -> Attempt:
    """Close the attempt, settle its score from the stored responses and count its answers
    into the reports' tallies. An attempt finished already is left as it is."""
    score = attempt.responses.filter(is_correct=True).count()
    now = timezone.now()
    # Only an unfinished attempt is finished, in one statement: however often and from
    # wherever finish_attempt is called, the attempt's answers are counted once.
    if Attempt.objects.filter(pk=attempt.pk, finished=None).update(score=score, finished=now):
        attempt.score, attempt.finished = score, now
        count_in_tallies(attempt_id=attempt.pk, sign=1)
    else:
        attempt.refresh_from_db(fields=["score", "finished"])
    return attempt


# The reports' tallies (docs/performance.md, "Report summaries"). The scenario statistics
# and the confusion matrix count finished attempts only, with the score each ended on, so
# an attempt's answers are counted in when it finishes and out when it is deleted, in the
# same transaction: the tallies are never stale.

SUMS = ("answers", "rest_sum", "rest_squares")


def count_in_tallies(*, attempt_id: int, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the answers of a finished attempt, as the
    database holds them now, in its quiz's tallies and, when it was started from an
    assignment by a learner, in the assignment's. Nothing for an unfinished attempt."""
    rows = Response.objects.filter(attempt=attempt_id, attempt__finished__isnull=False)
    by_quiz: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_assignment: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for quiz, assignment, user, score, scenario, correct, term, right in rows.values_list(
        "attempt__quiz_id",
        "attempt__assignment_id",
        "attempt__user_id",
        "attempt__score",
        "scenario_id",
        "correct_term_id",
        "term_id",
        "is_correct",
    ):
        rest = score - right  # the score on the rest of the quiz
        key = (scenario, correct or NO_TERM, term or NO_TERM, right)
        targets = [by_quiz[(quiz, *key)]]
        if assignment is not None and user is not None:
            targets.append(by_assignment[(assignment, user, *key)])
        for sums in targets:
            sums[0] += sign
            sums[1] += sign * rest
            sums[2] += sign * rest * rest
    _add_to_tallies(QuizTally, by_quiz)
    _add_to_tallies(AssignmentTally, by_assignment)
    if sign < 0:
        # A row every answer was taken out of would make a report list its scenario.
        for model, sums in ((QuizTally, by_quiz), (AssignmentTally, by_assignment)):
            scope = model.KEY[: -len(ANSWER_KEY)]
            for values in {key[: len(scope)] for key in sums}:
                model.objects.filter(answers=0, **dict(zip(scope, values, strict=True))).delete()


def _add_to_tallies(model: type[Tally], sums: dict[tuple, list[int]]) -> None:
    """Add `sums` (a row's key → its answers, rest_sum and rest_squares) to the rows of
    `model`, creating those missing, in one INSERT … ON CONFLICT DO UPDATE (SQLite and
    PostgreSQL alike). Raw SQL, because the ORM has no way to add to a row that may not
    exist yet in one statement: bulk_create(update_conflicts=True) overwrites the values,
    and reading a row then writing it back would lose one of two finishes that read it at
    the same moment. The rows go in key order, so two finishes that touch the same rows
    lock them in the same order and cannot deadlock."""
    if not sums:
        return
    row = "(" + ", ".join(["%s"] * (len(model.KEY) + len(SUMS))) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(model, f"VALUES {', '.join([row] * len(sums))}"),
            [value for key in sorted(sums) for value in (*key, *sums[key])],
        )


def _upsert_sql(model: type[Tally], rows: str) -> str:
    """INSERT `rows` (VALUES or a SELECT of the key and SUMS columns) into the tally of
    `model`, adding each to the row of the same key where there is one."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(map(quote, (*model.KEY, *SUMS)))
    adding = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in SUMS)
    return (
        f"INSERT INTO {table} ({columns}) {rows} "
        f"ON CONFLICT ({', '.join(map(quote, model.KEY))}) DO UPDATE SET {adding}"
    )


# Each tally's scope columns, as read from an attempt, and which attempts it counts.
TALLY_SCOPES = {
    QuizTally: (["a.quiz_id"], "TRUE"),
    AssignmentTally: (
        ["a.assignment_id", "a.user_id"],
        "a.assignment_id IS NOT NULL AND a.user_id IS NOT NULL",
    ),
}


@transaction.atomic
def rebuild_tallies() -> None:
    """Count every finished attempt's answers into the tallies again, from the responses:
    for generate_load_data, which writes responses in bulk, and for checking the tallies.
    Two INSERT … SELECT; migration 0012 holds the same SQL (migrations do not import app
    code)."""
    quote = connection.ops.quote_name
    response, attempt = (quote(m._meta.db_table) for m in (Response, Attempt))
    # The score on the rest of the quiz, wide enough to square (score is a smallint).
    rest = "CAST(a.score AS BIGINT) - CASE WHEN r.is_correct THEN 1 ELSE 0 END"
    with connection.cursor() as cursor:
        for model, (scope, counted) in TALLY_SCOPES.items():
            table = quote(model._meta.db_table)
            key = [*scope, "r.scenario_id", f"COALESCE(r.correct_term_id, {NO_TERM})"]
            key += [f"COALESCE(r.term_id, {NO_TERM})", "r.is_correct"]
            columns = ", ".join(map(quote, (*model.KEY, *SUMS)))
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "
                f"SELECT {', '.join(key)}, COUNT(*), SUM({rest}), SUM(({rest}) * ({rest})) "
                f"FROM {response} r JOIN {attempt} a ON a.id = r.attempt_id "
                f"WHERE a.finished IS NOT NULL AND {counted} GROUP BY {', '.join(key)}"
            )


@transaction.atomic
def forget_term_in_tallies(*, term_pk: int) -> None:
    """After a term is deleted, its responses hold no term: make the tallies' rows of that
    term rows of NO_TERM, as a recount would, adding them to those already there."""
    quote = connection.ops.quote_name
    where = f"{quote('correct_term_pk')} = %s OR {quote('term_pk')} = %s"
    with connection.cursor() as cursor:
        for model in TALLY_SCOPES:
            table = quote(model._meta.db_table)
            key = [
                f"CASE WHEN {quote(c)} = %s THEN {NO_TERM} ELSE {quote(c)} END"
                if c in ("correct_term_pk", "term_pk")
                else quote(c)
                for c in model.KEY
            ]
            sums = ", ".join(f"SUM({quote(c)})" for c in SUMS)
            positions = ", ".join(str(n) for n in range(1, len(key) + 1))
            rows = f"SELECT {', '.join(key)}, {sums} FROM {table} WHERE {where} "
            rows += f"GROUP BY {positions}"
            cursor.execute(_upsert_sql(model, rows), [term_pk] * 4)
            cursor.execute(f"DELETE FROM {table} WHERE {where}", [term_pk] * 2)


@transaction.atomic
def adopt_visitor_attempts(*, user, session_key: str) -> list[Attempt]:
    """Make the attempts a visitor made in the session `session_key` the user's, once they
    log in. Where both have an unfinished attempt of the same quiz, an empty one is dropped
    (the older, when both are), so there is one to carry on with; two with answers are both
    kept, and the quiz list offers the later one. Returns the attempts adopted."""
    if not session_key:
        return []
    # Locked, so two logins of one session at once cannot both adopt (and drop) attempts.
    visitors = list(Attempt.objects.select_for_update().filter(user=None, session_key=session_key))
    own_open = {
        attempt.quiz_id: attempt
        for attempt in Attempt.objects.filter(user=user, finished=None, assignment=None).order_by(
            "started"
        )
    }
    answers = dict(
        Response.objects.filter(attempt__in=[*visitors, *own_open.values()])
        .values_list("attempt")
        .annotate(n=Count("pk"))
        .order_by()
    )
    dropped = []
    for attempt in visitors:
        own = own_open.get(attempt.quiz_id)
        if attempt.is_finished or own is None:
            continue
        empty = [a for a in sorted((own, attempt), key=lambda a: a.started) if a.pk not in answers]
        if empty:
            dropped.append(empty[0])
    Attempt.objects.filter(pk__in=[attempt.pk for attempt in dropped]).delete()
    adopted = [attempt for attempt in visitors if attempt not in dropped]
    Attempt.objects.filter(pk__in=[attempt.pk for attempt in adopted]).update(
        user=user, session_key=""
    )
    return adopted


class NotAssigned(QuizError):
    """The assignment is archived, or does not name this learner."""


@transaction.atomic
def start_assignment(*, assignment: Assignment, user) -> tuple[Attempt, bool]:
    """The attempt a learner works on for an assignment: their unfinished one if there is
    one, else a new one. True when it is new. Two starts at the same moment (two tabs, a
    double tap) both get the one attempt: the database keeps one open attempt per learner
    and assignment, and the start that loses the race resumes the winner's."""
    if assignment.is_archived or not assignment.assignees().filter(pk=user.pk).exists():
        raise NotAssigned("This assignment is not open to you.")
    open_attempts = Attempt.objects.filter(assignment=assignment, user=user, finished=None)
    open_attempt = open_attempts.first()
    if open_attempt is not None:
        return open_attempt, False
    try:
        return start_attempt(quiz=assignment.quiz, user=user, assignment=assignment), True
    except IntegrityError:
        # start_attempt's savepoint is rolled back; the other start's attempt is committed.
        return open_attempts.get(), False


def validate_due_date(due_date: date, *, previous: date | None = None) -> None:
    """A new due date cannot be in the past; an unchanged one may be (editing the note of an
    overdue assignment is fine)."""
    if due_date != previous and due_date < timezone.localdate():
        raise ValidationError("The due date cannot be in the past.")


class DuplicateAssignment(QuizError):
    """Other open assignments of the quiz already name some of the people; `duplicates` are
    all of them, for the trainer to look at and confirm."""

    message = (
        "Some of these people already have this quiz assigned and open. Look at that "
        "assignment first, or confirm below that you want to assign the quiz again."
    )

    def __init__(self, duplicates: list[Assignment]) -> None:
        self.duplicates = duplicates
        super().__init__(self.message)


def open_duplicates(
    *, quiz: Quiz, users: Iterable, groups: Iterable, excluding: Assignment | None = None
) -> list[Assignment]:
    """The open (not archived) assignments of `quiz`, other than `excluding`, that already
    name any of these people: one of the groups itself, or one of the users or of the
    groups' active members now, named directly or through a group of theirs. Soonest due
    first, with their groups and users (three queries)."""
    user_ids = [user.pk for user in users]
    group_ids = [group.pk for group in groups]
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=user_ids) | Q(groups__in=group_ids))
    )
    found = (
        Assignment.objects.active()
        .filter(quiz=quiz)
        .filter(Q(groups__in=group_ids) | Q(users__in=people) | Q(groups__user__in=people))
        .distinct()
        .select_related("quiz")
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.order_by("name")),
            Prefetch("users", queryset=get_user_model().objects.order_by("username")),
        )
        .order_by("due_date", "pk")
    )
    if excluding is not None and excluding.pk is not None:
        found = found.exclude(pk=excluding.pk)
    return list(found)


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
    confirmed_duplicates: Collection[int] = (),
    allow_duplicates: bool = False,
) -> Assignment:
    """Create an assignment, or change one, with its assignees.

    A quiz is not assigned twice to the same people by accident: when other open
    assignments of the quiz already name some of them (open_duplicates), DuplicateAssignment
    is raised, unless the trainer saw and confirmed every one of those
    (`confirmed_duplicates`, their ids). The check runs here, with the quiz locked, when the
    assignment is saved: a form sent twice, or another trainer's assignment made since the
    warning, is caught too. Scripts that build data may `allow_duplicates`."""
    users, groups = list(users), list(groups)
    if not users and not groups:
        raise ValidationError("Choose at least one person or group.")
    validate_due_date(due_date, previous=assignment.due_date if assignment else None)
    if not allow_duplicates:
        # Serialises assigning one quiz (PostgreSQL); SQLite serialises all writes.
        Quiz.objects.select_for_update().filter(pk=quiz.pk).first()
        duplicates = open_duplicates(quiz=quiz, users=users, groups=groups, excluding=assignment)
        if {duplicate.pk for duplicate in duplicates} - set(confirmed_duplicates):
            raise DuplicateAssignment(duplicates)
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


class QuizLoadReport(LoadReport):
    """A LoadReport that also says how many scenarios were renamed and how many retired."""

    def __str__(self) -> str:
        return f"{super().__str__()}, {self['renamed']} renamed, {self['retired']} retired"


def _values(entry: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The fields of a fixture entry, with its status (published when the file says none)."""
    return {name: entry[name] for name in fields} | {
        "status": entry.get("status", Status.PUBLISHED)
    }


def scenario_fixture_problems(scenarios: dict[str, Any]) -> list[str]:
    """What makes the slugs of a scenarios fixture contradict themselves, in plain words: a
    slug both offered and retired, or both offered and given up by a rename ("formerly"),
    a former slug claimed by two scenarios, or a slug retired and renamed at once."""
    problems = []
    offered = Counter(entry["slug"] for entry in scenarios["scenarios"])
    retired = set(scenarios.get("retired", []))
    former = Counter(slug for entry in scenarios["scenarios"] for slug in entry.get("formerly", []))
    for slug in sorted(slug for slug, count in offered.items() if count > 1):
        problems.append(f"“{slug}” is the slug of more than one scenario")
    for slug in sorted(retired & set(offered)):
        problems.append(f"“{slug}” is listed as retired but is also among the scenarios")
    for slug in sorted(set(former) & set(offered)):
        problems.append(f"“{slug}” is a former slug but is also among the scenarios")
    for slug in sorted(slug for slug, count in former.items() if count > 1):
        problems.append(f"“{slug}” is a former slug of more than one scenario")
    for slug in sorted(retired & set(former)):
        problems.append(f"“{slug}” is listed as retired but is also a former slug")
    return problems


def _rename_from_former_slug(entry: dict[str, Any], report: LoadReport) -> None:
    """When no scenario has the entry's slug but one has one of its former slugs, give that
    scenario the new slug: the same row, so learners' answers, tallies, history and quiz
    entries stay with it (and its old try address leads to the new one, see FormerSlug)."""
    if not entry.get("formerly") or Scenario.objects.filter(slug=entry["slug"]).exists():
        return
    found = list(Scenario.objects.filter(slug__in=entry["formerly"]))
    if len(found) > 1:
        listed = ", ".join(sorted(scenario.slug for scenario in found))
        raise ValidationError(
            f"Scenario “{entry['slug']}”: more than one scenario has a former slug ({listed})."
        )
    if found:
        scenario = found[0]
        scenario.slug = entry["slug"]
        scenario.full_clean(validate_constraints=False)
        scenario.save(update_fields=["slug", "updated"])
        report["renamed"] += 1


@transaction.atomic
def load_quiz_content(*, scenarios: dict[str, Any], quizzes: dict[str, Any]) -> LoadReport:
    """Make the database hold the scenarios and quizzes of the fixtures, matched by slug.
    A scenario whose slug is not there yet but that has one of the entry's former slugs
    ("formerly") is renamed first (counted as "renamed"), and the entry's former slugs are
    kept as FormerSlug rows. The published scenarios whose
    slugs the fixture lists as "retired" are retired, never deleted (counted as "retired");
    every other scenario, such as those editors wrote in the admin, is left alone. Raises
    ValidationError, writing nothing, when the fixture contradicts itself."""
    problems = scenario_fixture_problems(scenarios)
    if problems:
        raise ValidationError(f"scenarios.json: {'; '.join(problems)}.")
    report = QuizLoadReport()
    terms = {term.slug: term for term in Term.objects.all()}
    for entry in scenarios["scenarios"]:
        _rename_from_former_slug(entry, report)
        fields = ("title", "situation", "question", "explanation", "difficulty")
        scenario = upsert(Scenario, report, {"slug": entry["slug"]}, _values(entry, fields))
        offered = [choice["term"] for choice in entry["choices"]]
        report["deleted"] += scenario.choices.exclude(term__slug__in=offered).delete()[0]
        # Clear the old answer first, so the one-correct-choice constraint holds throughout.
        scenario.choices.exclude(term__slug=entry["answer"]).filter(is_correct=True).update(
            is_correct=False
        )
        page_cache.content_changed()  # update() sends no signal
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
        scenario.check_published()
        formerly = entry.get("formerly", [])
        report["deleted"] += scenario.former_slugs.exclude(slug__in=formerly).delete()[0]
        for slug in formerly:
            upsert(FormerSlug, report, {"slug": slug}, {"scenario": scenario})
    # The scenarios this release takes out are retired, never deleted: learners' answers
    # refer to them, and they stay in their records. One at a time, so each keeps a version.
    retiring = Scenario.objects.filter(
        slug__in=scenarios.get("retired", []), status=Status.PUBLISHED
    )
    for scenario in retiring:
        scenario.status = Status.RETIRED
        scenario.save(update_fields=["status", "updated"])
        report["retired"] += 1

    for position, entry in enumerate(quizzes["quizzes"]):
        values = _values(entry, ("title", "description", "pass_mark", "shuffle"))
        values.update(
            is_practice=entry["kind"] == "practice",
            question_count=entry.get("question_count"),
            position=position,
        )
        quiz = upsert(Quiz, report, {"slug": entry["slug"]}, values)
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
    order, then check the scenario is still fit for its status. Only the choices that change
    are written."""
    rows, changed = [], []
    existing = {choice.term_id: choice for choice in scenario.choices.all()}
    for position, values in enumerate(choices):
        choice = existing.get(values["term"].pk) or Choice(scenario=scenario, term=values["term"])
        stored = (choice.is_correct, choice.feedback, choice.position) if choice.pk else None
        choice.is_correct = bool(values.get("is_correct"))
        choice.feedback = values.get("feedback", "")
        choice.position = position
        rows.append(choice)
        if stored != (choice.is_correct, choice.feedback, choice.position):
            changed.append(choice)
    problems = choice_problems(rows, publishing=False)
    if problems:
        raise ValidationError(f"Scenario “{scenario.slug}”: {'; '.join(problems)}.")
    for choice in changed:
        # Blank feedback is allowed while a scenario is a draft; check_published below
        # refuses it for a published one, with the scenario's own message. The constraints
        # hold for the set, checked above, not for each row against the stored ones. The
        # scenario and the terms are rows in hand: no query to check that they exist.
        choice.full_clean(exclude=["feedback", "scenario", "term"], validate_constraints=False)
    kept = {choice.term_id for choice in rows}
    write_choices(
        scenario=scenario,
        keep=changed,  # an unchanged choice is not saved again, nor given a new version
        remove=[choice for term_id, choice in existing.items() if term_id not in kept],
    )
    scenario.check_published()


@transaction.atomic
def write_choices(*, scenario: Scenario, keep: Iterable[Choice], remove: Iterable[Choice]) -> None:
    """Delete `remove`, then save `keep`, each with a version in its history: first the
    stored choices that are wrong now, so that at most one choice is correct at any moment
    (the one_correct_choice constraint) even while the answer moves to another choice; then
    the new ones in the order given, in one insert (so new choices get ids in that order and
    the id of an answer button never tells which one is right); then the stored right answer.
    The admin's choice forms and save_choices both write through here."""
    # Learners' answers keep the choices as they were asked, so any choice may go.
    for choice in remove:
        choice.delete()
    keep = list(keep)
    stored = [choice for choice in keep if choice.pk is not None]
    for choice in stored:
        if not choice.is_correct:
            choice.save()
    new = [choice for choice in keep if choice.pk is None]
    if new:
        # One insert for the new choices (and one for their versions): an import of
        # thousands of scenarios writes far fewer rows one at a time.
        bulk_create_with_history(new, Choice)
        page_cache.content_changed()  # bulk_create sends no signal
    for choice in stored:
        if choice.is_correct:
            choice.save()
