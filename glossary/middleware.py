"""Site-wide middleware: a request id on every request, and a 503 instead of a 500 while the
database cannot be reached (a restart, a failover)."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from .logs import NO_REQUEST, current_request_id, request_id

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from a trusted proxy: ids like nginx's $request_id or a UUID; nothing that
# could break a log line or a header.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}", re.ASCII)
# Seconds a client should wait before trying again; a restart takes about this long.
RETRY_AFTER_SECONDS = 2
DATABASE_ERRORS = (OperationalError, InterfaceError)


class RequestIdMiddleware:
    """Gives each request an id: the one the proxy named in `REQUEST_ID_HEADER` sent, when
    there is such a proxy and the id is sane, otherwise a new one. It is on every log line
    written while the request is answered and in the response's `X-Request-ID` header.

    First in MIDDLEWARE, so that everything after it logs with the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Not reset on the way out: Django logs 4xx and 5xx answers after the last middleware
        # has returned. `forget_request_id` clears it when the request is finished.
        request_id.set(self._id_for(request))
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = current_request_id()
        return response

    def _id_for(self, request: HttpRequest) -> str:
        trusted_header = getattr(settings, "REQUEST_ID_HEADER", None)
        if trusted_header:
            given = request.headers.get(trusted_header, "")
            if VALID_REQUEST_ID.fullmatch(given):
                return given
        return uuid.uuid4().hex


def forget_request_id(**kwargs: object) -> None:
    """Receiver of `request_finished`: log lines between requests carry no id."""
    request_id.set(NO_REQUEST)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page: try again in a moment. Rendered without a database (no context
    processors, nothing from the session or the user)."""
    path = request.get_full_path()
    again = path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else "/"
    context = {"request_id": current_request_id(), "again": again}
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's lost database connection into the 503 page and logs it. Django closes
    the broken connection at the end of the request, and the next request connects anew.
    (A database error raised outside a view, such as when the session is saved, reaches
    `glossary.views.server_error`, which answers the same 503.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        log_unavailable(request, exception)
        return database_unavailable(request)


def log_unavailable(request: HttpRequest, exception: BaseException) -> None:
    logger.warning(
        "Database unavailable, answered 503 to %s %s",
        request.method,
        request.path,
        exc_info=exception,
    )
