"""Every CSV the site writes is safe to open in a spreadsheet (glossary.spreadsheet): text that
would run as a formula is quoted, numbers stay numbers, UTF-8 with a byte order mark, times in
ISO 8601 to the second; and the admin's export imports back unchanged."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from glossary.models import Term
from glossary.spreadsheet import cell, cells, csv_field, csv_file, csv_text, uncell
from tests.factories import TermFactory, UserFactory
from tests.helpers import upload

FORMULAS = ["=1+1", "+1", "-3", "@SUM(1+1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_a_spreadsheet_would_run_is_quoted(text):
    assert cell(text) == "'" + text
    assert uncell(cell(text)) == text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (3, 3),
        (-3, -3),
        (2.5, 2.5),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, ""),
        ("café", "café"),
        ("a-b = c", "a-b = c"),
        ("'quoted", "'quoted"),
        (datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC), "2026-03-04T05:06:07+00:00"),
        (date(2026, 3, 4), "2026-03-04"),
    ],
)
def test_numbers_stay_numbers_and_times_are_iso_to_the_second(value, written):
    assert cell(value) == written
    assert type(cell(value)) is type(written)


def test_csv_file_starts_with_a_byte_order_mark_then_its_pieces():
    pieces = [csv_text([["name", "score"]]), csv_text(cells([["@SUM(1+1)", -3], ["Zoë", 4.5]]))]
    chunks = list(csv_file(pieces))
    assert chunks[0] == "\ufeffname,score\r\n"
    assert list(csv.reader(io.StringIO(chunks[1]))) == [["'@SUM(1+1)", "-3"], ["Zoë", "4.5"]]


@pytest.mark.parametrize("value", ["", "plain", "a,b", 'say "hi"', "two\nlines", "\r", 3, " x "])
def test_a_field_is_escaped_as_the_csv_module_writes_it_in_a_line(value):
    line = ",".join([csv_field(value), csv_field(value)]) + "\r\n"
    assert line == csv_text([[value, value]])


def test_common_types_keep_their_exact_cells():
    assert [cell(value) for value in (True, False, 0, "", "=", "plain")] == [
        True,
        False,
        0,
        "",
        "'=",
        "plain",
    ]


def _export_terms(client) -> bytes:
    fields = ["slug", "name", "summary", "body", "status", "replaced_by", "steward"]
    response = client.post(
        "/admin/glossary/term/export/",
        {"format": "0", **{f"termresource_{name}": "on" for name in fields}},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response.content


def test_the_admin_term_export_is_safe_and_imports_back_unchanged(editor_client, glossary):
    steward = UserFactory(username="@SUM(1+1)", is_staff=True)
    TermFactory(
        slug="formula",
        name='=HYPERLINK("http://evil.example","Click")',
        summary="-3 is what this one says.",
        body="- a list\n- of two",
        steward=steward,
    )
    content = _export_terms(editor_client)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    formula = next(row for row in rows if row["slug"] == "formula")
    assert formula["name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert formula["summary"] == "'-3 is what this one says."
    assert formula["body"] == "'- a list\n- of two"
    assert formula["steward"] == "'@SUM(1+1)"
    assert next(row for row in rows if row["slug"] == "client")["name"] == "Client"

    before = list(Term.objects.values_list("slug", "name", "summary", "body", "updated"))
    page = upload(editor_client, "/admin/glossary/term/import/", content, "terms.csv", "0")
    html = page.content.decode()
    assert "Some rows failed to validate" not in html and "Errors" not in html
    # Every row is unchanged, quotes taken off again: nothing to update.
    assert "Skip" in html and "Update" not in html
    assert list(Term.objects.values_list("slug", "name", "summary", "body", "updated")) == before
