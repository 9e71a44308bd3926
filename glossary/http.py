"""What every view of the site shares: the typed htmx request and the two answers a view
gives when it does not render its page (a 400 with a message, a redirect after a POST)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """The site's 400 page, saying what was wrong with the request."""
    return render(request, "400.html", {"message": message}, status=400)


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def see_other(url: str) -> HttpResponseSeeOther:
    """The redirect after a POST (303), so that reloading the next page never posts again."""
    return HttpResponseSeeOther(url)
