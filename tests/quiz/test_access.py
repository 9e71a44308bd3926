"""Who may open what: every page of the site for every kind of person."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.quiz.factories import make_finished_attempt, role

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "trainer", "editor", "superuser"]
LOGIN = "login"  # a 302 to the site's login page
ADMIN_LOGIN = "admin-login"

OPEN = dict.fromkeys(ROLES, 200)
SIGNED_IN = {"anonymous": LOGIN, "learner": 200, "trainer": 200, "editor": 200, "superuser": 200}
TRAINERS = {"anonymous": LOGIN, "learner": 403, "trainer": 200, "editor": 403, "superuser": 200}
OWNER_ONLY = {"anonymous": 404, "learner": 200, "trainer": 404, "editor": 404, "superuser": 404}
STAFF = {
    "anonymous": ADMIN_LOGIN,
    "learner": ADMIN_LOGIN,
    "trainer": ADMIN_LOGIN,
    "editor": 200,
    "superuser": 200,
}

SUPERUSER_ADMIN = {**STAFF, "editor": 403}
EDITORS_ONLY = {"anonymous": LOGIN, "learner": 404, "trainer": 404, "editor": 200, "superuser": 200}

GET_MATRIX = [
    ("/", OPEN),
    ("/terms/", OPEN),
    ("/terms/?q=cli", OPEN),
    ("/terms/client/", OPEN),
    ("/terms/client-vs-customer/", OPEN),
    ("/terms/secret-draft/", dict.fromkeys(ROLES, 404)),
    ("/terms.json", OPEN),
    ("/quiz/", OPEN),
    ("/quiz/try/lawyer/", OPEN),
    ("/quiz/attempts/{attempt}/results/", OWNER_ONLY),
    ("/me/", SIGNED_IN),
    ("/trainer/", TRAINERS),
    ("/trainer/?show=archived", TRAINERS),
    ("/trainer/assignments/new/", TRAINERS),
    ("/trainer/assignments/{assignment}/", TRAINERS),
    ("/trainer/assignments/{assignment}/edit/", TRAINERS),
    ("/trainer/assignments/{assignment}/learners.csv", TRAINERS),
    ("/trainer/assignments/{assignment}/responses.csv", TRAINERS),
    ("/trainer/quizzes/fixed/", TRAINERS),
    ("/trainer/quizzes/fixed/learners.csv", TRAINERS),
    ("/trainer/quizzes/fixed/responses.csv", TRAINERS),
    ("/preview/terms/secret-draft/", EDITORS_ONLY),
    ("/preview/scenarios/draft-one/", EDITORS_ONLY),
    ("/admin/", STAFF),
    ("/admin/glossary/term/", STAFF),
    ("/admin/glossary/term/{term}/change/", STAFF),
    ("/admin/quiz/scenario/", STAFF),
    ("/admin/quiz/scenario/add/", STAFF),
    ("/admin/auth/user/", SUPERUSER_ADMIN),
    ("/admin/auth/group/", SUPERUSER_ADMIN),
    ("/admin/quiz/attempt/", SUPERUSER_ADMIN),
    ("/admin/quiz/assignment/", SUPERUSER_ADMIN),
    ("/accounts/login/", OPEN),
    ("/accounts/password_change/", SIGNED_IN),
    ("/accounts/password_change/done/", SIGNED_IN),
]

POST_MATRIX = [
    (
        "/quiz/fixed/start/",
        {},
        {"anonymous": LOGIN, "learner": 303, "trainer": 303, "editor": 303, "superuser": 303},
    ),
    (
        "/me/assignments/{assignment}/start/",
        {},
        {"anonymous": LOGIN, "learner": 303, "trainer": 404, "editor": 404, "superuser": 404},
    ),
    (
        "/trainer/assignments/{assignment}/archive/",
        {"archive": "yes"},
        {"anonymous": LOGIN, "learner": 403, "trainer": 303, "editor": 403, "superuser": 303},
    ),
]


@pytest.fixture
def people(training):
    editor = UserFactory(username="eddie", groups=[role("Editors")], is_staff=True)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    learner = training.learners[0]
    answers = {s: s.choices.get(is_correct=True).term for s in training.scenarios}
    attempt = make_finished_attempt(learner, training.fixed, answers)
    users = {
        "learner": learner,
        "trainer": training.trainer,
        "editor": editor,
        "superuser": superuser,
    }
    ids = {
        "attempt": attempt.pk,
        "assignment": training.assignment.pk,
        "term": training.client.pk,
    }
    return users, ids


def _client(users, who):
    client = Client()
    if who != "anonymous":
        client.force_login(users[who])
    return client


def _check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    else:
        assert response.status_code == expected, url


@pytest.mark.parametrize("who", ROLES)
def test_get_access_matrix(people, who):
    users, ids = people
    client = _client(users, who)
    for url, expected in GET_MATRIX:
        url = url.format(**ids)
        _check(client.get(url), expected[who], url)


@pytest.mark.parametrize("who", ROLES)
def test_post_access_matrix(people, who):
    users, ids = people
    for url, data, expected in POST_MATRIX:
        url = url.format(**ids)
        _check(_client(users, who).post(url, data), expected[who], url)


def test_a_learner_never_sees_reports_or_other_learners_attempts(people, training):
    users, ids = people
    bob = training.learners[1]
    answers = {s: s.choices.get(is_correct=True).term for s in training.scenarios}
    bobs = make_finished_attempt(bob, training.fixed, answers, assignment=training.assignment)
    client = _client(users, "learner")
    for url in [f"/quiz/attempts/{bobs.pk}/", f"/quiz/attempts/{bobs.pk}/results/"]:
        assert client.get(url).status_code == 404
    questions = f"/quiz/attempts/{bobs.pk}/questions/1/"
    assert client.get(questions).status_code == 404
    assert client.post(questions, {"choice": 1}).status_code == 404
    me = client.get("/me/").content.decode()
    assert f"/quiz/attempts/{bobs.pk}/" not in me
    assert client.get(f"/trainer/assignments/{ids['assignment']}/").status_code == 403
