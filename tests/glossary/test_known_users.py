"""glossary.backends with Redis: each process keeps the users it read, with their
permissions and account links, until the accounts version changes; every change to who
someone is counts from their next request."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from glossary import backends
from glossary.redis_cache import RedisCache
from tests.factories import PASSWORD, UserFactory
from tests.helpers import LIVE_REDIS, needs_redis

pytestmark = [
    needs_redis,
    pytest.mark.usefixtures("live_redis"),
    pytest.mark.django_db(transaction=True),  # users are kept only outside a transaction
]


@pytest.fixture
def lena():
    user = UserFactory(username="lena")
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "lena", "password": PASSWORD}).status_code
        == 302
    )
    return user, client


def _user_reads(client: Client, path: str) -> tuple[object, list[str]]:
    """The response, and the queries that read a user or their permissions for it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "auth_user"') or 'FROM "auth_permission"' in q["sql"]
    ]
    return response, reads


def _grant(user: User, codename: str) -> None:
    user.user_permissions.add(Permission.objects.get(codename=codename))


def test_a_known_user_is_read_once(lena):
    _, client = lena
    assert client.get("/me/").status_code == 200
    response, reads = _user_reads(client, "/me/")
    assert response.status_code == 200 and reads == [], reads


def test_a_deactivated_person_is_signed_out_at_their_next_request(lena):
    user, client = lena
    assert client.get("/me/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/me/").status_code == 302


def test_a_new_password_signs_out_the_other_sessions(lena):
    user, client = lena
    assert client.get("/me/").status_code == 200
    user.set_password("a-new-long-password")
    user.save()
    assert client.get("/me/").status_code == 302


def test_a_permission_given_through_a_group_counts_at_once(lena):
    user, client = lena
    assert not client.get("/me/").wsgi_request.user.has_perm("glossary.change_term")
    group = Group.objects.create(name="Reviewers")
    group.permissions.add(Permission.objects.get(codename="change_term"))
    user.groups.add(group)
    assert client.get("/me/").wsgi_request.user.has_perm("glossary.change_term")
    group.permissions.clear()
    assert not client.get("/me/").wsgi_request.user.has_perm("glossary.change_term")


def test_permissions_are_read_once_with_the_user(lena):
    user, client = lena
    _grant(user, "change_term")
    assert client.get("/me/").wsgi_request.user.has_perm("glossary.change_term")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/").wsgi_request.user.has_perm("glossary.change_term")
    assert not [q for q in queries if "auth_permission" in q["sql"]]


def test_a_change_on_another_server_counts_at_once(lena):
    user, client = lena
    assert client.get("/me/").status_code == 200
    # Another server deactivates her: its signal gives the accounts a new version.
    User.objects.filter(pk=user.pk).update(is_active=False)
    RedisCache(LIVE_REDIS, {}).set_watched(backends.ACCOUNTS_KEY, "another-server", None)
    assert client.get("/me/").status_code == 302


def test_a_change_without_signals_counts_within_the_max_age(lena, monkeypatch):
    user, client = lena
    assert client.get("/me/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)  # sends no signal
    assert client.get("/me/").status_code == 200  # still the user as read
    later = backends.time.monotonic() + backends.USER_MAX_AGE + 1
    monkeypatch.setattr(backends.time, "monotonic", lambda: later)
    assert client.get("/me/").status_code == 302


def test_a_login_does_not_make_everyone_read_their_user_again(lena):
    version = cache.get_watched(backends.ACCOUNTS_KEY)
    UserFactory(username="rosa")  # a new account is a change
    assert cache.get_watched(backends.ACCOUNTS_KEY) != version
    version = cache.get_watched(backends.ACCOUNTS_KEY)
    assert (
        Client().post("/accounts/login/", {"username": "rosa", "password": PASSWORD}).status_code
        == 302
    )
    assert cache.get_watched(backends.ACCOUNTS_KEY) == version


def test_a_change_in_a_transaction_counts_when_it_commits_and_never_if_rolled_back(lena):
    user, client = lena
    assert client.get("/me/").status_code == 200
    with pytest.raises(RuntimeError), transaction.atomic():
        user.is_active = False
        user.save()
        # Read inside the transaction, as a request of this connection would: not kept.
        assert backends.ModelBackend().get_user(user.pk) is None
        raise RuntimeError("taken back")
    assert client.get("/me/").status_code == 200
    with transaction.atomic():
        user.is_active = False
        user.save()
    assert client.get("/me/").status_code == 302


def test_each_request_gets_a_user_of_its_own(lena):
    _, client = lena
    first = client.get("/me/").wsgi_request.user
    first.note_of_this_request = "mine"
    second = client.get("/me/").wsgi_request.user
    assert second is not first and not hasattr(second, "note_of_this_request")


def test_account_links_are_drawn_once_and_logging_out_still_works(lena):
    _, client = lena
    client.get("/terms/")  # fills the visitors' page
    first = client.get("/terms/")
    second = client.get("/terms/")
    assert "includes/account_nav.html" not in [t.name for t in second.templates]
    assert first.content == second.content and "csrfmiddlewaretoken" not in first.content.decode()
    # "Log out" as htmx sends it: the token from the cookie the login set.
    client_with_check = Client(enforce_csrf_checks=True)
    client_with_check.cookies = client.cookies
    logout = client_with_check.post(
        "/accounts/logout/",
        headers={"HX-Request": "true", "X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert logout["HX-Redirect"] == "/"
    assert client.get("/me/").status_code == 302


def test_a_new_role_shows_in_the_account_links_at_once(lena):
    user, client = lena
    client.get("/terms/")
    assert "Admin</a>" not in client.get("/terms/").content.decode()
    user.is_staff = True
    user.save()
    assert "Admin</a>" in client.get("/terms/").content.decode()
