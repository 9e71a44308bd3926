"""What every view of the site shares: the typed htmx request and the answers a view gives
when it does not render its page (a 400 with a message, a redirect after a POST, the login
page of someone locked out); and the middleware that turns junk requests away."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

from axes.helpers import get_cool_off
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# What decides whether a page answers with its htmx part (and so what it varies on).
HTMX_PART_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def meta_key(header: str) -> str:
    """Where WSGI puts a request header in `request.META`: "HX-Request" → "HTTP_HX_REQUEST"."""
    return f"HTTP_{header.upper().replace('-', '_')}"


_HTMX_PART_META = tuple(meta_key(name) for name in HTMX_PART_HEADERS)


def wants_htmx_part(request: HttpRequest) -> bool:
    """Whether htmx asked for the part of a page it swaps. Not when it restores a page the
    back button went to and it no longer holds (a history restore, which swaps the whole
    body): that gets the full page, even if htmx marks it as its own request."""
    # META rather than request.headers, which copies every header into a new mapping.
    asked, restoring = (request.META.get(key) == "true" for key in _HTMX_PART_META)
    return asked and not restoring


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """The site's 400 page, saying what was wrong with the request."""
    return render(request, "400.html", {"message": message}, status=400)


NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    fields = chain(request.GET.lists(), request.POST.lists())
    return NUL in request.path or any(
        NUL in key or any(NUL in value for value in values) for key, values in fields
    )


class JunkRequestMiddleware:
    """Turns junk away before it reaches a view, with the 400 page: a NUL byte anywhere in the
    path, query string or form (PostgreSQL refuses it in text, and no page has a use for one;
    a cookie with one is ignored), and admin filters that name nothing
    (IncorrectLookupParameters that a changelist does not catch itself, as on the export
    page). Placed before the session and auth middleware, so the 400 page reads nothing from
    the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A cookie with a NUL byte (say, a forged session id) is as good as none.
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        if _has_nul(request):
            return bad_request(
                request, "The request contained a NUL character (%00), which no page takes."
            )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, IncorrectLookupParameters):
            return bad_request(request, "Those filters do not fit this list.")
        return None


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def see_other(url: str) -> HttpResponseSeeOther:
    """The redirect after a POST (303), so that reloading the next page never posts again."""
    return HttpResponseSeeOther(url)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a login that is locked out (AXES_LOCKOUT_CALLABLE), on the site
    and in the admin: our login page again, saying why and until when, as a 429."""
    cool_off = get_cool_off(request)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if not next_url and request.path == reverse("admin:login"):
        next_url = reverse("admin:index")
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_out": True,
        "cool_off_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        "retry_after": timezone.now() + cool_off if cool_off else None,
        "next": next_url,
    }
    response = render(request, "registration/login.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(round(cool_off.total_seconds()))
    return response
