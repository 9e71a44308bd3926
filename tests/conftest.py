"""Fixtures of the glossary layer, shared by every test folder (tests/quiz/conftest.py adds
the quiz layer's)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import override_settings

from glossary import backends, page_cache
from glossary.models import Status
from tests.factories import (
    AliasFactory,
    DistinctionFactory,
    GlossaryData,
    SourceFactory,
    TermFactory,
    UserFactory,
)
from tests.helpers import LIVE_REDIS


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """With REDIS_URL (docs/operations.md, "Several servers") the cache outlives each test's
    database transaction, and without it the cache's table outlives a transactional test:
    empty it, so that no test sees another's cached pages, content version or sessions.
    (Otherwise the table is in the test database, rolled back with it.) Each process's own
    copies of pages go too: a rolled-back test changes content without a new version."""
    page_cache.forget_local_copies()
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
    elif not settings.REDIS_URL:
        return
    cache.clear()


@pytest.fixture
def live_redis():
    """The cache in LIVE_REDIS and sessions kept as production keeps them with Redis, for a
    test with `needs_redis`; empty, with no user known to this process, before and after."""
    caches = {"default": {"BACKEND": "glossary.redis_cache.RedisCache", "LOCATION": LIVE_REDIS}}
    with override_settings(CACHES=caches, SESSION_ENGINE="glossary.sessions"):
        cache.clear()
        backends._known.clear()
        yield
        cache.clear()
    backends._known.clear()


@pytest.fixture
def glossary(db) -> GlossaryData:
    """A small published glossary: client, customer, consumer, plus a draft term."""
    client_term = TermFactory(
        slug="client",
        summary="Someone who pays for professional advice.",
        body="A client has a [[customer|customer]] relationship and more. See [[patron]].",
    )
    customer = TermFactory(slug="customer", summary="Anyone who buys from a business.")
    consumer = TermFactory(slug="consumer", summary="The person who finally uses a product.")
    draft = TermFactory(slug="secret-draft", name="Secret draft", status="draft")
    AliasFactory(term=client_term, name="clientele")
    AliasFactory(term=customer, name="customer base")
    SourceFactory(term=client_term, title="Client vs customer, a blog post")
    client_vs_customer = DistinctionFactory(
        term_a=customer, term_b=client_term, rule="Advice and a named contact make a client."
    )
    DistinctionFactory(term_a=customer, term_b=consumer, rule="Customers pay; consumers use.")
    return GlossaryData(
        client=client_term,
        customer=customer,
        consumer=consumer,
        draft=draft,
        client_vs_customer=client_vs_customer,
    )


@pytest.fixture
def retired(glossary):
    """“Patron” retired in favour of “customer”."""
    return TermFactory(
        slug="patron",
        summary="A loyal regular of one venue.",
        status=Status.RETIRED,
        replaced_by=glossary.customer,
    )


@pytest.fixture
def editor(db):
    """Staff with what an editor may do to the glossary: change its content, view its history.
    (The Editors role itself lives in quiz.roles: tests/quiz/conftest.py overrides this.)"""
    return UserFactory(
        username="eddie",
        is_staff=True,
        first_name="Eddie",
        permissions=Permission.objects.filter(content_type__app_label="glossary").exclude(
            codename__regex=r"^(add|change|delete)_historical"
        ),
    )


@pytest.fixture
def editor_client(client, editor):
    """The test client logged in as the `editor` of the test's layer."""
    client.force_login(editor)
    return client
