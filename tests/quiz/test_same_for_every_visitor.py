"""A term page is the same for every visitor: no CSRF token in it, so it can be cached whole.
Its Test-yourself box records nothing and takes answers without a token; the question pages,
which record answers, still need one."""

import re

import pytest
from django.test import Client

from quiz import services
from quiz.models import Attempt
from tests.factories import UserFactory
from tests.quiz.factories import ScenarioFactory

pytestmark = pytest.mark.django_db

PER_VISITOR = re.compile(r"csrfmiddlewaretoken|X-CSRFToken|nonce=")


@pytest.fixture
def box(glossary):
    """The one scenario offering client, so the client page's Test-yourself box always asks
    it (the box draws among the scenarios offering the term)."""
    return ScenarioFactory(slug="box", answer=glossary.customer, others=[glossary.client])


def test_two_visitors_get_the_same_term_page(box):
    first, second = Client().get("/terms/client/"), Client().get("/terms/client/")
    assert first.status_code == second.status_code == 200
    html = first.content.decode()
    assert 'class="choices"' in html  # the box is there
    assert not PER_VISITOR.search(html)
    assert "csrftoken" not in first.cookies
    assert html == second.content.decode()


def test_the_box_takes_an_answer_without_a_token(box):
    client = Client(enforce_csrf_checks=True)
    choice = box.choices.get(is_correct=True)
    response = client.post("/quiz/try/box/", {"choice": choice.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Correct" in response.content.decode()


def test_answering_a_question_still_needs_the_token(quiz_setup):
    learner = UserFactory(username="lee")
    attempt = services.start_attempt(quiz=quiz_setup.fixed, user=learner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = f"/quiz/attempts/{attempt.pk}/questions/1/"
    choice = attempt.questions.get(position=1).asked.choices[0].pk

    assert client.post(url, {"choice": choice}, HTTP_HX_REQUEST="true").status_code == 403

    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()
    )
    response = client.post(
        url, {"choice": choice, "csrfmiddlewaretoken": token.group(1)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert Attempt.objects.get().responses.count() == 1
