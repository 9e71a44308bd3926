"""A term's body is rendered when content changes, not on every request: saving the term, and
publishing, unpublishing, re-keying or deleting a term or alias it links to."""

from unittest import mock

import pytest

from glossary.models import Status, Term
from glossary.services import change_status
from tests.factories import AliasFactory, TermFactory
from tests.helpers import drawing_queries

pytestmark = pytest.mark.django_db


def _body(term: Term) -> str:
    return Term.objects.get(pk=term.pk).body_html


def test_saving_a_term_stores_its_body_with_links(glossary):
    html = _body(glossary.client)
    assert '<a href="/terms/customer/"' in html
    assert "patron" in html and "/terms/patron/" not in html  # no such term yet


def test_the_term_page_shows_the_stored_body_without_rendering_it(client, glossary):
    with mock.patch("glossary.views.render_markdown", side_effect=AssertionError("rendered")):
        page = client.get("/terms/client/").content.decode()
    assert _body(glossary.client) in page


def test_publishing_a_linked_term_links_it_in_the_bodies(glossary):
    patron = TermFactory(slug="patron", status=Status.DRAFT)
    assert "/terms/patron/" not in _body(glossary.client)

    change_status(obj=patron, status=Status.PUBLISHED)
    assert '<a href="/terms/patron/"' in _body(glossary.client)

    change_status(obj=patron, status=Status.DRAFT)
    assert "/terms/patron/" not in _body(glossary.client)


def test_a_new_slug_moves_the_links(glossary):
    customer = glossary.customer
    customer.slug = "customers"
    customer.save()
    # [[customer]] now names no term, and its old address is gone from the body.
    assert "/terms/customer/" not in _body(glossary.client)


def test_aliases_coming_and_going_change_the_links(glossary):
    def links_to_customer() -> int:
        return _body(glossary.client).count('href="/terms/customer/"')

    assert links_to_customer() == 1  # [[customer]]; [[patron]] names nothing yet
    alias = AliasFactory(term=glossary.customer, name="patron")
    assert links_to_customer() == 2

    alias.name, alias.slug = "regulars", "regulars"
    alias.save()
    assert links_to_customer() == 1

    alias.name, alias.slug = "patron", "patron"
    alias.save()
    assert links_to_customer() == 2
    alias.delete()
    assert links_to_customer() == 1


def test_deleting_a_linked_term_unlinks_it(glossary):
    patron = TermFactory(slug="patron")
    assert '<a href="/terms/patron/"' in _body(glossary.client)
    patron.delete()
    assert "/terms/patron/" not in _body(glossary.client)


def test_only_bodies_that_link_are_rendered_again(glossary):
    untouched = TermFactory(slug="buyer", body="Plain text, no links.")
    Term.objects.filter(pk=untouched.pk).update(body_html="KEPT")
    TermFactory(slug="patron")
    assert _body(untouched) == "KEPT"
    assert "/terms/patron/" in _body(glossary.client)


def test_the_term_page_reads_no_link_targets(client, glossary):
    """The term and its aliases, sources and comparisons, and the Test-yourself scenario
    (the candidates, the scenario and its choices)."""
    assert len(drawing_queries(client, "/terms/client/")) <= 7
