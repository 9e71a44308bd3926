"""Public pages are cached whole for visitors, keyed by the content version, and answered
with 304 Not Modified before anything is drawn (glossary/page_cache.py)."""

from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection, connections, transaction
from django.test import Client, override_settings
from django.urls.resolvers import URLResolver

from glossary import page_cache
from glossary.history import restore_version
from glossary.models import Status, Term
from glossary.services import change_status, delete_term, load_glossary
from tests.factories import AliasFactory, SourceFactory, TermFactory, UserFactory
from tests.glossary.test_import_export import _csv, _term_row
from tests.helpers import admin_url, confirm_import, term_form, upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PUBLIC = ["/", "/terms/", "/terms/?q=cli", "/terms/client/", "/terms/client-vs-customer/"]


def _drawn(response) -> bool:
    """Whether the page was drawn for this request rather than taken from the cache."""
    return bool(response.templates)


@pytest.mark.parametrize("url", [*PUBLIC, "/terms.json"])
def test_a_visitor_gets_the_page_from_the_cache_without_drawing_it(
    client, glossary, url, django_assert_max_num_queries
):
    first = client.get(url)
    with django_assert_max_num_queries(1):  # the content version; the page is kept here too
        second = Client().get(url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert not _drawn(second)
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_a_page_is_read_from_the_shared_cache_once_per_version(client, glossary):
    """Each process keeps a copy of the pages it served or fetched: the shared cache is asked
    for the version on every request, and for a page only when this process has no copy of
    it at that version (another server drew it, or the content changed)."""
    first = client.get("/terms/client/")
    _, key = page_cache._address_and_key(first.wsgi_request)

    page_cache.forget_local_copies()  # as on a server that did not draw it
    from_shared = Client().get("/terms/client/")
    cache.delete(key)  # from now on, only this process's copy
    from_local = Client().get("/terms/client/")
    assert from_shared.content == from_local.content == first.content
    assert not _drawn(from_shared) and not _drawn(from_local)

    glossary.client.summary = "Someone who pays for advice, again and again."
    glossary.client.save()
    changed = Client().get("/terms/client/")
    assert _drawn(changed) and "again and again" in changed.content.decode()


def test_the_copies_a_process_keeps_are_bounded(client, glossary, monkeypatch):
    monkeypatch.setattr(page_cache, "LOCAL_PAGES", 2)
    for url in ["/terms/", "/terms/client/", "/terms/customer/"]:
        client.get(url)
    kept = page_cache._local_pages
    assert len(kept) == 2
    assert page_cache._address_and_key(client.get("/terms/customer/").wsgi_request)[1] in kept


def test_a_remembered_address_still_checks_the_host(client, glossary, settings):
    """The address of a page is worked out once per process; a host that is not allowed is
    never remembered, so it is turned away however often a good host asked before."""
    settings.ALLOWED_HOSTS = ["termwise.example"]
    good = {"HTTP_HOST": "termwise.example"}
    assert client.get("/terms/client/", **good).status_code == 200
    assert client.get("/terms/client/", **good).status_code == 200
    assert client.get("/terms/client/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/terms/client/", HTTP_HOST="evil.example").status_code == 400


def test_remembered_addresses_are_bounded(client, glossary, monkeypatch):
    monkeypatch.setattr(page_cache, "ADDRESSES", 3)
    for n in range(10):
        assert client.get(f"/terms/?q=c{n}").status_code == 200
    assert len(page_cache._addresses) <= 3


@pytest.mark.parametrize("url", PUBLIC)
def test_a_cached_page_carries_nothing_per_visitor(client, glossary, url):
    client.get(url)
    response = client.get(url)
    assert not _drawn(response)
    assert not response.cookies  # no session, no csrftoken
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "Cookie" not in response.get("Vary", "")
    assert "HX-Request" in response["Vary"]


def test_a_matching_etag_gets_a_304_before_anything_is_drawn(
    client, glossary, django_assert_max_num_queries
):
    page = client.get("/terms/client/")
    with django_assert_max_num_queries(1):  # the content version only
        again = client.get("/terms/client/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert not _drawn(again)
    assert again["ETag"] == page["ETag"]
    assert again["Cache-Control"] == "public, max-age=0, must-revalidate"


@pytest.mark.parametrize(
    "asked", ['"other", {etag}', "W/{etag}", "*", '{etag}, "other"'], ids=str.strip
)
def test_any_form_of_a_matching_if_none_match_gets_a_304(client, glossary, asked):
    page = client.get("/terms/client/")
    again = client.get("/terms/client/", HTTP_IF_NONE_MATCH=asked.format(etag=page["ETag"]))
    assert again.status_code == 304 and not _drawn(again)
    assert again["ETag"] == page["ETag"]


def test_a_post_with_a_matching_etag_is_not_a_304(client, glossary):
    page = client.get("/terms/client/")
    response = client.post("/terms/client/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert response.status_code != 304


def test_if_modified_since_gets_a_304_until_the_content_changes(client, glossary):
    page = client.get("/terms/client/")
    since = {"HTTP_IF_MODIFIED_SINCE": page["Last-Modified"]}
    again = client.get("/terms/client/", **since)
    assert again.status_code == 304 and not _drawn(again)

    change_status(obj=glossary.customer, status=Status.DRAFT)
    changed = client.get("/terms/client/", **since)
    assert changed.status_code == 200
    assert changed["Last-Modified"] != page["Last-Modified"]
    assert changed["ETag"] != page["ETag"]


def test_an_old_etag_gets_the_new_page(client, glossary):
    page = client.get("/terms/client/")
    glossary.client.summary = "Someone who pays for advice, again and again."
    glossary.client.save()
    response = client.get("/terms/client/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert response.status_code == 200
    assert "again and again" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the content is committed, as on a running site
def test_a_cleared_cache_draws_every_page_again(client, glossary):
    page = client.get("/terms/client/")
    cache.clear()
    again = client.get("/terms/client/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 200 and _drawn(again)


def test_htmx_and_full_pages_are_kept_apart(client, glossary):
    full = client.get("/terms/", {"q": "cli"})
    part = client.get("/terms/", {"q": "cli"}, **HTMX)
    assert "<html" in full.content.decode() and "<html" not in part.content.decode()
    assert full["ETag"] != part["ETag"]
    again_full = client.get("/terms/", {"q": "cli"})
    again_part = client.get("/terms/", {"q": "cli"}, **HTMX)
    assert not _drawn(again_full) and not _drawn(again_part)
    assert again_full.content == full.content and again_part.content == part.content


def test_each_query_string_is_a_page_of_its_own(client, glossary):
    clients = client.get("/terms/", {"q": "client"}).content.decode()
    consumers = client.get("/terms/", {"q": "consumer"}).content.decode()
    assert "matches “client”" in clients and "matches “consumer”" in consumers
    assert "matches “client”" in client.get("/terms/", {"q": "client"}).content.decode()


def test_head_is_answered_from_the_same_page(client, glossary):
    head = client.head("/terms/client/")
    assert head.status_code == 200 and head.content == b""
    get = client.get("/terms/client/")
    assert not _drawn(get)
    assert get["ETag"] == head["ETag"]
    assert client.head("/terms/client/", HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304


def test_not_found_pages_and_redirects_are_not_cached(client, glossary):
    for _ in range(2):
        missing = client.get("/terms/nobody/")
        assert missing.status_code == 404 and _drawn(missing)
        assert "ETag" not in missing
    redirect = client.get("/terms/clientele/")  # an alias
    assert redirect.status_code == 301 and "ETag" not in redirect


def test_a_signed_in_person_never_gets_nor_leaves_a_visitors_page(client, glossary):
    person = UserFactory(username="ada")
    signed_in = Client()
    signed_in.force_login(person)
    visitor = client.get("/terms/client/").content.decode()

    theirs = signed_in.get("/terms/client/")
    assert "Log out" in theirs.content.decode() and "ada" in theirs.content.decode()
    assert theirs["Cache-Control"] == "private, no-cache"
    assert "ETag" not in theirs
    assert "Log out" not in visitor

    cache.clear()  # the signed-in person first this time
    signed_in.get("/terms/client/")
    assert "Log out" not in Client().get("/terms/client/").content.decode()


def test_a_signed_in_person_gets_the_cached_page_with_their_own_links(client, glossary):
    """Signed-in people read the glossary too (learners are signed in): the visitors' page,
    with their account links in place of "Log in", without drawing the page."""
    visitor = client.get("/terms/client/")
    editor = UserFactory(username="eddie", is_staff=True)
    signed_in = Client()
    signed_in.force_login(editor)

    theirs = signed_in.get("/terms/client/")

    assert [template.name for template in theirs.templates] == ["includes/account_nav.html"]
    html = theirs.content.decode()
    assert "Log in" not in html and "Log out" in html and "eddie" in html
    assert 'href="/admin/"' in html and 'href="/me/"' in html
    assert 'href="/accounts/logout/"' in html and "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in theirs.cookies  # nothing of this request in the page
    mine, shared = html.split("<!--account-->"), visitor.content.decode().split("<!--account-->")
    assert (
        mine[0] == shared[0]
        and mine[1].split("<!--/account-->")[1] == shared[1].split("<!--/account-->")[1]
    )


def _resolutions(monkeypatch) -> list[str]:
    """The paths Django's request handler resolves from now on."""
    resolved = []
    real_resolve = URLResolver.resolve

    def counting(resolver, path):
        if resolver.pattern.regex.pattern == "^/":  # the URLconf's root, as the handler asks
            resolved.append(path)
        return real_resolve(resolver, path)

    monkeypatch.setattr(URLResolver, "resolve", counting)
    return resolved


def test_a_signed_in_reader_is_answered_before_the_view(client, glossary, monkeypatch):
    """SignedInReaderMiddleware: once a visitor's request stored the page, a signed-in
    reader's request gets it with their links without the URL being resolved again, and
    exactly as the view would have given it."""
    client.get("/terms/client/")
    signed_in = Client()
    signed_in.force_login(UserFactory(username="ada"))
    by_the_view = signed_in.get("/terms/client/")  # resolves /terms/client/ once for the cache
    resolved = _resolutions(monkeypatch)

    early = signed_in.get("/terms/client/")

    assert resolved == []
    assert early.content == by_the_view.content and "ada" in early.content.decode()
    assert early["Cache-Control"] == "private, no-cache" and "ETag" not in early
    assert "Cookie" in early["Vary"]  # the page differs with the session cookie
    with override_settings(
        MIDDLEWARE=[m for m in settings.MIDDLEWARE if not m.endswith("SignedInReaderMiddleware")]
    ):
        other = Client()  # a client builds its middleware chain once
        other.cookies = signed_in.cookies
        without_it = other.get("/terms/client/")
    assert resolved == ["/terms/client/"]
    assert without_it.content == early.content
    assert dict(without_it.items()).keys() == dict(early.items()).keys()


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("/", "the home page is each learner's own"),
        ("/terms/nobody/", "a 404 is never stored"),
        ("/quiz/attempts/1/", "not a public page"),
    ],
)
def test_a_signed_in_reader_goes_on_to_the_view_for_other_pages(
    client, glossary, monkeypatch, url, why
):
    client.get(url)
    signed_in = Client()
    signed_in.force_login(UserFactory(username="ada"))
    signed_in.get(url)
    resolved = _resolutions(monkeypatch)
    signed_in.get(url)
    assert resolved == [url], why


def test_a_signed_in_reader_with_a_message_waiting_goes_on_to_the_view(
    client, glossary, monkeypatch
):
    client.get("/terms/client/")
    signed_in = Client()
    signed_in.force_login(UserFactory(username="ada"))
    signed_in.cookies["messages"] = "anything"
    resolved = _resolutions(monkeypatch)
    signed_in.get("/terms/client/")
    assert resolved == ["/terms/client/"]


def test_a_signed_in_reader_is_told_to_come_back_while_the_database_is_down(client, glossary):
    """Finding who is signed in may read the database, before any view: a lost database is
    still the 503 page (glossary.views.server_error), not a 500."""
    client.get("/terms/client/")
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(UserFactory(username="ada"))
    with mock.patch.object(
        connections["default"], "_cursor", side_effect=OperationalError("connection refused")
    ):
        answer = signed_in.get("/terms/client/")
    assert answer.status_code == 503


def test_a_signed_in_person_first_fills_the_cache_for_everyone(client, glossary):
    signed_in = Client()
    signed_in.force_login(UserFactory(username="ada"))
    theirs = signed_in.get("/terms/client/")
    assert "Log out" in theirs.content.decode()
    visitor = client.get("/terms/client/")
    assert not _drawn(visitor)
    assert "Log in" in visitor.content.decode() and "ada" not in visitor.content.decode()


def test_a_signed_in_learners_home_page_is_their_own(client, glossary):
    client.get("/")
    signed_in = Client()
    signed_in.force_login(UserFactory(username="ada"))
    assert "home.html" in [template.name for template in signed_in.get("/").templates]


def test_a_visitor_with_a_session_shares_the_page(client, glossary):
    session = client.session
    session["practising"] = True
    session.save()
    first = Client().get("/terms/client/")
    with_session = client.get("/terms/client/")
    assert with_session.content == first.content and not _drawn(with_session)


def test_a_visitor_with_a_message_waiting_gets_a_page_of_their_own(client, glossary):
    client.get("/terms/client/")
    client.cookies["messages"] = "anything"
    assert _drawn(client.get("/terms/client/"))


@pytest.mark.django_db(transaction=True)
def test_changes_in_a_transaction_change_the_shared_version_once_when_it_commits(glossary):
    page_cache.content_version()  # the shared version exists
    shared = cache.get(page_cache.VERSION_KEY)
    with transaction.atomic():
        for number in range(5):
            TermFactory(slug=f"bulk-{number}")
        # Not yet for others, who cannot see the new terms, but at once for this connection.
        assert cache.get(page_cache.VERSION_KEY) == shared
        assert page_cache.content_version() != shared
        pending = [f for _, f, _ in connection.run_on_commit if f is page_cache._bump_on_commit]
        assert len(pending) == 1
    assert cache.get(page_cache.VERSION_KEY) != shared
    assert page_cache.content_version() == cache.get(page_cache.VERSION_KEY)


@pytest.mark.django_db(transaction=True)  # committed: no version of this connection's own
def test_a_request_reads_the_version_from_the_cache_once(monkeypatch):
    """Later reads in the same request take the version it read first; a change made by
    the request itself is what it reads after; the next request reads the cache again."""
    term = TermFactory()
    reads = []
    real_read = page_cache._shared_version
    monkeypatch.setattr(page_cache, "_shared_version", lambda: reads.append(1) or real_read())

    def versions() -> int:
        return len(reads)

    request_started.send(sender=None)
    first = page_cache.content_version()
    assert page_cache.content_version() == first and versions() == 1
    term.save()  # outside a transaction: the shared version changes at once
    changed = page_cache.content_version()
    assert changed != first and changed == cache.get(page_cache.VERSION_KEY)
    request_finished.send(sender=None)

    page_cache._share_version("1.another-server")
    assert page_cache.content_version() == "1.another-server"  # outside a request: every read
    request_started.send(sender=None)
    before = versions()
    assert page_cache.content_version() == "1.another-server"
    assert page_cache.content_version() == "1.another-server" and versions() == before + 1
    request_finished.send(sender=None)


# What visitors see changes at once, whichever way the content changes.


def _client_page(client) -> str:
    response = client.get("/terms/client/")
    return response.content.decode() if response.status_code == 200 else ""


def test_an_edit_in_the_admin_shows_at_once(glossary, editor_client):
    visitor = Client()
    assert "Anyone who buys from a business." in visitor.get("/terms/customer/").content.decode()
    term = glossary.customer
    data = term_form(term, summary="Anyone who buys from us.")
    response = editor_client.post(admin_url(term), data)
    assert response.status_code == 302
    assert "Anyone who buys from us." in visitor.get("/terms/customer/").content.decode()


def test_publishing_and_unpublishing_show_at_once(client, glossary):
    assert client.get("/terms/secret-draft/").status_code == 404
    change_status(obj=glossary.draft, status=Status.PUBLISHED)
    assert client.get("/terms/secret-draft/").status_code == 200
    assert "Secret draft" in client.get("/terms/").content.decode()
    change_status(obj=glossary.draft, status=Status.DRAFT)
    assert client.get("/terms/secret-draft/").status_code == 404
    assert "Secret draft" not in client.get("/terms/").content.decode()


def test_a_deleted_term_goes_at_once(client, glossary):
    lonely = TermFactory(slug="lonely", name="Lonely")
    assert client.get("/terms/lonely/").status_code == 200
    assert "Lonely" in client.get("/terms.json").content.decode()
    delete_term(term=lonely)
    assert client.get("/terms/lonely/").status_code == 404
    assert "Lonely" not in client.get("/terms.json").content.decode()


def test_aliases_sources_and_distinctions_show_at_once(client, glossary):
    _client_page(client)
    AliasFactory(term=glossary.client, name="Patrons of advice")
    SourceFactory(term=glossary.client, title="A new source")
    assert "Patrons of advice" in _client_page(client)
    assert "A new source" in _client_page(client)

    compare = "/terms/client-vs-customer/"
    client.get(compare)
    glossary.client_vs_customer.rule = "A named contact makes a client."
    glossary.client_vs_customer.save()
    assert "A named contact makes a client." in client.get(compare).content.decode()


def test_loading_content_shows_at_once(client, glossary):
    _client_page(client)
    load_glossary(
        data={
            "terms": [
                {
                    "slug": "client",
                    "name": "Client",
                    "summary": "Loaded from a file.",
                    "body": "Loaded.",
                }
            ],
            "distinctions": [],
        }
    )
    assert "Loaded from a file." in _client_page(client)


def test_the_load_content_command_shows_at_once(client, db):
    assert client.get("/terms/client/").status_code == 404
    call_command("load_content", verbosity=0)
    assert client.get("/terms/client/").status_code == 200


def test_an_import_shows_at_once(glossary, editor_client):
    visitor = Client()
    assert visitor.get("/terms/buyer/").status_code == 404
    rows = [_term_row("buyer", "Whoever decides on a purchase and pays.", status="published")]
    preview = upload(editor_client, "/admin/glossary/term/import/", _csv(rows), "t.csv", "0")
    confirm_import(editor_client, "/admin/glossary/term/import/", preview)
    assert Term.objects.filter(slug="buyer").exists()
    page = visitor.get("/terms/buyer/").content.decode()
    assert "Whoever decides on a purchase and pays." in page


def test_restoring_a_version_shows_at_once(client, glossary):
    term = glossary.customer
    original = term.history.latest()
    term.summary = "A summary that will be taken back."
    term.save()
    assert "taken back" in client.get("/terms/customer/").content.decode()
    restore_version(record=original)
    page = client.get("/terms/customer/").content.decode()
    assert "taken back" not in page and "Anyone who buys from a business." in page


@pytest.mark.skipif(not settings.REDIS_URL, reason="the Redis backend is used with REDIS_URL")
def test_the_redis_cache_shares_one_client():
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: one pool


@pytest.mark.django_db(transaction=True)
def test_a_change_is_kept_when_the_cache_cannot_take_the_new_version(monkeypatch, caplog):
    page_cache.content_version()  # the shared version exists

    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache is unreachable")

    monkeypatch.setattr(page_cache, "_share_version", unreachable)
    with transaction.atomic():
        TermFactory(slug="kept")
    assert Term.objects.filter(slug="kept").exists()
    assert "the cache is unreachable" in caplog.text


def test_a_visitors_cached_page_is_answered_before_sessions_and_users(client, glossary):
    """PublicPageCacheMiddleware answers before the session, user, CSRF and messages layers
    (they cost as much as the answer), and the page still carries every security header."""
    client.get("/terms/client/")
    page = client.get("/terms/client/")
    assert not hasattr(page.wsgi_request, "user") and not hasattr(page.wsgi_request, "session")
    for header in ("X-Frame-Options", "Content-Security-Policy", "X-Request-ID", "ETag"):
        assert header in page, header
    etag = page["ETag"]
    assert client.get("/terms/client/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_only_visitors_public_pages_are_answered_early(client, glossary):
    client.get("/terms/client/")
    signed_in = Client()
    signed_in.force_login(UserFactory(username="ada"))
    assert hasattr(signed_in.get("/terms/client/").wsgi_request, "user")
    assert hasattr(client.get("/quiz/").wsgi_request, "user")  # not a public page
    assert client.get("/terms/nowhere-at-all/").status_code == 404
