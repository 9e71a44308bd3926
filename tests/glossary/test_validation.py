"""Every glossary content rule, enforced by the models and services (not only by admin
forms)."""

import pytest

from glossary.models import Distinction, Status, Term
from glossary.services import TermInUse, delete_term
from tests.factories import TermFactory
from tests.helpers import validation_errors

pytestmark = pytest.mark.django_db


# Summaries


@pytest.mark.parametrize(
    "summary",
    [
        "A client pays for advice. They come back every year.",
        "A client pays for advice! Often.",
        "A client pays for advice",
        "A " + "very " * 40 + "long summary.",
    ],
)
def test_a_summary_is_one_sentence_under_200_characters(summary):
    term = Term(slug="client", name="Client", summary=summary, body="About clients.")
    assert "summary" in validation_errors(term)


def test_a_plain_one_sentence_summary_passes():
    Term(
        slug="client", name="Client", summary="A client pays for advice, e.g. a lawyer’s.", body="B"
    ).full_clean()


# [[links]] in every Markdown field


def test_term_body_links_must_name_existing_terms(glossary):
    term = Term(
        slug="buyer", name="Buyer", summary="Pays.", body="Not a [[customr]] nor [[patron]]."
    )
    message = " ".join(validation_errors(term)["body"])
    assert "[[customr]]" in message and "[[patron]]" in message


def test_links_may_use_aliases_drafts_and_the_term_itself(glossary):
    body = "See [[clientele]], [[secret-draft]] and [[buyers|buyer]]."
    Term(slug="buyer", name="Buyer", summary="Pays.", body=body).full_clean()


def test_distinction_example_and_body_links_are_checked(glossary):
    distinction = Distinction(
        term_a=glossary.client,
        term_b=glossary.consumer,
        rule="Advice or use.",
        example="A [[unicorn]] example.",
        body="See [[dragon]].",
    )
    errors = validation_errors(distinction)
    assert "[[unicorn]]" in errors["example"][0] and "[[dragon]]" in errors["body"][0]


# Distinctions


def test_a_distinction_joins_two_different_terms(glossary):
    same = Distinction(term_a=glossary.client, term_b=glossary.client, rule="R", example="E")
    assert "two different terms" in " ".join(validation_errors(same)["term_b"])


@pytest.mark.parametrize("reverse", [False, True])
def test_a_distinction_exists_once_per_pair_in_either_order(glossary, reverse):
    first, second = glossary.customer, glossary.client
    if reverse:
        first, second = second, first
    twin = Distinction(term_a=first, term_b=second, rule="R", example="E")
    assert "already exists" in " ".join(validation_errors(twin)["term_b"])


# Retired terms


def test_a_retired_term_needs_a_published_replacement(glossary):
    term = glossary.consumer
    term.status = Status.RETIRED
    assert "needs a replacement" in " ".join(validation_errors(term)["replaced_by"])
    term.replaced_by = glossary.draft
    assert "not published" in " ".join(validation_errors(term)["replaced_by"])
    term.replaced_by = term
    assert "cannot replace itself" in " ".join(validation_errors(term)["replaced_by"])
    term.replaced_by = glossary.customer
    term.full_clean()


def test_only_a_retired_term_has_a_replacement(glossary):
    term = glossary.consumer
    term.replaced_by = glossary.customer
    assert "Only a retired term" in " ".join(validation_errors(term)["replaced_by"])


# Deleting


def test_a_term_nobody_uses_can_be_deleted(glossary):
    delete_term(term=glossary.draft)
    assert not Term.objects.filter(slug="secret-draft").exists()


def test_a_term_replacing_a_retired_one_cannot_be_deleted(db):
    new = TermFactory(slug="customer")
    TermFactory(slug="patron", status=Status.RETIRED, replaced_by=new)
    with pytest.raises(TermInUse, match="the retired terms “Patron”"):
        delete_term(term=new)
