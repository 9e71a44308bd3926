import json
import re

import pytest

from tests.factories import AliasFactory, DistinctionFactory, SourceFactory, TermFactory
from tests.helpers import drawing_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_home_lists_published_terms_with_summaries(client, glossary):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone who pays for professional advice." in html
    assert 'href="/terms/customer/"' in html
    assert "Secret draft" not in html
    assert html.count("<h1") == 1


def test_home_without_terms_says_so(client):
    response = client.get("/")
    assert "No terms have been published yet" in response.content.decode()


def test_every_page_has_title_favicon_landmarks_and_csp(client, glossary):
    for url in ["/", "/terms/", "/terms/client/", "/terms/client-vs-customer/", "/terms/nope/"]:
        response = client.get(url)
        html = response.content.decode()
        assert re.search(r"<title>[^<]+· Termwise</title>", html), url
        assert 'rel="icon"' in html, url
        assert '<main id="main"' in html and 'class="skip-link"' in html, url
        assert html.count("<h1") == 1, url
        # Scripts are static files that script-src 'self' allows: no inline script, and no
        # per-request nonce, so the page can be cached whole.
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)", html)
        assert inline == [], url  # JSON-LD is data, not a script that runs
        assert "nonce" not in html, url


def test_index_lists_terms_a_to_z(client, glossary):
    response = client.get("/terms/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(">Client<") < html.index(">Consumer<") < html.index(">Customer<")
    assert 'id="letter-C"' in html
    assert "Secret draft" not in html


def test_search_without_htmx_returns_the_full_page(client, glossary):
    response = client.get("/terms/", {"q": "clientele"})
    html = response.content.decode()
    assert "<html" in html
    assert "1 term matches “clientele”" in html
    assert "also called clientele" in html
    assert response["Vary"].count("HX-Request") == 1


def test_htmx_search_returns_only_the_results_partial(client, glossary):
    response = client.get("/terms/", {"q": "clientele"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html
    assert 'href="/terms/client/"' in html
    assert "Customer" not in html


def test_search_puts_name_matches_before_summary_matches(client, glossary):
    TermFactory(slug="zealous-buyer", name="Zealous buyer", summary="Keen to spend.")
    html = client.get("/terms/", {"q": "buy"}, **HTMX).content.decode()
    # Customer matches only through its summary ("Anyone who buys…").
    assert html.index("/terms/zealous-buyer/") < html.index("/terms/customer/")
    assert "2 terms match “buy”" in html


def test_search_with_no_match_offers_help(client, glossary):
    html = client.get("/terms/", {"q": "wizard"}, **HTMX).content.decode()
    assert "No term matches “wizard”" in html


def test_search_never_finds_drafts(client, glossary):
    html = client.get("/terms/", {"q": "secret"}, **HTMX).content.decode()
    assert "secret-draft" not in html
    assert "No term matches" in html


def test_search_query_is_escaped(client, glossary):
    html = client.get("/terms/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_search_query_over_100_characters_is_a_400(client, glossary):
    assert client.get("/terms/", {"q": "a" * 100}).status_code == 200
    response = client.get("/terms/", {"q": "<script>x</script>" + "a" * 500})
    assert response.status_code == 400
    assert "<script>x</script>" not in response.content.decode()


def test_term_page_shows_summary_body_aliases_distinctions_sources(client, glossary):
    response = client.get("/terms/client/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="term-title">Client</h1>' in html
    assert "Someone who pays for professional advice." in html
    assert 'href="/terms/customer/" class="term-link">customer</a>' in html
    # [[patron]] has no term in this glossary: plain text, not a broken link.
    assert "See patron." in html
    assert "clientele" in html
    assert 'href="/terms/client-vs-customer/"' in html
    assert "Advice and a named contact make a client." in html
    assert "Client vs customer, a blog post" in html


def test_term_page_links_each_source_that_has_a_web_address(client, glossary):
    client_term = glossary.client
    SourceFactory(term=client_term, title="A dictionary", url="https://example.org/client?a=1&b=2")
    SourceFactory(term=client_term, title="Sneaky", url="javascript:alert(1)")
    html = client.get("/terms/client/").content.decode()
    sources = html[
        html.index('id="sources-title"') : html.index("</ul>", html.index('id="sources-title"'))
    ]
    assert (
        '<li><a href="https://example.org/client?a=1&amp;b=2" rel="noopener">A dictionary</a></li>'
        in sources
    )
    assert "<li>Client vs customer, a blog post</li>" in sources  # no URL: its title alone
    assert "<li>Sneaky</li>" in sources and "javascript:" not in html


def test_term_page_has_jsonld_canonical_and_meta(client, glossary):
    html = client.get("/terms/client/").content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "DefinedTerm"
    assert data["name"] == "Client"
    assert data["description"] == "Someone who pays for professional advice."
    assert data["url"] == "http://testserver/terms/client/"
    assert data["alternateName"] == ["clientele"]
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert '<link rel="canonical" href="http://testserver/terms/client/">' in html
    assert '<meta name="description" content="Someone who pays for professional advice.">' in html
    assert '<meta property="og:title" content="Client — Termwise glossary">' in html


def test_jsonld_cannot_be_broken_out_of(client):
    TermFactory(slug="tricky", summary="Ends the script </script><script>alert(1)</script>.")
    html = client.get("/terms/tricky/").content.decode()
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "alert(1)" in json.loads(jsonld.group(1))["description"]
    assert "<script>alert(1)" not in html


def test_term_page_without_distinctions_says_so(client):
    TermFactory(slug="loner")
    assert "No look-alike terms for this one." in client.get("/terms/loner/").content.decode()


def test_alias_slug_redirects_permanently_to_its_term(client, glossary):
    response = client.get("/terms/clientele/")
    assert response.status_code == 301
    assert response["Location"] == "/terms/client/"


def test_draft_term_is_not_visible(client, glossary):
    assert client.get("/terms/secret-draft/").status_code == 404


def test_unknown_slug_gives_404_with_closest_terms(client, glossary):
    response = client.get("/terms/clent/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "There is no term called “clent”" in html
    assert "Did you mean" in html
    assert 'href="/terms/client/"' in html


def test_unknown_url_anywhere_gives_the_friendly_404(client, glossary):
    response = client.get("/nowhere/customr/")
    assert response.status_code == 404
    assert 'href="/terms/customer/"' in response.content.decode()


@pytest.mark.parametrize("url", ["/terms/client-vs-customer/", "/terms/customer-vs-client/"])
def test_compare_serves_either_order(client, glossary, url):
    response = client.get(url, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain in ([], [("/terms/client-vs-customer/", 301)])
    assert "Advice and a named contact make a client." in html
    assert "Someone who pays for professional advice." in html
    assert "Anyone who buys from a business." in html


def test_compare_non_canonical_order_redirects(client, glossary):
    response = client.get("/terms/customer-vs-client/")
    assert response.status_code == 301
    assert response["Location"] == "/terms/client-vs-customer/"


def test_compare_accepts_alias_slugs(client, glossary):
    response = client.get("/terms/clientele-vs-customer/")
    assert response.status_code == 301
    assert response["Location"] == "/terms/client-vs-customer/"


def test_compare_of_a_pair_without_distinction_is_404_linking_both(client, glossary):
    response = client.get("/terms/client-vs-consumer/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "no side-by-side page for Client and Consumer" in html
    assert 'href="/terms/client/"' in html and 'href="/terms/consumer/"' in html


def test_compare_with_unknown_or_draft_term_is_404(client, glossary):
    DistinctionFactory(term_a=glossary.client, term_b=glossary.draft)
    assert client.get("/terms/client-vs-unicorn/").status_code == 404
    assert client.get("/terms/client-vs-secret-draft/").status_code == 404


def test_pages_refuse_post(client, glossary):
    assert client.post("/terms/client/").status_code == 405
    assert client.post("/terms/").status_code == 405


def test_terms_json_exports_published_glossary(client, glossary):
    response = client.get("/terms.json")
    data = response.json()
    assert response["Content-Type"] == "application/json"
    assert [term["slug"] for term in data["terms"]] == ["client", "consumer", "customer"]
    client_entry = data["terms"][0]
    assert client_entry["aliases"] == ["clientele"]
    assert client_entry["url"] == "http://testserver/terms/client/"
    assert {tuple(d["terms"]) for d in data["distinctions"]} == {
        ("client", "customer"),
        ("consumer", "customer"),
    }


def test_term_page_query_count_does_not_grow_with_related_rows(client, glossary):
    before = len(drawing_queries(client, "/terms/client/"))
    term = glossary.client
    for number in range(10):
        AliasFactory(term=term, name=f"alias {number}")
        SourceFactory(term=term, title=f"Source {number}")
        other = TermFactory(slug=f"other-{number}")
        DistinctionFactory(term_a=term, term_b=other)
    assert len(drawing_queries(client, "/terms/client/")) == before


@pytest.mark.parametrize("url", ["/", "/terms/", "/terms/?q=a", "/terms.json"])
def test_list_pages_query_count_is_fixed(client, glossary, url):
    for number in range(20):
        term = TermFactory(slug=f"extra-{number}", summary="another term a")
        AliasFactory(term=term, name=f"extra alias {number}")
    assert len(drawing_queries(client, url)) <= 6
