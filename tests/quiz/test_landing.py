"""Where a login lands: each role where its work is, unless a safe `next` says otherwise."""

import pytest
from django.test import Client

from quiz.roles import EDITORS, TRAINERS, is_trainer, landing_page
from tests.factories import PASSWORD, UserFactory
from tests.quiz.factories import role

pytestmark = pytest.mark.django_db


def _log_in(username: str, **extra) -> str:
    """Log in through the login form; the address it sends the person to."""
    response = Client().post(
        "/accounts/login/", {"username": username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.fixture
def people(db):
    return {
        "learner": UserFactory(username="lena"),
        "trainer": UserFactory(username="tara", groups=[role(TRAINERS)]),
        "editor": UserFactory(username="eddie", groups=[role(EDITORS)], is_staff=True),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
        "staff_trainer": UserFactory(username="sam", groups=[role(TRAINERS)], is_staff=True),
    }


@pytest.mark.parametrize(
    ("who", "lands"),
    [
        ("learner", "/me/"),
        ("trainer", "/trainer/"),
        ("editor", "/admin/"),
        ("superuser", "/admin/"),
        # Staff work in the admin first; the Trainer link is in the navigation there too.
        ("staff_trainer", "/admin/"),
    ],
)
def test_each_role_lands_where_its_work_is(people, who, lands):
    assert _log_in(people[who].username) == lands
    assert landing_page(people[who]) == lands


def test_the_landing_page_answers_the_person_who_lands_there(people):
    for who in ("learner", "trainer", "editor"):
        client = Client()
        client.force_login(people[who])
        assert client.get(landing_page(people[who])).status_code == 200


@pytest.mark.parametrize("who", ["learner", "trainer", "editor"])
def test_a_next_on_this_site_wins(people, who):
    assert _log_in(people[who].username, next="/terms/client/") == "/terms/client/"


def test_a_next_from_the_query_string_wins(people):
    response = Client().post(
        "/accounts/login/?next=/quiz/", {"username": "tara", "password": PASSWORD}
    )
    assert response["Location"] == "/quiz/"


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://evil.example/",
        "javascript:alert(1)",
        "///evil.example",
        "https:evil.example",
    ],
)
@pytest.mark.parametrize(("who", "lands"), [("learner", "/me/"), ("trainer", "/trainer/")])
def test_an_unsafe_next_is_ignored(people, unsafe, who, lands):
    assert _log_in(people[who].username, next=unsafe) == lands


def test_the_login_form_keeps_the_next_it_was_given(people):
    page = Client().get("/accounts/login/?next=/trainer/assignments/new/").content.decode()
    assert 'name="next" value="/trainer/assignments/new/"' in page


def test_a_wrong_password_lands_nowhere(people):
    response = Client().post("/accounts/login/", {"username": "tara", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_an_inactive_trainer_is_no_trainer(people):
    trainer = people["trainer"]
    assert is_trainer(trainer)
    trainer.is_active = False
    assert not is_trainer(trainer)


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("learner", {"My learning"}),
        ("trainer", {"My learning", "Trainer"}),
        ("editor", {"My learning", "Admin"}),
        ("staff_trainer", {"My learning", "Trainer", "Admin"}),
    ],
)
def test_the_navigation_names_the_same_roles(people, who, links):
    client = Client()
    client.force_login(people[who])
    html = client.get("/me/").content.decode()
    shown = {name for name in ("My learning", "Trainer", "Admin") if f">{name}</a>" in html}
    assert shown == links
