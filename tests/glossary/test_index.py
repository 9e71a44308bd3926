"""The A–Z index: every letter A to Z in its bar (letters without terms greyed out, not
links), and every published comparison listed."""

import re

import pytest

from glossary.models import Status
from tests.factories import DistinctionFactory, TermFactory
from tests.helpers import drawing_queries

pytestmark = pytest.mark.django_db

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _bar(html: str) -> str:
    start = html.index('<nav aria-label="Letters"')
    return html[start : html.index("</nav>", start)]


def test_the_bar_shows_every_letter_and_links_only_those_with_terms(client, glossary):
    TermFactory(slug="user", name="User")
    bar = _bar(client.get("/terms/").content.decode())
    linked = re.findall(r'<a href="#letter-([A-Z])">\1<', bar)
    greyed = re.findall(
        r'<span class="az__none">([A-Z])<span class="visually-hidden"> \(no terms\)', bar
    )
    assert linked == ["C", "U"]  # client, consumer, customer; user
    assert greyed == [letter for letter in LETTERS if letter not in "CU"]
    assert 'aria-describedby="az-note"' in bar


def test_each_linked_letter_has_its_section_and_says_how_many(client, glossary):
    html = client.get("/terms/").content.decode()
    assert '<a href="#letter-C">C<span class="visually-hidden"> (3 terms)</span></a>' in html
    assert re.findall(r'<h3 id="letter-(\w+)"', html) == ["C"]
    assert 'id="az-note"' in html and "Greyed-out letters have no terms yet." in html


def test_a_letter_with_only_drafts_is_greyed_out(client, glossary):
    bar = _bar(client.get("/terms/").content.decode())
    assert '<span class="az__none">S<' in bar  # "Secret draft"
    assert 'href="#letter-S"' not in bar


def test_accented_names_go_under_their_letter_and_others_under_hash(client):
    TermFactory(slug="eclair-fan", name="Éclair fan")
    TermFactory(slug="3d-buyer", name="3D buyer")
    TermFactory(slug="end-user", name="End user")
    html = client.get("/terms/").content.decode()
    bar = _bar(html)
    assert re.findall(r'<a href="#(letter-\w+)">(.)<', bar) == [
        ("letter-E", "E"),
        ("letter-other", "#"),
    ]
    assert "names starting with a digit or sign, 1 term" in bar
    section = html[html.index('id="letter-E"') : html.index('id="letter-other"')]
    assert section.index("End user") < section.index("Éclair fan")
    assert "3D buyer" in html[html.index('id="letter-other"') :]


def test_without_terms_the_index_says_so(client):
    html = client.get("/terms/").content.decode()
    assert "No terms have been published yet." in html
    assert 'aria-label="Letters"' not in html


def test_the_index_lists_every_published_comparison(client, glossary):
    buyer = TermFactory(slug="buyer", name="Buyer")
    DistinctionFactory(term_a=buyer, term_b=glossary.customer)
    DistinctionFactory(term_a=buyer, term_b=glossary.client, status=Status.DRAFT)
    DistinctionFactory(term_a=buyer, term_b=glossary.draft)  # published, with a draft term
    html = client.get("/terms/").content.decode()
    section = html[html.index('aria-labelledby="compare-title"') :]
    links = re.findall(r'<a class="compare-list__name" href="([^"]+)"', section)
    assert links == [
        "/terms/buyer-vs-customer/",
        "/terms/client-vs-customer/",
        "/terms/consumer-vs-customer/",
    ]
    assert 'Client <span class="vs">vs</span> Customer' in section
    assert "Advice and a named contact make a client." in section
    assert 'href="#compare-title"' in html  # the intro points to them
    for url in links:
        assert client.get(url).status_code == 200


def test_without_comparisons_there_is_no_empty_section(client):
    TermFactory(slug="loner")
    html = client.get("/terms/").content.decode()
    assert "compare-title" not in html


def test_the_index_draws_in_a_fixed_number_of_queries(client, glossary):
    before = len(drawing_queries(client, "/terms/"))
    for n in range(10):
        term = TermFactory(slug=f"zed-{n}", name=f"Zed {n}")
        DistinctionFactory(term_a=term, term_b=glossary.customer)
    assert len(drawing_queries(client, "/terms/")) == before
