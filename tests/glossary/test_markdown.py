import pytest

from glossary.markdown import render_markdown, term_link_slugs
from glossary.models import Term

TARGETS = {"client": "/terms/client/", "customer": "/terms/customer/", "end-user": "/terms/user/"}


def test_term_links_become_links_with_their_label():
    html = render_markdown("Ask the [[client]] or the [[people who buy|customer]].", TARGETS)
    assert '<a href="/terms/client/" class="term-link">client</a>' in html
    assert '<a href="/terms/customer/" class="term-link">people who buy</a>' in html


def test_term_link_targets_are_slugified_so_aliases_and_capitals_resolve():
    html = render_markdown("An [[End User]] and a [[Client|Client]].", TARGETS)
    assert 'href="/terms/user/" class="term-link">End User</a>' in html
    assert 'href="/terms/client/" class="term-link">Client</a>' in html


def test_link_to_a_missing_term_is_plain_text():
    html = render_markdown("A [[unicorn]] and [[magic folk|wizard]].", TARGETS)
    assert "<a" not in html
    assert "A unicorn and magic folk." in html


def test_without_targets_every_term_link_is_plain_text():
    html = render_markdown("Which word fits the [[client]]?")
    assert html == "<p>Which word fits the client?</p>"


def test_labels_are_escaped():
    html = render_markdown("[[<b>bold</b>|client]]", TARGETS)
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
        '<p onclick="alert(1)" style="color:red">hi</p>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_sanitizing_removes_scripts_event_attributes_and_javascript_urls(attack):
    html = render_markdown(f"Before {attack} after", TARGETS).lower()
    assert "<script" not in html
    assert "alert(1)</script" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "style=" not in html
    assert "before" in html and "after" in html


def test_markdown_structure_survives_sanitizing():
    html = render_markdown("### When to use it\n\n- **one**\n- [docs](https://example.com)\n")
    assert "<h3>When to use it</h3>" in html
    assert "<li><strong>one</strong></li>" in html
    assert '<a href="https://example.com">docs</a>' in html


def test_term_link_slugs_lists_the_targets():
    assert term_link_slugs("[[client]], [[End users|end user]] and [[Customer]]") == [
        "client",
        "end-user",
        "customer",
    ]


@pytest.mark.django_db
def test_link_targets_cover_published_terms_and_their_aliases(glossary):
    targets = Term.objects.published().link_targets()
    assert targets["client"] == "/terms/client/"
    assert targets["clientele"] == "/terms/client/"
    assert targets["customer-base"] == "/terms/customer/"
    assert "secret-draft" not in targets


def test_a_text_rendered_again_follows_where_its_links_point_now():
    """Rendered HTML is remembered per process: by the text with its links in place, so the
    same text with a link that moved, or went, is rendered anew."""
    text = "Ask about [[customer]] and **more**."
    first = render_markdown(text, {"customer": "/terms/customer/"})
    moved = render_markdown(text, {"customer": "/terms/shopper/"})
    gone = render_markdown(text, {})
    assert 'href="/terms/customer/"' in first and "<strong>more</strong>" in first
    assert 'href="/terms/shopper/"' in moved
    assert "<a" not in gone and "customer" in gone
    assert render_markdown(text, {"customer": "/terms/customer/"}) == first
