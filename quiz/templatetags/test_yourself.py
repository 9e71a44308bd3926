"""The quiz's part of a term page: its "Test yourself" box, plugged into the glossary's
template with {% test_yourself term %} (the glossary itself knows nothing of scenarios)."""

from __future__ import annotations

import random
from typing import Any

from django import template

from glossary.models import Term
from glossary.page_cache import content_version
from quiz.selectors import test_yourself_scenario

register = template.Library()


@register.inclusion_tag("quiz/includes/test_yourself.html", takes_context=True)
def test_yourself(context: template.Context, term: Term) -> dict[str, Any]:
    """A scenario offering `term` to answer in place, whose answer is that term no more
    often than chance (see test_yourself_scenario); nothing when there is none. The public
    page draws it with the content version as the seed, so it is the same for everyone
    until the content changes, and the page can be cached whole; the draw is fair across
    versions. On an editor's preview of the term page (`preview` in the context) the term
    counts as published and the draw is new each time."""
    if context.get("preview"):
        scenario = test_yourself_scenario(term, previewing=True)
    else:
        rng = random.Random(f"{content_version()}:{term.pk}")
        scenario = test_yourself_scenario(term, rng=rng)
    return {
        "scenario": scenario,
        "choices": scenario.choices.all() if scenario else [],
        "request": context.get("request"),
        "from_term": term.slug,
    }
