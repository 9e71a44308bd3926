"""Assignment services and the rules that decide where each learner stands."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from quiz import reports, services
from quiz.models import Assignment, Attempt, LearnerStatus, QuizTally, assignee_links
from quiz.reports import (
    assignments_of_learner,
    learner_status,
    progress_by_assignment,
    scenario_statistics,
    summarise,
)
from tests.factories import UserFactory
from tests.quiz.factories import make_assignment, make_finished_attempt

pytestmark = pytest.mark.django_db


def _answers(setup, right: int):
    """The fixed quiz answered with the first `right` questions right and the rest wrong."""
    picks = {}
    for index, scenario in enumerate(setup.scenarios):
        choice = scenario.choices.filter(is_correct=index < right).first()
        picks[scenario] = choice.term
    return picks


def _status_of(assignment, user):
    rows = progress_by_assignment([assignment])[assignment.pk]
    return next(row for row in rows if row.user_id == user.pk)


@pytest.mark.parametrize(
    ("finished", "unfinished", "best", "overdue", "expected"),
    [
        (0, 0, None, False, LearnerStatus.NOT_STARTED),
        (0, 1, None, False, LearnerStatus.IN_PROGRESS),
        (0, 0, None, True, LearnerStatus.OVERDUE),
        (0, 1, None, True, LearnerStatus.OVERDUE),
        (1, 0, 70, False, LearnerStatus.PASSED),
        (1, 0, 69, False, LearnerStatus.FAILED),
        (2, 1, 69, True, LearnerStatus.FAILED),
        (1, 0, 100, True, LearnerStatus.PASSED),
    ],
)
def test_learner_status_rules(finished, unfinished, best, overdue, expected):
    status = learner_status(
        finished=finished, unfinished=unfinished, best_percent=best, pass_mark=70, overdue=overdue
    )
    assert status == expected


def test_save_assignment_refuses_a_past_due_date_and_no_assignees(training):
    quiz, team = training.fixed, training.team
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the past"):
        services.save_assignment(
            trainer=None, quiz=quiz, users=[], groups=[team], due_date=yesterday
        )
    with pytest.raises(ValidationError, match="at least one person or group"):
        services.save_assignment(
            trainer=None, quiz=quiz, users=[], groups=[], due_date=timezone.localdate()
        )
    assert Assignment.objects.count() == 1


def test_an_overdue_assignment_can_still_be_edited_without_moving_its_date(training):
    assignment = training.assignment
    past = timezone.localdate() - timedelta(days=3)
    Assignment.objects.filter(pk=assignment.pk).update(due_date=past)
    assignment.refresh_from_db()
    services.save_assignment(
        assignment=assignment,
        trainer=None,
        quiz=assignment.quiz,
        users=[training.outsider],
        groups=[],
        due_date=past,
        note="Late, but still wanted",
    )
    assignment.refresh_from_db()
    assert assignment.note == "Late, but still wanted"
    assert list(assignment.assignees()) == [training.outsider]
    with pytest.raises(ValidationError):
        services.save_assignment(
            assignment=assignment,
            trainer=None,
            quiz=assignment.quiz,
            users=[training.outsider],
            groups=[],
            due_date=past - timedelta(days=1),
        )


def test_assignee_links_keep_to_the_assignments_asked_for(training):
    """A group with two assignments: asking about one gives the rows of that one only."""
    second = make_assignment(training.practice, groups=[training.team])
    rows = set(assignee_links("assignment_id", "user_id", assignments=[second.pk]))
    assert rows == {(second.pk, learner.pk) for learner in training.learners}


def test_a_group_means_its_members_at_the_time_of_viewing(training):
    assignment, team = training.assignment, training.team
    newcomer = UserFactory(username="nia", groups=[team])
    leaver = training.learners[2]
    leaver.groups.remove(team)
    inactive = training.learners[1]
    inactive.is_active = False
    inactive.save()
    assert set(assignment.assignees()) == {training.learners[0], newcomer}
    assert [entry.assignment for entry in assignments_of_learner(newcomer)] == [assignment]
    assert assignments_of_learner(leaver) == []


def test_start_assignment_is_for_assignees_of_an_active_assignment_only(training):
    assignment = training.assignment
    with pytest.raises(services.NotAssigned):
        services.start_assignment(assignment=assignment, user=training.outsider)
    services.set_archived(assignment=assignment, archived=True)
    with pytest.raises(services.NotAssigned):
        services.start_assignment(assignment=assignment, user=training.learners[0])
    assert not Attempt.objects.exists()


def test_starting_twice_carries_on_the_same_attempt(training):
    assignment, ada = training.assignment, training.learners[0]
    first, created = services.start_assignment(assignment=assignment, user=ada)
    again, created_again = services.start_assignment(assignment=assignment, user=ada)
    assert (created, created_again) == (True, False)
    assert again == first and first.assignment == assignment
    assert Attempt.objects.count() == 1


def test_the_database_keeps_one_open_attempt_per_learner_and_assignment(training):
    assignment, ada = training.assignment, training.learners[0]
    values = {"quiz": training.fixed, "user": ada, "assignment": assignment, "total": 3}
    first = Attempt.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(**values)
    services.finish_attempt(attempt=first)
    Attempt.objects.create(**values)  # a new try once the first is finished
    Attempt.objects.create(**{**values, "user": training.learners[1]})


def test_a_start_that_loses_the_race_resumes_the_winners_attempt(training, monkeypatch):
    """Two tabs: the other start commits between this one's look and its insert."""
    start_attempt, winners = services.start_attempt, []

    def racing(**kwargs):
        winners.append(start_attempt(**kwargs))
        return start_attempt(**kwargs)

    monkeypatch.setattr(services, "start_attempt", racing)
    attempt, new = services.start_assignment(
        assignment=training.assignment, user=training.learners[0]
    )
    assert (attempt, new) == (winners[0], False)
    assert Attempt.objects.count() == 1


def test_the_best_attempt_counts_and_only_attempts_of_the_assignment(training):
    assignment, ada = training.assignment, training.learners[0]
    make_finished_attempt(ada, training.fixed, _answers(training, 3))  # not assigned
    make_finished_attempt(ada, training.fixed, _answers(training, 1), assignment=assignment)
    row = _status_of(assignment, ada)
    assert (row.status, row.best_percent, row.attempts) == (LearnerStatus.FAILED, 33, 1)
    make_finished_attempt(ada, training.fixed, _answers(training, 2), assignment=assignment)
    make_finished_attempt(ada, training.fixed, _answers(training, 0), assignment=assignment)
    row = _status_of(assignment, ada)
    # 2 of 3 is 67%, above the fixed quiz's 60% pass mark; the later 0% does not undo it.
    assert (row.status, row.best_percent, row.attempts) == (LearnerStatus.PASSED, 67, 3)


def test_overdue_applies_until_a_counted_attempt_is_finished(training):
    assignment = training.assignment
    _, bob, cy = training.learners
    make_finished_attempt(bob, training.fixed, _answers(training, 0), assignment=assignment)
    services.start_assignment(assignment=assignment, user=cy)
    future = progress_by_assignment([assignment])[assignment.pk]
    assert [row.status for row in future] == [
        LearnerStatus.NOT_STARTED,
        LearnerStatus.FAILED,
        LearnerStatus.IN_PROGRESS,
    ]
    later = assignment.due_date + timedelta(days=1)
    rows = progress_by_assignment([assignment], today=later)[assignment.pk]
    assert [row.status for row in rows] == [
        LearnerStatus.OVERDUE,
        LearnerStatus.FAILED,
        LearnerStatus.OVERDUE,
    ]
    summary = summarise(rows)
    assert (summary.learners, summary.finished, summary.passed, summary.overdue) == (3, 1, 0, 2)
    assert (summary.completion, summary.pass_rate, summary.average_percent) == (33, 0, 0)


def test_summary_numbers(training):
    assignment = training.assignment
    ada, bob, _ = training.learners
    make_finished_attempt(ada, training.fixed, _answers(training, 3), assignment=assignment)
    make_finished_attempt(bob, training.fixed, _answers(training, 1), assignment=assignment)
    summary = summarise(progress_by_assignment([assignment])[assignment.pk])
    assert (summary.completion, summary.pass_rate, summary.average_percent) == (67, 50, 67)


def test_learner_sees_open_assignments_soonest_due_first_then_passed_ones(training):
    ada = training.learners[0]
    later = make_assignment(training.fixed, users=[ada], days=20)
    sooner = make_assignment(training.practice, users=[ada], days=2)
    make_finished_attempt(ada, training.fixed, _answers(training, 3), assignment=later)
    archived = make_assignment(training.fixed, users=[ada], days=1)
    services.set_archived(assignment=archived, archived=True)
    entries = assignments_of_learner(ada)
    assert [entry.assignment for entry in entries] == [sooner, training.assignment, later]
    assert [entry.is_open for entry in entries] == [True, True, False]


def test_flags_need_enough_answers_and_name_the_problem(training, monkeypatch):
    monkeypatch.setattr(reports, "MIN_ANSWERS", 5)  # six answers are enough, four are not
    lawyer, shop, cake = training.scenarios
    team = training.team
    learners = [
        *training.learners,
        *(UserFactory(username=f"extra{n}", groups=[team]) for n in range(3)),
    ]
    # lawyer always right; corner shop right only for the two weakest; cake always wrong.
    for index, learner in enumerate(learners):
        picks = _answers(training, 1)
        if index >= 4:
            picks[shop] = training.customer
        make_finished_attempt(learner, training.fixed, picks)
        if index == 3:
            few = scenario_statistics(QuizTally.objects.all())
            assert few[lawyer.pk].flags == []
    stats = scenario_statistics(QuizTally.objects.all())
    assert stats[lawyer.pk].flags == ["too easy"]
    assert stats[cake.pk].flags == ["too hard"]
    assert stats[shop.pk].percent_correct == 33
    assert stats[shop.pk].flags == []


def test_groups_of_the_assignment_form_count_members(training):
    from quiz.forms import AssignmentForm

    labels = [label for _, label in AssignmentForm().fields["groups"].choices]
    assert "Front desk (3 members)" in labels
    assert Group.objects.filter(name="Trainers").exists()


def test_an_assignment_may_set_its_own_pass_mark(training):
    assignment, ada = training.assignment, training.learners[0]
    attempt = make_finished_attempt(
        ada, training.fixed, _answers(training, 2), assignment=assignment
    )
    assert (attempt.pass_mark, attempt.passed) == (60, True)  # the quiz's own
    assert _status_of(assignment, ada).status == LearnerStatus.PASSED
    assignment.pass_mark = 80
    assignment.save()
    attempt = Attempt.objects.select_related("assignment", "quiz").get(pk=attempt.pk)
    assert (attempt.pass_mark, attempt.passed) == (80, False)
    assert _status_of(assignment, ada).status == LearnerStatus.FAILED
    unassigned = make_finished_attempt(ada, training.fixed, _answers(training, 2))
    assert unassigned.passed
