"""A large, realistic organisation on top of the loaded content, for benchmarks (issue 13).

Learners in groups of 20–40, trainers, several assignments per group, attempts whose answers
come from a skill model, and visitors' practice. Rows are written in bulk; the same seed on
the same day gives the same rows (times are counted back from the start of today, UTC).
"""

from __future__ import annotations

import json
import math
import random
import string
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.db.models import Model

from quiz import services
from quiz.models import (
    AskedScenario,
    Assignment,
    Attempt,
    AttemptQuestion,
    Choice,
    Difficulty,
    Quiz,
    Response,
    Scenario,
    choices_with_terms,
)
from quiz.roles import ROLES, TRAINERS, grant

# Every generated account logs in with this password (one hash computed, shared by all).
PASSWORD = "termwise-load"
GROUP_SIZES = (20, 40)
LEARNERS_PER_TRAINER = 150
ASSIGNMENTS_PER_GROUP = (2, 4)
VISITOR_SHARE = 0.05  # of the responses
BATCH = 5000  # rows per INSERT
CHUNK = 2000  # attempts simulated before their rows are written

FIRST_NAMES = [
    "Ada", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas",
    "Kemi", "Leo", "Maya", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tomas",
    "Uma", "Vera", "Wei", "Yara", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Berg", "Costa", "Diallo", "Evans", "Fischer", "Garcia", "Hansen", "Ito",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nair", "Okafor", "Petrov", "Rossi", "Shah",
    "Tanaka", "Novak",
]  # fmt: skip
DEPARTMENTS = ["Front desk", "Sales", "Support", "Accounts", "Events", "Retail", "Partners"]
# Where each difficulty puts a scenario on the skill scale, before its own noise.
DIFFICULTY_LOCATION = {Difficulty.EASY: -1.0, Difficulty.MEDIUM: 0.0, Difficulty.HARD: 1.0}


@dataclass
class Item:
    """A scenario as the skill model sees it, with its record built once."""

    id: int
    record: dict
    right: tuple[int, int]  # (choice id, term id)
    wrong: list[tuple[int, int]]
    wrong_weights: list[float]
    location: float  # b: the skill at which a learner is as likely right as not (guessing aside)
    slope: float  # a: how sharply the chance of a right answer rises with skill
    guess: float  # c: the chance of guessing right

    @cached_property
    def record_json(self) -> str:
        return json.dumps(self.record)

    def p_right(self, skill: float) -> float:
        return self.guess + (1 - self.guess) / (1 + math.exp(-self.slope * (skill - self.location)))


@dataclass
class Plan:
    """One attempt to write: who, what, the questions asked and the answers given."""

    quiz_id: int
    user_id: int | None
    session_key: str
    assignment_id: int | None
    started: datetime
    questions: list[Item]
    answers: list[tuple[int, int, bool, datetime]]  # (choice id, term id, right, answered)
    finished: datetime | None

    @property
    def score(self) -> int:
        return sum(right for _, _, right, _ in self.answers)


@dataclass
class Stats:
    learners: int = 0
    trainers: int = 0
    groups: int = 0
    assignments: int = 0
    attempts: int = 0
    finished: int = 0
    visitor_attempts: int = 0
    questions: int = 0
    responses: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def insert(model: type[Model], columns: list[str], rows: list[tuple]) -> None:
    """Write rows of `model` (tuples of `columns`; an Item stands for its record): with
    COPY on PostgreSQL, several times faster than INSERT at a million rows, each record
    serialised once per scenario; with bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        names = ", ".join(
            connection.ops.quote_name(model._meta.get_field(c).column) for c in columns
        )
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([v.record_json if isinstance(v, Item) else v for v in row])
        return
    model.objects.bulk_create(
        (
            model(
                **{
                    c: v.record if isinstance(v, Item) else v
                    for c, v in zip(columns, row, strict=True)
                }
            )
            for row in rows
        ),
        batch_size=BATCH,
    )


@contextmanager
def keys_checked_at_the_end(*models: type[Model]) -> Iterator[None]:
    """On PostgreSQL, as a superuser (the benchmarks' own database): write the rows of
    `models` without PostgreSQL checking each row's foreign keys when the transaction commits
    (a trigger per key and row: over a minute at a million responses), then check every key
    of every row in one pass per key, a CommandError if any points at nothing (the whole
    load is rolled back). Elsewhere, or without the right to, the checks run as usual."""
    if connection.vendor != "postgresql" or not _is_superuser():
        yield
        return
    with connection.cursor() as cursor:
        # LOCAL: only until this transaction ends, whatever happens in it.
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        cursor.execute("SET LOCAL session_replication_role = origin")
        quote = connection.ops.quote_name
        for model in models:
            for key in (f for f in model._meta.concrete_fields if f.is_relation):
                table, column = quote(model._meta.db_table), quote(key.column)
                target = quote(key.related_model._meta.db_table)
                target_column = quote(key.target_field.column)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {target} t WHERE t.{target_column} = {table}.{column})"
                )
                (broken,) = cursor.fetchone()
                if broken:
                    raise CommandError(
                        f"{broken} rows of {model._meta.db_table}.{key.column} point at nothing."
                    )


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


@contextmanager
def given_times() -> Iterator[None]:
    """Let bulk_create keep the `started` and `answered` times it is given (both are
    auto_now_add, which would stamp every row with now)."""
    fields = [Attempt._meta.get_field("started"), Response._meta.get_field("answered")]
    for model_field in fields:
        model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field in fields:
            model_field.auto_now_add = True


def group_sizes(learners: int, rng: random.Random) -> list[int]:
    """Sizes adding up to `learners`, each within GROUP_SIZES (one smaller group when there
    are fewer learners than the smallest group)."""
    low, high = GROUP_SIZES
    if learners <= low:
        return [learners] if learners else []
    fewest, most = math.ceil(learners / high), learners // low
    count = min(max(round(learners / ((low + high) / 2)), fewest), most)
    sizes = [low] * count
    for _ in range(learners - low * count):
        open_groups = [i for i, size in enumerate(sizes) if size < high]
        sizes[rng.choice(open_groups)] += 1
    return sizes


class Command(BaseCommand):
    help = (
        "Generate a large organisation for load tests on top of the loaded content (run "
        "load_content first): learners in groups of 20–40, trainers, assignments, attempts "
        "answered by a skill model and visitors' practice, with exactly --responses answers. "
        "Refuses a database that already holds learners (non-staff users or attempts) unless "
        "--force, which first deletes every attempt, assignment, non-staff user and group "
        "other than the roles. Every account's password is 'termwise-load'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, required=True, help="How many learners.")
        parser.add_argument(
            "--responses", type=int, required=True, help="How many answers, exactly."
        )
        parser.add_argument(
            "--seed", type=int, default=13, help="The same seed gives the same rows (default 13)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete the learners, groups, assignments and attempts already there first.",
        )

    def handle(self, *args: object, **options) -> None:
        learners, responses = options["learners"], options["responses"]
        if learners < 1 or responses < 0:
            raise CommandError("--learners must be at least 1 and --responses at least 0.")
        began = time.perf_counter()
        with transaction.atomic():
            self._check_database(force=options["force"])
            clearing = time.perf_counter() - began
            stats = Generator(seed=options["seed"]).run(learners=learners, responses=responses)
            committing = time.perf_counter()
        if options["force"]:
            stats.timings = {"clearing": clearing, **stats.timings}
        stats.timings["commit"] = time.perf_counter() - committing
        stats.timings["total"] = time.perf_counter() - began
        self._summarise(stats)

    def _check_database(self, *, force: bool) -> None:
        user_model = get_user_model()
        learners = user_model.objects.filter(is_staff=False, is_superuser=False)
        if not force and (learners.exists() or Attempt.objects.exists()):
            raise CommandError(
                "This database already holds learners (non-staff users or attempts). "
                "Use --force to delete them, their groups, assignments and attempts first."
            )
        if force:
            if connection.vendor == "postgresql":
                # A million deleted rows would slow the inserts' checks that follow.
                tables = [m._meta.db_table for m in (Response, AttemptQuestion, Attempt)]
                with connection.cursor() as cursor:
                    # Run any checks still pending in an outer transaction (TRUNCATE refuses
                    # a table with pending trigger events), then defer them again.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(f"TRUNCATE {', '.join(tables)}")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                Response.objects.all().delete()
                AttemptQuestion.objects.all().delete()
                Attempt.objects.all().delete()
            Assignment.objects.all().delete()
            learners.delete()
            Group.objects.exclude(name__in=ROLES).delete()

    def _summarise(self, stats: Stats) -> None:
        timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stats.timings.items())
        self.stdout.write(
            f"{stats.learners} learners in {stats.groups} groups, {stats.trainers} trainer(s), "
            f"{stats.assignments} assignments.\n"
            f"{stats.attempts} attempts ({stats.finished} finished, "
            f"{stats.visitor_attempts} by visitors), {stats.questions} questions asked, "
            f"{stats.responses} responses.\n"
            f"Time: {timings}. Password of every account: {PASSWORD}"
        )


class Generator:
    def __init__(self, *, seed: int) -> None:
        self.rng = random.Random(seed)
        self.today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.stats = Stats()

    def run(self, *, learners: int, responses: int) -> Stats:
        clock = time.perf_counter()
        self._load_content()
        self._people(learners)
        self._assignments()
        self.stats.timings["people"] = time.perf_counter() - clock
        clock = time.perf_counter()
        visitors = round(responses * VISITOR_SHARE) if self.practice else 0
        with given_times(), keys_checked_at_the_end(Attempt, AttemptQuestion, Response):
            self._write(self._learner_attempts(responses - visitors))
            self._write(self._visitor_attempts(visitors))
        self.stats.timings["attempts"] = time.perf_counter() - clock
        clock = time.perf_counter()
        # The rows above are written in bulk, past finish_attempt: count them in at once.
        services.rebuild_tallies()
        self.stats.timings["tallies"] = time.perf_counter() - clock
        return self.stats

    # The content ---------------------------------------------------------------------

    def _load_content(self) -> None:
        scenarios = list(
            Scenario.objects.published().order_by("pk").prefetch_related(choices_with_terms())
        )
        self.items = {scenario.pk: self._item(scenario) for scenario in scenarios}
        quizzes = list(Quiz.objects.published().order_by("position", "pk"))
        entries = (
            Scenario.objects.published()
            .filter(quiz_entries__quiz__in=quizzes)
            .order_by("quiz_entries__position")
            .values_list("quiz_entries__quiz_id", "pk")
        )
        self.quiz_items: dict[int, list[Item]] = {}
        for quiz_id, scenario_id in entries:
            self.quiz_items.setdefault(quiz_id, []).append(self.items[scenario_id])
        self.quizzes = [q for q in quizzes if not q.is_practice and self.quiz_items.get(q.pk)]
        self.practice = next((q for q in quizzes if q.is_practice), None) if self.items else None
        if not self.quizzes:
            raise CommandError(
                "There is no published quiz with published scenarios: run manage.py "
                "load_content first."
            )
        # The answer terms and their scenarios, as Quiz.draw_scenarios draws practice.
        self.by_answer: dict[int, list[int]] = {}
        answers = Choice.objects.filter(is_correct=True, scenario__in=self.items)
        for term_id, scenario_id in answers.order_by("term_id", "scenario_id").values_list(
            "term_id", "scenario_id"
        ):
            self.by_answer.setdefault(term_id, []).append(scenario_id)

    def _item(self, scenario: Scenario) -> Item:
        rng = self.rng
        choices = list(scenario.choices.all())
        right = next(c for c in choices if c.is_correct)
        wrong = [(c.pk, c.term_id) for c in choices if not c.is_correct]
        # One scenario in ten is badly written: skill hardly changes the answer.
        slope = rng.uniform(0.0, 0.3) if rng.random() < 0.1 else rng.uniform(0.7, 2.2)
        return Item(
            id=scenario.pk,
            record=AskedScenario.of(scenario).to_record(),
            right=(right.pk, right.term_id),
            wrong=wrong,
            # Some wrong answers tempt more than others, so the confusion matrix has a shape.
            wrong_weights=[rng.expovariate(1.0) for _ in wrong],
            location=DIFFICULTY_LOCATION.get(scenario.difficulty, 0.0) + rng.gauss(0, 0.6),
            slope=slope,
            guess=1 / len(choices) if choices else 0.0,
        )

    # People and assignments ------------------------------------------------------------

    def _people(self, learners: int) -> None:
        rng = self.rng
        user_model = get_user_model()
        password = make_password(PASSWORD)
        grant(apps, {TRAINERS: ROLES[TRAINERS]})
        trainers_group = Group.objects.get(name=TRAINERS)

        def person(username: str) -> object:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            return user_model(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@load.termwise.example",
                password=password,
                date_joined=self.today - timedelta(days=rng.randint(30, 900)),
            )

        sizes = group_sizes(learners, rng)
        trainer_count = max(1, math.ceil(learners / LEARNERS_PER_TRAINER))
        trainers = [person(f"trainer{i:04d}") for i in range(1, trainer_count + 1)]
        people = [person(f"learner{i:05d}") for i in range(1, learners + 1)]
        user_model.objects.bulk_create(trainers + people, batch_size=BATCH)
        # Read the ids back by username: not every database returns them from bulk_create.
        ids = dict(
            user_model.objects.filter(
                username__in=[u.username for u in trainers + people]
            ).values_list("username", "pk")
        )
        self.trainer_ids = [ids[u.username] for u in trainers]
        groups = Group.objects.bulk_create(
            Group(name=f"{DEPARTMENTS[i % len(DEPARTMENTS)]} {i + 1:03d}")
            for i in range(len(sizes))
        )
        groups = list(Group.objects.filter(name__in=[g.name for g in groups]).order_by("name"))
        self.members: dict[int, list[int]] = {}
        links = [
            user_model.groups.through(user_id=t, group_id=trainers_group.pk)
            for t in self.trainer_ids
        ]
        start = 0
        for group, size in zip(groups, sizes, strict=True):
            members = [ids[u.username] for u in people[start : start + size]]
            start += size
            self.members[group.pk] = members
            links += [user_model.groups.through(user_id=m, group_id=group.pk) for m in members]
        user_model.groups.through.objects.bulk_create(links, batch_size=BATCH)
        self.groups = groups
        self.learner_ids = [ids[u.username] for u in people]
        self.skill = {user_id: rng.gauss(0.3, 1.0) for user_id in self.learner_ids}
        self.activity = {user_id: rng.lognormvariate(0, 0.5) for user_id in self.learner_ids}
        self.stats.learners, self.stats.trainers = len(people), len(trainers)
        self.stats.groups = len(groups)

    def _assignments(self) -> None:
        """Each group gets a few of the quizzes, through the service that trainers use; some
        are then moved into the past, as load_demo_data does, to be overdue."""
        rng = self.rng
        trainer_model = get_user_model()
        trainers = trainer_model.objects.in_bulk(self.trainer_ids)
        self.assigned: list[tuple[int, Assignment]] = []  # (learner id, assignment)
        local_today = self.today.date()
        for index, group in enumerate(self.groups):
            low, high = ASSIGNMENTS_PER_GROUP
            count = min(rng.randint(low, high), len(self.quizzes))
            for quiz in rng.sample(self.quizzes, count):
                due = local_today + timedelta(days=rng.randint(-120, 60))
                assignment = services.save_assignment(
                    trainer=trainers[self.trainer_ids[index % len(self.trainer_ids)]],
                    quiz=quiz,
                    users=[],
                    groups=[group],
                    due_date=max(due, local_today + timedelta(days=1)),
                    pass_mark=rng.choice([None, None, 60, 80]),
                    allow_duplicates=True,  # people in several groups: random overlaps
                )
                if due < local_today:
                    Assignment.objects.filter(pk=assignment.pk).update(due_date=due)
                    assignment.due_date = due
                self.stats.assignments += 1
                self.assigned += [(member, assignment) for member in self.members[group.pk]]

    # Attempts --------------------------------------------------------------------------

    def _draw(self, quiz: Quiz) -> list[Item]:
        """The questions of one attempt, drawn as Quiz.draw_scenarios draws them."""
        rng = self.rng
        if not quiz.is_practice:
            items = list(self.quiz_items[quiz.pk])
            if quiz.shuffle:
                rng.shuffle(items)
            return items
        count = quiz.question_count or 10
        chosen = [rng.choice(ids) for ids in self.by_answer.values()]
        rng.shuffle(chosen)
        chosen = chosen[:count]
        rest = [sid for ids in self.by_answer.values() for sid in ids if sid not in chosen]
        chosen += rng.sample(rest, min(count - len(chosen), len(rest)))
        rng.shuffle(chosen)
        return [self.items[scenario_id] for scenario_id in chosen]

    def _attempt(
        self,
        *,
        quiz: Quiz,
        skill: float,
        budget: int,
        user_id: int | None = None,
        session_key: str = "",
        assignment: Assignment | None = None,
        abandon: float = 0.03,
    ) -> Plan:
        """One attempt answered by someone of this skill, with at most `budget` answers; an
        attempt is left unfinished when abandoned or when the budget runs out."""
        rng = self.rng
        questions = self._draw(quiz)
        answering = len(questions)
        if rng.random() < abandon and answering > 1:
            answering = rng.randint(1, answering - 1)
        answering = min(answering, budget)
        started = self.today - timedelta(seconds=rng.randint(3600, 365 * 86400))
        moment = started
        answers = []
        for item in questions[:answering]:
            moment += timedelta(seconds=rng.randint(8, 90))
            if rng.random() < item.p_right(skill):
                answers.append((*item.right, True, moment))
            else:
                choice_id, term_id = rng.choices(item.wrong, item.wrong_weights)[0]
                answers.append((choice_id, term_id, False, moment))
        done = answering == len(questions)
        return Plan(
            quiz_id=quiz.pk,
            user_id=user_id,
            session_key=session_key,
            assignment_id=assignment.pk if assignment else None,
            started=started,
            questions=questions,
            answers=answers,
            finished=moment if done else None,
        )

    def _learner_attempts(self, budget: int) -> Iterator[Plan]:
        """Rounds of attempts until `budget` answers are given: in the first, most learners
        take each assignment; later, those who failed retake it (a little better each
        time), some retake anyway and some practise. A learner with an unfinished attempt
        of an assignment takes it no further (the site would resume that attempt)."""
        rng = self.rng
        tries: dict[tuple[int, int], int] = {}
        passed: set[tuple[int, int]] = set()
        open_: set[tuple[int, int]] = set()
        by_learner: dict[int, list[Assignment]] = {}
        for learner, assignment in self.assigned:
            by_learner.setdefault(learner, []).append(assignment)
        first_round = list(self.assigned)
        rng.shuffle(first_round)

        def take(learner: int, assignment: Assignment | None) -> Plan:
            quiz = assignment.quiz if assignment else self.practice
            key = (learner, assignment.pk if assignment else 0)
            skill = self.skill[learner] + 0.3 * tries.get(key, 0)
            tries[key] = tries.get(key, 0) + 1
            plan = self._attempt(
                quiz=quiz, skill=skill, budget=budget, user_id=learner, assignment=assignment
            )
            if assignment is not None:
                if plan.finished is None:
                    open_.add(key)
                elif 100 * plan.score >= assignment.effective_pass_mark * len(plan.questions):
                    passed.add(key)
            return plan

        for learner, assignment in first_round:
            if budget <= 0:
                return
            if rng.random() < 0.92:
                plan = take(learner, assignment)
                budget -= len(plan.answers)
                yield plan
        learners = list(by_learner) or list(self.learner_ids)
        while budget > 0:
            if not self.practice and len(open_) == len(self.assigned):
                return  # every assignment is being resumed and there is nothing to practise
            rng.shuffle(learners)
            for learner in learners:
                activity = self.activity[learner]
                for assignment in by_learner.get(learner, []):
                    key = (learner, assignment.pk)
                    if key in open_ or budget <= 0:
                        continue
                    chance = 0.7 if key not in passed else 0.1
                    if rng.random() < min(chance * activity, 0.95):
                        plan = take(learner, assignment)
                        budget -= len(plan.answers)
                        yield plan
                if budget > 0 and self.practice and rng.random() < min(0.4 * activity, 0.95):
                    plan = take(learner, None)
                    budget -= len(plan.answers)
                    yield plan
                if budget <= 0:
                    return

    def _visitor_attempts(self, budget: int) -> Iterator[Plan]:
        """Visitors practising, one to three attempts per browser session."""
        rng = self.rng
        alphabet = string.ascii_lowercase + string.digits
        while budget > 0:
            session_key = "".join(rng.choices(alphabet, k=32))
            skill = rng.gauss(-0.3, 1.0)
            for _ in range(rng.randint(1, 3)):
                plan = self._attempt(
                    quiz=self.practice,
                    skill=skill,
                    budget=budget,
                    session_key=session_key,
                    abandon=0.2,
                )
                budget -= len(plan.answers)
                self.stats.visitor_attempts += 1
                yield plan
                if budget <= 0:
                    return

    def _write(self, plans: Iterator[Plan]) -> None:
        chunk: list[Plan] = []
        for plan in plans:
            chunk.append(plan)
            if len(chunk) >= CHUNK:
                self._write_chunk(chunk)
                chunk = []
        if chunk:
            self._write_chunk(chunk)

    def _write_chunk(self, plans: list[Plan]) -> None:
        attempts = Attempt.objects.bulk_create(
            (
                Attempt(
                    quiz_id=plan.quiz_id,
                    user_id=plan.user_id,
                    session_key=plan.session_key,
                    assignment_id=plan.assignment_id,
                    started=plan.started,
                    finished=plan.finished,
                    total=len(plan.questions),
                    score=plan.score,
                )
                for plan in plans
            ),
            batch_size=BATCH,
        )
        questions = []
        responses = []
        for plan, attempt in zip(plans, attempts, strict=True):
            for position, item in enumerate(plan.questions, start=1):
                questions.append((attempt.pk, item.id, position, item))
            for item, (chosen, term_id, right, answered) in zip(
                plan.questions, plan.answers, strict=False
            ):
                responses.append(
                    (attempt.pk, item.id, chosen, term_id, item.right[1], right, answered)
                )
            self.stats.finished += plan.finished is not None
        insert(
            AttemptQuestion,
            ["attempt_id", "scenario_id", "position", "record"],
            questions,
        )
        insert(
            Response,
            ["attempt_id", "scenario_id", "chosen", "term_id", "correct_term_id", "is_correct",
             "answered"],
            responses,
        )  # fmt: skip
        self.stats.attempts += len(plans)
        # With DEBUG on, Django keeps the last 9,000 queries' SQL: megabytes per INSERT here.
        reset_queries()
        self.stats.questions += len(questions)
        self.stats.responses += len(responses)
