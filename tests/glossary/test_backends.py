"""glossary.backends: signing in works as Django's ModelBackend does, with the signed-in
user read by a query compiled once."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(client: Client) -> bool:
    return client.get("/me/").status_code == 200


@pytest.fixture
def signed_in():
    user = UserFactory(username="lena")
    client = Client()
    response = client.post("/accounts/login/", {"username": "lena", "password": PASSWORD})
    assert response.status_code == 302
    return user, client


def test_a_login_is_kept_by_this_backend(signed_in):
    user, client = signed_in
    assert client.session[BACKEND_SESSION_KEY] == "glossary.backends.ModelBackend"
    assert _signed_in(client)
    assert client.get("/me/").context["user"] == user


def test_a_deactivated_person_is_signed_out_at_their_next_request(signed_in):
    user, client = signed_in
    user.is_active = False
    user.save()
    assert not _signed_in(client)


def test_a_new_password_signs_out_the_other_sessions(signed_in):
    user, client = signed_in
    user.set_password("a-new-long-password")
    user.save()
    assert not _signed_in(client)


def test_a_deleted_person_is_signed_out(signed_in):
    user, client = signed_in
    user.delete()
    assert not _signed_in(client)


def test_a_session_of_a_backend_no_longer_listed_signs_in_again(signed_in):
    _, client = signed_in
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.RemoteUserBackend"
    session.save()
    assert not _signed_in(client)
