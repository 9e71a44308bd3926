"""The admin as an editor sees it: every content page opens, everything else is forbidden."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group

from quiz.models import Attempt
from tests.factories import UserFactory
from tests.quiz.factories import make_assignment, make_finished_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(quiz_setup):
    return quiz_setup


def _pages(content):
    term = content.client.pk
    distinction = content.client_vs_customer.pk
    scenario = content.scenarios[0].pk
    quiz = content.fixed.pk
    pages = ["/admin/", "/admin/glossary/", "/admin/quiz/"]
    for prefix, pk in [
        ("glossary/term", term),
        ("glossary/distinction", distinction),
        ("quiz/scenario", scenario),
    ]:
        pages += [
            f"/admin/{prefix}/",
            f"/admin/{prefix}/add/",
            f"/admin/{prefix}/{pk}/change/",
            f"/admin/{prefix}/{pk}/history/",
            f"/admin/{prefix}/{pk}/delete/",
        ]
    pages += [
        "/admin/quiz/quiz/",
        "/admin/quiz/quiz/add/",
        f"/admin/quiz/quiz/{quiz}/change/",
        f"/admin/quiz/quiz/{quiz}/history/",
        "/admin/glossary/term/import/",
        "/admin/glossary/term/export/",
        "/admin/quiz/scenario/import/",
        "/admin/quiz/scenario/export/",
        "/admin/glossary/term/?status__exact=draft",
        "/admin/quiz/scenario/?difficulty__exact=easy&status__exact=published",
        "/admin/glossary/term/?q=client",
    ]
    return pages


def test_every_content_page_opens_for_an_editor(editor_client, content):
    for url in _pages(content):
        response = editor_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/quiz/attempt/",
        "/admin/quiz/assignment/",
        "/admin/quiz/assignment/add/",
    ],
)
def test_people_attempts_and_assignments_are_forbidden_to_editors(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_forbidden_objects_are_forbidden_too(editor_client, training):
    answers = {s: s.choices.get(is_correct=True).term for s in training.scenarios}
    attempt = make_finished_attempt(training.learners[0], training.fixed, answers)
    assignment = make_assignment(training.fixed, users=[training.outsider])
    for url in [
        f"/admin/auth/user/{training.trainer.pk}/change/",
        f"/admin/auth/group/{Group.objects.get(name='Editors').pk}/change/",
        f"/admin/quiz/attempt/{attempt.pk}/change/",
        f"/admin/quiz/assignment/{assignment.pk}/change/",
    ]:
        assert editor_client.get(url).status_code == 403, url


def test_the_admin_index_lists_content_only(editor_client):
    page = editor_client.get("/admin/").content.decode()
    assert "Terms" in page and "Scenarios" in page and "Quizzes" in page
    assert "Users" not in page and "Attempts" not in page and "Assignments" not in page


@pytest.mark.parametrize("url", ["/admin/", "/admin/glossary/term/", "/admin/quiz/scenario/"])
def test_a_trainer_is_sent_to_the_admin_login(client, trainer, url):
    client.force_login(trainer)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_superuser_sees_attempts_and_assignments(client, training):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in ["/admin/quiz/attempt/", "/admin/quiz/assignment/", "/admin/auth/user/"]:
        assert client.get(url).status_code == 200, url


def test_the_attempts_list_gives_times_to_the_second(client, training):
    answers = {s: s.choices.get(is_correct=True).term for s in training.scenarios}
    attempt = make_finished_attempt(training.learners[0], training.fixed, answers)
    started = datetime(2026, 11, 26, 14, 5, 32, tzinfo=UTC)
    Attempt.objects.filter(pk=attempt.pk).update(
        started=started, finished=started + timedelta(minutes=3, seconds=4)
    )
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get("/admin/quiz/attempt/").content.decode()
    assert '<time datetime="2026-11-26T14:05:32+00:00">26 Nov 2026, 14:05:32</time>' in page
    assert '<time datetime="2026-11-26T14:08:36+00:00">26 Nov 2026, 14:08:36</time>' in page
