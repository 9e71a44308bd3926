"""The public pages, cached whole for visitors and answered with 304 Not Modified when the
visitor already has them (docs/performance.md, "Public page cache").

Every public page is drawn from the published content, so one value, the content version,
says whether a page is still current: it is in the cache (shared by every server) and gets a
new value whenever content is saved or deleted. The glossary watches its models and the quiz
watches its own (`watch`), so the glossary never needs to know what the quiz shows; writes
that send no signals (`QuerySet.update`, `bulk_create`) call `content_changed` themselves.
A page is stored with the version it was drawn from and served only while that version is
current, so nothing is ever deleted to invalidate it.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from .backends import kept_with_user
from .http import HTMX_PART_HEADERS, meta_key, wants_htmx_part

VERSION_KEY = "content-version"
PAGE_KEY = "page:{}"
# Pages are never stale (a new version makes them unreachable); the timeout only lets the
# cache forget pages nobody asks for any more.
PAGE_TIMEOUT = 24 * 60 * 60
SHARED = "public, max-age=0, must-revalidate"
CONDITIONS = ("If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since")


def _new_version(after: str | None = None) -> str:
    """A version: the second it was made (the pages' Last-Modified date), later than the
    version `after`, so that two versions never share a date on one server; then a random
    part, so that versions made on two servers at once still differ."""
    seconds = int(time.time())
    if after is not None:
        seconds = max(seconds, version_time(after) + 1)
    return f"{seconds}.{secrets.token_hex(8)}"


def version_time(version: str) -> int:
    """When the content of `version` was last changed, in seconds since the epoch."""
    return int(version.split(".", 1)[0])


def content_version() -> str:
    """The version of the content this request reads. A cache that lost it (cleared,
    evicted, restarted) gets a new one: every page is drawn again, none is served stale.
    Content changed by the transaction this connection is in is seen by no one else until it
    commits, so it has a version for this connection only (see `content_changed`)."""
    connection = transaction.get_connection()
    uncommitted = getattr(connection, "uncommitted_content", None)
    if uncommitted and connection.in_atomic_block:
        return uncommitted
    if _this_request.version is not None:
        return _this_request.version
    version = _shared_version()
    if version is None:
        version = _new_version()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    if _this_request.active:
        _this_request.version = version
    return version


class _ThisRequest(threading.local):
    """The version the request this thread serves read first: its later reads (an answer
    reads it twice) take it from here, without a round trip to the cache."""

    active = False
    version: str | None = None


_this_request = _ThisRequest()


def _request_started(**kwargs: Any) -> None:
    _this_request.active, _this_request.version = True, None


def _request_finished(**kwargs: Any) -> None:
    _this_request.active, _this_request.version = False, None


request_started.connect(_request_started, dispatch_uid="page-cache-request-started")
request_finished.connect(_request_finished, dispatch_uid="page-cache-request-finished")


# With Redis (glossary/redis_cache.py), each server keeps the shared version in memory until
# Redis says it changed, so that reading it costs no round trip; any other cache is read
# afresh each time.


def _shared_version() -> str | None:
    return getattr(cache, "get_watched", cache.get)(VERSION_KEY)


def _share_version(version: str) -> None:
    getattr(cache, "set_watched", cache.set)(VERSION_KEY, version, timeout=None)


def _bump() -> None:
    version = _new_version(after=cache.get(VERSION_KEY))
    _share_version(version)
    if _this_request.active:
        _this_request.version = version


def _bump_on_commit() -> None:
    transaction.get_connection().uncommitted_content = None
    _bump()


def content_changed(**kwargs: Any) -> None:
    """Content was saved or deleted: every public page needs drawing again. A signal receiver,
    also called by the writes that send no signals.

    Outside a transaction the shared version changes at once. Inside one, it changes once,
    when the transaction commits (an import of thousands of rows writes it once, and a page
    another request draws before the commit, from the content as it was, is not kept as
    current); meanwhile the requests of this connection, the only one that sees the change,
    read a version of its own."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()
        return
    if any(callback is _bump_on_commit for _, callback, _ in connection.run_on_commit):
        after = connection.uncommitted_content
    else:
        # Robust: the content is committed whatever happens to the cache; an unreachable
        # cache is logged as an error (and mailed), not turned into a failed save.
        transaction.on_commit(_bump_on_commit, robust=True)
        after = cache.get(VERSION_KEY)
    connection.uncommitted_content = _new_version(after=after)


def _migrated(**kwargs: Any) -> None:
    # A first deployment, like the test runner, migrates before it makes the cache's table
    # (`createcachetable`): there is no page to forget then.
    with suppress(DatabaseError):
        _bump()


def watch(*content: type[models.Model]) -> None:
    """Make every save and delete of these models, and every change to their many-to-many
    relations, a change of the content version. Called from each app's ready(). Running
    the migrations, which every deployment does, changes it too: pages drawn by the code
    of the previous release are not served by the next."""
    post_migrate.connect(_migrated, dispatch_uid="page-cache-migrated")
    for model in content:
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-deleted")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"{uid}-{field}")


def _reads_a_shared_page(request: HttpRequest) -> bool:
    """Whether a page every visitor shares can answer this request: a GET or HEAD with no
    message waiting to be shown (a message is the one reader's)."""
    return request.method in ("GET", "HEAD") and CookieStorage.cookie_name not in request.COOKIES


def _signed_in_reader(request: HttpRequest) -> bool:
    """Whether this request is a GET or HEAD by someone signed in, with no message waiting:
    they get the visitors' page with their own account links (`_with_account_links`)."""
    return _reads_a_shared_page(request) and request.user.is_authenticated


# base.html marks the navigation's account links, the one part of a public page that is the
# reader's own (includes/account_nav.html).
ACCOUNT_START, ACCOUNT_END = b"<!--account-->", b"<!--/account-->"
SHARED_HEADERS = ("ETag", "Last-Modified", "Cache-Control")


def _with_account_links(request: HttpRequest, stored: tuple[str, bytes, dict]) -> HttpResponse:
    """The visitors' page as the signed-in reader of `request` sees it: their account links
    in place of the visitors' "Log in", marked private (no ETag: it is theirs alone)."""
    _, page, headers = stored
    if ACCOUNT_START in page:  # not in an htmx part or the JSON, which name nobody
        before, _, rest = page.partition(ACCOUNT_START)
        _, _, after = rest.partition(ACCOUNT_END)
        page = b"".join([before, ACCOUNT_START, _account_links(request), ACCOUNT_END, after])
    own = {name: value for name, value in headers.items() if name not in SHARED_HEADERS}
    response = HttpResponse(page, headers=own)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _account_links(request: HttpRequest) -> bytes:
    """The navigation's account links for the reader of `request`, drawn once for as long as
    their account is unchanged: they hold nothing that changes from one request to the next
    (no CSRF token: "Log out" is a link, includes/account_nav.html)."""
    match = request.resolver_match
    return kept_with_user(
        request.user,
        ("account links", match.app_name if match else ""),
        lambda: render_to_string("includes/account_nav.html", request=request).encode(),
    )


def _alike_for_everyone(request: HttpRequest) -> bool:
    """Whether this request gets the page every visitor gets: a GET or HEAD by someone not
    signed in, with no message waiting to be shown. Without a session cookie nobody is
    signed in, and the session is left untouched (so no `Vary: Cookie` either)."""
    if not _reads_a_shared_page(request):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        request.user = AnonymousUser()
        return True
    return not request.user.is_authenticated


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the page drawn is the same for the next visitor: a whole 200 that set no cookie,
    took no CSRF token (its form would carry this visitor's) and wrote nothing to a session."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


def _mark_shared(response: HttpResponse, etag: str, version: str) -> HttpResponse:
    """Headers for a page every visitor shares. Any cache may keep it but must ask us again
    before each use (max-age=0, must-revalidate), which costs a 304 while it is current."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version_time(version))
    response["Cache-Control"] = SHARED
    patch_vary_headers(response, HTMX_PART_HEADERS)
    return response


@lru_cache(maxsize=1024)
def _not_modified_headers(etag: str, version: str) -> dict[str, str]:
    """A 304's headers for this page and version, worked out once: most requests for a
    current page ask whether it changed, and the answer is the same each time."""
    return dict(_mark_shared(HttpResponseNotModified(), etag, version).items())


def _store(
    request: HttpRequest, response: HttpResponse, version: str, address: str, key: str
) -> tuple[str, bytes, dict] | None:
    """Keep a page every visitor may share, marked so; what was kept, or None."""
    if not _storable(request, response):
        return None
    _mark_shared(response, _etag(version, address), version)
    # Stored with its headers, ETag and all: a page served from the cache is built as is.
    stored = (version, response.content, dict(response.items()))
    cache.set(key, stored, PAGE_TIMEOUT)
    _keep_locally(key, stored)
    return stored


@lru_cache(maxsize=1024)
def _etag(version: str, address: str) -> str:
    return quote_etag(hashlib.sha256(f"{version}:{address}".encode()).hexdigest()[:32])


# The addresses and keys of the requests this process answered last, by what they are made
# of: working them out again (the host checked against ALLOWED_HOSTS, a hash) costs as much
# as answering a 304. Only a request that passed those checks is remembered.
ADDRESSES = 4096
_addresses: dict[tuple, tuple[str, str]] = {}


def _address_and_key(request: HttpRequest) -> tuple[str, str]:
    """What tells one public page from another: its absolute address and whether htmx asked
    for its part; and the cache key made of that."""
    meta = request.META
    asked = (
        wants_htmx_part(request),
        request.is_secure(),
        meta.get("HTTP_HOST"),
        meta.get("SERVER_NAME"),
        meta.get("SERVER_PORT"),
        request.get_full_path(),
    )
    known = _addresses.get(asked)
    if known is None:
        address = f"{asked[0]}:{request.build_absolute_uri()}"
        known = address, PAGE_KEY.format(hashlib.sha256(address.encode()).hexdigest())
        if len(_addresses) >= ADDRESSES:
            _addresses.clear()
        _addresses[asked] = known
    return known


# What a request asks conditionally, as WSGI names the headers.
CONDITION_KEYS = tuple(meta_key(header) for header in CONDITIONS)
# The pages this process served last, by key: a page is fetched from the shared cache once
# per version, not once per request; the version, read on every request, says whether the
# copy is current. Bounded, oldest first out.
LOCAL_PAGES = 256
_local_pages: dict[str, tuple[str, bytes, dict]] = {}


def _stored_page(key: str, version: str) -> tuple[str, bytes, dict] | None:
    """The page stored under `key` if it was drawn from `version`: this process's copy, or
    the shared cache's (then copied here)."""
    stored = _local_pages.get(key)
    if stored is None or stored[0] != version:
        stored = cache.get(key)
        if stored is None or stored[0] != version:
            return None
        _keep_locally(key, stored)
    return stored


def forget_local_copies() -> None:
    """Drop this process's copies of pages. Never needed for correctness in production, where
    content only changes with a new version; tests roll content back without one."""
    _local_pages.clear()
    _addresses.clear()


def _keep_locally(key: str, stored: tuple[str, bytes, dict]) -> None:
    _local_pages.pop(key, None)
    if len(_local_pages) >= LOCAL_PAGES:
        del _local_pages[next(iter(_local_pages))]
    _local_pages[key] = stored


def _not_modified(request: HttpRequest, etag: str, version: str) -> HttpResponse | None:
    """A 304 when the visitor's copy is current; None when they have no copy or an old one.
    The common question, one ETag in If-None-Match, is answered without parsing."""
    if request.META.get("HTTP_IF_NONE_MATCH") == etag and request.method in ("GET", "HEAD"):
        return HttpResponseNotModified(headers=_not_modified_headers(etag, version))
    answer = get_conditional_response(request, etag=etag, last_modified=version_time(version))
    if answer is None or answer.status_code != 304:
        return answer
    return _mark_shared(answer, etag, version)


def _from_cache(request: HttpRequest, address: str, key: str) -> tuple[HttpResponse | None, str]:
    """A visitor's answer from the cache, if there is one: a 304 when they have the page, or
    the stored page when it is current; and the content version either way."""
    version = content_version()
    if any(name in request.META for name in CONDITION_KEYS):
        answer = _not_modified(request, _etag(version, address), version)
        if answer is not None:
            return answer, version
    stored = _stored_page(key, version)
    if stored is None:
        return None, version
    _, content, headers = stored
    return HttpResponse(content, headers=headers), version


class PublicPageCacheMiddleware:
    """Answers a visitor's GET of a public page from the cache before the rest of the
    middleware runs: a visitor without a session needs no session, no user, no CSRF token
    and no messages to be given a page every visitor shares, and those layers cost as much as
    the answer itself. It sits after the middleware that only adds headers (security, request
    id, CSP, frame options), so a page from here carries them all. Anything it cannot answer
    (another page, a miss) goes on to the view, whose `public_page` stores it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            _reads_a_shared_page(request)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and _public_page(request.path_info) is not None
        ):
            answer, _ = _from_cache(request, *_address_and_key(request))
            if answer is not None:
                return answer
        return self.get_response(request)


class SignedInReaderMiddleware:
    """Answers a signed-in reader's GET of a public page, once a visitor's request has
    stored it, with the stored page and their account links, before the URL is resolved
    and the view called: for someone signed in that is most of what is left to do
    (docs/performance.md). It sits right after the layers that find who the reader is: the
    messages layer is not needed, since a reader with a message waiting goes on to the view,
    as does any other request (`public_page`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The session cookie first: without one nobody is signed in, and asking for the user
        # would read the session and so add `Vary: Cookie` to a visitor's page.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _reads_a_shared_page(request):
            match = _public_page(request.path_info)
            if match is not None and not match.func.per_reader and request.user.is_authenticated:
                request.resolver_match = match
                _, key = _address_and_key(request)
                stored = _stored_page(key, content_version())
                if stored is not None:
                    return _with_account_links(request, stored)
        return self.get_response(request)


@lru_cache(maxsize=4096)  # the URLconf is fixed while the process runs
def _public_page(path: str) -> ResolverMatch | None:
    """How `path` resolves, if it is a public page (`public_page`); None otherwise."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match if getattr(match.func, "public_page", False) else None


def _visitors_page(
    request: HttpRequest, view, args: tuple, kwargs: dict, address: str, key: str
) -> tuple[str, bytes, dict] | None:
    """The visitors' page for a signed-in reader's request: from the cache, or drawn as a
    visitor would see it (the request copied with an anonymous user) and kept for everyone;
    None when it cannot be shared."""
    version = content_version()
    stored = _stored_page(key, version)
    if stored is not None:
        return stored
    visitor = copy.copy(request)
    visitor.user = AnonymousUser()
    return _store(visitor, view(visitor, *args, **kwargs), version, address, key)


def public_page(
    view: Callable[..., HttpResponse] | None = None, *, per_reader: bool = False
) -> Callable[..., HttpResponse]:
    """Cache a public page whole for visitors, keyed by its address and whether htmx asked
    for it, and answer conditional GETs with a 304 before drawing anything. Signed-in people
    get the visitors' page with their own account links spliced in, or, until a visitor's
    request has stored it, the page drawn for them; either way marked private. With
    `per_reader`, a page that shows more of the reader than their links (the home page's
    assignments) is drawn for each signed-in person."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            address, key = _address_and_key(request)
            if not _alike_for_everyone(request):
                if not per_reader and _signed_in_reader(request):
                    stored = _visitors_page(request, view, args, kwargs, address, key)
                    if stored is not None:
                        return _with_account_links(request, stored)
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_cache=True)
                return response

            answer, version = _from_cache(request, address, key)
            if answer is not None:
                return answer
            response = view(request, *args, **kwargs)
            _store(request, response, version, address, key)
            return response

        # What PublicPageCacheMiddleware and SignedInReaderMiddleware answer for.
        wrapped.public_page, wrapped.per_reader = True, per_reader
        return wrapped

    return decorate if view is None else decorate(view)
