"""Reads for trainers' reports: learner progress, scenario statistics and term confusion.

Everything is counted by the database (aggregates grouped by learner, scenario or term pair);
each function runs a fixed number of queries whatever the number of learners or answers.
The question statistics and the confusion matrix read the tallies that quiz.services keeps
as attempts finish (quiz.models.Tally), not the responses.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import batched

from django.db import transaction
from django.db.models import (
    Count,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from glossary.models import Term
from glossary.spreadsheet import IsoSeconds, cell, cells, csv_field, csv_text

from .models import (
    NO_TERM,
    AskedChoice,
    AskedScenario,
    Assignment,
    Attempt,
    AttemptQuestion,
    LearnerStatus,
    Response,
    Scenario,
    Tally,
    assignee_links,
)

# Below this many answers a scenario's indices (its share answered right, its discrimination)
# say too little: the report shows "not enough answers yet" instead of a discrimination index,
# and flags nothing. Two answers already give a correlation of ±1.
MIN_ANSWERS = 10
TOO_EASY = 0.9
TOO_HARD = 0.3
POOR_DISCRIMINATION = 0.2


def _percent():
    return Cast(F("score"), FloatField()) * 100.0 / F("total")


def learner_status(
    *, finished: int, unfinished: int, best_percent: int | None, pass_mark: int, overdue: bool
) -> LearnerStatus:
    """Passed or failed once a counted attempt is finished (the best one decides); until then
    overdue after the due date, else in progress or not started."""
    if finished:
        assert best_percent is not None
        return LearnerStatus.PASSED if best_percent >= pass_mark else LearnerStatus.FAILED
    if overdue:
        return LearnerStatus.OVERDUE
    return LearnerStatus.IN_PROGRESS if unfinished else LearnerStatus.NOT_STARTED


@dataclass
class LearnerProgress:
    user_id: int
    username: str
    full_name: str
    status: LearnerStatus
    attempts: int = 0
    best_percent: int | None = None
    best_exact: float | None = None  # unrounded, so averages do not compound rounding
    last_activity: datetime | None = None
    open_attempt_id: int | None = None

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def sort_name(self) -> str:
        return self.display_name.lower()


def _attempt_aggregates(attempts: QuerySet[Attempt], *group_by: str) -> QuerySet:
    finished = Q(finished__isnull=False)
    return (
        attempts.filter(user__isnull=False)
        .values(*group_by)
        .annotate(
            attempt_count=Count("pk"),
            finished_count=Count("pk", filter=finished),
            best_percent=Max(_percent(), filter=finished),
            last_activity=Max(Coalesce("finished", "started")),
            open_attempt_id=Max("pk", filter=~finished),
        )
        .order_by()
    )


def _progress(*, user: dict, stats: dict | None, pass_mark: int, overdue: bool) -> LearnerProgress:
    stats = stats or {}
    best = stats.get("best_percent")
    best_percent = round(best) if best is not None else None
    finished = stats.get("finished_count", 0)
    attempt_count = stats.get("attempt_count", 0)
    return LearnerProgress(
        user_id=user["pk"],
        username=user["username"],
        full_name=f"{user['first_name']} {user['last_name']}".strip(),
        status=learner_status(
            finished=finished,
            unfinished=attempt_count - finished,
            best_percent=best_percent,
            pass_mark=pass_mark,
            overdue=overdue,
        ),
        attempts=attempt_count,
        best_percent=best_percent,
        best_exact=best,
        last_activity=stats.get("last_activity"),
        open_attempt_id=stats.get("open_attempt_id"),
    )


USER_FIELDS = ("pk", "username", "first_name", "last_name")


def _user_row(user) -> dict:
    """A user as the values() rows of USER_FIELDS that _progress reads."""
    return {name: getattr(user, name) for name in USER_FIELDS}


def progress_by_assignment(
    assignments: list[Assignment], today: date | None = None
) -> dict[int, list[LearnerProgress]]:
    """Each assignment's current assignees with their status, by name, in two queries.
    Only attempts started from the assignment count towards it."""
    today = today or timezone.localdate()
    ids = [assignment.pk for assignment in assignments]
    columns = ["user__" + name for name in USER_FIELDS]
    assignees: dict[int, dict[int, dict]] = defaultdict(dict)
    for assignment_id, *values in assignee_links("assignment_id", *columns, assignments=ids):
        user = dict(zip(USER_FIELDS, values, strict=True))
        assignees[assignment_id][user["pk"]] = user
    stats = {
        (row["assignment_id"], row["user_id"]): row
        for row in _attempt_aggregates(
            Attempt.objects.filter(assignment__in=ids), "assignment_id", "user_id"
        )
    }
    progress: dict[int, list[LearnerProgress]] = {}
    for assignment in assignments:
        overdue = today > assignment.due_date
        rows = [
            _progress(
                user=user,
                stats=stats.get((assignment.pk, user_id)),
                pass_mark=assignment.effective_pass_mark,
                overdue=overdue,
            )
            for user_id, user in assignees[assignment.pk].items()
        ]
        progress[assignment.pk] = sorted(rows, key=LearnerProgress.sort_name)
    return progress


@dataclass
class LearnerAssignment:
    assignment: Assignment
    progress: LearnerProgress

    @property
    def is_open(self) -> bool:
        return self.progress.status != LearnerStatus.PASSED


def assignments_of_learner(user, today: date | None = None) -> list[LearnerAssignment]:
    """A learner's active assignments with where they stand: open ones first, soonest due
    first, then the passed ones. Two queries."""
    today = today or timezone.localdate()
    assignments = list(Assignment.objects.for_learner(user).order_by("due_date", "pk"))
    stats = {
        row["assignment_id"]: row
        for row in _attempt_aggregates(
            Attempt.objects.filter(user=user, assignment__in=assignments), "assignment_id"
        )
    }
    user_fields = _user_row(user)
    entries = [
        LearnerAssignment(
            assignment,
            _progress(
                user=user_fields,
                stats=stats.get(assignment.pk),
                pass_mark=assignment.effective_pass_mark,
                overdue=today > assignment.due_date,
            ),
        )
        for assignment in assignments
    ]
    return sorted(entries, key=lambda entry: not entry.is_open)


def progress_on_quiz(quiz) -> list[LearnerProgress]:
    """Every signed-in learner who attempted the quiz, whatever assignment (if any) it was
    for, by name."""
    # The names come with the counts: a practice quiz has thousands of learners, whom an
    # in_bulk of their ids would read as whole user rows through an IN list as long.
    columns = ["user__" + name for name in USER_FIELDS]
    stats = _attempt_aggregates(Attempt.objects.filter(quiz=quiz), *columns)
    rows = [
        _progress(
            user={name: row["user__" + name] for name in USER_FIELDS},
            stats=row,
            pass_mark=quiz.pass_mark,
            overdue=False,
        )
        for row in stats
    ]
    return sorted(rows, key=LearnerProgress.sort_name)


def progress_of_learner(
    attempts: QuerySet[Attempt], user, *, pass_mark: int, overdue: bool
) -> LearnerProgress:
    """Where one learner stands over `attempts` (a report's: an assignment's or a quiz's), as
    their row of that report says, in one query."""
    stats = next(iter(_attempt_aggregates(attempts.filter(user=user), "user_id")), None)
    return _progress(user=_user_row(user), stats=stats, pass_mark=pass_mark, overdue=overdue)


@dataclass
class QuestionAnswer:
    """One question of an attempt as it was asked, and the answer given to it."""

    question: AttemptQuestion
    asked: AskedScenario
    chosen: AskedChoice | None  # None: not answered (yet)
    is_correct: bool  # as graded when answered
    answered: datetime | None
    url: str = ""  # where the page shows the question as asked (set by the view)

    @property
    def position(self) -> int:
        return self.question.position


@dataclass
class AttemptDetail:
    """An attempt with every question as asked and answered, for the trainers' drill-down."""

    attempt: Attempt
    number: int  # the learner's first attempt in the report is 1
    questions: list[QuestionAnswer]

    @property
    def answered(self) -> int:
        return sum(question.chosen is not None for question in self.questions)


def attempt_details(attempts: list[Attempt], numbers: list[int]) -> list[AttemptDetail]:
    """`attempts` (a page of them) with their questions as recorded when asked, whatever
    editors changed since, and the answers given, numbered `numbers`: two queries, however
    many attempts and questions."""
    ids = [attempt.pk for attempt in attempts]
    questions: dict[int, list[AttemptQuestion]] = defaultdict(list)
    for question in AttemptQuestion.objects.filter(attempt__in=ids).order_by("position"):
        questions[question.attempt_id].append(question)
    answers = {
        (attempt_id, scenario_id): (chosen, is_correct, answered)
        for attempt_id, scenario_id, chosen, is_correct, answered in Response.objects.filter(
            attempt__in=ids
        ).values_list("attempt_id", "scenario_id", "chosen", "is_correct", "answered")
    }
    details = []
    for attempt, number in zip(attempts, numbers, strict=True):
        rows = []
        for question in questions[attempt.pk]:
            chosen, is_correct, answered = answers.get(
                (attempt.pk, question.scenario_id), (None, False, None)
            )
            asked = question.asked
            rows.append(
                QuestionAnswer(
                    question=question,
                    asked=asked,
                    chosen=asked.choice(chosen) if chosen is not None else None,
                    is_correct=is_correct,
                    answered=answered,
                )
            )
        details.append(AttemptDetail(attempt=attempt, number=number, questions=rows))
    return details


@dataclass
class Summary:
    """An assignment's (or a quiz's) headline numbers."""

    learners: int
    finished: int
    passed: int
    overdue: int
    average_percent: int | None

    @property
    def completion(self) -> int:
        return round(100 * self.finished / self.learners) if self.learners else 0

    @property
    def pass_rate(self) -> int | None:
        """Passed, out of those who finished."""
        return round(100 * self.passed / self.finished) if self.finished else None


def summarise(rows: list[LearnerProgress]) -> Summary:
    done = [row for row in rows if row.status in (LearnerStatus.PASSED, LearnerStatus.FAILED)]
    best = [row.best_exact for row in done if row.best_exact is not None]
    return Summary(
        learners=len(rows),
        finished=len(done),
        passed=sum(row.status == LearnerStatus.PASSED for row in rows),
        overdue=sum(row.status == LearnerStatus.OVERDUE for row in rows),
        average_percent=round(sum(best) / len(best)) if best else None,
    )


@dataclass
class AttemptCounts:
    """Whose attempts a report counts: its learners' table lists signed-in people only,
    while its statistics come from every finished attempt, visitors' too."""

    learners: int  # signed-in people with an attempt
    visitors: int  # visitors' browser sessions with an attempt
    finished_by_learners: int
    finished_by_visitors: int

    @property
    def finished(self) -> int:
        """The finished attempts the question statistics and the confusion matrix count."""
        return self.finished_by_learners + self.finished_by_visitors


def attempt_counts(attempts: QuerySet[Attempt]) -> AttemptCounts:
    """Who made `attempts` and how many they finished, in one query."""
    finished = Q(finished__isnull=False)
    visitor = Q(user__isnull=True)
    counts = attempts.aggregate(
        learners=Count("user", distinct=True),
        visitors=Count("session_key", filter=visitor, distinct=True),
        finished_by_learners=Count("pk", filter=finished & ~visitor),
        finished_by_visitors=Count("pk", filter=finished & visitor),
    )
    return AttemptCounts(**counts)


@dataclass
class OptionCount:
    """How often one term was picked in answer to a scenario."""

    term_name: str | None  # None: a term deleted since
    count: int
    is_correct: bool  # whether picking it was right when it was asked
    share: float  # of the scenario's answers
    term_pk: int = NO_TERM


@dataclass
class ScenarioStatistics:
    scenario_id: int
    answers: int
    correct: int
    discrimination: float | None  # None below MIN_ANSWERS, or when nothing varies
    wrong_term_name: str | None = None
    wrong_term_count: int = 0
    options: list[OptionCount] = field(default_factory=list)  # most picked first
    flags: list[str] = field(default_factory=list)

    def add_unpicked(self, offered: list[tuple[int, str, bool]]) -> None:
        """List the terms `offered` (term id, name, whether right) that nobody picked, with
        no answers, after the picked ones: so every option of the question shows."""
        picked = {option.term_pk for option in self.options}
        self.options += [
            OptionCount(name, 0, right, 0.0, term_pk)
            for term_pk, name, right in sorted(offered, key=lambda o: o[1])
            if term_pk not in picked
        ]

    @property
    def share_correct(self) -> float:
        return self.correct / self.answers if self.answers else 0.0

    @property
    def percent_correct(self) -> int:
        return round(100 * self.share_correct)

    @property
    def enough_answers(self) -> bool:
        return self.answers >= MIN_ANSWERS


def _correlation(n: int, sx: int, sy: int, sxy: int, sxx: int, syy: int) -> float | None:
    """Pearson's r from sums; None when either variable does not vary."""
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if spread <= 0:
        return None
    return (n * sxy - sx * sy) / math.sqrt(spread)


def _flags(answers: int, share_correct: float, discrimination: float | None) -> list[str]:
    if answers < MIN_ANSWERS:
        return []
    flags = []
    if share_correct >= TOO_EASY:
        flags.append("too easy")
    elif share_correct <= TOO_HARD:
        flags.append("too hard")
    if discrimination is not None and discrimination < POOR_DISCRIMINATION:
        flags.append("discriminates badly")
    return flags


def _term_name(column: str) -> Subquery:
    """The name of the term whose id a tally's `column` holds: None for NO_TERM, or for a
    term deleted since (whose rows forget_term_in_tallies makes NO_TERM's)."""
    return Subquery(Term.objects.filter(pk=OuterRef(column)).values("name")[:1])


def scenario_statistics(tallies: QuerySet[Tally]) -> dict[int, ScenarioStatistics]:
    """For each scenario answered in the finished attempts that `tallies` sum (a quiz's, an
    assignment's current assignees', every quiz's): the share answering correctly, the
    discrimination index (the correlation between getting this question right and the
    score on the rest of the quiz; only from MIN_ANSWERS answers on), how often each term
    was picked, and the wrong term picked most often. One query, over the tallies' rows
    rather than the responses."""
    rows = (
        tallies.values("scenario_id", "term_pk", "is_correct")
        .annotate(
            n=Sum("answers"),
            rest=Sum("rest_sum"),
            squares=Sum("rest_squares"),
            name=_term_name("term_pk"),
        )
        .order_by()
    )
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # n, sx, sy, sxy, syy
    picks: dict[int, list[tuple[str | None, int, bool, int]]] = defaultdict(list)
    for row in rows:
        entry = sums[row["scenario_id"]]
        entry[0] += row["n"]
        entry[2] += row["rest"]
        entry[4] += row["squares"]
        if row["is_correct"]:
            entry[1] += row["n"]
            entry[3] += row["rest"]
        picks[row["scenario_id"]].append((row["name"], row["n"], row["is_correct"], row["term_pk"]))
    statistics = {}
    for scenario_id, (n, sx, sy, sxy, syy) in sums.items():
        r = _correlation(n, sx, sy, sxy, sx, syy) if n >= MIN_ANSWERS else None
        # Most picked first; ties by name, a deleted term's answers last.
        ranked = sorted(picks[scenario_id], key=lambda p: (-p[1], p[0] is None, p[0] or ""))
        options = [
            OptionCount(name, count, right, count / n, term_pk)
            for name, count, right, term_pk in ranked
        ]
        wrong = next((option for option in options if not option.is_correct), None)
        entry = statistics[scenario_id] = ScenarioStatistics(
            scenario_id=scenario_id,
            answers=n,
            correct=sx,
            discrimination=r,
            wrong_term_name=wrong.term_name if wrong else None,
            wrong_term_count=wrong.count if wrong else 0,
            options=options,
        )
        entry.flags = _flags(n, entry.share_correct, r)
    return statistics


@dataclass
class MatrixCell:
    chosen: str
    count: int
    is_correct: bool
    heat: int  # 0–4, against the largest count of its kind (right answers or confusions)


@dataclass
class ConfusionMatrix:
    """How often a scenario whose answer was one term was answered with another."""

    answers: list[str]  # the rows: terms that were the right answer
    terms: list[str]  # the columns: every term that was right or chosen
    counts: dict[tuple[str, str], int]

    def rows(self) -> list[tuple[str, list[MatrixCell]]]:
        top_right = max((n for (a, b), n in self.counts.items() if a == b), default=0)
        top_wrong = max((n for (a, b), n in self.counts.items() if a != b), default=0)
        rows = []
        for correct in self.answers:
            cells = []
            for chosen in self.terms:
                count = self.counts.get((correct, chosen), 0)
                top = top_right if chosen == correct else top_wrong
                heat = math.ceil(4 * count / top) if count else 0
                cells.append(MatrixCell(chosen, count, chosen == correct, heat))
            rows.append((correct, cells))
        return rows


def confusion_matrix(tallies: QuerySet[Tally]) -> ConfusionMatrix:
    """Correct term (when asked) × chosen term over the finished attempts that `tallies`
    sum, in one query."""
    pairs = (
        tallies.exclude(term_pk=NO_TERM)
        .exclude(correct_term_pk=NO_TERM)
        .annotate(correct_name=_term_name("correct_term_pk"), name=_term_name("term_pk"))
        .filter(correct_name__isnull=False, name__isnull=False)
        .values("correct_name", "name")
        .annotate(n=Sum("answers"))
        .order_by()
    )
    counts = {(row["correct_name"], row["name"]): row["n"] for row in pairs}
    answers = sorted({correct for correct, _ in counts})
    terms = sorted({name for pair in counts for name in pair})
    return ConfusionMatrix(answers=answers, terms=terms, counts=counts)


# CSV downloads of a report, as pieces of text (glossary.spreadsheet.csv_file): the header is a
# piece of its own, sent before anything is read, so a download starts at once.

LEARNER_HEADER = ["username", "name", "status", "best_score_percent", "attempts", "last_activity"]

# Rows a piece: one fetch from the database's cursor and one piece of the file (about 1.7 MB of
# responses). Bigger pieces gain little speed and hold more in memory.
CSV_BATCH = 10_000


def learners_csv(progress: Callable[[], list[LearnerProgress]]) -> Iterator[str]:
    """The learners CSV of a report: its header, then a row per learner of `progress()`,
    called once the header is out."""
    yield csv_text([LEARNER_HEADER])
    for batch in batched(progress(), CSV_BATCH):
        yield csv_text(
            cells(
                [
                    row.username,
                    row.full_name,
                    row.status.label,
                    row.best_percent,
                    row.attempts,
                    row.last_activity,
                ]
                for row in batch
            )
        )


RESPONSE_HEADER = [
    "attempt_id",
    "username",
    "quiz",
    "assignment_id",
    "attempt_started",
    "attempt_finished",
    "scenario",
    "scenario_title",
    "chosen_term",
    "correct_term",
    "is_correct",
    "answered",
]


def responses_csv(attempts: QuerySet[Attempt]) -> Iterator[str]:
    """The responses CSV of a report: its header, then one line per answer in `attempts`, by
    attempt and time answered, CSV_BATCH lines a piece.

    A line is joined from fields escaped once: the first six once per attempt (`csv_text` of
    them, less its line end), read by a second cursor over the same attempts in the same
    order; the scenario's and the terms' (`csv_field`) from small tables read first; the
    answer's time written by the database (`IsoSeconds`). The responses themselves are read
    bare (ids, the grade and the time): joining the rest into each of a million rows made the
    database send, and psycopg and Django parse, three times as much.

    Both cursors are read in a transaction of their own, so that on PostgreSQL they stream:
    outside one, Django declares them WITH HOLD, and PostgreSQL computes the whole result
    before it sends the first row. The transaction lasts as long as the download.
    """
    yield csv_text([RESPONSE_HEADER])
    with transaction.atomic():
        scenarios = {
            pk: f"{csv_field(cell(slug))},{csv_field(cell(title))}"
            for pk, slug, title in Scenario.objects.order_by().values_list("pk", "slug", "title")
        }
        terms: dict[int | None, str] = {
            pk: csv_field(cell(slug))
            for pk, slug in Term.objects.order_by().values_list("pk", "slug")
        }
        terms[None] = ""
        attempt_rows = (
            attempts.order_by("pk")
            .values_list(
                "pk", "user__username", "quiz__slug", "assignment_id", "started", "finished"
            )
            .iterator(chunk_size=CSV_BATCH)
        )
        responses = (
            Response.objects.filter(attempt__in=attempts)
            .order_by("attempt_id", "answered", "pk")
            .values_list(
                "attempt_id",
                "scenario_id",
                "term_id",
                "correct_term_id",
                "is_correct",
                IsoSeconds("answered"),
            )
            .iterator(chunk_size=CSV_BATCH)
        )
        # Both cursors are in attempt order, so each attempt comes up as its responses do. An
        # attempt deleted between the two reads is missing from the second: its responses are
        # left out.
        attempt_id, attempt = 0, ""
        for batch in batched(responses, CSV_BATCH):
            lines = []
            for (
                response_attempt_id,
                scenario_id,
                term_id,
                correct_id,
                is_correct,
                answered,
            ) in batch:
                while attempt_id < response_attempt_id:
                    row = next(attempt_rows, None)
                    if row is None:
                        attempt_id = math.inf
                    else:
                        attempt_id = row[0]
                        attempt = csv_text([[cell(value) for value in row]])[:-2]
                if attempt_id != response_attempt_id:
                    continue
                lines.append(
                    f"{attempt},{scenarios[scenario_id]},{terms[term_id]},{terms[correct_id]},"
                    f"{'yes' if is_correct else 'no'},{answered}\r\n"
                )
            yield "".join(lines)
