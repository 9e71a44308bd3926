"""generate_load_data: a realistic organisation on top of the loaded content, at small sizes
(the 10,000-learner, 1,000,000-response run is measured by hand, not here)."""

import hashlib
import random
from collections import Counter

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from quiz import reports
from quiz.management.commands.generate_load_data import group_sizes, keys_checked_at_the_end
from quiz.models import (
    AskedScenario,
    Assignment,
    Attempt,
    AttemptQuestion,
    QuizTally,
    Response,
    Scenario,
    choices_with_terms,
)
from quiz.roles import ROLES, TRAINERS

LEARNERS, RESPONSES = 60, 3000


@pytest.fixture
def content(db):
    call_command("load_content")


@pytest.fixture
def generated(content, capsys):
    call_command("generate_load_data", learners=LEARNERS, responses=RESPONSES, seed=7)
    return capsys.readouterr().out


def learners():
    return User.objects.filter(is_staff=False).exclude(groups__name=TRAINERS)


def digest() -> str:
    """The generated rows by their natural values (not their ids, which the database picks)."""
    rows = [
        list(
            User.objects.order_by("username").values_list("username", "first_name", "groups__name")
        ),
        list(
            Assignment.objects.order_by("groups__name", "quiz__slug").values_list(
                "groups__name", "quiz__slug", "trainer__username", "due_date", "pass_mark"
            )
        ),
        list(
            Attempt.objects.order_by("started", "user__username", "session_key").values_list(
                "user__username",
                "session_key",
                "quiz__slug",
                "assignment__groups__name",
                "started",
                "finished",
                "score",
                "total",
            )
        ),
        list(
            Response.objects.order_by(
                "answered", "attempt__user__username", "scenario__slug"
            ).values_list("attempt__session_key", "scenario__slug", "term__slug", "is_correct")
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.parametrize("learners", [1, 19, 20, 21, 39, 40, 41, 79, 100, 1001])
def test_group_sizes_add_up_and_stay_in_range(learners):
    sizes = group_sizes(learners, random.Random(learners))
    assert sum(sizes) == learners
    if learners >= 20:
        assert all(20 <= size <= 40 for size in sizes)
    else:
        assert sizes == [learners]


def test_counts_and_groups_are_as_asked(generated):
    assert "60 learners" in generated and "3000 responses" in generated
    assert learners().count() == LEARNERS
    assert Response.objects.count() == RESPONSES
    teams = Group.objects.exclude(name__in=ROLES).annotate(n=Count("user"))
    assert teams and all(20 <= team.n <= 40 for team in teams)
    assert sum(team.n for team in teams) == LEARNERS
    # Each learner is in one team; trainers hold the role and its permissions.
    assert not learners().annotate(n=Count("groups")).exclude(n=1).exists()
    trainers = User.objects.filter(groups__name=TRAINERS)
    assert trainers and all(t.has_perm("quiz.add_assignment") for t in trainers)
    for team in teams:
        assert 2 <= team.assignments.count() <= 4
    assert Assignment.objects.filter(trainer__in=trainers).count() == Assignment.objects.count()
    # Every account shares one cheap-to-make hash, and it works.
    assert User.objects.values("password").distinct().count() == 1
    assert trainers[0].check_password("termwise-load")
    # Visitors practised too.
    visitors = Attempt.objects.filter(user=None)
    assert visitors.exists() and not visitors.filter(session_key="").exists()
    assert not Attempt.objects.filter(user__isnull=False).exclude(session_key="").exists()


def test_every_attempt_is_consistent(generated):
    scenarios = Scenario.objects.prefetch_related(choices_with_terms()).in_bulk()
    records = {pk: AskedScenario.of(s).to_record() for pk, s in scenarios.items()}
    attempts = Attempt.objects.annotate(
        right=Count("responses", filter=Q(responses__is_correct=True), distinct=True),
        answered=Count("responses", distinct=True),
        asked=Count("questions", distinct=True),
    )
    for attempt in attempts:
        assert attempt.score == attempt.right
        assert attempt.total == attempt.asked > 0
        if attempt.finished:
            assert attempt.answered == attempt.total
            assert attempt.finished >= attempt.started
        else:
            assert attempt.answered < attempt.total
    # Records are the scenarios as asked; answers are graded against them, in order.
    questions = {(q.attempt_id, q.scenario_id): q for q in AttemptQuestion.objects.all().iterator()}
    for question in questions.values():
        assert question.record == records[question.scenario_id]
    positions: dict[int, set[int]] = {}
    for response in Response.objects.all().iterator():
        question = questions[(response.attempt_id, response.scenario_id)]
        asked = question.asked
        chosen = asked.choice(response.chosen)
        assert chosen is not None
        assert response.is_correct == chosen.is_correct
        assert response.term_id == chosen.term.pk
        assert response.correct_term_id == asked.correct.term.pk
        positions.setdefault(response.attempt_id, set()).add(question.position)
    # Answers fill the first questions of an attempt, in order: none skipped.
    for taken in positions.values():
        assert taken == set(range(1, len(taken) + 1))
    # At most one unfinished attempt per learner and assignment.
    open_ = Attempt.objects.filter(finished=None).exclude(assignment=None)
    pairs = Counter(open_.values_list("assignment_id", "user_id"))
    assert all(n == 1 for n in pairs.values())


def test_the_same_seed_gives_the_same_rows(generated):
    first = digest()
    call_command("generate_load_data", learners=LEARNERS, responses=RESPONSES, seed=7, force=True)
    assert digest() == first
    call_command("generate_load_data", learners=LEARNERS, responses=RESPONSES, seed=8, force=True)
    assert digest() != first
    assert Response.objects.count() == RESPONSES and learners().count() == LEARNERS


def test_refuses_a_database_with_learners_unless_forced(content):
    User.objects.create_user("someone")
    with pytest.raises(CommandError, match="already holds learners"):
        call_command("generate_load_data", learners=LEARNERS, responses=RESPONSES)
    assert not Attempt.objects.exists()
    call_command("generate_load_data", learners=LEARNERS, responses=RESPONSES, force=True)
    assert not User.objects.filter(username="someone").exists()
    assert Response.objects.count() == RESPONSES


def test_staff_do_not_count_as_learners_and_stay(content):
    User.objects.create_user("admin", is_staff=True)
    call_command("generate_load_data", learners=30, responses=500)
    assert User.objects.filter(username="admin").exists()
    assert Response.objects.count() == 500


def test_needs_published_content(db):
    with pytest.raises(CommandError, match="load_content"):
        call_command("generate_load_data", learners=10, responses=100)


def test_reports_answer_on_the_generated_data(generated):
    trainer = User.objects.filter(groups__name=TRAINERS).first()
    client = Client()
    client.force_login(trainer)
    assert client.get(reverse("trainer:index")).status_code == 200
    assignment = Assignment.objects.select_related("quiz").first()
    for url in [
        reverse("trainer:assignment", args=[assignment.pk]),
        reverse("trainer:assignment_learners_csv", args=[assignment.pk]),
        reverse("trainer:assignment_responses_csv", args=[assignment.pk]),
        reverse("trainer:quiz", args=[assignment.quiz.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        if not url.endswith(".csv"):
            assert b"learner" in response.content
    progress = reports.progress_by_assignment(list(Assignment.objects.select_related("quiz")))
    statuses = {row.status for rows in progress.values() for row in rows}
    assert len(statuses) >= 3
    matrix = reports.confusion_matrix(QuizTally.objects.all())
    assert matrix is not None


def test_facility_varies_and_discrimination_is_mostly_positive(content):
    call_command("generate_load_data", learners=120, responses=12000, seed=3)
    statistics = reports.scenario_statistics(QuizTally.objects.all())
    shares = [s.share_correct for s in statistics.values() if s.enough_answers]
    assert len(shares) >= 20
    assert max(shares) - min(shares) > 0.3
    indices = [s.discrimination for s in statistics.values() if s.discrimination is not None]
    assert len(indices) >= 20
    assert sum(r > 0 for r in indices) >= 0.8 * len(indices)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's key checks are skipped, then redone"
)
def test_keys_skipped_while_writing_are_all_checked_at_the_end(generated):
    """On PostgreSQL the load writes without a per-row check of each foreign key, then checks
    every key in one pass: the rows it wrote pass; a row that points at nothing fails it."""
    with transaction.atomic(), keys_checked_at_the_end(Attempt, AttemptQuestion, Response):
        pass  # what the load wrote is checked here too
    attempt = Attempt.objects.first()
    broken = pytest.raises(CommandError, match=r"quiz_response\.scenario_id point at nothing")
    with broken, transaction.atomic(), keys_checked_at_the_end(Response):
        Response.objects.create(attempt=attempt, scenario_id=10**9, chosen=1, is_correct=False)
    assert not Response.objects.filter(scenario_id=10**9).exists()
