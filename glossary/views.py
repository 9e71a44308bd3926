"""The glossary's public pages: the A–Z index with search, term pages, comparisons, the
JSON export, and the site-wide 404 page with suggestions and 500 page with a request id."""

from __future__ import annotations

import json
import string
import sys
import unicodedata
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .http import HTMX_PART_HEADERS, HtmxHttpRequest, bad_request, wants_htmx_part
from .logs import current_request_id
from .markdown import render_markdown
from .middleware import DATABASE_ERRORS, database_unavailable
from .models import Alias, Distinction, Match, Term, TermQuerySet
from .page_cache import public_page

SEARCH_MAX_LENGTH = 100
SEARCH_RESULTS = 50  # the best shown; a glossary of thousands matches "term 1" thousands of times
SUGGESTIONS = 3  # "Did you mean…" on the 404 page
LETTERS = string.ascii_uppercase


def _not_found(request: HttpRequest, looked_for: str, message: str) -> HttpResponse:
    suggestions = Term.objects.published().like(looked_for, limit=SUGGESTIONS)
    context = {"message": message, "suggestions": suggestions, "looked_for": looked_for}
    return render(request, "404.html", context, status=404)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Site-wide 404: suggests the terms closest to the last part of the path."""
    looked_for = request.path.rstrip("/").rsplit("/", 1)[-1]
    return _not_found(request, looked_for, "We couldn’t find that page.")


def server_error(request: HttpRequest) -> HttpResponse:
    """Site-wide 500, with the request id to quote. Reads no database: it may be the database
    that failed. A lost database connection outside a view (saving the session, say) is the
    503 page instead, as in a view."""
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable(request)
    page = loader.render_to_string("500.html", {"request_id": current_request_id()})
    return HttpResponse(page, status=500)


def _resolve(slug: str, terms: TermQuerySet | None = None) -> tuple[Term | None, bool]:
    """The term (published unless `terms` says otherwise) a slug names, directly or through an
    alias; and whether it was direct."""
    terms = Term.objects.published() if terms is None else terms
    term = terms.filter(slug=slug).first()
    if term is not None:
        return term, True
    alias = Alias.objects.select_related("term").filter(slug=slug, term__in=terms).first()
    return (alias.term, False) if alias else (None, False)


@require_safe
@public_page
@vary_on_headers(*HTMX_PART_HEADERS)
def term_index(request: HtmxHttpRequest) -> HttpResponse:
    """The A–Z index, every comparison, and search: `?q=` lists the terms like the query
    (`TermQuerySet.like`). The live search asks for the results part only and puts its
    address in the address bar, so a plain GET of that address shows the same results."""
    query = request.GET.get("q", "").strip()
    if len(query) > SEARCH_MAX_LENGTH:
        return bad_request(
            request, f"A search can be up to {SEARCH_MAX_LENGTH} characters long; try fewer words."
        )
    results = Term.objects.published().like(query) if query else None
    context = {
        "query": query,
        "results": results[:SEARCH_RESULTS] if results is not None else None,
        "matched": len(results or []),
        # No name or alias matched: the results are spelt like the query, or mention it.
        "only_alike": bool(results) and results[0].match.rank >= Match.SIMILAR,
    }
    if wants_htmx_part(request):
        context["htmx_part"] = True  # with the page's <title>, for htmx to put in the tab
        return render(request, "glossary/term_index.html#results", context)
    terms = list(Term.objects.published())
    context["term_count"] = len(terms)
    context["letters"] = _a_to_z(terms)
    distinctions = Distinction.objects.published().select_related("term_a", "term_b")
    context["distinctions"] = sorted(distinctions, key=lambda d: str(d).casefold())
    return render(request, "glossary/term_index.html", context)


def _initial(term: Term) -> str:
    """The letter a term is listed under: its first letter without accents ("Éclair" under
    E), or "#" for a name that starts with anything else."""
    first = unicodedata.normalize("NFKD", term.name[:1])[:1].upper()
    return first if first in LETTERS else "#"


def _a_to_z(terms: list[Term]) -> list[tuple[str, str, list[Term]]]:
    """Every letter A to Z, each with the id of its section and its terms (none for a letter
    no term starts with), and "#" last if some name starts with something else."""
    groups: dict[str, list[Term]] = {letter: [] for letter in LETTERS}
    for term in terms:
        groups.setdefault(_initial(term), []).append(term)
    return [
        (
            letter,
            f"letter-{letter}" if letter in LETTERS else "letter-other",
            sorted(group, key=lambda term: term.name.casefold()),
        )
        for letter, group in groups.items()
    ]


@require_safe
@public_page
def term_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    term, direct = _resolve(slug, Term.objects.with_public_page())
    if term is None:
        return _not_found(request, slug, f"There is no term called “{slug}” in the glossary.")
    if not direct:
        return redirect(term, permanent=True)
    term = (
        Term.objects.with_public_page()
        .prefetch_related("aliases", "sources")
        .select_related("steward", "replaced_by")
        .get(pk=term.pk)
    )
    return render(request, "glossary/term_detail.html", term_page_context(request, term))


def term_page_context(request: HttpRequest, term: Term, preview: bool = False) -> dict[str, Any]:
    """What the term page shows. With `preview`, as it will look once the term is published:
    its own [[links]] resolve, and its published distinctions with published terms are listed.
    (The page's "Test yourself" box comes from the quiz, through its template tag.)"""
    previewing = term if preview else None
    if preview:
        targets = Term.objects.published().link_targets()
        targets[term.slug] = term.get_absolute_url()
        body_html = render_markdown(term.body, targets)
    else:
        body_html = mark_safe(term.body_html)  # sanitised by render_markdown when stored
    distinctions = Distinction.objects.published(previewing=previewing).involving(term)
    confused_with = sorted(
        ((distinction.other(term), distinction) for distinction in distinctions),
        key=lambda pair: pair[0].name,
    )
    return {
        "term": term,
        "body_html": body_html,
        "confused_with": confused_with,
        "jsonld": _defined_term_jsonld(request, term),
        "preview": preview,
    }


def _defined_term_jsonld(request: HttpRequest, term: Term) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": term.name,
        "description": term.summary,
        "url": request.build_absolute_uri(term.get_absolute_url()),
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "name": "Termwise glossary",
            "url": request.build_absolute_uri(reverse("glossary:index")),
        },
    }
    aliases = [alias.name for alias in term.aliases.all()]
    if aliases:
        data["alternateName"] = aliases
    # Escape the characters that could close the script element early.
    return json.dumps(data).replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


@require_safe
@public_page
def compare(request: HtmxHttpRequest, first: str, second: str) -> HttpResponse:
    term_a, _ = _resolve(first)
    term_b, _ = _resolve(second)
    if term_a is None or term_b is None:
        missing = first if term_a is None else second
        return _not_found(request, missing, f"There is no term called “{missing}” to compare.")
    distinction = Distinction.objects.published().for_pair(term_a, term_b).first()
    if distinction is None:
        message = f"We have no side-by-side page for {term_a.name} and {term_b.name}."
        context = {"message": message, "suggestions": [term_a, term_b], "looked_for": ""}
        return render(request, "404.html", context, status=404)
    canonical = distinction.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    return render(request, "glossary/compare.html", compare_page_context(distinction))


def compare_page_context(distinction: Distinction, preview: bool = False) -> dict[str, Any]:
    left, right = distinction.terms
    targets = Term.objects.published().link_targets()
    return {
        "distinction": distinction,
        "left": left,
        "right": right,
        "example_html": render_markdown(distinction.example, targets),
        "body_html": render_markdown(distinction.body, targets),
        "meta_description": distinction.rule,
        "preview": preview,
    }


@require_safe
@public_page
def terms_json(request: HttpRequest) -> JsonResponse:
    """The published glossary as JSON, for reuse elsewhere."""
    terms = Term.objects.published().prefetch_related("aliases", "sources")
    distinctions = Distinction.objects.published().select_related("term_a", "term_b")
    data = {
        "terms": [
            {
                "slug": term.slug,
                "name": term.name,
                "summary": term.summary,
                "body": term.body,
                "url": request.build_absolute_uri(term.get_absolute_url()),
                "aliases": [alias.name for alias in term.aliases.all()],
                "sources": [{"title": s.title, "url": s.url} for s in term.sources.all()],
                "updated": term.updated.isoformat(),
            }
            for term in terms
        ],
        "distinctions": [
            {
                "terms": [term.slug for term in distinction.terms],
                "rule": distinction.rule,
                "example": distinction.example,
                "url": request.build_absolute_uri(distinction.get_absolute_url()),
            }
            for distinction in distinctions
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
