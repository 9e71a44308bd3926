"""`make bench`: the figures of issue 13 at company scale, on SQLite and on PostgreSQL, as one
table (docs/performance.md).

For each database this builds a fresh organisation with `generate_load_data` (10,000 learners
and 1,000,000 responses unless told otherwise), serves it with gunicorn and the production
settings (tests/bench/settings.py), and measures every figure as a browser would see it,
over HTTP: the trainer's pages and downloads, a learner's page, the term page's requests per
second against a hello-world view in the same server, and 32 learners answering together.

    python -m tests.bench.scale [--learners N] [--responses M] [--databases sqlite,postgresql]

Each database is measured by a process of its own (`--leg`), since Django's settings are
read once per process; the parent prints the table from what the legs report.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from tests.gunicorn import gunicorn

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "termwise_bench"
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database number of its own, flushed first
PASSWORD = "termwise-load"  # generate_load_data's
SEED = 1
WORKERS = 3  # gunicorn workers, as docs/operations.md runs it
LEARNERS_ANSWERING = 32
ANSWER_INTERVAL = 0.32  # seconds between one learner's answers: 32 learners, 100 answers/s
ATTEMPT_LENGTH = 10 * ANSWER_INTERVAL  # the practice quiz asks 10 questions
WARM_UP_SECONDS = 5.0
THROUGHPUT_ROUNDS = 3


# --- Talking to the server -------------------------------------------------------------------


@dataclass
class Timing:
    status: int
    first_byte: float  # seconds until the status line and headers arrived
    total: float  # seconds until the last byte
    body: bytes
    headers: dict[str, str]


@dataclass
class Browser:
    """Just enough of a browser: cookies, the CSRF header, and the `X-Forwarded-Proto` a
    TLS-terminating proxy adds (production redirects plain HTTP to HTTPS otherwise)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Timing:
        return self.send("GET", path, headers=headers)

    def post(self, path: str, data: dict[str, object], htmx: bool = False) -> Timing:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{self.port}",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }
        if htmx:
            headers["HX-Request"] = "true"
        return self.send("POST", path, urlencode(data).encode(), headers)

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Timing:
        sent = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            start = time.perf_counter()
            connection.request(method, path, body, sent)
            response = connection.getresponse()
            first_byte = time.perf_counter() - start
            content = response.read()
            total = time.perf_counter() - start
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie, _, rest = value.partition("=")
                    self.cookies[cookie] = rest.split(";", 1)[0]
            received = {name.lower(): value for name, value in response.getheaders()}
            return Timing(response.status, first_byte, total, content, received)
        finally:
            connection.close()

    def first_byte(self, path: str) -> tuple[int, float, float, int]:
        """A download's status, seconds to its first body bytes, seconds in all, and lines."""
        sent = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            start = time.perf_counter()
            connection.request("GET", path, headers=sent)
            response = connection.getresponse()
            first = response.read1(65536)
            first_byte = time.perf_counter() - start
            lines = first.count(b"\n")
            while chunk := response.read1(1 << 20):
                lines += chunk.count(b"\n")
            return response.status, first_byte, time.perf_counter() - start, lines
        finally:
            connection.close()

    def log_in(self, username: str) -> None:
        self.get("/accounts/login/")
        done = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        if done.status != 302:
            raise RuntimeError(f"{username} could not log in ({done.status})")


def median_time(call: Callable[[], Timing], runs: int) -> float:
    """The median wall-clock time of `runs` calls after one to warm up (each must be 200)."""
    times = []
    for _ in range(runs + 1):
        timing = call()
        if timing.status != 200:
            raise RuntimeError(f"got {timing.status}: {timing.body[:300]!r}")
        times.append(timing.total)
    return statistics.median(times[1:])


def _hammer(
    port: int,
    path: str,
    headers: dict[str, str],
    cookies: dict[str, str],
    seconds: float,
    threads: int,
):
    """One process's share of a throughput run: (requests answered as expected, others)."""
    done = [0, 0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    expected = 304 if "If-None-Match" in headers else 200

    def loop():
        browser = Browser(port, dict(cookies))
        good = bad = 0
        while time.perf_counter() < deadline:
            status = browser.get(path, headers).status
            good, bad = (good + 1, bad) if status == expected else (good, bad + 1)
        with lock:
            done[0] += good
            done[1] += bad

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done


def requests_per_second(
    port: int, path: str, headers: dict[str, str], cookies: dict[str, str], seconds: float
) -> float:
    """Requests per second answered by the server with `WORKERS` gunicorn workers, from two
    client processes of four threads each (one process alone cannot keep up), each thread a
    browser holding `cookies`."""
    with ProcessPoolExecutor(2) as pool:
        args = (port, path, headers, cookies, seconds, 4)
        runs = [pool.submit(_hammer, *args) for _ in range(2)]
        results = [run.result() for run in runs]
    good = sum(result[0] for result in results)
    bad = sum(result[1] for result in results)
    if bad:
        raise RuntimeError(f"{path}: {bad} unexpected answers in a throughput run")
    return good / seconds


# --- Learners answering together ---------------------------------------------------------------

CHOICE = re.compile(rb'name="choice" value="(\d+)"')
QUESTION_OF = re.compile(rb"Question (\d+) of (\d+)")


@dataclass
class AnswerLoad:
    latencies: list[float] = field(default_factory=list)  # counted requests: start, open, answer
    answers: int = 0  # answers the server accepted (200) in the counted window
    accepted: int = 0  # answers it accepted in all, to compare with what it stored
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _learner(
    browser: Browser, quiz: str, begin: float, opens: float, deadline: float, load: AnswerLoad
) -> None:
    """One learner, logged in, from `begin` on: starts an attempt, then opens a question and
    answers it every ANSWER_INTERVAL seconds (opening the next by htmx, as the "Next
    question" button does), starting a new attempt when one is finished. What is sent from
    `opens` on is counted."""
    rng = random.Random(browser.cookies["sessionid"])
    next_tick = begin
    path = None
    while True:
        time.sleep(max(0.0, next_tick - time.perf_counter()))
        sent = time.perf_counter()
        if sent >= deadline:
            return
        next_tick += ANSWER_INTERVAL
        try:
            timings = []
            if path is None:
                started = browser.post(f"/quiz/{quiz}/start/", {})
                if started.status != 303:
                    raise RuntimeError(f"start: {started.status}")
                timings.append(started.total)
                path = started.headers["location"]
            opened = browser.get(path, {"HX-Request": "true"})
            answered = browser.post(path, {"choice": rng.choice(CHOICE.findall(opened.body))}, True)
            timings += [opened.total, answered.total]
            accepted = opened.status == 200 and answered.status == 200
            with load.lock:
                load.accepted += accepted
                if sent >= opens:
                    load.latencies += timings
                    load.answers += accepted
                if not accepted:
                    load.errors.append(f"{opened.status} then {answered.status} at {path}")
            position, total = map(int, QUESTION_OF.search(answered.body).groups())
            attempt_path = path.rsplit("/questions/", 1)[0]
            path = None if position == total else f"{attempt_path}/questions/{position + 1}/"
        except Exception as error:
            with load.lock:
                load.errors.append(repr(error))
            path = None


def answers_under_load(
    port: int, learners: list[str], quiz: str, seconds: float, *, in_step: bool = False
) -> AnswerLoad:
    """The learners answering together for `seconds`. As people do, each begins at a moment
    of their own within one attempt's length, and the clock starts once all have begun; so
    that starting and finishing attempts (the costlier requests) are spread out as they
    would be. `in_step`: all begin within one ANSWER_INTERVAL, so that every attempt starts
    and finishes at the same moment as the others, and the clock starts at once."""
    browsers = [Browser(port) for _ in learners]
    for browser, username in zip(browsers, learners, strict=True):
        browser.log_in(username)  # before the clock starts: a login hashes a password
    load = AnswerLoad()
    rng = random.Random(SEED)
    spread = ANSWER_INTERVAL if in_step else ATTEMPT_LENGTH
    now = time.perf_counter()
    begins = [now + rng.random() * spread for _ in learners]
    opens = now if in_step else max(begins)
    deadline = opens + seconds
    threads = [
        threading.Thread(target=_learner, args=(browser, quiz, begin, opens, deadline, load))
        for browser, begin in zip(browsers, begins, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return load


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


# --- One database ------------------------------------------------------------------------------


def _manage(env: dict[str, str], *args: str) -> None:
    print(f"  manage.py {' '.join(args)}", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _environment(database: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "SECRET_KEY": "bench-" + "b" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
    }
    if database == "sqlite":
        path = Path(tempfile.gettempdir()) / f"termwise-bench-{os.getpid()}.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        env["DATABASE_URL"] = f"{POSTGRES}/{BENCH_DATABASE}"
        if _redis_answers():
            env["REDIS_URL"] = REDIS_URL
    return env


def _redis_answers() -> bool:
    try:
        import redis

        store = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        store.flushdb()
        return True
    except Exception:
        return False


@dataclass
class Cast:
    """Who and what the measurements use, picked from the generated organisation."""

    trainer: str
    assignment: int
    quiz: str  # the quiz with the most responses
    quiz_responses: int
    learner: str  # 100 finished attempts
    answering: list[str]
    practice: str  # the quiz the answering learners take
    term: str  # a term page's path


def cast_and_setup(learner_attempts: int = 100) -> Cast:
    """Picks the cast, and gives one learner `learner_attempts` finished attempts through the
    answering service (Django is set up in this process by then)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.db.models import Count

    from glossary.models import Term
    from quiz import services
    from quiz.models import Assignment, AttemptQuestion, Quiz, Response
    from quiz.roles import TRAINERS

    trainer = User.objects.filter(groups__name=TRAINERS).order_by("pk").first()
    assignment = (
        Assignment.objects.annotate(n=Count("attempts__responses")).order_by("-n", "pk").first()
    )
    busiest = (
        Response.objects.values("attempt__quiz").annotate(n=Count("pk")).order_by("-n").first()
    )
    quiz = Quiz.objects.get(pk=busiest["attempt__quiz"])
    practice = Quiz.objects.published().filter(is_practice=True).order_by("pk").first()
    group = assignment.groups.first()
    # Learners from every assigned group: one group may hold fewer than 32 (they have 20–40).
    learners = User.objects.filter(groups__assignments__isnull=False).exclude(groups__name=TRAINERS)
    answering = list(
        learners.distinct().order_by("pk").values_list("username", flat=True)[:LEARNERS_ANSWERING]
    )
    if len(answering) < LEARNERS_ANSWERING:
        raise RuntimeError(f"only {len(answering)} learners to answer together")
    learner = User.objects.create_user("bench-learner", password=PASSWORD)
    group.user_set.add(learner)
    rng = random.Random(SEED)
    for _ in range(learner_attempts):
        attempt = services.start_attempt(quiz=practice, user=learner, rng=rng)
        for question in AttemptQuestion.objects.filter(attempt=attempt):
            choice = rng.choice(question.asked.choices).pk
            services.answer_question(attempt=attempt, question=question, choice=choice)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    term = Term.objects.published().order_by("pk").first()
    return Cast(
        trainer=trainer.username,
        assignment=assignment.pk,
        quiz=quiz.slug,
        quiz_responses=busiest["n"],
        learner=learner.username,
        answering=answering,
        practice=practice.slug,
        term=term.get_absolute_url(),
    )


def stored_answers(usernames: list[str], since: float) -> tuple[int, int]:
    """Answers stored for these learners since `since` (a UNIX time), and how many of those
    repeat a question already answered in the same attempt (must be none)."""
    from datetime import UTC, datetime

    from django.db.models import Count

    from quiz.models import Response

    answers = Response.objects.filter(
        attempt__user__username__in=usernames,
        answered__gte=datetime.fromtimestamp(since, UTC),
    )
    repeats = answers.values("attempt", "scenario").annotate(n=Count("pk")).filter(n__gt=1).count()
    return answers.count(), repeats


def leg(database: str, options: argparse.Namespace) -> dict[str, object]:
    env = _environment(database)
    try:
        return _measure(env, database, options)
    finally:
        _drop(env)


def _drop(env: dict[str, str]) -> None:
    """Remove the benchmark's database: a million responses take room."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    import psycopg
    from django.conf import settings
    from django.db import connections

    if settings.configured:
        connections.close_all()
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def _measure(env: dict[str, str], database: str, options: argparse.Namespace) -> dict[str, object]:
    learners, responses = options.learners, options.responses
    seconds, load_seconds = options.seconds, options.load_seconds
    started = time.perf_counter()
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "createcachetable")
    _manage(env, "load_content", "-v0")
    args = ["--learners", str(learners), "--responses", str(responses), "--seed", str(SEED)]
    _manage(env, "generate_load_data", *args)
    generated = time.perf_counter() - started
    os.environ.update(env)
    import django

    django.setup()
    cast = cast_and_setup(options.learner_attempts)
    figures: dict[str, object] = {"generate_seconds": generated, "database": database}
    figures["quiz_responses"] = cast.quiz_responses
    with gunicorn(env, workers=WORKERS, timeout=600) as port:
        trainer = Browser(port)
        trainer.log_in(cast.trainer)
        figures["trainer_index"] = median_time(lambda: trainer.get("/trainer/"), 5)
        report = f"/trainer/assignments/{cast.assignment}/"
        figures["assignment_report"] = median_time(lambda: trainer.get(report), 5)
        quiz_report = f"/trainer/quizzes/{cast.quiz}/"
        figures["quiz_report"] = median_time(lambda: trainer.get(quiz_report), 5)
        firsts = [trainer.first_byte(f"{quiz_report}learners.csv")[1] for _ in range(3)]
        figures["learners_csv_first_byte"] = statistics.median(firsts)
        status, first, total, lines = trainer.first_byte(f"{quiz_report}responses.csv")
        assert status == 200, status
        figures["responses_csv_first_byte"] = first
        figures["responses_csv_rows"] = lines - 1
        figures["responses_csv_rows_per_second"] = (lines - 1) / total

        learner = Browser(port)
        learner.log_in(cast.learner)
        figures["me"] = median_time(lambda: learner.get("/me/"), 10)

        visitor = Browser(port)
        page = visitor.get(cast.term)
        assert page.status == 200, page.status
        signed_in = learner.get(cast.term)
        # Signed in, and staying so: the page sets no cookie at all (no new session, and no
        # CSRF token to renew since "Log out" is a link).
        assert b"Log out" in signed_in.body
        assert "set-cookie" not in signed_in.headers, signed_in.headers["set-cookie"]
        runs = {
            "hello_rps": ("/bench/hello/", {}, {}),
            # What a visitor gets: from the page cache once someone has asked for it.
            "term_rps": (cast.term, {}, {}),
            # A signed-in learner, with the cookies their login set: the cached page with
            # their own account links spliced in.
            "term_signed_in_rps": (cast.term, {}, learner.cookies),
        }
        if etag := page.headers.get("etag"):
            runs["term_304_rps"] = (cast.term, {"If-None-Match": etag}, {})
        # Each rate is the median of rounds in which the runs take turns: this machine's
        # speed drifts over a minute, and two runs far apart compare the drift as much as
        # the pages.
        rates: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(THROUGHPUT_ROUNDS):
            for name, (path, headers, cookies) in runs.items():
                rates[name].append(requests_per_second(port, path, headers, cookies, seconds))
        figures.update({name: statistics.median(values) for name, values in rates.items()})

        since = time.time()
        # Not counted: each worker's first answers read what it keeps per content version
        # and compile the answer path's queries (glossary.reusable), once per process.
        warm_seconds = min(WARM_UP_SECONDS, load_seconds)
        warm_up = answers_under_load(port, cast.answering, cast.practice, warm_seconds)
        load = answers_under_load(port, cast.answering, cast.practice, load_seconds)
        in_step = answers_under_load(
            port, cast.answering, cast.practice, load_seconds, in_step=True
        )
        stored, repeats = stored_answers(cast.answering, since - 1)
        figures["answers"] = warm_up.accepted + load.accepted + in_step.accepted
        figures["answers_per_second"] = load.answers / load_seconds
        figures["answer_p99"] = percentile(load.latencies, 0.99)
        figures["answer_p50"] = percentile(load.latencies, 0.50)
        figures["in_step_p99"] = percentile(in_step.latencies, 0.99)
        figures["in_step_p50"] = percentile(in_step.latencies, 0.50)
        errors = warm_up.errors + load.errors + in_step.errors
        figures["answer_errors"] = len(errors)
        figures["answer_error_sample"] = errors[:3]
        figures["answers_stored"] = stored
        figures["answers_repeated"] = repeats
    return figures


# --- The table ---------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    goal: str
    show: Callable[[dict], str]
    met: Callable[[dict], bool | None]  # None: shown for the record, with no goal


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def _ratio(figures: dict, key: str) -> float | None:
    value = figures.get(key)
    return value / figures["hello_rps"] if value is not None else None


ROWS = [
    Row(
        "assignment report",
        "< 0.5 s",
        lambda f: _ms(f["assignment_report"]),
        lambda f: f["assignment_report"] < 0.5,
    ),
    Row(
        "quiz report", "< 0.5 s", lambda f: _ms(f["quiz_report"]), lambda f: f["quiz_report"] < 0.5
    ),
    Row(
        "trainer index",
        "< 0.5 s",
        lambda f: _ms(f["trainer_index"]),
        lambda f: f["trainer_index"] < 0.5,
    ),
    Row(
        "learners CSV, first byte",
        "< 1 s",
        lambda f: _ms(f["learners_csv_first_byte"]),
        lambda f: f["learners_csv_first_byte"] < 1,
    ),
    Row(
        "responses CSV, first byte",
        "< 1 s",
        lambda f: _ms(f["responses_csv_first_byte"]),
        lambda f: f["responses_csv_first_byte"] < 1,
    ),
    Row(
        "responses CSV, rows/s",
        "≥ 100,000",
        lambda f: f"{f['responses_csv_rows_per_second']:,.0f} ({f['responses_csv_rows']:,} rows)",
        lambda f: f["responses_csv_rows_per_second"] >= 100_000,
    ),
    Row("/me/, 100 attempts", "< 50 ms", lambda f: _ms(f["me"]), lambda f: f["me"] < 0.05),
    Row(
        "term page, visitor (cache) ÷ hello-world",
        "≥ 0.90×",
        lambda f: f"{_ratio(f, 'term_rps'):.2f}× ({f['term_rps']:,.0f} / {f['hello_rps']:,.0f})",
        lambda f: _ratio(f, "term_rps") >= 0.90,
    ),
    Row(
        "term page, signed in ÷ hello-world",
        "≥ 0.70×",
        lambda f: f"{_ratio(f, 'term_signed_in_rps'):.2f}× ({f['term_signed_in_rps']:,.0f})",
        lambda f: _ratio(f, "term_signed_in_rps") >= 0.70,
    ),
    Row(
        "term page 304 ÷ hello-world",
        "≥ 0.90×",
        lambda f: (
            "no ETag"
            if "term_304_rps" not in f
            else f"{_ratio(f, 'term_304_rps'):.2f}× ({f['term_304_rps']:,.0f})"
        ),
        lambda f: "term_304_rps" in f and _ratio(f, "term_304_rps") >= 0.90,
    ),
    Row(
        "32 learners, 100 answers/s: p99",
        "< 100 ms",
        lambda f: (
            f"{_ms(f['answer_p99'])} (p50 {_ms(f['answer_p50'])}, "
            f"{f['answers_per_second']:.0f} answers/s)"
        ),
        lambda f: f["answer_p99"] < 0.1 and f["answers_per_second"] >= 95,
    ),
    Row(
        "… all 32 in step: p99 (for the record)",
        "",
        lambda f: f"{_ms(f['in_step_p99'])} (p50 {_ms(f['in_step_p50'])})",
        lambda f: None,
    ),
    Row(
        "… errors; answers stored once",
        "0; all",
        lambda f: (
            f"{f['answer_errors']}; {f['answers_stored']:,} of {f['answers']:,}"
            + (f", {f['answers_repeated']} twice" if f["answers_repeated"] else "")
        ),
        lambda f: (
            f["answer_errors"] == 0
            and f["answers_stored"] == f["answers"]
            and not f["answers_repeated"]
        ),
    ),
]


def table(legs: dict[str, dict]) -> str:
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    header = ["figure", "goal"]
    for database in legs:
        header += [names[database], "met"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for row in ROWS:
        cells = [row.label, row.goal]
        for figures in legs.values():
            try:
                met = row.met(figures)
                cells += [row.show(figures), "" if met is None else "yes" if met else "**no**"]
            except (KeyError, TypeError):
                cells += ["not measured", "**no**"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=float, default=8, help="per throughput run")
    parser.add_argument("--load-seconds", type=float, default=30, help="of answering together")
    parser.add_argument(
        "--learner-attempts", type=int, default=100, help="of the learner whose /me/ is timed"
    )
    parser.add_argument("--leg", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.leg:
        figures = leg(options.leg, options)
        Path(options.out).write_text(json.dumps(figures))
        return
    legs = {}
    for database in options.databases.split(","):
        if database == "postgresql" and not _postgres_answers():
            print(f"PostgreSQL does not answer at {POSTGRES}: skipped", file=sys.stderr)
            continue
        print(f"{database}: generating and measuring…", file=sys.stderr, flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [sys.executable, "-m", "tests.bench.scale", "--leg", database]
            command += ["--learners", str(options.learners), "--responses", str(options.responses)]
            command += ["--seconds", str(options.seconds), "--out", out.name]
            command += ["--load-seconds", str(options.load_seconds)]
            command += ["--learner-attempts", str(options.learner_attempts)]
            subprocess.run(command, cwd=ROOT, check=True)
            legs[database] = json.loads(Path(out.name).read_text())
    print(
        f"\n{options.learners:,} learners, {options.responses:,} responses; "
        f"gunicorn with {WORKERS} workers; {os.cpu_count()} CPUs\n"
    )
    print(table(legs))
    for database, figures in legs.items():
        for error in figures.get("answer_error_sample", []):
            print(f"{database}: {error}")


if __name__ == "__main__":
    main()
