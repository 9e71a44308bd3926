"""Search and the 404 page's suggestions: one query, `TermQuerySet.like`, that forgives typos
and plurals (pg_trgm's similarity on PostgreSQL, the same numbers from `glossary.trigrams`
elsewhere). Run these on both databases: with and without
DATABASE_URL=postgres://…, they must give the same answers."""

import re

import pytest
from django.db import connection

from glossary.models import SIMILAR_ENOUGH, Match, Status, Term
from glossary.trigrams import similarity, single, words
from tests.factories import AliasFactory, DistinctionFactory, TermFactory
from tests.helpers import drawing_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with PostgreSQL's pg_trgm"
)


@pytest.fixture
def people(db) -> dict[str, Term]:
    """The eight terms with aliases like the real ones, and a draft that looks like them."""
    aliases = {
        "buyer": ["purchaser"],
        "client": ["clientele"],
        "consumer": ["end consumer"],
        "customer": ["customer base"],
        "patron": ["patronage"],
        "shopper": ["window shopper"],
        "subscriber": [],
        "user": ["end user"],
    }
    terms = {}
    for slug, names in aliases.items():
        terms[slug] = TermFactory(slug=slug, summary=f"Someone we call a {slug}.")
        for name in names:
            AliasFactory(term=terms[slug], name=name)
    draft = TermFactory(slug="customr", name="Customr", status=Status.DRAFT)
    AliasFactory(term=draft, name="subscirber")
    return terms


def names(terms) -> list[str]:
    return [term.name for term in terms]


# What people type, and the term it must find first.
TYPOS = [
    ("custmer", "Customer"),
    ("shoper", "Shopper"),
    ("subscirber", "Subscriber"),
    ("patrons", "Patron"),
    ("customers", "Customer"),
    ("Clent", "Client"),
    ("CUSTOMER", "Customer"),
    ("end-user", "User"),
    ("purchasr", "Buyer"),  # through the alias "purchaser"
    ("clientel", "Client"),  # the alias "clientele"
    ("patronag", "Patron"),  # the alias "patronage"
    ("windw shopper", "Shopper"),  # the alias "window shopper"
    ("consummer", "Consumer"),
]


@pytest.mark.parametrize("typed, found", TYPOS)
def test_typos_and_plurals_find_their_term_first(people, typed, found):
    assert names(Term.objects.published().like(typed))[0] == found


@pytest.mark.parametrize("typed, found", TYPOS)
def test_search_page_and_its_htmx_part_find_them(client, people, typed, found):
    for headers in ({}, HTMX):
        html = client.get("/terms/", {"q": typed}, **headers).content.decode()
        first = re.search(r'<a class="result__name" href="([^"]+)"', html).group(1)
        assert first == f"/terms/{found.lower()}/", (typed, headers)


def test_a_match_through_an_alias_names_the_alias(client, people):
    (buyer,) = Term.objects.published().like("purchasr")
    assert buyer.match.alias == "purchaser"
    assert buyer.match.rank == Match.SIMILAR
    html = client.get("/terms/", {"q": "purchasr"}).content.decode()
    assert "also called purchaser" in html
    # A match by the name itself names no alias.
    (customer,) = Term.objects.published().like("custmer")
    assert customer.match.alias is None


def test_exact_then_prefix_then_word_then_spelling_then_summary():
    exact = TermFactory(slug="buyer", name="Buyer")
    prefix = TermFactory(slug="buyer-agent", name="Buyer agent")
    word = TermFactory(slug="trader", name="Trader", summary="Sells things.")
    AliasFactory(term=word, name="trade buyer")
    spelt_alike = TermFactory(slug="bayer", name="Bayer", summary="A name.")
    summary = TermFactory(slug="aardvark", name="Aardvark", summary="Not a buyer at all.")
    TermFactory(slug="unrelated", name="Unrelated", summary="Nothing to see.")

    results = Term.objects.published().like("buyer")

    assert results == [exact, prefix, word, spelt_alike, summary]
    assert [term.match.rank for term in results] == [
        Match.EXACT,
        Match.PREFIX,
        Match.CONTAINS,
        Match.SIMILAR,
        Match.SUMMARY,
    ]
    assert results[2].match.alias == "trade buyer"


def test_the_closer_spelling_ranks_first_then_the_name():
    far = TermFactory(slug="customer-base", name="Customer base")
    near = TermFactory(slug="customer", name="Customer")
    also_near = TermFactory(slug="costumer", name="Custumer")  # as close to "custmer"
    results = Term.objects.published().like("custmer")
    # Customer and Custumer share 6 of 11 trigrams with "custmer": a tie, so by name.
    assert results == [near, also_near, far]
    scores = [term.match.similarity for term in results]
    assert scores == sorted(scores, reverse=True)
    assert all(score >= SIMILAR_ENOUGH for score in scores)


def test_unpublished_terms_and_their_aliases_never_appear(people):
    TermFactory(slug="shopkeeper", name="Shopkeeper", status=Status.IN_REVIEW)
    TermFactory(slug="old", name="Patrone", status=Status.RETIRED, replaced_by=people["patron"])
    assert "Shopkeeper" not in names(Term.objects.published().like("shopkeper"))
    assert "Patrone" not in names(Term.objects.published().like("patrone"))
    # The draft "Customr" and its alias "subscirber" are exact matches, but drafts.
    assert names(Term.objects.published().like("customr")) == ["Customer"]
    assert names(Term.objects.published().like("subscirber")) == ["Subscriber"]


def test_nothing_alike_finds_nothing(people):
    for text in ["xyzzy", "", "   ", "!!!", "%", "_", "-", "日本語"]:
        assert Term.objects.published().like(text) == [], text


def test_like_takes_two_queries_whatever_the_text(people, django_assert_num_queries):
    for text in ["custmer", "c", "end user", "purchasr"]:
        with django_assert_num_queries(2):
            Term.objects.published().like(text)


def test_like_is_limited_on_request(people):
    assert len(Term.objects.published().like("c", limit=2)) == 2


def test_scores_are_pg_trgm_similarity():
    # "custmer" and "customer" share 6 of their 11 trigrams; at single precision.
    assert similarity("custmer", "customer") == single(6 / 11)
    assert similarity("End-User", "end user") == 1.0
    assert similarity("", "customer") == similarity("!!", "customer") == 0.0
    assert words("  End-user!  of_THE year ") == "end user of the year"


@on_postgresql
def test_python_scores_equal_postgresql_scores():
    labels = ["Customer", "customer base", "End user", "Café owner", "naïve b2b", "a", "x_y-z"]
    texts = ["custmer", "shoper", "end-user", "café", "b2b", "a b c", "zz", "ÉND USÉR", "日本"]
    with connection.cursor() as cursor:
        for text in texts:
            for label in labels:
                cursor.execute("SELECT similarity(%s, %s)", [text, label])
                (theirs,) = cursor.fetchone()
                assert single(theirs) == similarity(text, label), (text, label)


# The 404 page suggests what search finds.


@pytest.mark.parametrize(
    "url, suggested",
    [
        ("/terms/custmer/", "/terms/customer/"),
        ("/terms/subscirber/", "/terms/subscriber/"),
        ("/terms/patrons/", "/terms/patron/"),
        ("/terms/window-shoper/", "/terms/shopper/"),
        ("/nowhere/shoper/", "/terms/shopper/"),
    ],
)
def test_the_404_page_suggests_what_search_finds(client, people, url, suggested):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Did you mean" in html
    assert f'href="{suggested}"' in html
    typed = url.rstrip("/").rsplit("/", 1)[-1]
    assert names(Term.objects.published().like(typed, limit=3))[0] in html


@pytest.mark.parametrize(
    "url",
    [
        "/terms/" + "custmer-" * 250 + "x/",  # longer than any search
        "/terms/%F0%9F%98%80/",  # an emoji
        "/nowhere/%FF%FE/",  # not UTF-8
        "/terms/%25%25_/",  # LIKE's wildcards
    ],
)
def test_odd_missing_addresses_are_a_404_with_suggestions_or_none(client, people, url):
    assert client.get(url).status_code == 404


def test_the_404_page_suggests_at_most_three_and_no_drafts(client, people):
    html = client.get("/terms/c/").content.decode()
    assert html.count('class="card term-card"') == 3
    html = client.get("/terms/customr/").content.decode()  # a draft's slug
    assert 'href="/terms/customr/"' not in html
    assert 'href="/terms/customer/"' in html


# The live search and the address bar.


def test_the_index_live_search_pushes_its_address(client, people):
    html = client.get("/terms/").content.decode()
    field = html[html.index('<input id="search"') :]
    field = field[: field.index(">")]
    assert 'hx-push-url="true"' in field
    assert 'hx-get="/terms/"' in field and 'name="q"' in field
    assert "ignoreTitle" not in field
    # Elsewhere the results show in place, under a page that is not the search page, which
    # keeps its own title.
    for url in ["/", "/terms/nowhere/"]:
        html = client.get(url).content.decode()
        assert "hx-push-url" not in html, url
        assert 'hx-swap="innerHTML ignoreTitle:true"' in html, url


def test_the_pushed_address_shows_the_same_results_without_javascript(client, people):
    """htmx pushes the address it asked (/terms/?q=…): a plain GET of it, a reload or a
    shared link, draws the page with the same results as the live part."""
    part = client.get("/terms/?q=shoper", **HTMX).content.decode()
    page = client.get("/terms/?q=shoper").content.decode()
    results = page[page.index('<div id="search-results"') :]
    results = results[: results.index("</div>")]
    assert "Shopper" in part and "No term is called “shoper”. Did you mean this one?" in part
    assert part.split("</title>", 1)[1].strip() in results
    assert 'value="shoper"' in page  # the box shows what was searched
    assert "<title>“shoper” in the glossary · Termwise</title>" in page


def test_the_htmx_part_names_the_page_for_the_tab_and_history(client, people):
    part = client.get("/terms/", {"q": "custmer"}, **HTMX).content.decode()
    assert part.strip().startswith("<title>“custmer” in the glossary · Termwise</title>")
    assert "<h1" not in part and "<html" not in part


def test_back_to_a_page_htmx_no_longer_holds_gets_the_whole_page(client, people):
    """htmx restores a page from its own history, or, when it has lost it, asks the server
    for it marked HX-History-Restore-Request and swaps the whole body: the whole page,
    never the part, even after the part was cached for the same address."""
    part = client.get("/terms/", {"q": "custmer"}, **HTMX)
    restored = client.get("/terms/", {"q": "custmer"}, **RESTORE)
    again = client.get("/terms/", {"q": "custmer"}, **HTMX)
    assert "<html" not in part.content.decode()
    assert "<html" in restored.content.decode() and "Customer" in restored.content.decode()
    assert "<html" not in again.content.decode()
    for response in (part, restored):
        assert "HX-History-Restore-Request" in response["Vary"]
        assert response["Vary"].count("HX-Request") == 1
    assert part["ETag"] != restored["ETag"]


def test_a_cached_search_page_carries_nothing_of_its_visitor(client, people, editor):
    client.force_login(editor)
    own = client.get("/terms/", {"q": "custmer"}).content.decode()
    assert "Log out" in own and "eddie" in own
    client.logout()
    for headers in ({}, HTMX):
        html = client.get("/terms/", {"q": "custmer"}, **headers).content.decode()
        assert "csrfmiddlewaretoken" not in html and "nonce" not in html
        assert "eddie" not in html.lower() and "Log out" not in html


# Bad input is a 4xx, never a 500, on either database.


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize(
    "query, status",
    [
        ("%00", 400),
        ("cust%00mer", 400),
        ("a" * 101, 400),
        ("a" * 100, 200),
        ("%FF%FE", 200),  # not UTF-8
        ("%ED%A0%80", 200),  # a lone surrogate, encoded
        ("%01%1B%7F", 200),  # control characters
        ("%25%25_%5C", 200),  # LIKE's wildcards and escape
        ("'%20OR%201=1--", 200),
        ("%F0%9F%98%80%20custmer", 200),  # an emoji
        ("custmer&q=shoper", 200),  # twice: the last one counts
    ],
)
def test_bad_search_input_is_a_4xx_never_a_500(client, people, query, status, headers):
    response = client.get(f"/terms/?q={query}", **headers)
    assert response.status_code == status, query


def test_a_search_that_is_too_long_says_so(client, people):
    response = client.get("/terms/", {"q": "custmer " * 20})
    assert response.status_code == 400
    assert "up to 100 characters" in response.content.decode()


def test_the_last_of_two_queries_counts(client, people):
    html = client.get("/terms/?q=custmer&q=shoper").content.decode()
    assert "called “shoper”" in html


def test_results_that_are_only_spelt_alike_say_so(client, people):
    html = client.get("/terms/", {"q": "subscirber"}, **HTMX).content.decode()
    assert "No term is called “subscirber”. Did you mean this one?" in html
    TermFactory(slug="customer-care", name="Customer care")
    html = client.get("/terms/", {"q": "custmer"}, **HTMX).content.decode()
    assert "Did you mean one of these 2?" in html
    # A name or an alias that matches is a match, whatever else is spelt alike.
    html = client.get("/terms/", {"q": "patron"}, **HTMX).content.decode()
    assert "1 term matches “patron”." in html


def test_search_drawing_queries_stay_fixed(client, people):
    small = len(drawing_queries(client, "/terms/?q=custmer", **HTMX))
    for n in range(20):
        term = TermFactory(slug=f"extra-{n}", name=f"Custom {n}")
        AliasFactory(term=term, name=f"custmer {n}")
    assert len(drawing_queries(client, "/terms/?q=custmer", **HTMX)) == small
    DistinctionFactory(term_a=people["client"], term_b=people["customer"])
    page = len(drawing_queries(client, "/terms/?q=custmer"))
    DistinctionFactory(term_a=people["buyer"], term_b=people["shopper"])
    assert len(drawing_queries(client, "/terms/?q=custmer")) == page


def test_a_search_matching_hundreds_shows_the_closest_fifty(client, db):
    for n in range(60):
        TermFactory(slug=f"term-{n}", name=f"Term {n}")
    html = client.get("/terms/", {"q": "term 1"}, **HTMX).content.decode()
    assert "60 terms match “term 1”." in html and "Here are the closest 50." in html
    assert html.count('class="result__name"') == 50
    # "Term 1" itself, then "Term 10"…"Term 19" (which start with it), then the others.
    names = re.findall(r'class="result__name" href="[^"]+">([^<]+)<', html)
    assert names[0] == "Term 1" and set(names[1:11]) == {f"Term {n}" for n in range(10, 20)}
