"""CSV that is safe to open in a spreadsheet: every file we write goes through `cell`.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return
before one) as a formula, so a username `@SUM(1+1)` or a title `=HYPERLINK(…)` would run when a
trainer opens the file. Following OWASP's advice on CSV injection, such text gets a leading
single quote, which spreadsheets show as text. Real numbers stay numbers; the files start with a
byte order mark so that spreadsheets read them as UTF-8; times are ISO 8601 to the second.

Big files (a report's every response) are written as pieces of text that a download streams:
a batch of rows at a time (`csv_text`, one `csv.writer.writerows`, a fraction of the cost of a
write a row), or for a million rows, lines joined from fields escaped once (`csv_field`) and
times the database wrote as text (`IsoSeconds`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Func
from import_export.formats.base_formats import CSV

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
QUOTE = "'"
BOM = "\ufeff"


def cell(value: Any) -> Any:
    """One value as a CSV cell: numbers as they are, times in ISO 8601 to the second, nothing
    as an empty cell, and text that a spreadsheet would run as a formula quoted."""
    kind = type(value)
    # The common types first, tested by exact type: a big file calls this for every value.
    if kind is str:
        return QUOTE + value if value and value[0] in _FORMULA_FIRST else value
    if kind is int or kind is bool or kind is float:
        return value
    if value is None:
        return ""
    if kind is datetime:
        return value.isoformat(timespec="seconds")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return QUOTE + text if text.startswith(FORMULA_STARTS) else text


def uncell(text: str) -> str:
    """What `cell` wrote for a text, read back: the quote it added comes off again, so an
    exported file imports unchanged."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def cells(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    """Rows of values as rows of cells."""
    return [[cell(value) for value in row] for row in rows]


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows of cells as CSV text, written at once."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def csv_field(value: Any) -> str:
    """One cell as the csv module writes it within a line (quoted if it holds a comma, a
    quote or a line break); written beside an empty cell, which keeps an empty value empty."""
    return csv_text([[value, ""]])[:-3]


def csv_file(chunks: Iterable[str]) -> Iterator[str]:
    """A CSV file of pieces of text, the byte order mark in front of the first."""
    prefix = BOM
    for chunk in chunks:
        yield prefix + chunk
        prefix = ""


class IsoSeconds(Func):
    """A stored time as `cell` writes it, ISO 8601 to the second in UTC (the time zone
    Django reads times in), written by the database: for a million rows this saves reading
    each time into a datetime (Django's time-zone loader is Python) and formatting it."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite stores times as UTC text. The format is a parameter: a % in the SQL would be
        # taken for one.
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"strftime(%s, {sql})", ("%Y-%m-%dT%H:%M:%S+00:00", *params)


class SpreadsheetCSV(CSV):
    """The admin's CSV import and export format (django-import-export), with the same cells as
    every other CSV of the site; an import takes back the quotes an export added."""

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def export_data(self, dataset, **kwargs) -> str:
        rows = [dataset.headers, *dataset] if dataset.headers else list(dataset)
        return BOM + csv_text(cells(rows))

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        for index, row in enumerate(list(dataset)):
            dataset[index] = [uncell(value) if isinstance(value, str) else value for value in row]
        return dataset
