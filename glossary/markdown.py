"""Markdown for editor-written content: [[term]] links, then sanitising with nh3.

Text in, HTML out: this module reads no database, so the models can use it to check links.

Bodies are written by editors, but the HTML they produce is still cleaned: whatever Markdown
lets through (raw HTML, event attributes, javascript: URLs) is stripped by nh3.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from functools import lru_cache

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

# [[customer]] or [[clients|client]]: the text shown, then optionally the term it points to.
TERM_LINK = re.compile(r"\[\[([^\[\]|]+?)(?:\|([^\[\]|]+?))?\]\]")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr",
    "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

LinkTargets = Mapping[str, str]
"""Maps every term slug and alias slug a link may point to to the URL of its term page
(`Term.objects.published().link_targets()`)."""


def term_link_slugs(text: str) -> list[str]:
    """The slugs that the [[links]] in `text` point to, in order."""
    return [slugify(target or label) for label, target in TERM_LINK.findall(text)]


def _replace_term_links(text: str, targets: LinkTargets | None) -> str:
    def replace(match: re.Match[str]) -> str:
        label, target = match.group(1).strip(), (match.group(2) or match.group(1)).strip()
        url = targets.get(slugify(target)) if targets is not None else None
        if url is None:
            return escape(label)
        return f'<a href="{escape(url)}" class="term-link">{escape(label)}</a>'

    return TERM_LINK.sub(replace, text)


def render_markdown(text: str, targets: LinkTargets | None = None) -> SafeString:
    """Render editor Markdown to safe HTML.

    With `targets`, [[links]] to known terms become links and the rest plain text; without,
    every [[link]] is plain text (used where a link would give an answer away).
    """
    return mark_safe(_markdown_to_clean_html(_replace_term_links(text, targets)))


# The feedback after every answer renders the same few texts again and again: each text, its
# links already in place, is converted once per process.
@lru_cache(maxsize=2048)
def _markdown_to_clean_html(text: str) -> str:
    converter = _converter()
    converter.reset()
    return nh3.clean(
        converter.convert(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
    )


_local = threading.local()


def _converter() -> markdown.Markdown:
    """One Markdown converter per thread, reset between texts: building one costs as much as
    converting a short text."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(extensions=["tables"])
    return converter
