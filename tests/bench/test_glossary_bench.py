"""Benchmark: glossary search and the A–Z index on a glossary far larger than ours.

Run with `make bench`; prints timings, asserts only that the pages answer.
"""

import time

import pytest

from glossary.models import Alias, Term

TERMS = 2_000


@pytest.fixture
def big_glossary(db):
    Term.objects.bulk_create(
        Term(
            slug=f"term-{n}",
            name=f"Term {n}",
            summary=f"Summary of term number {n} for buyers.",
            body="Body.",
            status="published",
        )
        for n in range(TERMS)
    )
    terms = list(Term.objects.all())
    Alias.objects.bulk_create(
        Alias(term=term, name=f"alias {term.pk}", slug=f"alias-{term.pk}") for term in terms
    )


def _time(client, url, repeat=20, **headers):
    started = time.perf_counter()
    for _ in range(repeat):
        assert client.get(url, **headers).status_code == 200
    return (time.perf_counter() - started) / repeat * 1000


def test_search_and_index_timings(client, big_glossary):
    rows = [
        ("search 'term 1' (htmx)", _time(client, "/terms/?q=term 1", HTTP_HX_REQUEST="true")),
        ("search 'alias 5' (htmx)", _time(client, "/terms/?q=alias 5", HTTP_HX_REQUEST="true")),
        ("A–Z index", _time(client, "/terms/", repeat=5)),
        ("term page", _time(client, "/terms/term-1234/")),
    ]
    print(f"\nGlossary with {TERMS} terms and {TERMS} aliases:")
    for name, ms in rows:
        print(f"  {name:28} {ms:8.1f} ms per request")
