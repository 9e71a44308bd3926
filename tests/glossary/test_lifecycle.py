"""Only published glossary content reaches visitors; retired terms keep a signposted page."""

import json

import pytest

from glossary.models import Distinction, Status, Term
from glossary.services import change_status
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db

HIDDEN = [Status.DRAFT, Status.IN_REVIEW, Status.RETIRED]


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_terms_stay_out_of_lists_search_and_json(client, glossary, status):
    TermFactory(
        slug="patron",
        summary="A loyal regular of one venue.",
        status=status,
        replaced_by=glossary.customer if status == Status.RETIRED else None,
    )
    for url in ["/", "/terms/", "/terms/?q=patron", "/terms.json"]:
        assert "loyal regular" not in client.get(url).content.decode(), url


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_draft_and_in_review_terms_have_no_page(client, glossary, status):
    TermFactory(slug="patron", status=status)
    assert client.get("/terms/patron/").status_code == 404


def test_a_retired_term_keeps_its_page_pointing_to_the_replacement(client, retired):
    response = client.get("/terms/patron/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "no longer use" in page and 'href="/terms/customer/"' in page
    assert '<meta name="robots" content="noindex">' in page


def test_a_retired_term_is_not_a_published_term(retired):
    assert retired not in Term.objects.published()
    assert retired in Term.objects.with_public_page()


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_distinctions_are_not_shown(client, glossary, status):
    Distinction.objects.filter(pk=glossary.client_vs_customer.pk).update(status=status)
    assert client.get("/terms/client-vs-customer/").status_code == 404
    assert "Client vs Customer" not in client.get("/terms/client/").content.decode()
    data = json.loads(client.get("/terms.json").content)
    assert ["client", "customer"] not in [d["terms"] for d in data["distinctions"]]


def test_publishing_runs_every_check_and_changes_nothing_when_one_fails(glossary):
    term = TermFactory(slug="buyer", status=Status.DRAFT, body="See [[customer]].")
    Term.objects.filter(pk=term.pk).update(body="See [[nobody]].")
    term.refresh_from_db()
    with pytest.raises(Exception, match=r"\[\[nobody\]\]"):
        change_status(obj=term, status=Status.PUBLISHED)
    term.refresh_from_db()
    assert term.status == Status.DRAFT


def test_publishing_records_a_version(glossary):
    term = TermFactory(slug="buyer", status=Status.DRAFT)
    change_status(obj=term, status=Status.PUBLISHED)
    assert term.history.count() == 2
    assert term.history.first().status == Status.PUBLISHED
