"""A learner answering while the database is out of reach (a restart): a 503 to try again,
nothing recorded, and the same answer counts once the database is back."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from quiz.models import Attempt, Response
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _unreachable():
    """Every query fails as it does while PostgreSQL restarts."""
    return mock.patch.object(
        connections["default"],
        "_cursor",
        side_effect=OperationalError("connection to server failed: Connection refused"),
    )


@pytest.fixture
def learner_client(quiz_setup):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="lee"))
    return client


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_answer_while_the_database_is_down_is_a_503_and_counts_once_it_is_back(
    learner_client, quiz_setup, headers
):
    learner_client.post("/quiz/fixed/start/")
    attempt = Attempt.objects.get()
    url = f"/quiz/attempts/{attempt.pk}/questions/1/"
    choice = quiz_setup.scenarios[0].choices.get(is_correct=True)

    with _unreachable():
        response = learner_client.post(url, {"choice": choice.pk}, **headers)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "try again in a moment" in response.content.decode()
    assert not Response.objects.exists()

    again = learner_client.post(url, {"choice": choice.pk}, **headers)
    assert again.status_code in (200, 303)
    assert Response.objects.get().scenario == quiz_setup.scenarios[0]
    attempt.refresh_from_db()
    assert attempt.score == 1  # the right answer, counted once
