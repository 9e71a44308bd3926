import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from glossary.models import Alias, Distinction, Match, Term, validate_not_a_pair
from tests.factories import AliasFactory, DistinctionFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts(glossary):
    slugs = set(Term.objects.published().values_list("slug", flat=True))
    assert slugs == {"client", "customer", "consumer"}


def test_like_ranks_a_word_of_the_name_or_an_alias_before_the_summary():
    by_summary = TermFactory(slug="aardvark", name="Aardvark", summary="Not a buyer at all.")
    by_alias = TermFactory(slug="purchase-agent", name="Purchase agent", summary="Signs orders.")
    AliasFactory(term=by_alias, name="chief buyer")
    by_name = TermFactory(slug="zebra-buyer", name="Zebra buyer", summary="Buys zebras.")
    TermFactory(slug="unrelated", summary="Nothing to see.")

    results = Term.objects.like("buyer")

    # A word of the name or of an alias rank alike (then by spelling, then name); both come
    # before the summary.
    assert set(results[:2]) == {by_name, by_alias} and results[2] == by_summary
    assert [term.match.rank for term in results] == [Match.CONTAINS] * 2 + [Match.SUMMARY]


def test_like_is_case_insensitive_and_ignores_blank_queries(glossary):
    assert Term.objects.published().like("CLIENTELE") == [glossary.client]
    assert Term.objects.like("   ") == []


def test_like_suggests_similar_names_and_aliases(glossary):
    assert Term.objects.published().like("clent")[0] == glossary.client
    assert Term.objects.published().like("clientel")[0] == glossary.client
    assert glossary.customer in Term.objects.published().like("customers")
    assert Term.objects.published().like("xyzzy") == []


def test_like_never_suggests_drafts(glossary):
    assert glossary.draft not in Term.objects.published().like("secret-draft")


def test_distinction_pair_is_unique_in_either_order(glossary):
    with pytest.raises(IntegrityError), transaction.atomic():
        DistinctionFactory(term_a=glossary.client, term_b=glossary.customer)
    assert Distinction.objects.for_pair(glossary.client, glossary.customer).count() == 1


def test_distinction_cannot_join_a_term_to_itself(glossary):
    with pytest.raises(IntegrityError), transaction.atomic():
        DistinctionFactory(term_a=glossary.client, term_b=glossary.client)
    same = Distinction(term_a=glossary.client, term_b=glossary.client, rule="r", example="e")
    with pytest.raises(ValidationError):
        same.clean()


def test_distinction_terms_and_url_use_alphabetical_order(glossary):
    distinction = glossary.client_vs_customer  # stored as customer, client
    assert [term.slug for term in distinction.terms] == ["client", "customer"]
    assert distinction.get_absolute_url() == "/terms/client-vs-customer/"
    assert str(distinction) == "Client vs Customer"
    assert distinction.other(glossary.client) == glossary.customer


def test_distinctions_with_a_draft_term_are_not_published(glossary):
    DistinctionFactory(term_a=glossary.client, term_b=glossary.draft)
    pairs = {str(d) for d in Distinction.objects.published()}
    assert pairs == {"Client vs Customer", "Consumer vs Customer"}


def test_slugs_may_not_contain_the_comparison_separator():
    with pytest.raises(ValidationError):
        validate_not_a_pair("buyer-vs-seller")
    validate_not_a_pair("end-user")


def test_alias_slug_may_not_shadow_a_term(glossary):
    alias = Alias(term=glossary.client, name="customer", slug="customer")
    with pytest.raises(ValidationError):
        alias.full_clean()


def test_term_urls_and_natural_key(glossary):
    assert glossary.client.get_absolute_url() == "/terms/client/"
    assert glossary.client.natural_key() == ("client",)
    assert glossary.client.is_published
    assert not glossary.draft.is_published
