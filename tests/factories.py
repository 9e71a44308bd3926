"""Factories of the glossary layer, and of users: tests never depend on the wording of the
fixtures. The quiz layer's factories are in tests/quiz/factories.py."""

from __future__ import annotations

from dataclasses import dataclass

import factory
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory

from glossary.models import Alias, Distinction, Source, Status, Term

PASSWORD = "pw-for-tests-123"


@dataclass
class GlossaryData:
    """What the `glossary` fixture gives."""

    client: Term
    customer: Term
    consumer: Term
    draft: Term
    client_vs_customer: Distinction


class TermFactory(DjangoModelFactory):
    """A published term whose name, summary and body are made from its slug."""

    class Meta:
        model = Term

    slug = factory.Sequence(lambda n: f"term-{n}")
    name = factory.LazyAttribute(lambda term: term.slug.replace("-", " ").capitalize())
    summary = factory.LazyAttribute(lambda term: f"A {term.slug} is someone a business serves.")
    body = factory.LazyAttribute(lambda term: f"All about the {term.slug}.")
    status = Status.PUBLISHED


class AliasFactory(DjangoModelFactory):
    class Meta:
        model = Alias

    term = factory.SubFactory(TermFactory)
    name = factory.Sequence(lambda n: f"alias {n}")
    slug = factory.LazyAttribute(lambda alias: alias.name.replace(" ", "-"))


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    term = factory.SubFactory(TermFactory)
    title = factory.Sequence(lambda n: f"Source {n}")
    url = ""


class DistinctionFactory(DjangoModelFactory):
    """A published distinction between `term_a` and `term_b`."""

    class Meta:
        model = Distinction

    term_a = factory.SubFactory(TermFactory)
    term_b = factory.SubFactory(TermFactory)
    rule = factory.LazyAttribute(
        lambda distinction: (
            f"Pick {distinction.term_a.slug} or {distinction.term_b.slug} by who pays."
        )
    )
    example = "An example."
    body = "The details."
    status = Status.PUBLISHED


class UserFactory(DjangoModelFactory):
    """A user with the tests' password, in the given `groups`, holding the given
    `permissions`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(user, create, groups, **kwargs):
        if create and groups:
            user.groups.add(*groups)

    @factory.post_generation
    def permissions(user, create, permissions, **kwargs):
        if create and permissions:
            user.user_permissions.add(*permissions)
