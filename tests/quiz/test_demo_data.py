"""load_demo_data: demo accounts and results for trying Termwise locally, never in
production."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from quiz.models import Assignment, Attempt


def test_demo_data_is_for_development_only(db):
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo_data")


@override_settings(DEBUG=True)
def test_demo_data_creates_accounts_and_results_once(db, capsys):
    from django.contrib.auth.models import User

    from quiz.models import LearnerStatus
    from quiz.reports import progress_by_assignment

    call_command("load_content")  # the demo assigns the real quizzes
    call_command("load_demo_data")
    output = capsys.readouterr().out
    assert "password for all: termwise-demo" in output
    for username in ["tara", "eddie", "lena", "luis", "mira", "noah", "priya"]:
        assert username in output
        assert User.objects.get(username=username).check_password("termwise-demo")
    assert User.objects.get(username="tara").has_perm("quiz.add_assignment")
    assert User.objects.get(username="eddie").is_staff
    assignments = list(Assignment.objects.select_related("quiz"))
    assert len(assignments) == 4
    statuses = {row.status for rows in progress_by_assignment(assignments).values() for row in rows}
    assert {LearnerStatus.PASSED, LearnerStatus.OVERDUE, LearnerStatus.IN_PROGRESS} <= statuses
    attempts = Attempt.objects.count()
    call_command("load_demo_data")
    assert "already exist" in capsys.readouterr().out
    assert Attempt.objects.count() == attempts
