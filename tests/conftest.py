"""Fixtures of the glossary layer, shared by every test folder (tests/quiz/conftest.py adds
the quiz layer's)."""

import pytest
from django.contrib.auth.models import Permission

from glossary.models import Status
from tests.factories import make_alias, make_distinction, make_source, make_term, make_user


@pytest.fixture
def glossary(db):
    """A small published glossary: client, customer, consumer, plus a draft term."""
    client_term = make_term(
        "client",
        summary="Someone who pays for professional advice.",
        body="A client has a [[customer|customer]] relationship and more. See [[patron]].",
    )
    customer = make_term("customer", summary="Anyone who buys from a business.")
    consumer = make_term("consumer", summary="The person who finally uses a product.")
    draft = make_term("secret-draft", name="Secret draft", status="draft")
    make_alias(client_term, "clientele")
    make_alias(customer, "customer base")
    make_source(client_term, "Client vs customer, a blog post")
    client_vs_customer = make_distinction(
        customer, client_term, rule="Advice and a named contact make a client."
    )
    make_distinction(customer, consumer, rule="Customers pay; consumers use.")
    return {
        "client": client_term,
        "customer": customer,
        "consumer": consumer,
        "draft": draft,
        "client_vs_customer": client_vs_customer,
    }


@pytest.fixture
def retired(glossary):
    """“Patron” retired in favour of “customer”."""
    return make_term(
        "patron",
        summary="A loyal regular of one venue.",
        status=Status.RETIRED,
        replaced_by=glossary["customer"],
    )


@pytest.fixture
def editor(db):
    """Staff with what an editor may do to the glossary: change its content, view its history.
    (The Editors role itself lives in quiz.roles: tests/quiz/conftest.py overrides this.)"""
    user = make_user("eddie", is_staff=True, first_name="Eddie")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="glossary").exclude(
            codename__regex=r"^(add|change|delete)_historical"
        )
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    """The test client logged in as the `editor` of the test's layer."""
    client.force_login(editor)
    return client
