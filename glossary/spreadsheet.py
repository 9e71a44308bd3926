"""CSV that is safe to open in a spreadsheet: every file we write goes through `cell`.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return
before one) as a formula, so a username `@SUM(1+1)` or a title `=HYPERLINK(…)` would run when a
trainer opens the file. Following OWASP's advice on CSV injection, such text gets a leading
single quote, which spreadsheets show as text. Real numbers stay numbers; the files start with a
byte order mark so that spreadsheets read them as UTF-8; times are ISO 8601 to the second.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from import_export.formats.base_formats import CSV

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
BOM = "\ufeff"


def cell(value: Any) -> Any:
    """One value as a CSV cell: numbers as they are, times in ISO 8601 to the second, nothing
    as an empty cell, and text that a spreadsheet would run as a formula quoted."""
    if type(value) is str:  # most cells: the fast way
        return QUOTE + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
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


class _Line:
    """A file-like object whose write returns what it was given, to stream csv rows."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The lines of a CSV file of `rows`, the byte order mark first, every value a `cell`."""
    writer = csv.writer(_Line())
    yield BOM
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


class SpreadsheetCSV(CSV):
    """The admin's CSV import and export format (django-import-export), with the same cells as
    every other CSV of the site; an import takes back the quotes an export added."""

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def export_data(self, dataset, **kwargs) -> str:
        rows = [dataset.headers, *dataset] if dataset.headers else list(dataset)
        return "".join(csv_lines(rows))

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        for index, row in enumerate(list(dataset)):
            dataset[index] = [uncell(value) if isinstance(value, str) else value for value in row]
        return dataset
