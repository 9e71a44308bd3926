"""Logging for production: every line carries the id of the request it belongs to (also sent
back in the `X-Request-ID` header and shown on the 500 and 503 pages, so a person can quote
it), and every event is one line on stderr, tracebacks included."""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

NO_REQUEST = "-"

request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being answered, or "-" outside a request."""
    return request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for the formatters to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class OneLineFormatter(logging.Formatter):
    """The usual format in UTC, with line breaks (a traceback's, or any that came in with a
    request) written as `\\n`, so that one event is one line and no input can fake another."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")


class SkipUnavailable(logging.Filter):
    """Keeps the 503s of a database outage out of the error mail: one short outage would
    otherwise send a mail per request. They are still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 503
