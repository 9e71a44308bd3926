"""Trigram similarity as PostgreSQL's pg_trgm computes it, for the databases without it.

`similarity(a, b)` gives the number `SELECT similarity(a, b)` gives on PostgreSQL: each
string is lower-cased and split into words of letters and digits; each word is padded with
two spaces in front and one behind, and cut into every run of three characters; the score
is the share of the two sets of trigrams that both strings have (what they share over what
either has), at single precision like PostgreSQL's `real`. So `TermQuerySet.like` ranks
terms the same on SQLite as on PostgreSQL, where the database computes the scores
(tests/glossary/test_search.py runs the same cases on both). Reads no database.
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache

# pg_trgm's word characters: letters and digits (an underscore, like punctuation, splits).
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> str:
    """`text` lower-cased, its words joined by single spaces and everything else dropped:
    "End-user!" → "end user". What search compares names, aliases and summaries by."""
    return " ".join(WORD.findall(text.lower()))


def starts_a_word(query: str, text: str) -> bool:
    """Whether the words of `text` (see `words`) have `query` at the start of one of them."""
    return f" {text}".find(f" {query}") >= 0


@lru_cache(maxsize=4096)  # names and aliases are few, and compared with every query
def trigrams(text: str) -> frozenset[str]:
    found: set[str] = set()
    for word in WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


def similarity(first: str, second: str) -> float:
    """pg_trgm's `similarity(first, second)`: 0 (nothing shared) to 1 (the same trigrams)."""
    a, b = trigrams(first), trigrams(second)
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return single(shared / (len(a) + len(b) - shared))


def single(number: float) -> float:
    """`number` at single precision, as pg_trgm computes it (a `real`), so that scores
    compare alike on both databases."""
    return struct.unpack("f", struct.pack("f", number))[0]
