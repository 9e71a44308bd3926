"""Editors' preview: unpublished content rendered with the real public templates.

Only staff who may view the content get a preview; anyone else gets the ordinary 404 (a
visitor cannot tell a draft from a slug that does not exist), and a signed-out editor is
sent to the login page first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .models import Distinction, Term
from .views import compare_page_context, term_page_context


def editors_only(permission: str) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (request.user.is_staff and request.user.has_perm(permission)):
                raise Http404("Previews are for editors.")
            response = view(request, *args, **kwargs)
            # A preview is never cached or shared: it may change with every save.
            response["Cache-Control"] = "private, no-store"
            return response

        return wrapped

    return decorator


def admin_url(obj: Any) -> str:
    """The object's page in the editors' workspace."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@require_safe
@editors_only("glossary.view_term")
def term(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(
        Term.objects.prefetch_related("aliases", "sources").select_related("replaced_by"),
        slug=slug,
    )
    context = term_page_context(request, term, preview=True)
    context["preview_admin_url"] = admin_url(term)
    return render(request, "glossary/term_detail.html", context)


@require_safe
@editors_only("glossary.view_distinction")
def distinction(request: HttpRequest, pk: int) -> HttpResponse:
    distinction = get_object_or_404(Distinction.objects.select_related("term_a", "term_b"), pk=pk)
    context = compare_page_context(distinction, preview=True)
    context["preview_admin_url"] = admin_url(distinction)
    return render(request, "glossary/compare.html", context)
