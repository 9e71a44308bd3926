"""What a visitor practised is theirs once they log in."""

import pytest
from django.test import Client

from quiz import services
from quiz.models import Attempt
from tests.factories import UserFactory
from tests.quiz.factories import answer

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def lee(quiz_setup):
    user = UserFactory(username="lee")
    user.set_password(PASSWORD)
    user.save()
    return user


def _practise(client, quiz_setup, answers: int) -> Attempt:
    """A visitor starts the practice quiz in `client` and answers `answers` questions."""
    assert client.post("/quiz/practice/start/").status_code == 303
    attempt = Attempt.objects.latest("pk")
    for question in attempt.questions.all()[:answers]:
        answer(attempt, question.scenario, question.scenario.choices.first())
    attempt.refresh_from_db()
    return attempt


def _log_in(client) -> None:
    response = client.post("/accounts/login/", {"username": "lee", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def test_a_visitors_attempts_become_theirs_at_login(client, quiz_setup, lee):
    done = _practise(client, quiz_setup, answers=3)
    going = _practise(client, quiz_setup, answers=1)
    someone_else = _practise(Client(), quiz_setup, answers=1)

    _log_in(client)

    assert set(Attempt.objects.filter(user=lee)) == {done, going}
    assert Attempt.objects.get(pk=someone_else.pk).user is None
    assert done.is_finished
    # Theirs in every page: the finished one on their page, the open one to carry on.
    assert f"/quiz/attempts/{done.pk}/results/" in client.get("/me/").content.decode()
    assert f'href="/quiz/attempts/{going.pk}/"' in client.get("/quiz/").content.decode()
    assert client.get(f"/quiz/attempts/{going.pk}/questions/2/").status_code == 200


def test_an_empty_open_attempt_gives_way_to_one_with_answers(client, quiz_setup, lee):
    own_empty = services.start_attempt(quiz=quiz_setup.practice, user=lee)
    visitors = _practise(client, quiz_setup, answers=2)

    _log_in(client)

    assert list(Attempt.objects.filter(user=lee)) == [visitors]
    assert not Attempt.objects.filter(pk=own_empty.pk).exists()


def test_a_visitors_empty_attempt_gives_way_to_their_own(client, quiz_setup, lee):
    own = services.start_attempt(quiz=quiz_setup.practice, user=lee)
    answer(own, own.questions.first().scenario, own.questions.first().scenario.choices.first())
    _practise(client, quiz_setup, answers=0)

    _log_in(client)

    assert list(Attempt.objects.all()) == [own]


def test_two_open_attempts_with_answers_are_both_kept(client, quiz_setup, lee):
    own = services.start_attempt(quiz=quiz_setup.practice, user=lee)
    answer(own, own.questions.first().scenario, own.questions.first().scenario.choices.first())
    visitors = _practise(client, quiz_setup, answers=1)

    _log_in(client)

    assert set(Attempt.objects.filter(user=lee)) == {own, visitors}


def test_logging_in_without_having_practised_changes_nothing(client, quiz_setup, lee):
    other = _practise(Client(), quiz_setup, answers=1)
    _log_in(client)
    assert not Attempt.objects.filter(user=lee).exists()
    assert Attempt.objects.get(pk=other.pk).user is None
