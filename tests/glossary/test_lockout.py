"""Logins are throttled (django-axes): after five wrong passwords for one username from one
address, that pair is locked out for a cool-off period, on the site and in the admin, with a
clear message on our login page; an administrator can unlock it sooner."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE, ADMIN = "/accounts/login/", "/admin/login/"


def _log_in(client, username, password, url=SITE, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def _fail(client, username, times, url=SITE, **extra):
    for _ in range(times):
        response = _log_in(client, username, "wrong-password", url, **extra)
    return response


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def learner():
    return UserFactory(username="lena", is_staff=True)


def test_a_few_wrong_passwords_do_not_lock_anyone_out(client, learner):
    assert _fail(client, "lena", settings.AXES_FAILURE_LIMIT - 1).status_code == 200
    assert _log_in(client, "lena", PASSWORD).status_code == 302
    assert _logged_in(client)


@pytest.mark.parametrize("failures", [5, 50])
def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, learner, failures):
    _fail(client, "lena", failures)
    response = _log_in(client, "lena", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    page = response.content.decode()
    assert "Too many wrong passwords" in page and "for 15 minutes" in page
    assert "ask an administrator to unlock" in page
    assert 'name="username"' in page and 'value="lena"' in page  # our login page, filled in
    assert response["Retry-After"] == "900"


def test_the_fifth_wrong_password_already_shows_the_lock_out(client, learner):
    response = _fail(client, "lena", 5)
    assert response.status_code == 429 and "Too many wrong passwords" in response.content.decode()


def test_the_admin_login_is_throttled_too(client, learner):
    response = _fail(client, "lena", 5, ADMIN)
    assert response.status_code == 429
    response = _log_in(client, "lena", PASSWORD, ADMIN)
    assert response.status_code == 429 and not _logged_in(client)
    page = response.content.decode()
    assert "Too many wrong passwords" in page and 'value="/admin/"' in page


def test_the_lock_out_is_per_username_and_address(client, learner):
    UserFactory(username="max")
    _fail(client, "lena", 5)
    other_person = Client(REMOTE_ADDR="10.1.2.3")
    assert _log_in(other_person, "lena", PASSWORD).status_code == 302
    assert _log_in(client, "max", PASSWORD).status_code == 302


def test_after_the_cool_off_the_right_password_works_again(client, learner):
    _fail(client, "lena", 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert _log_in(client, "lena", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_an_administrator_unlocks_a_login_in_the_admin(client, learner):
    _fail(client, "lena", 5)
    attempt = AccessAttempt.objects.get(username="lena")
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert "lena" in admin.get("/admin/axes/accessattempt/").content.decode()
    response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _log_in(client, "lena", PASSWORD).status_code == 302
