"""One spelling everywhere: British English, as the content is written (issue 14).

Scans what people read: the text of templates (outside tags, plus the quoted strings inside
them and the attributes a person sees or hears), every string in our Python (messages, labels,
help texts, docstrings; not comments, not identifiers), the strings of our scripts, and the
README and docs outside code. CSS is not scanned: `color` and `center` are property names
there. The fixtures (fixtures/*.json) are the content writer's and are not scanned here:
`american_spellings` can be pointed at them."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

IZE_STEMS = (
    "organi|recogni|reali|summari|priori|customi|categori|apologi|authori|emphasi|finali|"
    "minimi|maximi|normali|optimi|standardi|utili|memori|initiali|capitali|speciali|"
    "visuali|synchroni|personali|familiari|critici|saniti|patroni|moderni|moneti|itemi|"
    "energi|mobili|legitimi|jeopardi|terrori|sympathi|hospitali|digiti|tokeni"
)
# American spelling → the British one. Word boundaries, any case; each pattern names the
# whole word, so "colour", "centre", "recognise", "practise" and "towards" pass.
AMERICAN = {
    r"color(s|ed|ing|ful)?": "colour",
    r"favor(s|ed|ing|ite|ites|able)?": "favour",
    r"behavior(s|al)?": "behaviour",
    r"honor(s|ed|ing|able)?": "honour",
    r"humor(s|ous)?": "humour",
    r"labor(s|ed|ing)?": "labour",
    r"neighbor(s|hood|ing)?": "neighbour",
    r"flavor(s|ed)?": "flavour",
    r"center(s|ed)?": "centre",
    r"theater(s)?": "theatre",
    r"fiber(s)?": "fibre",
    r"liter(s)?": "litre",
    r"catalog(s|ed|ing)?": "catalogue",
    r"licenses?": "licence (the noun)",
    r"(analy|paraly)z(e|es|ed|ing|er|ers)": "-yse",
    f"({IZE_STEMS})z(e|es|ed|ing|ation|ations|er)": "-ise / -isation",
    r"(cancel|label|model|travel|fuel|signal|counsel|level|total|marvel)(ed|ing)": "-lled / -lling",
    r"travelers?": "traveller",
    r"counselors?": "counsellor",
    r"jewelry": "jewellery",
    r"practic(ed|ing)": "practised / practising (the verb)",
    r"enroll(s|ment|ments)?": "enrol / enrolment",
    r"fulfill(s|ment)?": "fulfil / fulfilment",
    r"skillful(ly)?": "skilful",
    r"installment(s)?": "instalment",
    r"acknowledgment(s)?": "acknowledgement",
    r"gray(s|ed|ish)?": "grey",
    r"defense(s)?": "defence",
    r"offense(s)?": "offence",
    r"toward": "towards",
}
PATTERN = re.compile(
    r"\b(" + "|".join(f"(?:{pattern})" for pattern in AMERICAN) + r")\b", re.IGNORECASE
)

# Words that must stay as they are, as (path, lower-case word) pairs, each with a reason:
# e.g. a third-party identifier in a string, or "licenses" as a verb (British too).
ALLOWED: set[tuple[str, str]] = set()

# Attributes whose values a person sees or a screen reader says.
VISIBLE_ATTRIBUTES = re.compile(
    r"\b(?:alt|title|aria-label|placeholder|aria-description|summary)=\"([^\"]*)\""
)


def _lines(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.splitlines(), start=1))


def template_text(source: str) -> str:
    """What a template shows: its text outside tags and markup, the quoted strings in its
    tags ({% translate "…" %}, |default:"…"), and the visible attributes. Comments and
    markup are blanked, keeping the lines where they are."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    def keep_strings(match: re.Match) -> str:
        quoted = re.findall(r"\"([^\"]*)\"|'([^']*)'", match.group(0))
        return " ".join(a or b for a, b in quoted) + "\n" * match.group(0).count("\n")

    def visible(match: re.Match) -> str:
        attributes = " ".join(VISIBLE_ATTRIBUTES.findall(match.group(0)))
        return attributes + "\n" * match.group(0).count("\n")

    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", blank, source, flags=re.S)
    text = re.sub(r"{#.*?#}", blank, text, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}", keep_strings, text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", blank, text, flags=re.S | re.I)
    return re.sub(r"<[^>]*>", visible, text, flags=re.S)


def python_strings(source: str) -> list[tuple[int, str]]:
    """Every string in a Python file (messages, labels, help texts, docstrings), by line."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.STRING, tokenize.FSTRING_MIDDLE):
            for offset, line in enumerate(token.string.splitlines()):
                found.append((token.start[0] + offset, line))
    return found


def script_strings(source: str) -> list[tuple[int, str]]:
    """The string literals of a script, by line (comments left out)."""
    source = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), source, flags=re.S)
    found = []
    for number, line in _lines(source):
        line = re.sub(r"(^|\s)//.*$", "", line)
        found += [(number, "".join(parts)) for parts in re.findall(r'"([^"]*)"|\'([^\']*)\'', line)]
    return found


def markdown_text(source: str) -> list[tuple[int, str]]:
    """A document's prose: fenced code and `code spans` left out."""
    source = re.sub(
        r"^```.*?^```", lambda m: "\n" * m.group(0).count("\n"), source, flags=re.S | re.M
    )
    return [(number, re.sub(r"`[^`]*`", " ", line)) for number, line in _lines(source)]


def _sources() -> list[tuple[Path, list[tuple[int, str]]]]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in (".html", ".txt"):
            found.append((path, _lines(template_text(path.read_text(encoding="utf-8")))))
    for package in ("glossary", "quiz", "config"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:  # history: what the models said then
                found.append((path, python_strings(path.read_text(encoding="utf-8"))))
    for path in sorted((ROOT / "static" / "js").rglob("*.js")):
        found.append((path, script_strings(path.read_text(encoding="utf-8"))))
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        found.append((path, markdown_text(path.read_text(encoding="utf-8"))))
    return found


def american_spellings(lines: list[tuple[int, str]], path: str = "") -> list[str]:
    return [
        f"{path}:{number}: {match.group(0)!r} (British: {_british(match.group(0))})"
        for number, text in lines
        for match in PATTERN.finditer(text)
        if (path, match.group(0).lower()) not in ALLOWED
    ]


def _british(word: str) -> str:
    for pattern, british in AMERICAN.items():
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return british
    return "?"


def test_the_interface_code_and_docs_use_british_spelling():
    found = []
    for path, lines in _sources():
        found += american_spellings(lines, str(path.relative_to(ROOT)))
    if found:
        pytest.fail("American spellings:\n" + "\n".join(found), pytrace=False)


@pytest.mark.parametrize(
    ("template", "caught"),
    [
        ("<p>Pick a color.</p>", ["color"]),
        ('<p class="center">Centred text</p>', []),  # markup is not text
        ('<img alt="A gray box">', ["gray"]),
        ('{% translate "Some rows were canceled" %}', ["canceled"]),
        ('{{ value|default:"Not analyzed" }}', ["analyzed"]),
        ("{# a color comment #}<p>colour</p>", []),
        ("{% comment %}behavior{% endcomment %}", []),
        ('<meta name="color-scheme" content="light dark">', []),
        (
            "<p>It counts toward your score; organizing, the license, the center.</p>",
            ["toward", "organizing", "license", "center"],
        ),
        ("<p>Practise, practice, practised; organise, towards.</p>", []),
    ],
)
def test_the_template_scan_reads_text_not_markup(template, caught):
    found = [
        match.group(0).lower()
        for _, text in _lines(template_text(template))
        for match in PATTERN.finditer(text)
    ]
    assert found == caught


def test_the_python_and_script_scans_read_strings_not_code():
    python = 'color = "red"  # the color\nmessages.info(request, f"{n} items canceled")\n'
    assert [m.group(0) for _, t in python_strings(python) for m in PATTERN.finditer(t)] == [
        "canceled"
    ]
    script = 'var color = 1; // the color\nstatus.textContent = "Your favorite answer";\n'
    assert [m.group(0) for _, t in script_strings(script) for m in PATTERN.finditer(t)] == [
        "favorite"
    ]


ADMIN_PAGES = [
    "/admin/",
    "/admin/glossary/term/",
    "/admin/glossary/term/add/",
    "/admin/glossary/term/import/",
    "/admin/quiz/scenario/",
    "/admin/quiz/scenario/add/",
    "/admin/quiz/assignment/",
    "/admin/auth/user/",
]


@pytest.mark.django_db
def test_the_admin_reads_in_british_spelling_too(admin_client):
    """What an administrator reads, Django's own words included (the en-GB translation
    leaves a few American spellings, which we set ourselves)."""
    found = []
    for url in ADMIN_PAGES:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        found += american_spellings(_lines(template_text(response.content.decode())), url)
    if found:
        pytest.fail("American spellings:\n" + "\n".join(found), pytrace=False)
