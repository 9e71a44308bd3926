"""glossary.reusable: a query compiled once gives what the QuerySet it was built from gives,
for any values, and refuses what it cannot reuse."""

import pytest
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from glossary.models import Source, Term
from glossary.reusable import ReusableQuery
from tests.factories import SourceFactory, TermFactory

pytestmark = pytest.mark.django_db


def _sources(term, position):
    return Source.objects.select_related("term").filter(term=term, position=position)


@pytest.fixture
def sources():
    first, second = TermFactory(slug="first"), TermFactory(slug="second")
    return [
        SourceFactory(term=first, position=1, title="One"),
        SourceFactory(term=first, position=2, title="Two"),
        SourceFactory(term=second, position=1, title="Other"),
    ]


def test_each_call_gives_what_the_queryset_with_its_values_gives(sources):
    query = ReusableQuery(_sources, term=int, position=int)
    for source in sources:
        [found] = query(term=source.term_id, position=source.position)
        assert found == source and found.title == source.title
        assert found.term.slug == source.term.slug  # joined, as select_related asks
    assert query(term=sources[0].term_id, position=3) == []
    assert query.first(term=sources[2].term_id, position=1) == sources[2]
    assert query.first(term=sources[2].term_id, position=2) is None


def test_the_sql_is_compiled_once_and_only_the_query_runs_after(sources):
    built = []

    def build(term, position):
        built.append((term, position))
        return _sources(term, position)

    query = ReusableQuery(build, term=int, position=int)
    query(term=sources[0].term_id, position=1)
    assert len(built) == 2  # once with each set of stand-ins, never with real values
    with CaptureQueriesContext(connection) as ran:
        assert query(term=sources[2].term_id, position=1) == [sources[2]]
    assert len(built) == 2 and len(ran) == 1


def test_annotations_values_and_strings(sources):
    first = sources[0].term
    annotated = ReusableQuery(
        lambda slug: Term.objects.filter(slug=slug).annotate(
            n=Count("sources"),
            has_first=Exists(Source.objects.filter(term=OuterRef("pk"), position=1)),
        ),
        slug=str,
    )
    [term] = annotated(slug="first")
    assert (term, term.n, term.has_first) == (first, 2, True)
    titles = ReusableQuery(
        lambda term: Source.objects.filter(term=term).values_list("title", flat=True), term=int
    )
    assert titles(term=first.pk) == ["One", "Two"]
    assert annotated(slug="no-such-term") == []


def test_a_constant_equal_to_a_stand_in_stays_a_constant(sources):
    # 32001 is the first integer stand-in: built into the query, it must not take a value.
    query = ReusableQuery(
        lambda term: Source.objects.filter(term=term).exclude(position=32_001), term=int
    )
    SourceFactory(term=sources[0].term, position=32_001)
    assert query(term=sources[0].term_id) == sources[:2]


def test_values_out_of_a_columns_range_match_nothing_and_fail_nothing(sources):
    """Django makes a query for such a value empty: so does this, on SQLite (which cannot
    take an integer over 64 bits) and on PostgreSQL (whose smallint column takes 16)."""
    query = ReusableQuery(_sources, term=int, position=int)
    term = sources[0].term_id
    for position in (2**15, 2**31, 2**63, 10**30, -(10**30)):
        assert query(term=term, position=position) == [], position
    assert query(term=10**30, position=1) == []
    assert query(term=term, position=1) == [sources[0]]


def test_what_cannot_be_reused_is_refused_when_first_called(sources):
    transformed = ReusableQuery(lambda slug: Term.objects.filter(slug__contains=slug), slug=str)
    with pytest.raises(TypeError, match="transformed"):
        transformed(slug="fir")
    upper = ReusableQuery(lambda slug: Term.objects.filter(slug__istartswith=slug), slug=str)
    with pytest.raises(TypeError, match="transformed"):
        upper(slug="fir")
    unused = ReusableQuery(lambda pk, slug: Term.objects.filter(pk=pk), pk=int, slug=str)
    with pytest.raises(TypeError, match=r"Not found.*slug"):
        unused(pk=1, slug="first")


@pytest.mark.django_db(transaction=True)  # autocommit between the atomic blocks
def test_a_query_that_locks_rows_needs_a_transaction_each_time():
    term = TermFactory()
    locking = ReusableQuery(lambda pk: Term.objects.select_for_update().filter(pk=pk), pk=int)
    with transaction.atomic():
        assert locking(pk=term.pk) == [term]
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite locks the database
        with pytest.raises(TransactionManagementError):
            locking(pk=term.pk)
        with CaptureQueriesContext(connection) as ran, transaction.atomic():
            locking(pk=term.pk)
        assert any("FOR UPDATE" in query["sql"] for query in ran)


def test_values_are_named_and_typed():
    with pytest.raises(TypeError):
        ReusableQuery(lambda: Term.objects.all())
    with pytest.raises(TypeError):
        ReusableQuery(lambda pk: Term.objects.filter(pk=pk), pk=float)
    query = ReusableQuery(lambda pk: Term.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError):
        query(pk="1")
    with pytest.raises(TypeError):
        query(id=1)
