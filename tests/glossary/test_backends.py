"""glossary.backends: signing in works as Django's ModelBackend does, with the signed-in
user and their permissions read by one query compiled once."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, backends
from django.contrib.auth.models import Group, Permission
from django.test import Client

from glossary.backends import ModelBackend
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


def _glossary_permissions(*codenames: str) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label="glossary", codename__in=codenames)
    )


@pytest.fixture
def people():
    """One of each: no permission, their own, through groups (twice the same one), both."""
    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.add(*_glossary_permissions("view_term", "change_term"))
    readers = Group.objects.create(name="Readers")
    readers.permissions.add(*_glossary_permissions("view_term"))
    return [
        UserFactory(username="none"),
        UserFactory(username="own", permissions=_glossary_permissions("add_alias")),
        UserFactory(username="grouped", groups=[reviewers, readers]),
        UserFactory(
            username="both", groups=[reviewers], permissions=_glossary_permissions("view_term")
        ),
    ]


def test_permissions_read_with_the_user_are_djangos(people):
    for person in people:
        read = ModelBackend().get_user(person.pk)
        expected = backends.ModelBackend().get_all_permissions(person)
        assert read.get_all_permissions() == expected, person.username
        assert read.has_perm("glossary.view_term") == ("glossary.view_term" in expected)
    assert ModelBackend().get_user(people[3].pk).get_all_permissions() == {
        "glossary.view_term",
        "glossary.change_term",
    }


def test_permissions_cost_one_query_once_per_request(people, django_assert_num_queries):
    user = ModelBackend().get_user(people[2].pk)
    with django_assert_num_queries(1):  # Django's backend makes two
        assert user.has_perm("glossary.change_term")
        assert not user.has_perm("glossary.delete_term")
        assert user.has_perms(["glossary.view_term", "glossary.change_term"])


def test_a_superuser_still_has_every_permission():
    boss = UserFactory(username="boss", is_superuser=True)
    read = ModelBackend().get_user(boss.pk)
    assert read.has_perm("glossary.delete_term") and read.has_perm("auth.add_user")
    assert read.get_all_permissions() == backends.ModelBackend().get_all_permissions(boss)


def test_a_permission_given_or_taken_counts_from_the_next_request(signed_in):
    user, client = signed_in
    assert not client.get("/me/").wsgi_request.user.has_perm("glossary.change_term")
    user.user_permissions.add(*_glossary_permissions("change_term"))
    assert client.get("/me/").wsgi_request.user.has_perm("glossary.change_term")
    user.user_permissions.clear()
    assert not client.get("/me/").wsgi_request.user.has_perm("glossary.change_term")
